// /metrics, /readyz and the pages' header read through the store's Operations and log ports, whichever backend
// gives them: an app whose keys are on the embedded store (where no document is, and whose log holds only the
// keys' entries) and whose operations and log are on PostgreSQL shows PostgreSQL's figures, each equal to a
// count of the seeded rows; the statements a scrape runs walk no documents or analyses; a database that
// stops answering makes the node not ready.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../../src/api/app.js";
import { DEFAULT_POLICY } from "../../src/compliance/index.js";
import { createLogKey } from "../../src/log/key.js";
import { TrustStore } from "../../src/pki/trust-store.js";
import { BlobStore } from "../../src/store/blobs.js";
import { migrate, openPool, type Pool } from "../../src/store/postgres/db.js";
import { postgresLog } from "../../src/store/postgres/log-port.js";
import { postgresOperations } from "../../src/store/postgres/operations.js";
import { openDb } from "../../src/store/sqlite/db.js";
import { createKey } from "../../src/store/sqlite/keys.js";
import { hasPostgres, startCluster, type Cluster } from "../helpers/postgres.js";

const TRUST = TrustStore.empty();
const time = (i: number) => new Date(Date.UTC(2025, 0, 1 + i, 8)).toISOString();
// [status, category, held, trust store of its latest analysis (null: none)]
const DOCS: Array<[string, string | null, string | null, string | null]> = [
  ["queued", null, null, null],
  ["queued", null, null, null],
  ["processing", null, null, null],
  ["done", "signed-valid", null, TRUST.id],
  ["done", "signed-valid", null, TRUST.id],
  ["done", "unsigned", null, "another-store"],
  ["done", null, "directory-gap", "another-store"],
  ["done", null, "revoked", TRUST.id],
  ["failed", null, null, null],
  ["paper", "paper", null, null],
];
const DURATIONS = [1500, 250.5, 99.5, 2000, 150];

interface PlanNode {
  "Relation Name"?: string;
  "Actual Rows": number;
  "Actual Loops": number;
  "Rows Removed by Filter"?: number;
  Plans?: PlanNode[];
}

