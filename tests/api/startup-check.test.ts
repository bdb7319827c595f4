// The start-up check proves what /readyz says (issue 28, point 1): a store altered while the server was
// stopped, in each way the drills tried, starts not ready with the reason, and kyso_store_intact 0; the
// untouched store starts ready, and its full check in the background holds.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_POLICY } from "../../src/compliance/index.js";
import { startServer, type RunningServer } from "../../src/server.js";
import { createKey } from "../../src/store/sqlite/keys.js";
import { appendAudit } from "../../src/store/sqlite/audit.js";
import { openDb } from "../../src/store/sqlite/db.js";
import { createLogKey } from "../../src/log/key.js";
import { Frontier, leafHash } from "../../src/log/merkle.js";
import { AGENCIES_CSV, generateSample, SAMPLE_TRUST } from "../../fixtures/sample/generate.js";
import { rewriteLog } from "../helpers/forge-log.js";

let root: string;
let original: string;

const start = (dataDir: string) =>
  startServer({
    dataDir,
    port: 0,
    host: "127.0.0.1",
    trustDirs: [SAMPLE_TRUST],
    concurrency: 2,
    timeoutMs: 20_000,
    policy: DEFAULT_POLICY,
    maxBodyBytes: 50 * 1024 * 1024,
  });

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), "kyso-startup-check-"));
  original = join(root, "data");
  const items = generateSample(join(root, "sample"), { documents: 12, seed: 5 });
  const server = await start(original);
  const key = createKey(server.db, "admin", "test", "test").key;
  const api = (path: string, init: RequestInit = {}) =>
    fetch(`${server.url}${path}`, { ...init, headers: { ...(init.headers as Record<string, string>), authorization: `Bearer ${key}` } });
  expect((await api("/api/v1/agencies", { method: "PUT", headers: { "content-type": "text/csv" }, body: readFileSync(AGENCIES_CSV) })).status).toBe(200);
  for (const item of items.filter((i) => i.file)) {
    const form = new FormData();
    form.set("file", new Blob([readFileSync(join(root, "sample", item.file!))], { type: "application/pdf" }), "a.pdf");
    for (const [k, v] of Object.entries(item.meta)) form.set(k, v);
    expect((await api("/api/v1/documents", { method: "POST", body: form })).status).toBe(202);
  }
  await server.runner.idle();
  await server.close(); // publishes the final head to data/heads.jsonl
}, 120_000);
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** A copy of the stopped store, altered by `alter` (on the raw database, as someone with the file would). */
function altered(alter: (db: Database.Database, dir: string) => void): string {
  const dir = mkdtempSync(join(root, "case-"));
  cpSync(original, dir, { recursive: true });
  const db = new Database(join(dir, "kyso.db"));
  try {
    alter(db, dir);
  } finally {
    db.close();
  }
  return dir;
}

/** /readyz and kyso_store_intact right after start, and once the background full check has run. */
interface StoreSaid {
  startupCheck: { ok: boolean; entries: number; whole: { from: number; to: number } | null; extends: Array<{ size: number; source: string }> };
  fullCheck: { state: string };
  note?: string;
}

async function startAndAsk(
  dir: string,
): Promise<{ status: number; reason?: string; store: StoreSaid; intact: string; full: { status: number; reason?: string; ok: string; store: StoreSaid } }> {
  const s = await start(dir);
  try {
    const ready = await fetch(`${s.url}/readyz`);
    const body = (await ready.json()) as { reason?: string; store: StoreSaid };
    const intact = /^kyso_store_intact.*$/m.exec(await (await fetch(`${s.url}/metrics`)).text())![0];
    await s.replay.run();
    const after = await fetch(`${s.url}/readyz`);
    const ok = /^kyso_store_full_check_ok.*$/m.exec(await (await fetch(`${s.url}/metrics`)).text())![0];
    return {
      status: ready.status,
      ...(body.reason ? { reason: body.reason } : {}),
      store: body.store,
      intact,
      full: { ...((await after.json()) as { reason?: string; store: StoreSaid }), status: after.status, ok },
    };
  } finally {
    await s.close();
  }
}

const lastSeq = (db: Database.Database) => (db.prepare("SELECT max(seq) n FROM audit_log").get() as { n: number }).n;

