// `kyso stats`: the province figure from the store, readable or as JSON (the summary object with an
// `agencies` array, DESIGN.md §4.6).
import { parseArgs } from "node:util";
import { parsePolicy } from "../compliance/index.js";
import { dataDirOf, openExistingStore } from "./data-dir.js";
import { agencies, summary, timeseries } from "../store/stats.js";
import { agenciesCsv, timeseriesCsv } from "../store/stats-csv.js";
import { UsageError } from "./usage.js";

export const STATS_HELP = `Usage: kyso stats [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--by agency|month|category] [--json | --csv] [--data DIR]

The share of documents exchanged between administrative agencies that are electronic and validly
signed, against the target (KYSO_TARGET, default 0.9), for a period (default: this year).
  --by agency     per-agency rates and ranking (default)
  --by month      the monthly series and trend
  --by category   the count of each category
  --json          the summary object with an \`agencies\` array
  --csv           the table of --by agency or --by month as CSV for a spreadsheet (UTF-8 with a
                  byte-order mark; rates as fractions), e.g. kyso stats --csv > agencies.csv`;

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const pct = (x: number | null) => (x === null ? "–" : `${(x * 100).toFixed(1)}%`);

export function statsCommand(argv: string[], out: NodeJS.WritableStream): number {
  const { values } = parseArgs({
    args: argv,
    options: { from: { type: "string" }, to: { type: "string" }, by: { type: "string", default: "agency" }, json: { type: "boolean", default: false }, csv: { type: "boolean", default: false }, data: { type: "string" }, help: { type: "boolean", short: "h", default: false } },
  });
  if (values.help) {
    out.write(STATS_HELP + "\n");
    return 0;
  }
  const year = new Date().getUTCFullYear();
  const p = { from: values.from ?? `${year}-01-01`, to: values.to ?? `${year}-12-31` };
  for (const [k, v] of Object.entries(p)) if (!DATE.test(v) || Number.isNaN(Date.parse(v))) throw new UsageError(`--${k}: '${v}' is not a date (YYYY-MM-DD)`);
  if (p.from > p.to) throw new UsageError("--from is after --to");
  if (!["agency", "month", "category"].includes(values.by!)) throw new UsageError(`--by: '${values.by}' is not agency, month or category`);
  if (values.csv && values.json) throw new UsageError("--csv and --json: choose one");
  if (values.csv && values.by === "category") throw new UsageError("--csv gives the table of --by agency or --by month");
  const policy = parsePolicy(process.env);
  const db = openExistingStore(dataDirOf(values.data));
  try {
    const s = summary(db, p, policy);
    const a = agencies(db, p, policy);
    if (values.csv) {
      out.write(values.by === "month" ? timeseriesCsv(timeseries(db, p, policy)) : agenciesCsv(a));
      return 0;
    }
    if (values.json) {
      out.write(JSON.stringify({ ...s, agencies: a.agencies }) + "\n");
      return 0;
    }
    out.write(`${p.from} – ${p.to}: ${s.numerator} of ${s.denominator} documents electronic and validly signed = ${pct(s.rate)} (target ${pct(s.target)}, gap ${s.gap})\n`);
    const seal = s.sealedBySender;
    out.write(`sealed by their sender: ${seal.bySender} of ${seal.signedValid} validly signed documents = ${pct(seal.share)}${s.policy.requireSenderSeal ? " (required to count: KYSO_REQUIRE_SENDER_SEAL)" : ""}\n`);
    if (values.by === "category") for (const [k, v] of Object.entries(s.byCategory)) out.write(`  ${k.padEnd(22)} ${v}\n`);
    if (values.by === "month") {
      const t = timeseries(db, p, policy);
      for (const m of t.series) out.write(`  ${m.month}  ${pct(m.rate).padStart(6)}  ${m.numerator}/${m.denominator}\n`);
      out.write(`  trend ${t.trend.slopePerMonth === null ? "–" : `${(t.trend.slopePerMonth * 100).toFixed(2)} points/month`}; target reached ${t.trend.projectedMonth ?? "not on this trend"}\n`);
    }
    if (values.by === "agency") {
      for (const g of a.agencies) if (g.denominator) out.write(`  ${String(g.rank ?? "–").padStart(3)}  ${g.code.padEnd(10)} ${pct(g.rate).padStart(6)}  ${g.numerator}/${g.denominator}  gap ${g.gap}  sealed by itself ${pct(g.sealedBySender.share)}  ${g.name}\n`);
    }
    return 0;
  } finally {
    db.close();
  }
}
