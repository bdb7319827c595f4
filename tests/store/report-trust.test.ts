// The counts of current reports by trust store (migration report-trust-stores, issue 25 point 6): filled
// from a store's existing analyses when the migration runs (only each document's latest counts), then kept
// by the trigger as analyses are added.
import { mkdtempSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { SQLITE_MIGRATIONS_DIR, sqliteMigrations } from "../../src/store/sqlite/migrations.js";
import { reportTrustStores } from "../../src/store/sqlite/report-trust.js";
import { openDb } from "../../src/store/sqlite/db.js";
import { embeddedApp } from "../helpers/embedded-app.js";

describe("report_trust_stores", () => {
  it("counts each document once, by its latest analysis, from before the migration and after it", () => {
    const steps = sqliteMigrations();
    const at = readdirSync(SQLITE_MIGRATIONS_DIR)
      .filter((n) => n.endsWith(".sql"))
      .sort()
      .findIndex((n) => /-report-trust-stores\.sql$/.test(n));
    expect(at).toBeGreaterThan(0);
    // a store as it was before the migration: the table and its trigger gone, analyses added meanwhile
    const db = openDb(mkdtempSync(join(tmpdir(), "kyso-trust-counts-")));
    db.exec("DROP TRIGGER report_trust_stores_insert; DROP TABLE report_trust_stores;");
    db.pragma("foreign_keys = OFF");
    const analysis = db.prepare(
      "INSERT INTO analyses (document_id, engine, trust_store, validation_time, duration_ms, report, created_at) VALUES (?, 'kyso', ?, '', 1, '{}', '')",
    );
    // a: analysed under A, then B; b: under A; c: under B
    for (const [doc, store] of [
      ["a", "A"],
      ["b", "A"],
      ["a", "B"],
      ["c", "B"],
    ])
      analysis.run(doc, store);
    db.exec(steps[at]!);
    const counts = () => reportTrustStores(db);
    expect(counts()).toEqual([
      { trustStore: "B", documents: 2 },
      { trustStore: "A", documents: 1 },
    ]);
    // b analysed again under B, d for the first time under A, c again under B (no change)
    for (const [doc, store] of [
      ["b", "B"],
      ["d", "A"],
      ["c", "B"],
    ])
      analysis.run(doc, store);
    expect(counts()).toEqual([
      { trustStore: "B", documents: 3 },
      { trustStore: "A", documents: 1 },
    ]);
  });
});

describe("/readyz's trust counts", () => {
  it("are read from the kept counts, never by walking the analyses or the documents", async () => {
    const db = openDb(mkdtempSync(join(tmpdir(), "kyso-trust-plans-")));
    const app = embeddedApp(db);
    const prepare = db.prepare.bind(db);
    const seen: string[] = [];
    (db as { prepare: typeof prepare }).prepare = ((sql: string) => (seen.push(sql), prepare(sql))) as typeof prepare;
    try {
      const r = await app.request("/readyz");
      expect(r.status).toBe(200);
      expect(((await r.json()) as { trust: { reports: unknown } }).trust.reports).toEqual({ thisStore: 0, otherStores: 0 });
    } finally {
      (db as { prepare: typeof prepare }).prepare = prepare;
    }
    const plans = seen
      .filter((sql) => /^\s*SELECT/i.test(sql))
      .flatMap((sql) => (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all() as Array<{ detail: string }>).map((p) => p.detail));
    expect(seen.some((sql) => /report_trust_stores/.test(sql))).toBe(true);
    expect(plans.filter((d) => /^SCAN (analyses|documents)\b/.test(d))).toEqual([]);
  });
});
