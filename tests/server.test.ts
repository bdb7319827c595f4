// What `kyso serve` reads before /readyz answers does not grow with the store (issue 27: a cold start of a
// 500,000-document store spent over a second in the one-time passes alone, each reading the documents
// table whole). Every SELECT the start prepares, up to the first /readyz, is asked of SQLite's planner: a
// scan of the documents or analyses table fails, and the one-time passes must find what they still have
// to do through their partial indexes (migration 26). A store that still needs them gets them all the same.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_POLICY } from "../src/compliance/index.js";
import { startServer, type RunningServer } from "../src/server.js";
import { createKey } from "../src/store/sqlite/keys.js";
import { AGENCIES_CSV, generateSample, SAMPLE_TRUST } from "../fixtures/sample/generate.js";

let root: string;
let dataDir: string;

const start = () =>
  startServer({
    dataDir,
    port: 0,
    host: "127.0.0.1",
    trustDirs: [SAMPLE_TRUST],
    concurrency: 2,
    timeoutMs: 20_000,
    policy: DEFAULT_POLICY,
    maxBodyBytes: 50 * 1024 * 1024,
    publishHeads: null,
  });

/** Every SELECT prepared on any connection of this thread while `run` runs, with its query plan. */
async function startPlans(run: () => Promise<RunningServer>): Promise<{ server: RunningServer; plans: Array<{ sql: string; plan: string[] }> }> {
  const proto = Database.prototype as { prepare: Database.Database["prepare"] };
  const prepare = proto.prepare;
  const seen = new Map<string, Database.Database>();
  proto.prepare = function (this: Database.Database, sql: string) {
    if (/^\s*SELECT/i.test(sql)) seen.set(sql, this);
    return prepare.call(this, sql);
  } as Database.Database["prepare"];
  let server: RunningServer;
  try {
    server = await run();
    expect((await fetch(`${server.url}/readyz`)).status).toBe(200);
  } finally {
    proto.prepare = prepare;
  }
  const plans = [...seen].map(([sql, db]) => ({
    sql,
    plan: (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...placeholders(sql)) as Array<{ detail: string }>).map((r) => r.detail),
  }));
  return { server, plans };
}

/** Values for a statement's parameters (the plan does not depend on them). */
function placeholders(sql: string): unknown[] | [Record<string, string>] {
  const named = [...sql.matchAll(/@(\w+)/g)].map((m) => m[1]!);
  if (named.length) return [Object.fromEntries(named.map((n) => [n, "x"]))];
  return [...sql.matchAll(/\?/g)].map(() => "x");
}

/** A plan step reading the documents or analyses table (or an alias of it) whole. */
const scansTable = (sql: string, detail: string): boolean => {
  const m = /^SCAN (\w+)/.exec(detail);
  if (!m) return false;
  // the newest rows along the key, with nothing to filter or sort: the walk stops at the LIMIT
  if (/^\s*SELECT [\w, ]+ FROM (documents|analyses) ORDER BY [\w, ]+ LIMIT \d+\s*$/i.test(sql)) return false;
  const alias = new RegExp(`\\b(documents|analyses)\\s+(AS\\s+)?${m[1]}\\b`, "i");
  const big = m[1] === "documents" || m[1] === "analyses" || alias.test(sql);
  // a walk of a partial index reads only the rows it holds
  return big && !/USING (COVERING )?INDEX documents_(unanchored|unsealed)\b/.test(detail);
};

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), "kyso-server-start-"));
  dataDir = join(root, "data");
  const items = generateSample(join(root, "sample"), { documents: 3, seed: 11 });
  const server = await start();
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
  await server.close();
}, 120_000);
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe("kyso serve's start-up reads", () => {
  it("scan neither the documents nor the analyses table on the way to /readyz", async () => {
    const { server, plans } = await startPlans(start);
    try {
      const scans = plans.filter((p) => p.plan.some((d) => scansTable(p.sql, d)));
      expect(scans).toEqual([]);
      // the one-time passes look through the indexes that hold only what they still have to do
      const unanchored = plans.find((p) => /facts_logged IS NULL/.test(p.sql));
      const unsealed = plans.find((p) => /seals IS NULL/.test(p.sql));
      expect(unanchored?.plan.join(" | ")).toMatch(/documents_unanchored/);
      expect(unsealed?.plan.join(" | ")).toMatch(/documents_unsealed/);
    } finally {
      await server.close();
    }
  }, 60_000);

  it("still anchors the facts and fills the seals of documents from before they were kept", async () => {
    // as a store from before migrations 7 and 10 holds them
    const raw = new Database(join(dataDir, "kyso.db"));
    const done = (raw.prepare("SELECT id FROM documents WHERE status = 'done' AND category IS NOT NULL").all() as Array<{ id: string }>).map((r) => r.id);
    expect(done.length).toBeGreaterThan(0);
    raw.prepare("UPDATE documents SET facts_logged = NULL, seals = NULL WHERE status = 'done' AND category IS NOT NULL").run();
    raw.close();
    const server = await start();
    try {
      const rows = server.db.prepare(`SELECT id, facts_logged, seals FROM documents WHERE id IN (${done.map(() => "?").join(", ")})`).all(...done) as Array<{
        id: string;
        facts_logged: string | null;
        seals: string | null;
      }>;
      expect(rows).toHaveLength(done.length);
      for (const r of rows) {
        expect(r.facts_logged).not.toBeNull();
        expect(r.seals).not.toBeNull();
      }
    } finally {
      await server.close();
    }
  }, 60_000);
});
