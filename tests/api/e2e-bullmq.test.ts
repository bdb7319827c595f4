// End to end with BullMQ: a real Redis (Debian's redis-server through redis-memory-server), the API node
// plus two `kyso worker` processes. One worker is killed with SIGKILL in the middle of its work and the API
// node is restarted during the run: every document must end done (or failed, with a reason), none lost,
// none recorded twice, and the figures must equal the ground truth; on each backend (the embedded store,
// and PostgreSQL in a throwaway cluster).
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { RedisMemoryServer } from "redis-memory-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_POLICY, figure, type Counted } from "../../src/compliance/index.js";
import { hasPostgres, pgSelect, startCluster, type Cluster } from "../helpers/postgres.js";
import { startServer, type RunningServer, type ServerOptions } from "../../src/server.js";
import { AGENCIES_CSV, generateSample, SAMPLE_TRUST, type SampleItem } from "../../fixtures/sample/generate.js";
import { ROOT } from "../helpers/paths.js";
import { freePort, stopChild } from "../../scripts/lib/processes.js";

for (const backend of ["sqlite", "postgres"] as const)
  describe.skipIf(backend === "postgres" && !hasPostgres)(`BullMQ end to end on ${backend}`, () => {
    let cluster: Cluster | undefined;
    let select: (sql: string) => Promise<Array<Record<string, unknown>>>;
    let redis: RedisMemoryServer;
    let server: RunningServer;
    let adminKey = "";
    let workerKey = "";
    /** a request with the admin key (the role matrix is tested in auth.test.ts) */
    const api = (path: string, init: RequestInit = {}) =>
      fetch(`${server.url}${path}`, { ...init, headers: { ...(init.headers as Record<string, string>), authorization: `Bearer ${adminKey}` } });
    let options: ServerOptions;
    const workers: ChildProcess[] = [];
    const logs: string[][] = [];
    let items: SampleItem[];
    let sampleDir: string;

    function startWorker(env: Record<string, string>): ChildProcess {
      const w = spawn(process.execPath, [join(ROOT, "bin", "kyso.js"), "worker"], { env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
      const log: string[] = [];
      logs.push(log);
      w.stdout!.on("data", (d) => log.push(String(d)));
      w.stderr!.on("data", (d) => log.push(String(d)));
      workers.push(w);
      return w;
    }

    async function upload(item: SampleItem): Promise<number> {
      const form = new FormData();
      form.set("file", new Blob([readFileSync(join(sampleDir, item.file!))]), "doc.pdf");
      for (const [k, v] of Object.entries(item.meta)) form.set(k, v);
      return (await api(`/api/v1/documents`, { method: "POST", body: form })).status;
    }

    beforeAll(async () => {
      redis = await RedisMemoryServer.create();
      const redisUrl = `redis://${await redis.getHost()}:${await redis.getPort()}`;
      const root = mkdtempSync(join(tmpdir(), "kyso-bullmq-"));
      sampleDir = join(root, "sample");
      items = generateSample(sampleDir, { documents: 60, seed: 5 });
      const port = await freePort();
      if (backend === "postgres") cluster = await startCluster();
      const databaseUrl = cluster?.database();
      select = databaseUrl ? pgSelect(databaseUrl) : async (sql) => server.db.prepare(sql).all() as Array<Record<string, unknown>>;
      options = {
        ...(databaseUrl ? { databaseUrl } : {}),
        dataDir: join(root, "data"),
        port,
        host: "127.0.0.1",
        trustDirs: [],
        concurrency: 1,
        timeoutMs: 20_000,
        policy: DEFAULT_POLICY,
        maxBodyBytes: 50 << 20,
        redisUrl,
      };
      server = await startServer(options);
      adminKey = (await server.store.access.createKey("admin", "e2e", "test")).key;
      workerKey = (await server.store.access.createKey("ingest", "workers", "test")).key;
      await api(`/api/v1/agencies`, { method: "PUT", headers: { "content-type": "text/csv" }, body: readFileSync(AGENCIES_CSV) });
      const env = { REDIS_URL: redisUrl, KYSO_API_URL: server.url, KYSO_WORKER_KEY: workerKey, KYSO_TRUST_DIRS: SAMPLE_TRUST };
      const doomed = startWorker(env);
      startWorker(env);

      const files = items.filter((i) => i.file);
      const half = Math.floor(files.length / 2);
      for (const item of files.slice(0, half)) expect(await upload(item)).toBe(202);
      // kill one worker as soon as it has started working, then restart the API node mid-run
      for (let i = 0; i < 200 && !logs[0]!.join("").includes("analyzed"); i++) await new Promise((r) => setTimeout(r, 50));
      doomed.kill("SIGKILL");
      await server.close();
      server = await startServer(options);
      for (const item of files.slice(half)) expect(await upload(item)).toBe(202);
      await api(`/api/v1/exchanges`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(items.filter((i) => !i.file).map((i) => i.meta)),
      });
      await server.runner.idle();
    }, 180_000);

    afterAll(async () => {
      // workers close while Redis is still there; a stuck one is killed
      await Promise.all(workers.map(stopChild));
      await server?.close();
      await redis?.stop();
      cluster?.stop();
    });

    describe("the API node and two workers, one killed, the API node restarted", () => {
      it("loses nothing: every document ends done, or failed with a reason", async () => {
        const rows = (await select("SELECT status, failure FROM documents WHERE channel = 'electronic'")) as Array<{ status: string; failure: string | null }>;
        expect(rows).toHaveLength(items.filter((i) => i.file).length);
        for (const r of rows) {
          expect(["done", "failed"]).toContain(r.status);
          if (r.status === "failed") expect(r.failure).toBeTruthy();
        }
      });

      it("records no document twice", async () => {
        const dup = await select("SELECT document_id, count(*) n FROM analyses GROUP BY document_id HAVING count(*) > 1");
        expect(dup).toEqual([]);
      });

      it("gives the figures of the ground truth", async () => {
        const s = await (await api(`/api/v1/stats/summary?from=2024-01-01&to=2024-12-31`)).json();
        const truth: Counted[] = items.map((i) => ({
          category: i.expected.category as Counted["category"],
          counts: i.expected.counts,
          nd30Complete: i.expected.nd30Complete,
          date: i.meta.issuedDate,
          sender: i.meta.sender,
        }));
        const want = figure(truth, DEFAULT_POLICY);
        expect(s.byCategory).toEqual(want.byCategory);
        expect([s.numerator, s.denominator]).toEqual([want.numerator, want.denominator]);
      });

      it("lets only keys with the ingest role fetch PDFs, and reports Redis in readiness and its queues in the metrics", async () => {
        const sha = String((await select("SELECT sha256 FROM documents WHERE sha256 IS NOT NULL LIMIT 1"))[0]!.sha256);
        const blob = (key?: string) => fetch(`${server.url}/api/v1/internal/blobs/${sha}`, key ? { headers: { authorization: `Bearer ${key}` } } : {});
        expect((await blob()).status).toBe(401);
        expect((await blob((await server.store.access.createKey("viewer", "leadership", "test")).key)).status).toBe(403);
        expect((await blob(workerKey)).status).toBe(200);
        expect((await fetch(`${server.url}/readyz`)).status).toBe(200);
        // the backlog and Redis's own queues, for whoever watches the service
        const metrics = await (await fetch(`${server.url}/metrics`)).text();
        expect(metrics).toMatch(/^kyso_queue_depth 0$/m);
        expect(metrics).toMatch(/^kyso_bullmq_jobs\{queue="kyso-analyze",state="waiting"\} 0$/m);
        expect(metrics).toMatch(/^kyso_bullmq_jobs\{queue="kyso-results",state="active"\} \d+$/m);
      });
    });
  });
