// What the headline says of the trend (no DOM): a trend only where one was computed (two months or more
// with documents), a projected month worded as a projection, and one already past as missed.
import { monthOf, type PeriodConvention } from "../../compliance/periods.js";

export type Outlook =
  | { kind: "none" } // no trend computed: a month, or fewer than two months with documents
  | { kind: "reached" } // the period's rate is at or above the target
  | { kind: "never" } // below the target and the trend does not reach it
  | { kind: "projected"; month: string } // the trend reaches the target in a month not yet over
  | { kind: "missed"; month: string }; // the trend reached the target in a month already over, and the period did not

/**
 * The outlook of a period's figure: its rate, the target, the trend the API computed and this month
 * (YYYY-MM, the reader's clock) against which a projected month is past or not.
 */
export function outlook(
  rate: number | null,
  target: number,
  trend: { slopePerMonth: number | null; projectedMonth: string | null },
  thisMonth: string,
): Outlook {
  if (trend.slopePerMonth === null) return { kind: "none" };
  if (rate !== null && rate >= target) return { kind: "reached" };
  if (!trend.projectedMonth) return { kind: "never" };
  return trend.projectedMonth < thisMonth ? { kind: "missed", month: trend.projectedMonth } : { kind: "projected", month: trend.projectedMonth };
}

/** YYYY-MM → MM/YYYY */
export const monthText = (ym: string): string => ym.slice(5, 7) + "/" + ym.slice(0, 4);

/** The reader's month as YYYY-MM (local time). */
export const monthOfDate = (d: Date): string => d.getFullYear() + "-" + String(d.getMonth() + 1).padStart(2, "0");

/**
 * The reporting month the reader's day falls in: under Nghị định 09's periods a month closes on the 14th,
 * so from the 15th the projection is judged against the next month (a projected April read on 20 March is
 * the current reporting month, not a month ahead).
 */
export const readerMonth = (d: Date, convention: PeriodConvention): string => monthOf(monthOfDate(d) + "-" + String(d.getDate()).padStart(2, "0"), convention);
