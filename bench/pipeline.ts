// bench/pipeline: documents per second through HTTP upload + processing on the embedded default, against
// the verifier alone in one process over the same files (the ceiling), in the same run.
// Target (issue 5): ≥ 50% of the ceiling. Run: npm run bench:pipeline [-- --documents N]
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { analyze } from "../src/analyze.js";
import { DEFAULT_POLICY } from "../src/compliance/index.js";
import { loadTrustStore } from "../src/config.js";
import { startServer } from "../src/server.js";
import { AGENCIES_CSV, generateSample, SAMPLE_TRUST } from "../fixtures/sample/generate.js";

const args = process.argv.slice(2);
const N = Number(args[args.indexOf("--documents") + 1] ?? 0) || 400;
const root = mkdtempSync(join(tmpdir(), "kyso-pipeline-"));

try {
  const sampleDir = join(root, "sample");
  const items = generateSample(sampleDir, { documents: N, seed: 11 }).filter((i) => i.file);
  const files = items.map((i) => readFileSync(join(sampleDir, i.file!)));

  // the ceiling: analyze every file in this process, one after the other
  const trust = loadTrustStore([SAMPLE_TRUST]);
  for (const b of files.slice(0, 20)) await analyze(b, { now: new Date().toISOString(), trust });
  let t0 = performance.now();
  for (let i = 0; i < files.length; i++) await analyze(files[i]!, { now: new Date().toISOString(), receivedAt: items[i]!.meta.receivedAt, trust });
  const ceiling = files.length / ((performance.now() - t0) / 1000);

  // the pipeline: upload over HTTP (4 requests in flight), analyzed by the embedded runner
  const server = await startServer({ dataDir: join(root, "data"), port: 0, host: "127.0.0.1", trustDirs: [SAMPLE_TRUST], concurrency: 2, timeoutMs: 20_000, policy: DEFAULT_POLICY, maxBodyBytes: 50 << 20 });
  await fetch(`${server.url}/api/v1/agencies`, { method: "PUT", headers: { "content-type": "text/csv" }, body: readFileSync(AGENCIES_CSV) });
  t0 = performance.now();
  let next = 0;
  const uploader = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      const form = new FormData();
      form.set("file", new Blob([files[i]!]), "doc.pdf");
      for (const [k, v] of Object.entries(items[i]!.meta)) form.set(k, v);
      const r = await fetch(`${server.url}/api/v1/documents`, { method: "POST", body: form });
      if (r.status !== 202) throw new Error(`upload: ${r.status} ${await r.text()}`);
    }
  };
  await Promise.all([uploader(), uploader(), uploader(), uploader()]);
  await server.runner.idle();
  const embedded = files.length / ((performance.now() - t0) / 1000);
  const done = (server.db.prepare("SELECT count(*) n FROM documents WHERE status = 'done'").get() as { n: number }).n;
  await server.close();

  console.log(`pipeline: ${files.length} documents (sample province), ${done} analyzed through the API`);
  console.log(`  verifier alone, one process (ceiling)   ${ceiling.toFixed(1)} documents/s`);
  console.log(`  HTTP upload + embedded runner (2 threads) ${embedded.toFixed(1)} documents/s   ${((embedded / ceiling) * 100).toFixed(0)}% of the ceiling   target ≥ 50%`);
  console.log(`  BullMQ with 2 workers: not measured (not implemented yet)`);
} finally {
  rmSync(root, { recursive: true, force: true });
}
