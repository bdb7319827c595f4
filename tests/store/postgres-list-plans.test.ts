// A period's document list in each sort order on PostgreSQL (issue 27, point 2): with 40,000 documents over
// five years and the table's statistics (ANALYZE), the planner walks a year's pages along the order's index
// (migration 0005), the period an index condition, and sorts nothing, first page and the next (the
// cursor's keys an index condition too); one day's documents it reads by the period's index and sorts.
// The plans are PostgreSQL's EXPLAIN of the very statements the list runs, with their values.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DOCUMENT_SORTS, type DocumentSort } from "../../src/store/document-list/sorts.js";
import { migrate, openPool, type Pool } from "../../src/store/postgres/db.js";
import { postgresDocumentReads } from "../../src/store/postgres/document-reads.js";
import { hasPostgres, startCluster, type Cluster } from "../helpers/postgres.js";

const N = 40_000;
const SORTS = DOCUMENT_SORTS.filter((s) => s !== "recorded");
const ORDER_INDEX = (sort: DocumentSort) => `documents_${sort.split("-")[0]}_order`;

describe.skipIf(!hasPostgres)("a period's document list in each sort order on PostgreSQL", () => {
  let cluster: Cluster;
  let pool: Pool;
  beforeAll(async () => {
    cluster = await startCluster();
    pool = openPool(cluster.database(), 2);
    await migrate(pool);
    // written in one statement with the triggers off (the figures and the text index are not what is
    // planned here; the test cluster's user is its superuser): a document a day spread over five years
    // unlike the order recorded, numbers repeating, every fifth without one, four categories
    const c = await pool.connect();
    try {
      await c.query("SET session_replication_role = replica");
      await c.query(
        `INSERT INTO documents (id, sender, number, received_at, channel, status, between_admin, period_date, created_at, agency, source, category)
         SELECT 'doc-' || lpad(i::text, 6, '0'), s, CASE WHEN i % 5 = 0 THEN NULL ELSE ((i * 31) % 4000 + 1) || '/BC' END,
                d || 'T08:' || lpad((i % 60)::text, 2, '0') || ':00.000Z', 'paper', 'done', 1, d,
                to_char(timestamp '2027-01-01' + i * interval '1 second', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'), s, 'register',
                (ARRAY['signed-valid', 'unsigned', 'paper', NULL])[i % 4 + 1]
           FROM (SELECT i, 'H53.' || lpad((i % 40 + 1)::text, 2, '0') s, to_char(date '2022-01-01' + (i * 7919) % 1826, 'YYYY-MM-DD') d
                   FROM generate_series(0, $1 - 1) i) x`,
        [N],
      );
    } finally {
      await c.query("RESET session_replication_role");
      c.release();
    }
    await pool.query("ANALYZE documents");
  }, 120_000);
  afterAll(async () => {
    await pool?.end();
    cluster?.stop();
  });

  /** The plans of the list's statements (those selecting the sort's keys) while `run` runs, each as EXPLAIN gives it. */
  async function plansOf(run: (reads: ReturnType<typeof postgresDocumentReads>) => Promise<void>): Promise<string[]> {
    const plans: string[] = [];
    const spy = {
      async query(sql: string, values: unknown[]) {
        if (/sort_k0/.test(sql)) plans.push((await pool.query<{ "QUERY PLAN": string }>(`EXPLAIN ${sql}`, values)).rows.map((r) => r["QUERY PLAN"]).join("\n"));
        return pool.query(sql, values);
      },
    } as unknown as Pool;
    await run(postgresDocumentReads(spy));
    return plans;
  }

  it("walks a year's pages along the order's index, first page and the next, sorting nothing", async () => {
    const filter = { from: "2024-01-01", to: "2024-12-31" };
    const plans = await plansOf(async (reads) => {
      for (const sort of SORTS) {
        const first = await reads.list({ filter, sort, limit: 100 });
        expect(first.page, sort).toHaveLength(100);
        await reads.list({ filter, sort, limit: 100, cursor: first.next! });
      }
    });
    expect(plans).toHaveLength(2 * SORTS.length);
    for (const [i, plan] of plans.entries()) {
      const sort = SORTS[Math.floor(i / 2)]!;
      expect(plan, sort).toMatch(new RegExp(`Index Scan (Backward )?using ${ORDER_INDEX(sort)} on documents`));
      expect(plan, sort).toMatch(/Index Cond: .*period_date/);
      // the next page seeks the cursor's keys in the index
      if (i % 2) expect(plan, sort).toMatch(/Index Cond: \(\(ROW\(/);
      expect(plan, sort).not.toMatch(/Sort/);
    }
  });

  it("reads one day's documents by the period's index and sorts only those", async () => {
    const plans = await plansOf(async (reads) => {
      for (const sort of SORTS) await reads.list({ filter: { from: "2024-06-15", to: "2024-06-15" }, sort, limit: 100 });
    });
    expect(plans).toHaveLength(SORTS.length);
    // by the period's index, walked (an index scan) or gathered first (a bitmap of its entries), as the
    // planner's statistics of the day's rows tip it: either way only the day's rows, never the order's index
    for (const plan of plans) {
      expect(plan).toMatch(/(Index (Only )?Scan using|Bitmap Index Scan on) documents_period(_recorded)?( on documents)?/);
      expect(plan).not.toMatch(/_order/);
    }
  });
});
