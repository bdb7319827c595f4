// Reads that do not scan (issue 27, point 2): the statements the API runs for the document list (first page
// and the next, a period's in every sort order too), the agencies' held documents and /metrics, asked of
// SQLite's planner. A full scan of the documents or analyses table, or a sort of it, grows with the store
// and fails here.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { DOCUMENT_SORTS } from "../../src/store/document-list/sorts.js";
import { openDb, type Db } from "../../src/store/sqlite/db.js";
import { PERIOD_SORTED_PER_ROW } from "../../src/store/sqlite/document-list.js";
import { createKey } from "../../src/store/sqlite/keys.js";
import { deriveNext } from "../../src/lifecycle/rederive.js";
import { embeddedApp } from "../helpers/embedded-app.js";

/** Every SQL text the app prepares while `run` runs, with its query plan. */
async function plansOf(db: Db, run: () => Promise<unknown>): Promise<Array<{ sql: string; plan: string[] }>> {
  const prepare = db.prepare.bind(db);
  const seen = new Set<string>();
  (db as { prepare: typeof prepare }).prepare = ((sql: string) => (seen.add(sql), prepare(sql))) as typeof prepare;
  try {
    await run();
  } finally {
    (db as { prepare: typeof prepare }).prepare = prepare;
  }
  return [...seen]
    .filter((sql) => /^\s*SELECT/i.test(sql))
    .map((sql) => ({ sql, plan: (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...placeholders(sql)) as Array<{ detail: string }>).map((r) => r.detail) }));
}

/** Values for a statement's parameters (the plan does not depend on them). */
function placeholders(sql: string): unknown[] | [Record<string, string>] {
  const named = [...sql.matchAll(/@(\w+)/g)].map((m) => m[1]!);
  if (named.length) return [Object.fromEntries(named.map((n) => [n, "x"]))];
  return [...sql.matchAll(/\?/g)].map(() => "x");
}

describe("reads that do not scan", () => {
  const db = openDb(mkdtempSync(join(tmpdir(), "kyso-plans-")));
  const key = createKey(db, "viewer", "plans", "test").key;
  const app = embeddedApp(db);
  const get = (path: string) => app.request(path, { headers: { authorization: `Bearer ${key}` } });
  // a bare scan reads the whole table; a sort reads it all before the first row; an index walk in the
  // order asked stops at the page's LIMIT
  const scans = (plans: Array<{ sql: string; plan: string[] }>, table: string) =>
    plans.filter((p) => p.plan.some((d) => d === `SCAN ${table}` || /TEMP B-TREE FOR ORDER BY/.test(d)));

  it("pages the document list along an index, first page and the next, without sorting the table", async () => {
    const plans = await plansOf(db, async () => {
      expect((await get("/api/v1/documents?limit=5")).status).toBe(200);
      expect((await get(`/api/v1/documents?limit=5&cursor=${Buffer.from("2026-12-07T10:00:00.000Z" + "abc").toString("base64url")}`)).status).toBe(200);
    });
    const list = plans.filter((p) => /FROM documents .*ORDER BY created_at DESC, id DESC/.test(p.sql));
    expect(list).toHaveLength(2);
    for (const p of list) expect(p.plan.join(" | ")).toMatch(/documents_created/);
    expect(scans(list, "documents")).toEqual([]);
  });

  it("pages a period's list in every sort order along the order's index, first page and the next, without sorting the period", async () => {
    // two years of five, more documents than a page's rows times PERIOD_SORTED_PER_ROW: walked in the order
    const put = db.prepare(
      `INSERT INTO documents (id, sender, number, received_at, channel, status, between_admin, period_date, created_at, agency, source)
       VALUES (?, ?, ?, ?, 'paper', 'paper', 1, ?, ?, ?, 'register')`,
    );
    db.transaction(() => {
      for (let i = 0; i < 1000; i++) {
        const day = new Date(Date.UTC(2022, 0, 1) + ((i * 7919) % 1826) * 86_400_000).toISOString().slice(0, 10);
        const sender = `H53.${String(i % 40).padStart(2, "0")}`;
        put.run(`plan-${i}`, sender, `${i % 90}/CV`, `${day}T08:00:00.000Z`, day, new Date(Date.UTC(2027, 0, 1) + i * 1000).toISOString(), sender);
      }
    })();
    const period = "from=2023-01-01&to=2024-12-31&limit=5";
    expect((db.prepare("SELECT count(*) n FROM documents WHERE period_date BETWEEN '2023-01-01' AND '2024-12-31'").get() as { n: number }).n).toBeGreaterThan(
      PERIOD_SORTED_PER_ROW * 6,
    );
    const sorts = DOCUMENT_SORTS.filter((s) => s !== "recorded");
    const plans = await plansOf(db, async () => {
      for (const sort of sorts) {
        const first = await get(`/api/v1/documents?${period}&sort=${sort}`);
        expect(first.status).toBe(200);
        expect((await get(`/api/v1/documents?${period}&sort=${sort}&cursor=${((await first.json()) as { next: string }).next}`)).status).toBe(200);
      }
    });
    const list = plans.filter((p) => /FROM documents .*period_date >= \?.*ORDER BY/.test(p.sql) && /sort_k0/.test(p.sql));
    expect(list).toHaveLength(2 * sorts.length);
    for (const p of list) expect(p.plan.join(" | "), p.sql).toMatch(/^(SCAN|SEARCH) documents USING INDEX documents_(received|number|sender|category)_order\b/);
    expect(scans(list, "documents")).toEqual([]);
  });

  it("reads the agencies' held documents through the index of held documents, not the period's", async () => {
    const plans = await plansOf(db, async () => expect((await get("/api/v1/stats/agencies?from=2024-01-01&to=2024-12-31")).status).toBe(200));
    const held = plans.find((p) => /held IS NOT NULL/.test(p.sql) && /GROUP BY agency, held/.test(p.sql))!;
    expect(held.plan.join(" | ")).toMatch(/documents_held/);
  });

  it("answers /metrics without reading the analyses table or walking every document", async () => {
    const plans = await plansOf(db, async () => expect((await app.request("/metrics", { headers: { authorization: `Bearer ${key}` } })).status).toBe(200));
    expect(plans.filter((p) => p.plan.some((d) => /^SCAN (analyses|documents)\b/.test(d)))).toEqual([]);
    expect(plans.some((p) => /document_counts/.test(p.sql))).toBe(true);
  });

  it("takes a background step's queued derivations oldest first along an index, not by sorting the queue", async () => {
    const queue = db.prepare("INSERT INTO pending_derivations (id, queued_at) VALUES (?, ?)");
    for (let i = 0; i < 20; i++) queue.run(`gone-${i}`, `2026-01-01T00:00:${String(i).padStart(2, "0")}Z`);
    const plans = await plansOf(db, async () => expect(deriveNext(db, 5, "test")).toBe("derive"));
    const queued = plans.filter((p) => /pending_derivations/.test(p.sql) && /ORDER BY/i.test(p.sql));
    expect(queued.length).toBeGreaterThan(0);
    expect(scans(queued, "pending_derivations")).toEqual([]);
    db.prepare("DELETE FROM pending_derivations").run();
  });
});
