// Statistics from the daily rollup (never the documents table): the province figure, per agency, monthly.
import { figure, monthly, perAgency, trendOf, type CompliancePolicy, type Counted } from "../compliance/index.js";
import type { Category } from "../compliance/index.js";
import type { Db } from "./db.js";
import { listAgencies } from "./documents.js";

export interface Period {
  from: string;
  to: string;
}

function rows(db: Db, p: Period, agency?: string): Counted[] {
  const sql = `SELECT period_date date, sender, category, counts, nd30, n FROM rollup WHERE period_date BETWEEN ? AND ? AND n > 0${agency ? " AND sender = ?" : ""}`;
  const args = agency ? [p.from, p.to, agency] : [p.from, p.to];
  return (db.prepare(sql).all(...args) as Array<{ date: string; sender: string; category: Category; counts: number; nd30: number; n: number }>).map((r) => ({
    date: r.date,
    sender: r.sender,
    category: r.category,
    counts: r.counts === 1,
    nd30Complete: r.nd30 === 1,
    n: r.n,
  }));
}

export function summary(db: Db, p: Period, policy: CompliancePolicy, agency?: string) {
  const items = rows(db, p, agency);
  const f = figure(items, policy);
  const series = monthly(items, p.from, p.to);
  return {
    period: p,
    ...(agency ? { agency } : {}),
    target: policy.target,
    policy,
    denominator: f.denominator,
    numerator: f.numerator,
    rate: f.rate,
    gap: f.gap,
    byCategory: f.byCategory,
    nd30Complete: f.nd30Complete,
    trend: trendOf(series, policy.target),
  };
}

export function agencies(db: Db, p: Period, policy: CompliancePolicy) {
  const names = new Map(listAgencies(db).map((a) => [a.code, a]));
  const administrative = [...names.values()].filter((a) => a.kind === "administrative").map((a) => a.code);
  const figs = perAgency(rows(db, p), administrative, policy);
  return {
    period: p,
    target: policy.target,
    policy,
    agencies: figs.map((a) => ({ code: a.code, name: names.get(a.code)?.name ?? a.code, denominator: a.denominator, numerator: a.numerator, rate: a.rate, gap: a.gap, rank: a.rank })),
  };
}

export function timeseries(db: Db, p: Period, policy: CompliancePolicy, agency?: string) {
  const series = monthly(rows(db, p, agency), p.from, p.to);
  return { period: p, ...(agency ? { agency } : {}), target: policy.target, series, trend: trendOf(series, policy.target) };
}
