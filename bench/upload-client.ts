// Child process of bench/pipeline: uploads documents to the API node like an outside system would (its
// own process, 8 requests in flight by default, KYSO_UPLOADERS to change), so the server's event loop is
// not also the client's. The multipart bodies are built before the clock starts and sent with node:http
// over kept-alive connections: on the benchmark machine the client shares the two cores with the server,
// and a real document system would not. Protocol: prints "ready", waits for a line on stdin, uploads,
// prints "done". KYSO_API_KEY: an ingest key.
import { readFileSync } from "node:fs";
import { Agent, request } from "node:http";
import { randomBytes } from "node:crypto";
import { createInterface } from "node:readline";

const [url, manifestPath] = process.argv.slice(2) as [string, string];
const manifest = JSON.parse(readFileSync(manifestPath, "utf8")) as Array<{ path: string; meta: Record<string, string> }>;
const boundary = `----kyso${randomBytes(12).toString("hex")}`;
/** A document's upload; `round` > 0 makes it another document (its number marked, a line after the PDF's end). */
function bodyOf(m: (typeof manifest)[number], pdf: Buffer, round = 0): Buffer {
  const parts: Buffer[] = [];
  for (const [k, v] of Object.entries(m.meta)) {
    const value = round && k === "number" ? `${v}-L${round}` : v;
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${value}\r\n`));
  }
  parts.push(
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="doc.pdf"\r\nContent-Type: application/pdf\r\n\r\n`),
    round ? Buffer.concat([pdf, Buffer.from(`%kyso-bench-loop ${round}\n`)]) : pdf,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  );
  return Buffer.concat(parts);
}
const pdfs = manifest.map((m) => readFileSync(m.path));
const bodies = manifest.map((m, i) => bodyOf(m, pdfs[i]!));
const target = new URL("/api/v1/documents", url);
const agent = new Agent({ keepAlive: true, maxSockets: 64 });
const headers = { "content-type": `multipart/form-data; boundary=${boundary}`, authorization: `Bearer ${process.env.KYSO_API_KEY}` };

/**
 * One upload. A kept-alive connection the server closed as idle just as it was reused (ECONNRESET before
 * any answer: the request never reached the server's handler) is sent again once on a new one.
 */
function post(body: Buffer, again = true): Promise<void> {
  return send(body).catch((e: NodeJS.ErrnoException) => {
    if (again && (e.code === "ECONNRESET" || e.code === "EPIPE")) return post(body, false);
    throw e;
  });
}

function send(body: Buffer): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = request(target, { method: "POST", agent, headers: { ...headers, "content-length": body.length } }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => (res.statusCode === 202 ? resolve() : reject(new Error(`upload: ${res.statusCode} ${Buffer.concat(chunks).toString()}`))));
    });
    req.on("error", reject);
    req.end(body);
  });
}

const lines = createInterface({ input: process.stdin });
process.stdout.write("ready\n");
await new Promise<void>((resolve) => lines.once("line", () => resolve()));
const steady = Number(process.env.KYSO_UPLOAD_RATE ?? 0);
if (steady > 0) {
  // sustained ingest (bench/scale, a backup taken meanwhile): `steady` uploads a second, each another
  // document (the manifest's again, marked by round), until a second line says stop; prints "done N"
  let stop = false;
  lines.once("line", () => (stop = true));
  let sent = 0;
  const t0 = performance.now();
  const inFlight = new Set<Promise<void>>();
  while (!stop) {
    const due = t0 + (sent / steady) * 1000;
    if (performance.now() < due) {
      await new Promise((r) => setTimeout(r, due - performance.now()));
      continue;
    }
    const i = sent % manifest.length;
    const p = post(bodyOf(manifest[i]!, pdfs[i]!, 1 + Math.floor(sent / manifest.length))).finally(() => inFlight.delete(p));
    inFlight.add(p);
    sent++;
  }
  await Promise.all(inFlight);
  agent.destroy();
  process.stdout.write(`done ${sent}\n`);
  process.exit(0);
}
let next = 0;
const uploader = async (): Promise<void> => {
  while (next < bodies.length) await post(bodies[next++]!);
};
await Promise.all(Array.from({ length: Number(process.env.KYSO_UPLOADERS ?? 8) }, () => uploader()));
agent.destroy();
process.stdout.write("done\n");