describe("the start-up check", () => {
  it("lets the untouched store start ready, and its full check in the background holds", async () => {
    const r = await startAndAsk(altered(() => {}));
    expect(r).toMatchObject({ status: 200, intact: "kyso_store_intact 1", full: { status: 200, ok: "kyso_store_full_check_ok 1" } });
    // a short log is read whole at start; the log extends the published head and the one the server's
    // full check verified (when the fixture's server started) and kept in the store
    const n = r.store.startupCheck.entries;
    expect(r.store.startupCheck).toMatchObject({ ok: true, whole: { from: 1, to: n } });
    expect(r.store.startupCheck.extends).toEqual([
      { size: n, source: expect.stringMatching(/heads\.jsonl \(its newest head\)$/) },
      { size: expect.any(Number), source: expect.stringMatching(/^the store's last full check \(/) },
    ]);
    expect(r.store.note).toBeUndefined();
    expect(r.full.store.fullCheck).toMatchObject({ state: "held", entries: n });
  }, 60_000);

  const cases: Array<[string, (db: Database.Database, dir: string) => void, RegExp]> = [
    [
      "an entry in the middle edited, every later hash recomputed",
      (db) => rewriteLog(db, Math.floor(lastSeq(db) / 2), (d) => ({ ...d, edited: true })),
      /tree root recomputed over the log's \d+ entries is not the one its newest head records/,
    ],
    ["the newest entry edited, its hash recomputed", (db) => rewriteLog(db, lastSeq(db), (d) => ({ ...d, edited: true })), /tree root recomputed/],
    [
      "a document deleted with its log entries",
      (db) => {
        const id = (db.prepare("SELECT document_id FROM audit_log WHERE document_id IS NOT NULL ORDER BY seq LIMIT 1").get() as { document_id: string })
          .document_id;
        for (const sql of [
          "DELETE FROM signatures WHERE analysis_id IN (SELECT id FROM analyses WHERE document_id = ?)",
          "DELETE FROM analyses WHERE document_id = ?",
          "DELETE FROM deliveries WHERE document_id = ?",
          "DELETE FROM document_events WHERE document_id = ?",
          "DELETE FROM audit_log WHERE document_id = ?",
        ])
          db.prepare(sql).run(id);
        db.pragma("foreign_keys = OFF");
        db.prepare("DELETE FROM documents WHERE id = ?").run(id);
      },
      /entry \d+ is missing \(entry \d+ is followed by entry \d+\): entries were deleted/,
    ],
    [
      "the log key replaced and one entry signed with it",
      (db, dir) => {
        db.close(); // the forger runs kyso's own code on the store (closing twice is harmless)
        rmSync(join(dir, "log-key.pem"));
        createLogKey(join(dir, "log-key.pem"));
        const store = openDb(dir);
        store.transaction(() => appendAudit(store, { actor: "forger", action: "policy-change", subject: "x", details: {} }))();
        store.close();
      },
      /introduces log key [0-9a-f]{16}, which no trusted key endorsed/,
    ],
    ["a gap in seq", (db) => db.prepare("DELETE FROM audit_log WHERE seq = 5").run(), /entry 5 is missing/],
    [
      "rows cut from the end, the head moved back, the heads file emptied",
      (db, dir) => {
        const cut = (db.prepare("SELECT max(seq) n FROM audit_log WHERE action IN ('analysis', 'reanalysis')").get() as { n: number }).n;
        db.prepare("DELETE FROM audit_log WHERE seq >= ?").run(cut);
        db.prepare("DELETE FROM audit_tree").run();
        const rows = db.prepare("SELECT seq, hash FROM audit_log ORDER BY seq").all() as Array<{ seq: number; hash: string }>;
        const f = new Frontier();
        for (const r of rows) f.append(leafHash(r.hash));
        db.prepare("UPDATE audit_head SET seq = ?, hash = ?, frontier = ?, tree_size = NULL").run(rows.length, rows[rows.length - 1]!.hash, f.serialize());
        writeFileSync(join(dir, "heads.jsonl"), "");
      },
      /the newest analysis \(\d+, document [^)]+\) has no entry in the log: entries were cut from the log's end/,
    ],
  ];
  for (const [name, alter, reason] of cases) {
    it(`starts not ready, naming why: ${name}`, async () => {
      const r = await startAndAsk(altered(alter));
      expect(r.status).toBe(503);
      expect(r.reason).toMatch(reason);
      expect(r.intact).toMatch(/^kyso_store_intact\{reason=".+"\} 0$/);
      // the full check agrees: the store is still not ready once it has run
      expect(r.full.status).toBe(503);
      expect(r.full.ok).toBe("kyso_store_full_check_ok 0");
    }, 60_000);
  }

  it("turns not ready when only the full check can see it: a category set by hand", async () => {
    const r = await startAndAsk(
      altered((db) =>
        db.prepare("UPDATE documents SET category = 'paper' WHERE id = (SELECT id FROM documents WHERE category = 'signed-valid' LIMIT 1)").run(),
      ),
    );
    expect(r).toMatchObject({ status: 200, intact: "kyso_store_intact 1" });
    expect(r.full).toMatchObject({ status: 503, ok: "kyso_store_full_check_ok 0" });
    expect(r.full.reason).toMatch(/^full check: the figures do not follow from the log: documents .*category is recorded as "paper"/);
  }, 60_000);
});
