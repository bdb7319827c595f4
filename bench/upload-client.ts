// Child process of bench/pipeline: uploads documents to the API node like an outside system would (its
// own process, 8 requests in flight by default, KYSO_UPLOADERS to change), so the server's event loop is not also the client's.
// Protocol: prints "ready", waits for a line on stdin, uploads, prints "done". KYSO_API_KEY: an ingest key.
import { readFileSync } from "node:fs";
import { createInterface } from "node:readline";

const [url, manifestPath] = process.argv.slice(2) as [string, string];
const manifest = JSON.parse(readFileSync(manifestPath, "utf8")) as Array<{ path: string; meta: Record<string, string> }>;
const files = manifest.map((m) => readFileSync(m.path));
process.stdout.write("ready\n");
await new Promise<void>((resolve) => createInterface({ input: process.stdin }).once("line", () => resolve()));
let next = 0;
const uploader = async (): Promise<void> => {
  while (next < manifest.length) {
    const i = next++;
    const form = new FormData();
    form.set("file", new Blob([files[i]!]), "doc.pdf");
    for (const [k, v] of Object.entries(manifest[i]!.meta)) form.set(k, v);
    const r = await fetch(`${url}/api/v1/documents`, { method: "POST", body: form, headers: { authorization: `Bearer ${process.env.KYSO_API_KEY}` } });
    if (r.status !== 202) throw new Error(`upload: ${r.status} ${await r.text()}`);
  }
};
await Promise.all(Array.from({ length: Number(process.env.KYSO_UPLOADERS ?? 8) }, () => uploader()));
process.stdout.write("done\n");
