// How a period splits over the two rollups, the same on every backend: its whole months come from the
// monthly rollup, the days before the first and after the last whole month from the daily one.
import { addMonths } from "../../compliance/index.js";
import type { Period } from "../ports.js";

function isLastDay(date: string): boolean {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.getUTCDate() === 1;
}

/**
 * The period's whole months (YYYY-MM, first and last), the first day of the first one and the first day
 * after the last one; null when the period holds no whole month (all of it from the daily rollup).
 */
export function wholeMonths(p: Period): { from: string; to: string; firstDay: string; dayAfter: string } | null {
  const from = p.from.slice(8) === "01" ? p.from.slice(0, 7) : addMonths(p.from.slice(0, 7), 1);
  const to = isLastDay(p.to) ? p.to.slice(0, 7) : addMonths(p.to.slice(0, 7), -1);
  return from <= to ? { from, to, firstDay: `${from}-01`, dayAfter: `${addMonths(to, 1)}-01` } : null;
}
