// The period the auditors' page opens on (no DOM): the year of the latest month with documents, as the
// dashboard chooses it (its openingYear), bounded by the server's convention (under nd09 the year 2024 is
// 15/12/2023–14/12/2024), so the list opens on documents instead of an empty calendar year.
import { namedPeriod, type PeriodConvention } from "../../compliance/periods.js";
import { openingYear } from "../dashboard/period.js";

/** What GET /api/v1/stats/periods answers (a server before the setting says no convention: calendar). */
export interface PeriodsAnswer {
  periods?: PeriodConvention;
  latest: string | null;
}

/** The opening year and its days; this year's when the store holds no documents or the answer is missing. */
export function openingDays(answer: PeriodsAnswer | null, now: Date): { year: string; from: string; to: string } {
  const year = openingYear(answer?.latest, now);
  const p = namedPeriod(year, answer?.periods ?? "calendar");
  return { year, from: p?.from ?? `${year}-01-01`, to: p?.to ?? `${year}-12-31` };
}