describe.skipIf(!hasPostgres)("the operations routes on another backend's ports", () => {
  let cluster: Cluster;
  let pool: Pool;
  const dir = mkdtempSync(join(tmpdir(), "kyso-ops-port-"));
  const db = openDb(dir);
  const viewer = createKey(db, "viewer", "ops", "test").key;
  const seen = new Set<string>();
  let app: ReturnType<typeof createApp>;
  let logEntries = 0;

  const appOn = (p: Pool) => {
    // every statement the routes send PostgreSQL, to ask its planner about afterwards
    const watched = { query: (sql: string, args?: unknown[]) => (seen.add(sql), p.query(sql, args)) } as unknown as Pool;
    return createApp({
      db,
      operations: postgresOperations(watched),
      log: postgresLog(watched, createLogKey(join(dir, "pg-log-key.pem"))),
      blobs: new BlobStore(join(dir, "blobs")),
      policy: DEFAULT_POLICY,
      onQueued: () => {},
      trust: () => TRUST,
    });
  };

  beforeAll(async () => {
    cluster = await startCluster();
    pool = openPool(cluster.database(), 2);
    await migrate(pool);
    for (const [i, [status, category, held]] of DOCS.entries())
      await pool.query(
        `INSERT INTO documents (id, sender, received_at, channel, status, between_admin, category, held, period_date, created_at, agency)
         VALUES ($1, '000.00.01.H53', $2, 'electronic', $3, 1, $4, $5, substr($2, 1, 10), $2, '000.00.01.H53')`,
        [`pg-${i}`, time(i), status, category, held],
      );
    let a = 0;
    for (const [i, [, , , store]] of DOCS.entries())
      if (store)
        await pool.query(
          "INSERT INTO analyses (document_id, engine, trust_store, validation_time, duration_ms, report, created_at) VALUES ($1, 'kyso', $2, $3, $4, '{}', $3)",
          [`pg-${i}`, store, time(i), DURATIONS[a++]],
        );
    app = appOn(pool);
    const log = postgresLog(pool, createLogKey(join(dir, "pg-log-key.pem")));
    await log.append([1, 2, 3].map((n) => ({ actor: "test", action: "reverify" as const, subject: `s${n}`, details: { n } })));
    logEntries = (await log.entries(0, 100)).length;
  }, 60_000);
  afterAll(async () => {
    await pool?.end();
    cluster?.stop();
  });

  const count = (f: (d: (typeof DOCS)[number]) => boolean) => DOCS.filter(f).length;

  it("scrapes PostgreSQL's counts, held reasons, queue, log and analysis totals", async () => {
    const text = await (await app.request("/metrics", { headers: { authorization: `Bearer ${viewer}` } })).text();
    const value = (name: string) => Number(new RegExp(`^${name.replace(/[{}"]/g, "\\$&")} (\\S+)$`, "m").exec(text)?.[1]);
    for (const s of ["queued", "processing", "done", "failed", "paper"]) expect(value(`kyso_documents{status="${s}"}`), s).toBe(count((d) => d[0] === s));
    for (const c of ["signed-valid", "unsigned", "paper"]) expect(value(`kyso_documents_by_category{category="${c}"}`), c).toBe(count((d) => d[1] === c));
    expect(value(`kyso_documents_by_category{category="held"}`)).toBe(count((d) => d[2] !== null));
    expect(value(`kyso_documents_by_category{category="pending"}`)).toBe(count((d) => d[1] === null && d[2] === null));
    expect(value(`kyso_documents_held{reason="directory-gap"}`)).toBe(1);
    expect(value(`kyso_documents_held{reason="revoked"}`)).toBe(1);
    expect(value("kyso_queue_depth")).toBe(3);
    expect(logEntries).toBeGreaterThanOrEqual(3);
    expect(value("kyso_audit_entries")).toBe(logEntries); // the embedded store's log holds only the key's entry
    expect(value("kyso_analysis_duration_seconds_count")).toBe(DURATIONS.length);
    expect(value("kyso_analysis_duration_seconds_sum")).toBe(DURATIONS.reduce((s, d) => s + d, 0) / 1000);
  });

  it("is ready with the trust stores PostgreSQL's reports were made under", async () => {
    const r = await app.request("/readyz");
    expect(r.status).toBe(200);
    const body = (await r.json()) as { status: string; trust: { reports: { thisStore: number; otherStores: number }; others: unknown[]; warning: string } };
    expect(body.status).toBe("ready");
    expect(body.trust.reports).toEqual({ thisStore: count((d) => d[3] === TRUST.id), otherStores: count((d) => d[3] === "another-store") });
    expect(body.trust.others).toEqual([{ trustStore: "another-store", documents: 2 }]);
    expect(body.trust.warning).toMatch(/^2 stored reports were made under another trust store/);
  });

  it("dates the pages' header by PostgreSQL's newest document or analysis", async () => {
    const html = await (await app.request("/dashboard")).text();
    expect(/<span id="kyso-as-of">[^<]*<time datetime="([^"]+)"/.exec(html)?.[1]).toBe(time(DOCS.length - 1));
  });

  it("runs no statement for a scrape, the readiness or a page that walks the documents or analyses", async () => {
    expect(seen.size).toBeGreaterThan(3);
    const c = await pool.connect();
    // the rows each plan node read of a table (those it kept and those its filters dropped), over its loops
    const read = (node: PlanNode, table: string): number =>
      (node["Relation Name"] === table ? (node["Actual Rows"] + (node["Rows Removed by Filter"] ?? 0)) * node["Actual Loops"] : 0) +
      (node.Plans ?? []).reduce((n, p) => n + read(p, table), 0);
    try {
      // with sequential scans priced out, the planner takes an index wherever one serves
      await c.query("SET enable_seqscan = off");
      for (const sql of [...seen].filter((s) => /^\s*SELECT/i.test(s) && !/\$\d/.test(s))) {
        const [plan] = (await c.query<{ "QUERY PLAN": Array<{ Plan: PlanNode }> }>(`EXPLAIN (ANALYZE, FORMAT JSON) ${sql}`)).rows[0]!["QUERY PLAN"];
        // at most the held documents (read by their partial index) and one newest row: never all ten, nor all analyses
        expect(read(plan!.Plan, "documents"), sql).toBeLessThanOrEqual(count((d) => d[2] !== null));
        expect(read(plan!.Plan, "analyses"), sql).toBeLessThanOrEqual(1);
      }
    } finally {
      c.release();
    }
  });

  it("is not ready when the database does not answer", async () => {
    const gone = openPool(cluster.database(), 1);
    await gone.end();
    const r = await appOn(gone).request("/readyz");
    expect(r.status).toBe(503);
    expect(((await r.json()) as { reason: string }).reason).toMatch(/^database: /);
  });
});
