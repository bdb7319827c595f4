// The per-agency table's rules (no DOM): which agencies it shows, what each cell says and sorts by, which
// columns sort as numbers and largest first, and which rows the filters keep.
import type { AgencyFigure } from "./api.js";

/** Columns: rank, code, name, rate, signed / total, gap, sealed by itself. */
export const NUMERIC_COLUMN = (col: number): boolean => col !== 1 && col !== 2;
/** The rate, volume, gap and sealed share sort largest first. */
export const DESCENDING_FIRST = (col: number): boolean => col >= 3;

/** An agency with documents whose rate is below the target. */
export const isBelow = (g: Pick<AgencyFigure, "rate">, target: number): boolean => g.rate !== null && g.rate < target;

/** Each cell's text and the key it sorts by (an agency without a rank last, one without a rate lowest). */
export function agencyCells(g: AgencyFigure, pct: (x: number | null | undefined) => string): Array<[string, string]> {
  const sb = g.sealedBySender;
  const sealed = sb.signedValid ? pct(sb.share) + " (" + sb.bySender + "/" + sb.signedValid + ")" : "–";
  const cells: Array<[string | number, string | number]> = [[g.rank ?? "–", g.rank ?? 1e9], [g.code, g.code], [g.name, g.name], [pct(g.rate), g.rate ?? -1], [g.numerator + " / " + g.denominator, g.denominator], [g.gap, g.gap], [sealed, sb.share ?? -1]];
  return cells.map(([text, key]) => [String(text), String(key)]);
}

export interface RowFacts { text: string; tier: string; group: string; below: boolean }
export interface Filter { words: string; tier: string; group: string; belowOnly: boolean }

/** Whether a row stays: its code and name hold every word typed (Vietnamese case folded), and it is of the tier, group and side of the target chosen. */
export function keepsRow(row: RowFacts, f: Filter): boolean {
  const words = f.words.trim().toLocaleLowerCase("vi").split(/\s+/).filter(Boolean);
  const text = row.text.toLocaleLowerCase("vi");
  return words.every((w) => text.includes(w)) && (f.tier === "" || row.tier === f.tier) && (f.group === "" || row.group === f.group) && (!f.belowOnly || row.below);
}
