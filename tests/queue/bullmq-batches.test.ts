// Batched analyze jobs against a real Redis: documents uploaded together share jobs; a batch whose worker
// dies is split into one job per document; a document of a batch that cannot be analyzed is handed back
// alone and recorded failed with its reason, while the others of its batch are recorded once.
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Queue, Worker } from "bullmq";
import { Redis } from "ioredis";
import { RedisMemoryServer } from "redis-memory-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_POLICY } from "../../src/compliance/index.js";
import { fetchGroups, runWorker } from "../../src/queue/bullmq-worker.js";
import {
  analyzeJob,
  ANALYZE_QUEUE,
  BATCH_MAX,
  batches,
  connectionFrom,
  jobDocuments,
  jobResults,
  RESULTS_QUEUE,
  type AnalyzeJobData,
} from "../../src/queue/names.js";
import { BlobStore } from "../../src/store/blobs.js";
import { queueReverification } from "../../src/lifecycle/reverify.js";
import { createKey } from "../../src/store/sqlite/keys.js";
import { startServer, type RunningServer, type ServerOptions } from "../../src/server.js";
import { AGENCIES_CSV, generateSample, SAMPLE_TRUST, type SampleItem } from "../../fixtures/sample/generate.js";
import { ROOT } from "../helpers/paths.js";
import { captureStderr } from "../helpers/stderr.js";

describe("job payloads", () => {
  it("groups documents into consecutive batches of at most BATCH_MAX", () => {
    const ids = Array.from({ length: 19 }, (_, i) => i);
    expect(batches(ids).map((b) => b.length)).toEqual([BATCH_MAX, BATCH_MAX, 19 - 2 * BATCH_MAX]);
    expect(batches(ids).flat()).toEqual(ids);
    expect(batches([])).toEqual([]);
  });

  it("names a single document's job by the document, so offering it twice makes one job", () => {
    const d = (id: string) => ({ documentId: id, sha256: "0".repeat(64), receivedAt: "2024-03-01T00:00:00Z" });
    expect(analyzeJob([d("a")]).opts.jobId).toBe("a");
    expect(analyzeJob([d("a"), d("b"), d("c")]).opts.jobId).toBe("batch-a-3");
    expect(jobDocuments(analyzeJob([d("a"), d("b")]).data).map((x) => x.documentId)).toEqual(["a", "b"]);
  });

  it("fetches small PDFs together and a large or unknown-size one alone", () => {
    const d = (id: string, bytes?: number) => ({
      documentId: id,
      sha256: "0".repeat(64),
      receivedAt: "2024-03-01T00:00:00Z",
      ...(bytes === undefined ? {} : { bytes }),
    });
    const ids = (g: ReturnType<typeof fetchGroups>) => g.map((x) => x.map((y) => y.documentId).join(""));
    expect(ids(fetchGroups([d("a", 1000), d("b", 2000), d("c", 3000)]))).toEqual(["abc"]);
    expect(ids(fetchGroups([d("a", 1000), d("b", 20 << 20), d("c", 3000), d("d")]))).toEqual(["a", "b", "c", "d"]);
    expect(ids(fetchGroups([d("a", 5 << 20), d("b", 3 << 20), d("c", 1)]))).toEqual(["ab", "c"]);
  });

  it("reads jobs and results written before batching (one document as the data itself)", () => {
    const old = { documentId: "x", sha256: "1".repeat(64), receivedAt: "2024-01-01T00:00:00Z" };
    expect(jobDocuments(old)).toEqual([old]);
    const r = { documentId: "x", ok: false as const, reason: "r" };
    expect(jobResults(r)).toEqual([r]);
    expect(jobResults({ results: [r, r] })).toHaveLength(2);
  });
});

