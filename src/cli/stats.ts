// `kyso stats`: the province figure from the store, readable or as JSON (the summary object with an
// `agencies` array, DESIGN.md §4.6).
import { parseArgs } from "node:util";
import { conventionOf, namedPeriod, parsePolicy, periodOf, type PeriodConvention } from "../compliance/index.js";
import { dataDirOf } from "./data-dir.js";
import { openCommandStore } from "./open-ports.js";
import { agencies, summary, timeseries } from "../store/read-model/figures.js";
import { agenciesCsv, timeseriesCsv } from "../api/exports/stats-csv.js";
import { UsageError } from "./usage.js";

export const STATS_HELP = `Usage: kyso stats [--period 2024|2024-Q4|2024-11 | --from YYYY-MM-DD --to YYYY-MM-DD] [--by agency|month|category] [--json | --csv] [--data DIR]

The share of documents exchanged between administrative agencies that are electronic and validly
signed, against the target (KYSO_TARGET, default 0.9), for a period (default: this year).
  --period        a year, a quarter or a month, its days by KYSO_REPORTING_PERIODS: calendar (the
                  default) or nd09 (Nghị định 09/2019/NĐ-CP: each month from the 15th of the month
                  before to the 14th, the year 2024 from 2023-12-15 to 2024-12-14)
  --by agency     per-agency rates and ranking (default)
  --by month      the monthly series and trend
  --by category   the count of each category
  --json          the summary object with an \`agencies\` array
  --csv           the table of --by agency or --by month as CSV for a spreadsheet (UTF-8 with a
                  byte-order mark; rates as fractions), e.g. kyso stats --csv > agencies.csv`;

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const pct = (x: number | null) => (x === null ? "–" : `${(x * 100).toFixed(1)}%`);

export async function statsCommand(argv: string[], out: NodeJS.WritableStream): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      period: { type: "string" },
      from: { type: "string" },
      to: { type: "string" },
      by: { type: "string", default: "agency" },
      json: { type: "boolean", default: false },
      csv: { type: "boolean", default: false },
      data: { type: "string" },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  if (values.help) {
    out.write(STATS_HELP + "\n");
    return 0;
  }
  const policy = parsePolicy(process.env);
  const convention = conventionOf(policy);
  const p = periodOfArgs(values, convention);
  if (!["agency", "month", "category"].includes(values.by!)) throw new UsageError(`--by: '${values.by}' is not agency, month or category`);
  if (values.csv && values.json) throw new UsageError("--csv and --json: choose one");
  if (values.csv && values.by === "category") throw new UsageError("--csv gives the table of --by agency or --by month");
  const store = await openCommandStore(dataDirOf(values.data), { existing: true });
  try {
    const rm = store.readModel;
    const s = await summary(rm, p, policy);
    const a = await agencies(rm, p, policy);
    if (values.csv) {
      out.write(values.by === "month" ? timeseriesCsv(await timeseries(rm, p, policy)) : agenciesCsv(a));
      return 0;
    }
    if (values.json) {
      out.write(JSON.stringify({ ...s, agencies: a.agencies }) + "\n");
      return 0;
    }
    out.write(
      `${p.from} – ${p.to} (${convention === "nd09" ? ND09_WORDS : "calendar periods"}): ${s.numerator} of ${s.denominator} documents electronic and validly signed = ${pct(s.rate)} (target ${pct(s.target)}, gap ${s.gap})\n`,
    );
    const seal = s.sealedBySender;
    out.write(
      `sealed by their sender: ${seal.bySender} of ${seal.signedValid} validly signed documents = ${pct(seal.share)}${s.policy.requireSenderSeal ? " (required to count: KYSO_REQUIRE_SENDER_SEAL)" : ""}\n`,
    );
    if (values.by === "category") for (const [k, v] of Object.entries(s.byCategory)) out.write(`  ${k.padEnd(22)} ${v}\n`);
    if (values.by === "month") {
      const t = await timeseries(rm, p, policy);
      if (convention === "nd09") out.write("  reporting months: YYYY-MM runs from the 15th of the month before to the 14th\n");
      for (const m of t.series) out.write(`  ${m.month}  ${pct(m.rate).padStart(6)}  ${m.numerator}/${m.denominator}\n`);
      out.write(
        `  trend ${t.trend.slopePerMonth === null ? "–" : `${(t.trend.slopePerMonth * 100).toFixed(2)} points/month`}; target reached ${t.trend.projectedMonth ?? "not on this trend"}\n`,
      );
    }
    if (values.by === "agency") {
      for (const g of a.agencies)
        if (g.denominator)
          out.write(
            `  ${String(g.rank ?? "–").padStart(3)}  ${g.code.padEnd(10)} ${pct(g.rate).padStart(6)}  ${g.numerator}/${g.denominator}  gap ${g.gap}  sealed by itself ${pct(g.sealedBySender.share)}  ${g.name}\n`,
          );
    }
    return 0;
  } finally {
    await store.close();
  }
}

const ND09_WORDS = "reporting periods of Nghị định 09/2019/NĐ-CP, closed on the 14th";

/** The days asked for: --period under the convention, or --from and --to; by default the year that holds today. */
function periodOfArgs(
  v: { period?: string | undefined; from?: string | undefined; to?: string | undefined },
  c: PeriodConvention,
): { from: string; to: string } {
  if (v.period !== undefined) {
    if (v.from !== undefined || v.to !== undefined) throw new UsageError("--period, or --from and --to: not both");
    const n = namedPeriod(v.period, c);
    if (!n) throw new UsageError(`--period: '${v.period}' is not a year (2024), a quarter (2024-Q4) or a month (2024-11)`);
    return { from: n.from, to: n.to };
  }
  const year = periodOf(new Date().toISOString().slice(0, 10), "year", c);
  const p = { from: v.from ?? year.from, to: v.to ?? year.to };
  for (const [k, d] of Object.entries(p)) if (!DATE.test(d) || Number.isNaN(Date.parse(d))) throw new UsageError(`--${k}: '${d}' is not a date (YYYY-MM-DD)`);
  if (p.from > p.to) throw new UsageError("--from is after --to");
  return p;
}
