// The statistics as CSV for spreadsheets (leadership's reports are made in Excel): a UTF-8 byte-order
// mark so Vietnamese names open correctly, CRLF line ends, fields quoted when they must be, rates as
// decimal fractions (a spreadsheet formats them as percentages), and a column that marks agencies below
// the target.
import type { AgencyFigures, Timeseries } from "../../store/read-model/figures.js";
import { BOM, csvLine } from "./csv.js";

function table(header: string[], rows: Array<Array<string | number | null | boolean>>): string {
  return BOM + [header, ...rows].map(csvLine).join("");
}

const rate = (x: number | null) => (x === null ? null : Number(x.toFixed(6)));

/** One row per agency with documents in the period, ranked. */
export function agenciesCsv(a: Omit<AgencyFigures, "periods">): string {
  return table(
    [
      "rank",
      "code",
      "agency",
      "signed_electronic",
      "documents",
      "rate",
      "target",
      "gap",
      "below_target",
      "valid_signed",
      "sealed_by_sender",
      "sealed_by_sender_share",
    ],
    a.agencies
      .filter((g) => g.denominator > 0)
      .map((g) => [
        g.rank,
        g.code,
        g.name,
        g.numerator,
        g.denominator,
        rate(g.rate),
        a.target,
        g.gap,
        g.rate !== null && g.rate < a.target,
        g.sealedBySender.signedValid,
        g.sealedBySender.bySender,
        rate(g.sealedBySender.share),
      ]),
  );
}

/** One row per month of the period (a reporting month under nd09, which its header says). */
export function timeseriesCsv(t: Timeseries): string {
  return table(
    [t.periods === "nd09" ? "reporting_month" : "month", "signed_electronic", "documents", "rate", "target"],
    t.series.map((m) => [m.month, m.numerator, m.denominator, rate(m.rate), t.target]),
  );
}