describe("BullMQ batches", () => {
  let redis: RedisMemoryServer;
  let redisUrl = "";
  let server: RunningServer;
  let serverOptions: ServerOptions;
  let root = "";
  let sampleDir = "";
  let items: SampleItem[] = [];
  let ingest = "";
  const log: string[] = [];
  let worker: { close(): Promise<void> } | null = null;
  let queue: Queue<AnalyzeJobData>;

  const upload = async (item: SampleItem): Promise<number> => {
    const form = new FormData();
    form.set("file", new Blob([readFileSync(join(sampleDir, item.file!))], { type: "application/pdf" }), "doc.pdf");
    for (const [k, v] of Object.entries(item.meta)) form.set(k, v);
    return (await fetch(`${server.url}/api/v1/documents`, { method: "POST", body: form, headers: { authorization: `Bearer ${ingest}` } })).status;
  };
  /** Every stored document queued again and handed to Redis, with no worker taking jobs. */
  const requeueWithoutWorkers = async (): Promise<number> => {
    await worker?.close();
    worker = null;
    const queued = queueReverification(server.db, {}, "test");
    server.runner.notify();
    for (let i = 0; i < 100 && (await waitingDocuments()).flat().length < queued; i++) await new Promise((r) => setTimeout(r, 50));
    return queued;
  };
  const waitingDocuments = async (): Promise<string[][]> => (await queue.getJobs(["waiting"])).map((j) => jobDocuments(j.data).map((d) => d.documentId));

  beforeAll(async () => {
    redis = await RedisMemoryServer.create();
    redisUrl = `redis://${await redis.getHost()}:${await redis.getPort()}`;
    root = mkdtempSync(join(tmpdir(), "kyso-batches-"));
    sampleDir = join(root, "sample");
    items = generateSample(sampleDir, { documents: 40, seed: 23 })
      .filter((i) => i.file)
      .slice(0, 20);
    serverOptions = {
      dataDir: join(root, "data"),
      port: 0,
      host: "127.0.0.1",
      trustDirs: [],
      concurrency: 1,
      timeoutMs: 20_000,
      policy: DEFAULT_POLICY,
      maxBodyBytes: 50 << 20,
      redisUrl,
    };
    server = await startServer(serverOptions);
    ingest = createKey(server.db, "ingest", "workers", "test").key;
    const admin = createKey(server.db, "admin", "it", "test").key;
    await fetch(`${server.url}/api/v1/agencies`, {
      method: "PUT",
      headers: { "content-type": "text/csv", authorization: `Bearer ${admin}` },
      body: readFileSync(AGENCIES_CSV),
    });
    queue = new Queue<AnalyzeJobData>(ANALYZE_QUEUE, { connection: connectionFrom(redisUrl) });
  }, 60_000);

  afterAll(async () => {
    await worker?.close();
    await queue?.close();
    await server?.close();
    await redis?.stop();
    rmSync(root, { recursive: true, force: true });
  });

  it("puts documents uploaded together into shared jobs, each document in exactly one", async () => {
    const statuses = await Promise.all(items.map(upload));
    expect(statuses.every((s) => s === 202)).toBe(true);
    let jobs: string[][] = [];
    for (let i = 0; i < 100; i++) {
      jobs = await waitingDocuments();
      if (jobs.flat().length === items.length) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    const ids = (server.db.prepare("SELECT id FROM documents").all() as Array<{ id: string }>).map((r) => r.id).sort();
    expect(jobs.flat().sort()).toEqual(ids);
    expect(jobs.some((j) => j.length > 1)).toBe(true);
    expect(jobs.every((j) => j.length <= BATCH_MAX)).toBe(true);
    // handed to Redis, not analyzed: the backlog in documents, and the jobs that carry it
    const metrics = await (await fetch(`${server.url}/metrics`)).text();
    expect(metrics).toMatch(new RegExp(`^kyso_queue_depth ${items.length}$`, "m"));
    expect(metrics).toMatch(new RegExp(`^kyso_bullmq_jobs\\{queue="kyso-analyze",state="waiting"\\} ${jobs.length}$`, "m"));
  });

  it("splits a batch whose worker died, hands back a document it could not fetch, and records every document once", async () => {
    // deterministic jobs: replace what the uploads queued with batches of five
    const rows = server.db.prepare("SELECT id, sha256, received_at, bytes FROM documents ORDER BY id").all() as Array<{
      id: string;
      sha256: string;
      received_at: string;
      bytes: number;
    }>;
    await queue.drain();
    const groups = batches(
      rows.map((r) => ({ documentId: r.id, sha256: r.sha256, receivedAt: r.received_at, bytes: r.bytes })),
      5,
    );
    await queue.addBulk(groups.map(analyzeJob));
    // the document whose PDF has gone from the API node's blob folder, in the second batch (whose five
    // PDFs the worker asks for in one request)
    const lost = groups[1]![2]!;
    expect(fetchGroups(groups[1]!)).toHaveLength(1);
    rmSync(new BlobStore(join(root, "data", "blobs")).pathOf(lost.sha256));

    // a worker takes the first batch and dies with it (its lock is never renewed)
    const doomed = new Worker<AnalyzeJobData>(ANALYZE_QUEUE, null, { connection: connectionFrom(redisUrl), lockDuration: 1000 });
    const held = await doomed.getNextJob("doomed-token");
    expect(held && jobDocuments(held.data).length).toBe(5);
    await doomed.close(true);

    worker = await runWorker({ redisUrl, apiUrl: server.url, workerKey: ingest, trustDirs: [SAMPLE_TRUST], concurrency: 2, timeoutMs: 20_000 }, (s) =>
      log.push(s),
    );
    await server.runner.idle();

    const status = server.db.prepare("SELECT id, status, failure FROM documents").all() as Array<{ id: string; status: string; failure: string | null }>;
    const failed = status.filter((s) => s.status !== "done");
    expect(failed.map((s) => [s.id, s.status])).toEqual([[lost.documentId, "failed"]]);
    expect(failed[0]!.failure).toMatch(/HTTP 404/);
    expect(server.db.prepare("SELECT document_id, count(*) n FROM analyses GROUP BY document_id HAVING n > 1").all()).toEqual([]);
    expect((server.db.prepare("SELECT count(*) n FROM analyses").get() as { n: number }).n).toBe(rows.length - 1);
    expect(log.join("\n")).toMatch(new RegExp(`split batch ${held!.id} into 5 jobs`));
    expect(log.join("\n")).toMatch(/1 document\(s\) to be tried again alone \(fetching the PDF from the API node: HTTP 404\)/);
  }, 90_000);

  it("a `kyso worker` told to stop (SIGTERM) finishes the batch it holds, leaves the rest waiting, and exits 0", async () => {
    const queued = await requeueWithoutWorkers();
    expect((await waitingDocuments()).flat()).toHaveLength(queued);

    const proc = spawn(process.execPath, [join(ROOT, "bin", "kyso.js"), "worker"], {
      env: { ...process.env, REDIS_URL: redisUrl, KYSO_API_URL: server.url, KYSO_WORKER_KEY: ingest, KYSO_TRUST_DIRS: SAMPLE_TRUST, KYSO_CONCURRENCY: "1" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    proc.stdout!.on("data", (d) => (out += String(d)));
    proc.stderr!.on("data", (d) => (out += String(d)));
    for (let i = 0; i < 400 && !out.includes("analyzed "); i++) await new Promise((r) => setTimeout(r, 25));
    const exited = new Promise<number | null>((resolve) => proc.on("exit", (code) => resolve(code)));
    proc.kill("SIGTERM");
    expect(await exited).toBe(0);
    const counts = await queue.getJobCounts("active", "waiting");
    expect(counts.active).toBe(0); // nothing abandoned to be found stalled later
    expect(counts.waiting).toBeGreaterThan(0); // it stopped taking jobs
    expect(out).not.toMatch(/failed \(attempt/);

    worker = await runWorker({ redisUrl, apiUrl: server.url, workerKey: ingest, trustDirs: [SAMPLE_TRUST], concurrency: 2, timeoutMs: 20_000 }, (x) =>
      log.push(x),
    );
    await server.runner.idle();
    const reanalyses = server.db.prepare("SELECT document_id, count(*) n FROM audit_log WHERE action = 'reanalysis' GROUP BY document_id").all() as Array<{
      document_id: string;
      n: number;
    }>;
    expect(reanalyses.every((r) => r.n === 1)).toBe(true);
    expect(reanalyses).toHaveLength(queued - 1); // all but the document whose PDF is gone
  }, 120_000);

  it("puts documents back in the queue when Redis refuses them (out of memory), and offers them again once it takes them", async () => {
    const redisAdmin = new Redis(connectionFrom(redisUrl));
    const stderr = captureStderr();
    try {
      await redisAdmin.config("SET", "maxmemory-policy", "noeviction");
      await redisAdmin.config("SET", "maxmemory", "1");
      const queued = queueReverification(server.db, { agency: items[0]!.meta.sender }, "test");
      expect(queued).toBeGreaterThan(0);
      server.runner.notify();
      for (let i = 0; i < 100 && !stderr.text().includes("queueing documents in Redis failed"); i++) await new Promise((r) => setTimeout(r, 50));
      expect(stderr.text()).toMatch(/kyso: queueing documents in Redis failed \(.*OOM.*\); they will be offered again/);
      // nothing is left marked as handed over
      expect((server.db.prepare("SELECT count(*) n FROM documents WHERE status = 'processing'").get() as { n: number }).n).toBe(0);
      expect((server.db.prepare("SELECT count(*) n FROM documents WHERE status = 'queued'").get() as { n: number }).n).toBe(queued);
      await redisAdmin.config("SET", "maxmemory", "0");
      await server.runner.idle();
      const lost = server.db.prepare("SELECT count(*) n FROM documents WHERE status NOT IN ('done', 'failed')").get() as { n: number };
      expect(lost.n).toBe(0);
    } finally {
      stderr.restore();
      await redisAdmin.config("SET", "maxmemory", "0");
      redisAdmin.disconnect();
    }
  }, 60_000);

  it("lives through a store that refuses writes for a while: the documents wait, their results wait, then all go", async () => {
    const stderr = captureStderr();
    try {
      const queued = queueReverification(server.db, { agency: items[1]!.meta.sender }, "test");
      expect(queued).toBeGreaterThan(0);
      server.db.pragma("query_only = ON");
      server.runner.notify();
      for (let i = 0; i < 100 && !stderr.text().includes("handing documents to Redis failed"); i++) await new Promise((r) => setTimeout(r, 20));
      expect(stderr.text()).toMatch(/kyso: handing documents to Redis failed \(.*readonly.*\); trying again/i);
      // the documents go to the worker now, but their results cannot be recorded: every attempt of the
      // result jobs fails while the store refuses, and the sweep keeps them
      server.db.pragma("query_only = OFF");
      // the store refuses again as soon as the documents are handed over (polled every 2 ms: a result
      // needs a worker's fetch and analysis and two trips through Redis, far longer, so none slips in)
      for (let i = 0; i < 1000 && (server.db.prepare("SELECT count(*) n FROM documents WHERE status = 'queued'").get() as { n: number }).n > 0; i++)
        await new Promise((r) => setTimeout(r, 2));
      server.db.pragma("query_only = ON");
      const results = new Queue(RESULTS_QUEUE, { connection: connectionFrom(redisUrl) });
      try {
        for (let i = 0; i < 200 && (await results.getJobCounts("failed")).failed === 0; i++) await new Promise((r) => setTimeout(r, 50));
        expect((await results.getJobCounts("failed")).failed).toBeGreaterThan(0);
      } finally {
        await results.close();
      }
      server.db.pragma("query_only = OFF");
      await server.runner.idle(); // the sweep offers the documents again and retries the results
      expect((server.db.prepare("SELECT count(*) n FROM documents WHERE status NOT IN ('done', 'failed')").get() as { n: number }).n).toBe(0);
    } finally {
      stderr.restore();
      server.db.pragma("query_only = OFF");
    }
  }, 60_000);

  it("lets documents wait for an API node that cannot be reached, instead of using up their attempts", async () => {
    const queued = await requeueWithoutWorkers();
    // the API node goes away; a worker starts and finds nobody to fetch the PDFs from
    const port = Number(new URL(server.url).port);
    await server.close();
    worker = await runWorker(
      { redisUrl, apiUrl: `http://127.0.0.1:${port}`, workerKey: ingest, trustDirs: [SAMPLE_TRUST], concurrency: 2, timeoutMs: 20_000, apiRetryMs: 200 },
      (x) => log.push(x),
    );
    for (let i = 0; i < 200 && log.filter((l) => /cannot be reached .*wait 0\.2 s for it/.test(l)).length < 6; i++) await new Promise((r) => setTimeout(r, 50));
    expect(log.filter((l) => /cannot be reached .*wait 0\.2 s for it/.test(l)).length).toBeGreaterThanOrEqual(6); // several tries, no attempt used
    server = await startServer({ ...serverOptions, port });
    await server.runner.idle();
    const failedUnreachable = server.db.prepare("SELECT id, failure FROM documents WHERE status = 'failed' AND failure LIKE '%cannot be reached%'").all();
    expect(failedUnreachable).toEqual([]);
    expect((server.db.prepare("SELECT count(*) n FROM documents WHERE status = 'done'").get() as { n: number }).n).toBe(queued - 1); // all but the one whose PDF is gone
  }, 90_000);
});
