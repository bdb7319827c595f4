// /metrics as Prometheus text, composed from what the store's Operations port read (its kept counts), so
// the lines are the same whichever backend answered.
import type { LogPort, Operations } from "../store/ports.js";

/** What one scrape read of the store. */
export interface StoreFigures {
  counts: Awaited<ReturnType<Operations["documentCounts"]>>;
  held: Awaited<ReturnType<Operations["heldCounts"]>>;
  analyses: Awaited<ReturnType<Operations["analysisTotals"]>>;
  /** the log's newest entry number */
  logEntries: number;
}

/** The figures read in one go: a few kept rows each. */
export async function storeFigures(ops: Operations, log: Pick<LogPort, "head">): Promise<StoreFigures> {
  const [counts, held, analyses, head] = await Promise.all([ops.documentCounts(), ops.heldCounts(), ops.analysisTotals(), log.head()]);
  return { counts, held, analyses, logEntries: head.seq };
}

/** The counts summed by one of their keys, in bytewise order of that key. */
function sumBy(counts: StoreFigures["counts"], key: "status" | "bucket"): Array<[string, number]> {
  const sums = new Map<string, number>();
  for (const c of counts) sums.set(c[key], (sums.get(c[key]) ?? 0) + c.n);
  return [...sums].sort(([a], [b]) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
}

const labelValue = (s: string) => s.replace(/[\\"]/g, "\\$&").replace(/\n/g, " ");

/** `figures`: the counts by category are shown (a viewer's key, or KYSO_METRICS_FIGURES=public); `problem`: the store's check did not hold. */
export function metricsText(f: StoreFigures, o: { figures: boolean; problem: string | null }): string {
  const lines: string[] = [
    "# HELP kyso_store_intact 1 when the store's check at start held (the tree root over every stored hash, no gap, the log keys, a sample re-hashed, the published head) and so did the last full check in the background; 0 with the reason.",
    "# TYPE kyso_store_intact gauge",
  ];
  lines.push(o.problem ? `kyso_store_intact{reason="${labelValue(o.problem)}"} 0` : "kyso_store_intact 1");
  lines.push("# HELP kyso_documents Documents by status.", "# TYPE kyso_documents gauge");
  for (const [s, n] of sumBy(f.counts, "status")) lines.push(`kyso_documents{status="${s}"} ${n}`);
  // the province's figures by category are for viewers: without a key (or KYSO_METRICS_FIGURES=public) they stay out
  if (o.figures) {
    lines.push("# HELP kyso_documents_by_category Documents by compliance category.", "# TYPE kyso_documents_by_category gauge");
    for (const [c, n] of sumBy(f.counts, "bucket")) lines.push(`kyso_documents_by_category{category="${c}"} ${n}`);
  }
  lines.push("# HELP kyso_documents_held Documents outside every category until resolved, by reason.", "# TYPE kyso_documents_held gauge");
  for (const h of f.held) lines.push(`kyso_documents_held{reason="${h.reason}"} ${h.n}`);
  // with BullMQ, documents handed to Redis are `processing` until their result comes back: the backlog is both
  const depth = f.counts.filter((c) => c.status === "queued" || c.status === "processing").reduce((n, c) => n + c.n, 0);
  lines.push(
    "# HELP kyso_queue_depth Documents not analyzed yet (queued, or handed to a runner).",
    "# TYPE kyso_queue_depth gauge",
    `kyso_queue_depth ${depth}`,
  );
  lines.push("# HELP kyso_audit_entries Entries in the verification log.", "# TYPE kyso_audit_entries counter", `kyso_audit_entries ${f.logEntries}`);
  lines.push(
    "# HELP kyso_analysis_duration_seconds Time spent analyzing documents.",
    "# TYPE kyso_analysis_duration_seconds summary",
    `kyso_analysis_duration_seconds_sum ${(f.analyses.ms / 1000).toFixed(3)}`,
    `kyso_analysis_duration_seconds_count ${f.analyses.analyses}`,
  );
  return lines.join("\n") + "\n";
}
