// The embedded runner across stops and restarts: stopping records what is in flight (nothing is left
// `processing`), a restart on the same data folder analyzes what was still queued, a document a crashed
// process left `processing` is taken again, and no document is ever analyzed twice.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_POLICY } from "../../src/compliance/index.js";
import { openDb } from "../../src/store/sqlite/db.js";
import { createKey } from "../../src/store/sqlite/keys.js";
import { startServer, type RunningServer, type ServerOptions } from "../../src/server.js";
import { captureStderr } from "../helpers/stderr.js";
import { AGENCIES_CSV, generateSample, SAMPLE_TRUST, type SampleItem } from "../../fixtures/sample/generate.js";

describe("embedded runner: stop, restart, resume", () => {
  let root = "";
  let options: ServerOptions;
  let items: SampleItem[] = [];
  let server: RunningServer | null = null;

  const statuses = (s: RunningServer) =>
    (s.db.prepare("SELECT status, count(*) n FROM documents GROUP BY status").all() as Array<{ status: string; n: number }>).reduce<Record<string, number>>(
      (o, r) => ({ ...o, [r.status]: r.n }),
      {},
    );
  const analysesPerDocument = (s: RunningServer) => s.db.prepare("SELECT document_id, count(*) n FROM analyses GROUP BY document_id HAVING n > 1").all();

  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), "kyso-embedded-"));
    items = generateSample(join(root, "sample"), { documents: 30, seed: 41 })
      .filter((i) => i.file)
      .slice(0, 12);
    options = {
      dataDir: join(root, "data"),
      port: 0,
      host: "127.0.0.1",
      trustDirs: [SAMPLE_TRUST],
      concurrency: 1,
      timeoutMs: 20_000,
      policy: DEFAULT_POLICY,
      maxBodyBytes: 50 << 20,
    };
  });

  afterAll(async () => {
    await server?.close();
    rmSync(root, { recursive: true, force: true });
  });

  it("records the document in flight when stopped, leaves the rest queued, and finishes them after a restart", async () => {
    server = await startServer(options);
    const key = createKey(server.db, "admin", "it", "test").key;
    await fetch(`${server.url}/api/v1/agencies`, {
      method: "PUT",
      headers: { "content-type": "text/csv", authorization: `Bearer ${key}` },
      body: readFileSync(AGENCIES_CSV),
    });
    const upload = async (item: SampleItem): Promise<number> => {
      const form = new FormData();
      form.set("file", new Blob([readFileSync(join(root, "sample", item.file!))], { type: "application/pdf" }), "doc.pdf");
      for (const [k, v] of Object.entries(item.meta)) form.set(k, v);
      return (await fetch(`${server!.url}/api/v1/documents`, { method: "POST", body: form, headers: { authorization: `Bearer ${key}` } })).status;
    };
    expect(await Promise.all(items.map(upload))).toEqual(items.map(() => 202));
    // stop while the one thread is busy: what it has is recorded, nothing stays `processing`
    await server.close();
    // the store as the stop left it (a start would put `processing` documents back in the queue)
    const db = openDb(options.dataDir);
    const after = statuses({ db } as RunningServer);
    db.close();
    const reopened = await startServer({ ...options, concurrency: 0 }); // a store without analysis threads
    expect(after.processing ?? 0).toBe(0);
    expect((after.done ?? 0) + (after.queued ?? 0)).toBe(items.length);
    expect(after.queued ?? 0).toBeGreaterThan(0);
    expect((reopened.db.prepare("SELECT count(*) n FROM analyses").get() as { n: number }).n).toBe(after.done ?? 0);
    // a process that died mid-analysis leaves its document `processing`: the next start takes it again
    const victim = reopened.db.prepare("SELECT id FROM documents WHERE status = 'queued' LIMIT 1").get() as { id: string };
    reopened.db.prepare("UPDATE documents SET status = 'processing' WHERE id = ?").run(victim.id);
    await reopened.close();

    server = await startServer(options);
    await server.runner.idle();
    expect(statuses(server)).toEqual({ done: items.length });
    expect(analysesPerDocument(server)).toEqual([]);
    expect((server.db.prepare("SELECT count(*) n FROM analyses").get() as { n: number }).n).toBe(items.length);
  }, 60_000);

  it("keeps analyzing when the store refuses a write for a while, losing nothing", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "kyso-embedded-refuse-"));
    const opts = { ...options, dataDir };
    let live = await startServer(opts);
    const key = createKey(live.db, "admin", "it", "test").key;
    await fetch(`${live.url}/api/v1/agencies`, {
      method: "PUT",
      headers: { "content-type": "text/csv", authorization: `Bearer ${key}` },
      body: readFileSync(AGENCIES_CSV),
    });
    const stderr = captureStderr();
    try {
      const upload = async (item: SampleItem): Promise<number> => {
        const form = new FormData();
        form.set("file", new Blob([readFileSync(join(root, "sample", item.file!))], { type: "application/pdf" }), "doc.pdf");
        for (const [k, v] of Object.entries(item.meta)) form.set(k, v);
        return (await fetch(`${live.url}/api/v1/documents`, { method: "POST", body: form, headers: { authorization: `Bearer ${key}` } })).status;
      };
      expect(await Promise.all(items.map(upload))).toEqual(items.map(() => 202));
      // the store turns read-only under the runner (a full disk behaves alike)
      live.db.pragma("query_only = ON");
      for (let i = 0; i < 100 && !stderr.text().includes("kyso: "); i++) await new Promise((r) => setTimeout(r, 20));
      await new Promise((r) => setTimeout(r, 300));
      live.db.pragma("query_only = OFF");
      expect(stderr.text()).toMatch(/kyso: (recording document \S+ failed .*it will be analyzed again|taking the next document from the store failed)/);
      await live.close();
      live = await startServer(opts); // documents left `processing` go back to the queue
      await live.runner.idle();
      expect(statuses(live)).toEqual({ done: items.length });
      expect(analysesPerDocument(live)).toEqual([]);
    } finally {
      stderr.restore();
      await live.close();
    }
  }, 60_000);
});
