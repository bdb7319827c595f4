// The read model on the embedded store: the rollups (whole months from the monthly one, the partial months
// at either end from the daily one), the held documents through their own index, the directory cached
// until it changes.
import type { Category, Counted } from "../../compliance/index.js";
import { wholeMonths } from "../read-model/whole-months.js";
import type { Period, ReadModel } from "../ports.js";
import type { Db } from "./db.js";
import { listAgencies } from "./directory.js";
import { gapDocuments } from "./lifecycle.js";
import { pendingDerivations } from "./derivations.js";

/** Grouped rows for a period: one row per (month, sender, category). */
function counted(db: Db, p: Period, agency?: string): Counted[] {
  const whole = wholeMonths(p);
  const filter = agency ? " AND sender = @agency" : "";
  const parts: string[] = [];
  // the partial months are bounded by dates, so both edges are range scans of the daily key
  const args: Record<string, string> = { from: p.from, to: p.to, ...(agency ? { agency } : {}) };
  if (whole) {
    Object.assign(args, { m1: whole.from, m2: whole.to, m1day: whole.firstDay, afterM2day: whole.dayAfter });
    parts.push(`SELECT month m, sender, category, n, n_counts, n_nd30, n_sealed FROM rollup_monthly WHERE month BETWEEN @m1 AND @m2${filter}`);
    parts.push(
      `SELECT substr(period_date, 1, 7) m, sender, category, n, n_counts, n_nd30, n_sealed FROM rollup_daily WHERE period_date >= @from AND period_date < @m1day${filter}`,
    );
    parts.push(
      `SELECT substr(period_date, 1, 7) m, sender, category, n, n_counts, n_nd30, n_sealed FROM rollup_daily WHERE period_date >= @afterM2day AND period_date <= @to${filter}`,
    );
  } else
    parts.push(
      `SELECT substr(period_date, 1, 7) m, sender, category, n, n_counts, n_nd30, n_sealed FROM rollup_daily WHERE period_date BETWEEN @from AND @to${filter}`,
    );
  const sql = `SELECT m, sender, category, sum(n) n, sum(n_counts) c, sum(n_nd30) d, sum(n_sealed) s FROM (${parts.join(" UNION ALL ")}) GROUP BY m, sender, category HAVING sum(n) > 0`;
  return (db.prepare(sql).all(args) as Array<{ m: string; sender: string; category: Category; n: number; c: number; d: number; s: number }>).map((r) => ({
    date: `${r.m}-01`,
    sender: r.sender,
    category: r.category,
    n: r.n,
    counts: r.c,
    nd30Complete: r.d,
    sealedBySender: r.s,
  }));
}

export function sqliteReadModel(db: Db): ReadModel {
  return {
    counted: async (p, agency) => counted(db, p, agency),
    async sums(ranges, agency) {
      const sum = db.prepare(
        `SELECT coalesce(sum(n), 0) d, coalesce(sum(n_counts), 0) c FROM rollup_daily WHERE period_date BETWEEN ? AND ? AND category != 'excluded'${agency ? " AND sender = ?" : ""}`,
      );
      return ranges.map((r) => {
        const x = sum.get(r.from, r.to, ...(agency ? [agency] : [])) as { d: number; c: number };
        return { denominator: x.d, numerator: x.c };
      });
    },
    // through the index of held documents (few), never the period's or the agencies' (all of them)
    held: async (p) =>
      db
        .prepare(
          "SELECT agency, held, count(*) n FROM documents INDEXED BY documents_held WHERE held IS NOT NULL AND period_date BETWEEN ? AND ? GROUP BY agency, held",
        )
        .all(p.from, p.to) as Array<{ agency: string; held: string; n: number }>,
    agencies: async () => listAgencies(db),
    gapDocuments: async () => gapDocuments(db),
    pendingDerivations: async () => pendingDerivations(db),
    months: async () =>
      (db.prepare("SELECT month FROM rollup_monthly GROUP BY month HAVING sum(n) > 0 ORDER BY month").all() as Array<{ month: string }>).map((r) => r.month),
    async anyIn(ranges) {
      const probe = db.prepare("SELECT 1 FROM rollup_daily WHERE period_date BETWEEN ? AND ? AND n > 0 LIMIT 1");
      return ranges.map((r) => probe.get(r.from, r.to) !== undefined);
    },
    notSealed: async (p) =>
      db
        .prepare(
          "SELECT id, number, period_date periodDate, sender, signer_binding signerBinding FROM documents WHERE period_date BETWEEN ? AND ? AND category IN ('signed-valid', 'signed-valid-not-sender') AND sealed = 0",
        )
        .all(p.from, p.to) as Array<{ id: string; number: string | null; periodDate: string; sender: string; signerBinding: string | null }>,
  };
}
