// The periods a figure is bounded by (issue 25, point 8), under one of two conventions:
// - calendar: months, quarters and years as the calendar has them;
// - nd09: the reporting periods of Nghị định 09/2019/NĐ-CP Điều 12, where figures close on the 14th:
//   reporting month M runs from the 15th of M−1 to the 14th of M, a quarter from the 15th of the month
//   before its first to the 14th of its last, year Y from 15 December of Y−1 to 14 December of Y.
// Days are YYYY-MM-DD and bounds inclusive, as every figure's `period` is.
import { addMonths } from "./trend.js";

export const PERIOD_CONVENTIONS = ["calendar", "nd09"] as const;
export type PeriodConvention = (typeof PERIOD_CONVENTIONS)[number];

export type PeriodKind = "month" | "quarter" | "year";

export interface Bounds {
  from: string;
  to: string;
}

/** A month (2024-11), a quarter (2024-Q4) or a year (2024), and its days under a convention. */
export interface NamedPeriod extends Bounds {
  kind: PeriodKind;
  key: string;
  convention: PeriodConvention;
}

/** Under nd09 a reporting month's figures close on this day. */
const CLOSING_DAY = 14;
const pad = (n: number): string => String(n).padStart(2, "0");

function lastDayOf(month: string): string {
  const d = new Date(`${addMonths(month, 1)}-01T00:00:00Z`);
  d.setUTCDate(0);
  return d.toISOString().slice(0, 10);
}

/** The days of reporting month `month` (YYYY-MM). */
export function monthBounds(month: string, c: PeriodConvention): Bounds {
  if (c === "calendar") return { from: `${month}-01`, to: lastDayOf(month) };
  return { from: `${addMonths(month, -1)}-${pad(CLOSING_DAY + 1)}`, to: `${month}-${pad(CLOSING_DAY)}` };
}

/** From the first day of reporting month `first` to the last of `last`. */
function spanBounds(first: string, last: string, c: PeriodConvention): Bounds {
  return { from: monthBounds(first, c).from, to: monthBounds(last, c).to };
}

/** The reporting month a day falls in: under nd09 the 15th and after belong to the next month. */
export function monthOf(day: string, c: PeriodConvention): string {
  const month = day.slice(0, 7);
  return c === "nd09" && Number(day.slice(8, 10)) > CLOSING_DAY ? addMonths(month, 1) : month;
}

/** The reporting months a span of days touches, oldest first (at most 1,200). */
export function monthsIn(b: Bounds, c: PeriodConvention): string[] {
  const out: string[] = [];
  const last = monthOf(b.to, c);
  for (let m = monthOf(b.from, c); m <= last && out.length < 1200; m = addMonths(m, 1)) out.push(m);
  return out;
}

/** 2024-11, 2024-Q4 or 2024 under a convention; null for anything else. */
export function namedPeriod(key: string, c: PeriodConvention): NamedPeriod | null {
  let m = /^(\d{4})-(0[1-9]|1[0-2])$/.exec(key);
  if (m) return { kind: "month", key, convention: c, ...monthBounds(key, c) };
  m = /^(\d{4})-Q([1-4])$/.exec(key);
  if (m) {
    const first = `${m[1]}-${pad((Number(m[2]) - 1) * 3 + 1)}`;
    return { kind: "quarter", key, convention: c, ...spanBounds(first, addMonths(first, 2), c) };
  }
  m = /^(\d{4})$/.exec(key);
  if (m && Number(m[1]) >= 1990 && Number(m[1]) <= 2200) return { kind: "year", key, convention: c, ...spanBounds(`${key}-01`, `${key}-12`, c) };
  return null;
}

/** The month, quarter or year a day falls in. */
export function periodOf(day: string, kind: PeriodKind, c: PeriodConvention): NamedPeriod {
  const month = monthOf(day, c);
  const key = kind === "month" ? month : kind === "quarter" ? `${month.slice(0, 4)}-Q${Math.ceil(Number(month.slice(5, 7)) / 3)}` : month.slice(0, 4);
  return namedPeriod(key, c)!;
}

/** The period of the same kind just before. */
export function previousOf(p: NamedPeriod): NamedPeriod {
  const first = monthOf(p.from, p.convention);
  const months = p.kind === "month" ? 1 : p.kind === "quarter" ? 3 : 12;
  return periodOf(monthBounds(addMonths(first, -months), p.convention).from, p.kind, p.convention);
}

/** KYSO_REPORTING_PERIODS: calendar (the default) or nd09. */
export function parseConvention(value: string | undefined): PeriodConvention {
  if (value === undefined || value === "") return "calendar";
  const v = value.trim().toLowerCase();
  if ((PERIOD_CONVENTIONS as readonly string[]).includes(v)) return v as PeriodConvention;
  throw new Error(`KYSO_REPORTING_PERIODS must be calendar or nd09, not '${value}'`);
}
