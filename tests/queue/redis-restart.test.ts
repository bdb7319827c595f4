// Redis restarted empty (issue 12): the documents the API node had handed to it are offered again once the
// node notices the restart (Redis's run id changed), without restarting the node; a worker then analyzes
// every one of them, and each is recorded once.
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Queue } from "bullmq";
import { RedisMemoryServer } from "redis-memory-server";
import { afterAll, describe, expect, it } from "vitest";
import { DEFAULT_POLICY } from "../../src/compliance/index.js";
import { runWorker } from "../../src/queue/bullmq-worker.js";
import { ANALYZE_QUEUE, connectionFrom } from "../../src/queue/names.js";
import { createKey } from "../../src/store/sqlite/keys.js";
import { startServer, type RunningServer } from "../../src/server.js";
import { AGENCIES_CSV, generateSample, SAMPLE_TRUST } from "../../fixtures/sample/generate.js";
import { captureStderr } from "../helpers/stderr.js";

const stops: Array<() => Promise<unknown>> = [];
afterAll(async () => {
  for (const s of stops.reverse()) await s().catch(() => undefined);
});

async function until(what: string, ok: () => Promise<boolean> | boolean, ms = 20_000): Promise<void> {
  for (const end = Date.now() + ms; Date.now() < end;) {
    if (await ok()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe("Redis restarted empty", () => {
  it("is noticed, and the documents handed to it are offered again without restarting the API node", async () => {
    const first = await RedisMemoryServer.create();
    stops.push(() => first.stop());
    const port = await first.getPort();
    const redisUrl = `redis://127.0.0.1:${port}`;
    const root = mkdtempSync(join(tmpdir(), "kyso-redis-restart-"));
    const items = generateSample(join(root, "sample"), { documents: 10, seed: 77 }).filter((i) => i.file);
    const server: RunningServer = await startServer({
      dataDir: join(root, "data"),
      port: 0,
      host: "127.0.0.1",
      trustDirs: [],
      concurrency: 1,
      timeoutMs: 20_000,
      policy: DEFAULT_POLICY,
      maxBodyBytes: 50 << 20,
      redisUrl,
      publishHeads: null,
    });
    stops.push(() => server.close()); // closed in reverse: the worker, the node, then Redis
    const admin = createKey(server.db, "admin", "t", "t").key;
    const api = (p: string, init: RequestInit = {}) =>
      fetch(`${server.url}${p}`, { ...init, headers: { ...(init.headers as Record<string, string>), authorization: `Bearer ${admin}` } });
    await api("/api/v1/agencies", { method: "PUT", headers: { "content-type": "text/csv" }, body: readFileSync(AGENCIES_CSV) });
    for (const item of items) {
      const form = new FormData();
      form.set("file", new Blob([readFileSync(join(root, "sample", item.file!))]), "d.pdf");
      for (const [k, v] of Object.entries(item.meta)) form.set(k, v);
      expect((await api("/api/v1/documents", { method: "POST", body: form })).status).toBe(202);
    }
    const processing = () => (server.db.prepare("SELECT count(*) n FROM documents WHERE status = 'processing'").get() as { n: number }).n;
    await until("every document handed to Redis", () => processing() === items.length);
    const waiting = async () => {
      // a queue that gives up at once while Redis is down
      const q = new Queue(ANALYZE_QUEUE, {
        connection: { ...connectionFrom(redisUrl), maxRetriesPerRequest: 1, enableOfflineQueue: false, retryStrategy: () => null },
      });
      try {
        return (await q.getJobCounts("waiting")).waiting ?? 0;
      } finally {
        await q.close();
      }
    };
    expect(await waiting()).toBeGreaterThan(0);

    // Redis goes away and comes back on the same port with nothing in it
    const err = captureStderr();
    await first.stop();
    await first.start(); // the same port, a new empty folder
    expect(await first.getPort()).toBe(port);
    await until("the jobs offered again", async () => (await waiting().catch(() => 0)) > 0);
    err.restore();
    expect(err.text()).toMatch(new RegExp(`Redis restarted; it holds no job for ${items.length} document\\(s\\) handed to it: they are offered again`));

    // a worker now analyzes them all, each recorded once
    const ingest = createKey(server.db, "ingest", "worker", "t").key;
    const worker = await runWorker({ redisUrl, apiUrl: server.url, workerKey: ingest, concurrency: 1, trustDirs: [SAMPLE_TRUST], timeoutMs: 20_000 });
    stops.push(() => worker.close());
    await until(
      "every document analyzed",
      () => (server.db.prepare("SELECT count(*) n FROM documents WHERE status = 'done'").get() as { n: number }).n === items.length,
      60_000,
    );
    const analyses = server.db.prepare("SELECT document_id, count(*) n FROM analyses GROUP BY 1").all() as Array<{ n: number }>;
    expect(analyses).toHaveLength(items.length);
    expect(analyses.every((a) => a.n === 1)).toBe(true);
  }, 120_000);
});
