// The per-agency table's rules (no DOM): which agencies it shows, what each cell says and sorts by, which
// columns sort as numbers and largest first, and which rows the filters keep.
import type { AgencyFigure } from "./api.js";

/** Columns: rank, code, name, rate, signed / total, gap, sealed by itself. */
export const NUMERIC_COLUMN = (col: number): boolean => col !== 1 && col !== 2;
/** The rate, volume, gap and sealed share sort largest first. */
export const DESCENDING_FIRST = (col: number): boolean => col >= 3;

/** An agency with documents whose rate is below the target. */
export const isBelow = (g: Pick<AgencyFigure, "rate">, target: number): boolean => g.rate !== null && g.rate < target;

/** Each cell's text and the key it sorts by (an agency without a rank last, one without a rate lowest); `rank` is the one shown (sharedRanks). */
export function agencyCells(g: AgencyFigure, rank: number | null, pct: (x: number | null | undefined) => string): Array<[string, string]> {
  const sb = g.sealedBySender;
  const sealed = sb.signedValid ? pct(sb.share) + " (" + sb.bySender + "/" + sb.signedValid + ")" : "–";
  const cells: Array<[string | number, string | number]> = [
    [rank ?? "–", rank ?? 1e9],
    [g.code, g.code],
    [g.name, g.name],
    [pct(g.rate), g.rate ?? -1],
    [g.numerator + " / " + g.denominator, g.denominator],
    [g.gap, g.gap],
    [sealed, sb.share ?? -1],
  ];
  return cells.map(([text, key]) => [String(text), String(key)]);
}

export interface RowFacts {
  text: string;
  tier: string;
  group: string;
  below: boolean;
}
export interface Filter {
  words: string;
  tier: string;
  group: string;
  belowOnly: boolean;
}

/** Whether a row stays: its code and name hold every word typed (Vietnamese case folded), and it is of the tier, group and side of the target chosen. */
export function keepsRow(row: RowFacts, f: Filter): boolean {
  const words = f.words.trim().toLocaleLowerCase("vi").split(/\s+/).filter(Boolean);
  const text = row.text.toLocaleLowerCase("vi");
  return (
    words.every((w) => text.includes(w)) && (f.tier === "" || row.tier === f.tier) && (f.group === "" || row.group === f.group) && (!f.belowOnly || row.below)
  );
}

/** The table's order before any click: the largest gap first (the laggards), by the gap column, descending. */
export const DEFAULT_SORT = { col: 5, dir: -1 } as const;

/**
 * Ranks by rate where equal rates share a rank and the next rank skips as many (1, 2, 2, 4): an agency's
 * rank is one more than the agencies with a higher rate. Rates are compared as fractions (numerator ×
 * other's denominator), so 2/3 and 4/6 are equal; an agency without documents has no rank.
 */
export function sharedRanks(agencies: ReadonlyArray<Pick<AgencyFigure, "code" | "numerator" | "denominator">>): Map<string, number> {
  const rated = agencies.filter((g) => g.denominator > 0);
  const higher = (a: (typeof rated)[number], b: (typeof rated)[number]): boolean => b.numerator * a.denominator > a.numerator * b.denominator;
  return new Map(rated.map((g) => [g.code, 1 + rated.filter((o) => higher(g, o)).length]));
}

export type GapNote = { kind: "none" } | { kind: "reached"; sum: number } | { kind: "add"; sum: number; province: number; surplus: number; rest: number };

/**
 * Why the agencies' gaps do not add up to the province's: an agency above the target has no gap, but its
 * signed documents beyond the target lower the province's (surplus); each agency's gap is rounded up to a
 * whole document, which the province's is once (rest). None when they agree.
 */
export function gapNote(province: { gap: number }, agencies: ReadonlyArray<Pick<AgencyFigure, "gap" | "numerator" | "denominator">>, target: number): GapNote {
  const sum = agencies.reduce((n, g) => n + g.gap, 0);
  if (sum === province.gap) return { kind: "none" };
  if (province.gap === 0) return { kind: "reached", sum };
  const needed = (d: number): number => Math.ceil(Math.round(target * d * 1e9) / 1e9);
  const surplus = agencies.reduce((n, g) => n + Math.max(0, g.numerator - needed(g.denominator)), 0);
  return { kind: "add", sum, province: province.gap, surplus, rest: Math.max(0, sum - province.gap - surplus) };
}
