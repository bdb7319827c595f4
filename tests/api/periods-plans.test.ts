// The reporting months of Nghị định 09 stay cheap to read: every statement the figure routes prepare under
// KYSO_REPORTING_PERIODS=nd09 is asked of SQLite's planner; none may scan the documents or the daily
// rollup, and the month sums and the months' probes walk the daily rollup's key by day.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { DEFAULT_POLICY } from "../../src/compliance/index.js";
import { openDb } from "../../src/store/sqlite/db.js";
import { createKey } from "../../src/store/sqlite/keys.js";
import { embeddedApp } from "../helpers/embedded-app.js";

describe("figures by reporting month", () => {
  const db = openDb(mkdtempSync(join(tmpdir(), "kyso-periods-plans-")));
  const key = createKey(db, "viewer", "plans", "test").key;
  const app = embeddedApp(db, { policy: { ...DEFAULT_POLICY, periods: "nd09" } });
  // a few rollup rows, so the probes have something to find
  db.prepare("INSERT INTO rollup_monthly (month, sender, category, n, n_counts, n_nd30, n_sealed) VALUES ('2024-03', 'H53.02', 'unsigned', 2, 0, 0, 0)").run();
  db.prepare(
    "INSERT INTO rollup_daily (period_date, sender, category, n, n_counts, n_nd30, n_sealed) VALUES ('2024-03-14', 'H53.02', 'unsigned', 1, 0, 0, 0), ('2024-03-15', 'H53.02', 'unsigned', 1, 0, 0, 0)",
  ).run();

  it("prepares no statement that scans the documents or the daily rollup", async () => {
    const seen = new Set<string>();
    const prepare = db.prepare.bind(db);
    (db as { prepare: typeof prepare }).prepare = ((sql: string) => (seen.add(sql), prepare(sql))) as typeof prepare;
    try {
      for (const path of [
        "/api/v1/stats/summary?period=2024",
        "/api/v1/stats/summary?period=2024&agency=H53.02",
        "/api/v1/stats/timeseries?period=2024-Q1",
        "/api/v1/stats/agencies?period=2024-03",
        "/api/v1/stats/periods",
      ]) {
        expect((await app.request(path, { headers: { authorization: `Bearer ${key}` } })).status, path).toBe(200);
      }
    } finally {
      (db as { prepare: typeof prepare }).prepare = prepare;
    }
    const plans = [...seen]
      .filter((sql) => /^\s*SELECT/i.test(sql))
      .map((sql) => {
        const args = [...sql.matchAll(/\?/g)].map(() => "2024-03-01");
        const named = Object.fromEntries([...sql.matchAll(/@(\w+)/g)].map((m) => [m[1]!, "2024-03-01"]));
        const detail = (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...(Object.keys(named).length ? [named] : args)) as Array<{ detail: string }>).map(
          (r) => r.detail,
        );
        return { sql, plan: detail.join(" | ") };
      });
    for (const p of plans) expect(p.plan, p.sql).not.toMatch(/\bSCAN (documents|rollup_daily)\b/);
    const sums = plans.filter((p) => /category != 'excluded'/.test(p.sql));
    const probes = plans.filter((p) => /FROM rollup_daily WHERE period_date BETWEEN \? AND \? AND n > 0/.test(p.sql));
    expect(sums.length).toBeGreaterThan(0);
    expect(probes).toHaveLength(1);
    for (const p of [...sums, ...probes]) expect(p.plan, p.sql).toMatch(/SEARCH rollup_daily USING PRIMARY KEY \(period_date>\? AND period_date<\?\)/);
  });

  it("finds the reporting months the days fall in", async () => {
    const r = (await (await app.request("/api/v1/stats/periods", { headers: { authorization: `Bearer ${key}` } })).json()) as { months: string[] };
    expect(r.months).toEqual(["2024-03", "2024-04"]);
  });
});
