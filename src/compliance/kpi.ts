// The province's figure (DESIGN.md §4.3, §4.6): rate = numerator / denominator, where the denominator is
// every categorized document but the excluded ones; gap = documents still missing to reach the target.
import { CATEGORIES, type Category } from "./category.js";
import type { CompliancePolicy } from "./policy.js";
import { linearTrend, type Trend } from "./trend.js";

export interface Counted {
  /** how many documents this stands for (a rollup row), 1 when absent */
  n?: number;
  category: Category;
  /** in the numerator under the policy (for a rollup row: how many of its n are) */
  counts: boolean | number;
  nd30Complete: boolean | number;
  /** YYYY-MM-DD: issuedDate, else the date received */
  date: string;
  sender: string;
  /** sealed by its sender's own organisation signature (issue 24); for a rollup row, how many */
  sealedBySender?: boolean | number;
}

/** A flag stands for all of the row's documents or none; a number says how many. */
function weight(flag: boolean | number, w: number): number {
  return typeof flag === "number" ? flag : flag ? w : 0;
}

export interface Figure {
  denominator: number;
  numerator: number;
  rate: number | null;
  gap: number;
  byCategory: Record<Category, number>;
  nd30Complete: number;
  /** of the documents with a valid signature (signed-valid, and signed-valid-not-sender under the policy),
   * how many carry their sender's own seal, and that share (null with none) */
  sealedBySender: { signedValid: number; bySender: number; share: number | null };
}

export function figure(items: Iterable<Counted>, policy: CompliancePolicy): Figure {
  const byCategory = Object.fromEntries(CATEGORIES.map((c) => [c, 0])) as Record<Category, number>;
  let numerator = 0;
  let nd30Complete = 0;
  let bySender = 0;
  for (const it of items) {
    const w = it.n ?? 1;
    byCategory[it.category] += w;
    if (it.category === "excluded") continue;
    numerator += weight(it.counts, w);
    if (it.category === "signed-valid") nd30Complete += weight(it.nd30Complete, w);
    if (it.category === "signed-valid" || it.category === "signed-valid-not-sender") bySender += weight(it.sealedBySender ?? false, w);
  }
  const denominator = CATEGORIES.filter((c) => c !== "excluded").reduce((n, c) => n + byCategory[c], 0);
  const signedValid = byCategory["signed-valid"] + byCategory["signed-valid-not-sender"];
  return {
    denominator,
    numerator,
    rate: denominator ? numerator / denominator : null,
    gap: gapOf(policy.target, denominator, numerator),
    byCategory,
    nd30Complete,
    sealedBySender: { signedValid, bySender, share: signedValid ? bySender / signedValid : null },
  };
}

/** ceil(target × denominator) − numerator, never below zero (a period above target misses nothing). */
export function gapOf(target: number, denominator: number, numerator: number): number {
  // round first so 0.9 × 10 is 9, not 9.000000000000002 → 10
  const needed = Math.ceil(Math.round(target * denominator * 1e9) / 1e9);
  return Math.max(0, needed - numerator);
}

export interface MonthPoint {
  month: string;
  denominator: number;
  numerator: number;
  rate: number | null;
}

/** Monthly series over [from, to] (every month present, empty ones with a null rate). */
export function monthly(items: Iterable<Counted>, from: string, to: string): MonthPoint[] {
  const months = monthsBetween(from, to);
  const acc = new Map(months.map((m) => [m, { d: 0, n: 0 }]));
  for (const it of items) {
    if (it.category === "excluded") continue;
    const a = acc.get(it.date.slice(0, 7));
    if (!a) continue;
    const w = it.n ?? 1;
    a.d += w;
    a.n += weight(it.counts, w);
  }
  return months.map((m) => {
    const a = acc.get(m)!;
    return { month: m, denominator: a.d, numerator: a.n, rate: a.d ? a.n / a.d : null };
  });
}

export function monthsBetween(from: string, to: string): string[] {
  const out: string[] = [];
  let y = Number(from.slice(0, 4));
  let m = Number(from.slice(5, 7));
  const ey = Number(to.slice(0, 4));
  const em = Number(to.slice(5, 7));
  while ((y < ey || (y === ey && m <= em)) && out.length < 1200) {
    out.push(`${y}-${String(m).padStart(2, "0")}`);
    if (++m > 12) {
      m = 1;
      y++;
    }
  }
  return out;
}

export interface AgencyFigure extends Figure {
  code: string;
  rank: number | null;
}

/** Per-agency figures (by sender), ranked by rate (equal rates share a rank), listed by volume within a rank; agencies with nothing are unranked. */
export function perAgency(items: Iterable<Counted>, agencies: string[], policy: CompliancePolicy): AgencyFigure[] {
  const groups = new Map<string, Counted[]>(agencies.map((a) => [a, []]));
  for (const it of items) {
    const g = groups.get(it.sender);
    if (g) g.push(it);
    else groups.set(it.sender, [it]);
  }
  const figs = [...groups].map(([code, list]) => ({ code, ...figure(list, policy), rank: null as number | null }));
  const ranked = figs.filter((f) => f.rate !== null).sort((a, b) => b.rate! - a.rate! || b.denominator - a.denominator || a.code.localeCompare(b.code));
  // equal rates share a rank (1, 2, 2, 4), as the dashboard, the CSV and leadership's report show them;
  // rates compared as fractions, so 1/3 and 2/6 are equal whatever the floating point says
  ranked.forEach((f, i) => {
    const prev = ranked[i - 1];
    f.rank = prev && f.numerator * prev.denominator === prev.numerator * f.denominator ? prev.rank : i + 1;
  });
  return [...ranked, ...figs.filter((f) => f.rate === null).sort((a, b) => a.code.localeCompare(b.code))];
}

export function trendOf(series: MonthPoint[], target: number): Trend {
  return linearTrend(series, target);
}
