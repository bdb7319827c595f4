// The days a period covers as the API answered them, and the convention they follow (KYSO_REPORTING_PERIODS,
// compliance/periods.ts): the page asks for a named period by its key, the server bounds it (under nd09 the
// year 2024 is 15/12/2023–14/12/2024), and every other read and the text beside the period take those days,
// so the dashboard, the API and leadership's report agree. No DOM.
import { addMonths } from "../../compliance/trend.js";
import { monthBounds, monthOf, namedPeriod, previousOf, type PeriodConvention } from "../../compliance/periods.js";
import { vnDate } from "../shared/format.js";
import type { Lang } from "../shared/words.js";

/** What a figure answer says of its days. */
export interface Answered {
  period: { from: string; to: string };
  /** absent from a server before the setting: calendar */
  periods?: PeriodConvention;
}

/** A named period by its key, for the server to bound; any two days as they are. */
export function periodQuery(p: { key: string | null; from: string; to: string }): string {
  return p.key ? "period=" + p.key : "from=" + p.from + "&to=" + p.to;
}

/** The key of the month, quarter or year just before (the same under either convention); null for any two days. */
export function previousKey(key: string | null): string | null {
  const n = key ? namedPeriod(key, "calendar") : null;
  return n ? previousOf(n).key : null;
}

/** The first day of the chart's twelve months, which end with the month holding `to`, by the convention. */
export function chartStart(to: string, c: PeriodConvention = "calendar"): string {
  return monthBounds(addMonths(monthOf(to, c), -11), c).from;
}

const WORDS = {
  vi: {
    calendar: "Theo lịch dương",
    nd09: "Kỳ báo cáo theo Nghị định 09/2019/NĐ-CP (số liệu chốt ngày 14)",
    span: (f: string, t: string) => "từ " + vnDate(f) + " đến " + vnDate(t),
  },
  en: {
    calendar: "Calendar periods",
    nd09: "Reporting periods of Decree 09/2019/NĐ-CP (figures closed on the 14th)",
    span: (f: string, t: string) => "from " + f + " to " + t,
  },
};

/** The convention and the days, said beside the period: "Kỳ báo cáo theo Nghị định 09/2019/NĐ-CP (…): từ 15/12/2023 đến 14/12/2024". */
export function boundsText(a: Answered, lang: Lang): string {
  const w = WORDS[lang];
  return (a.periods === "nd09" ? w.nd09 : w.calendar) + ": " + w.span(a.period.from, a.period.to);
}
