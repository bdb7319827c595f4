// The read model on PostgreSQL: the same rollups as the embedded store (kept by triggers in the writing
// transaction), whole months from the monthly one and the partial months at either end from the daily one.
import type { Category, Counted } from "../../compliance/index.js";
import { wholeMonths } from "../read-model/whole-months.js";
import { agencyOfRow, type AgencyRow } from "../rows.js";
import type { Period, ReadModel } from "../ports.js";
import type { Pool } from "./db.js";

const COLUMNS = "sender, category, n, n_counts, n_nd30, n_sealed";

async function counted(pool: Pool, p: Period, agency?: string): Promise<Counted[]> {
  const whole = wholeMonths(p);
  const args: string[] = [];
  const arg = (v: string): string => (args.push(v), `$${args.length}`);
  const filter = agency ? ` AND sender = ${arg(agency)}` : "";
  const daily = (lo: string, hi: string) =>
    `SELECT substr(period_date, 1, 7) m, ${COLUMNS} FROM rollup_daily WHERE period_date ${lo} AND period_date ${hi}${filter}`;
  const parts = whole
    ? [
        `SELECT month m, ${COLUMNS} FROM rollup_monthly WHERE month BETWEEN ${arg(whole.from)} AND ${arg(whole.to)}${filter}`,
        daily(`>= ${arg(p.from)}`, `< ${arg(whole.firstDay)}`),
        daily(`>= ${arg(whole.dayAfter)}`, `<= ${arg(p.to)}`),
      ]
    : [daily(`>= ${arg(p.from)}`, `<= ${arg(p.to)}`)];
  const sql = `SELECT m, sender, category, sum(n)::int n, sum(n_counts)::int c, sum(n_nd30)::int d, sum(n_sealed)::int s FROM (${parts.join(" UNION ALL ")}) x GROUP BY m, sender, category HAVING sum(n) > 0`;
  const rows = (await pool.query<{ m: string; sender: string; category: Category; n: number; c: number; d: number; s: number }>(sql, args)).rows;
  return rows.map((r) => ({ date: `${r.m}-01`, sender: r.sender, category: r.category, n: r.n, counts: r.c, nd30Complete: r.d, sealedBySender: r.s }));
}

export function postgresReadModel(pool: Pool): ReadModel {
  return {
    counted: (p, agency) => counted(pool, p, agency),
    async sums(ranges, agency) {
      if (!ranges.length) return [];
      // every range in one statement: one round trip for a year of months
      const r = await pool.query<{ i: number; d: number; c: number }>(
        `SELECT w.i, coalesce(sum(r.n), 0)::int d, coalesce(sum(r.n_counts), 0)::int c
           FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS w(lo, hi, i)
           LEFT JOIN rollup_daily r ON r.period_date BETWEEN w.lo AND w.hi AND r.category != 'excluded'${agency ? " AND r.sender = $3" : ""}
          GROUP BY w.i ORDER BY w.i`,
        [ranges.map((x) => x.from), ranges.map((x) => x.to), ...(agency ? [agency] : [])],
      );
      return r.rows.map((x) => ({ denominator: x.d, numerator: x.c }));
    },
    held: async (p) =>
      (
        await pool.query<{ agency: string; held: string; n: number }>(
          "SELECT agency, held, count(*)::int n FROM documents WHERE held IS NOT NULL AND period_date BETWEEN $1 AND $2 GROUP BY agency, held",
          [p.from, p.to],
        )
      ).rows,
    agencies: async () =>
      (
        await pool.query<AgencyRow>(
          'SELECT code, name, parent, kind, aliases, valid_from, valid_to, successor, signer_names, certificates FROM agencies ORDER BY code COLLATE "C"',
        )
      ).rows.map(agencyOfRow),
    gapDocuments: async () =>
      (
        await pool.query<{ sender: string; received_at: string; recipients: string[] }>(
          `SELECT d.sender, d.received_at, coalesce(array_agg(v.recipient ORDER BY v.recipient COLLATE "C") FILTER (WHERE v.recipient IS NOT NULL), '{}') recipients
             FROM documents d LEFT JOIN deliveries v ON v.document_id = d.id WHERE d.held = 'directory-gap' GROUP BY d.id, d.sender, d.received_at`,
        )
      ).rows.map((r) => ({ sender: r.sender, receivedAt: r.received_at, recipients: r.recipients })),
    // the queue a directory change filled (and one for each change whose documents are still being found), and what the open policy changes have still to walk (never below one while one is open)
    pendingDerivations: async () =>
      (
        await pool.query<{ n: number }>(
          "SELECT ((SELECT count(*) FROM pending_derivations) + (SELECT count(*) FROM derivation_requests) + (SELECT coalesce(sum(greatest(total - done, 1)), 0) FROM policy_requests))::int n",
        )
      ).rows[0]!.n,
    months: async () =>
      (await pool.query<{ month: string }>("SELECT month FROM rollup_monthly GROUP BY month HAVING sum(n) > 0 ORDER BY month")).rows.map((r) => r.month),
    async anyIn(ranges) {
      if (!ranges.length) return [];
      const r = await pool.query<{ found: boolean }>(
        `SELECT EXISTS (SELECT 1 FROM rollup_daily r WHERE r.period_date BETWEEN w.lo AND w.hi AND r.n > 0) found
           FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS w(lo, hi, i) ORDER BY w.i`,
        [ranges.map((x) => x.from), ranges.map((x) => x.to)],
      );
      return r.rows.map((x) => x.found);
    },
    notSealed: async (p) =>
      (
        await pool.query<{ id: string; number: string | null; periodDate: string; sender: string; signerBinding: string | null }>(
          `SELECT id, number, period_date "periodDate", sender, signer_binding "signerBinding" FROM documents
            WHERE period_date BETWEEN $1 AND $2 AND category IN ('signed-valid', 'signed-valid-not-sender') AND sealed = 0`,
          [p.from, p.to],
        )
      ).rows,
  };
}
