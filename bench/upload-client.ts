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
const bodies = manifest.map((m) => {
  const parts: Buffer[] = [];
  for (const [k, v] of Object.entries(m.meta)) parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
  parts.push(
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="doc.pdf"\r\nContent-Type: application/pdf\r\n\r\n`),
    readFileSync(m.path),
    Buffer.from(`\r\n--${boundary}--\r\n`),
  );
  return Buffer.concat(parts);
});
const target = new URL("/api/v1/documents", url);
const agent = new Agent({ keepAlive: true, maxSockets: 64 });
const headers = { "content-type": `multipart/form-data; boundary=${boundary}`, authorization: `Bearer ${process.env.KYSO_API_KEY}` };

function post(body: Buffer): Promise<void> {
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

process.stdout.write("ready\n");
await new Promise<void>((resolve) => createInterface({ input: process.stdin }).once("line", () => resolve()));
let next = 0;
const uploader = async (): Promise<void> => {
  while (next < bodies.length) await post(bodies[next++]!);
};
await Promise.all(Array.from({ length: Number(process.env.KYSO_UPLOADERS ?? 8) }, () => uploader()));
agent.destroy();
process.stdout.write("done\n");
