// The figures replayed from what the log recorded: each analysis row against the report SHA-256 its log
// entry holds, each document's facts against the facts SHA-256 last logged for it, its verdict and
// content against its latest report, its category, counts, held reason and agency derived again from
// those, and every rollup row summed again from the documents. The first row that differs is named, so
// an edit anywhere (a category set by hand, a rollup bumped, a report rewritten) shows.
import { createHash } from "node:crypto";
import { DEFAULT_POLICY, type CompliancePolicy } from "../../compliance/index.js";
import type { Directory } from "../../compliance/directory.js";
import { sealsOf } from "../../compliance/signer-binding.js";
import { canonicalJson } from "../../log/chain.js";
import { policiesFor, type PolicyRequest } from "../policy-requests.js";
import { derivation, documentFacts, factsDigest } from "../row-facts.js";
import type { RollupSum, StoredDocument, StoredSignature } from "../ports.js";
import type { DocumentRow } from "../rows.js";
import type { CheckProgress } from "./progress.js";
import { read, type CheckScript } from "./script.js";

export interface FigureCheck {
  ok: boolean;
  documents: number;
  analyses: number;
  rollupRows: number;
  /** the first row found wrong: its table, its key, and why */
  broken: null | { table: string; row: string; reason: string };
}

interface Logged {
  /** the latest analysis, reanalysis or analysis-failed entry */
  analysis?: { seq: number; action: string; analysisId?: number; reportSha256?: string };
  /** the latest facts SHA-256 logged, and where */
  facts?: { seq: number; sha256: string; version: number };
}

interface ReportFacts {
  verdict: string;
  content: { kind: string };
  nd30: { complete: boolean };
  signatures?: Array<{ index: number; kind: string; indication: string; subIndication: string | null; signer?: { subject?: string; kind?: string } | null }>;
}

type SignatureRow = Omit<StoredSignature, "analysisId">;

/** The signature rows an analysis writes for its report (documents.recordAnalysis). */
const signatureRowsOf = (sigs: NonNullable<ReportFacts["signatures"]>): SignatureRow[] =>
  sigs.map((s) => ({
    idx: s.index,
    kind: s.kind,
    indication: s.indication,
    sub_indication: s.subIndication ?? null,
    signer_subject: s.signer?.subject ?? null,
    signer_kind: s.signer?.kind ?? null,
  }));

/** The first stored signature row that is not the report's, or null. */
function signatureDifference(stored: SignatureRow[], wanted: SignatureRow[]): { where: string; what: string } | null {
  const want = new Map(wanted.map((w) => [w.idx, w]));
  for (const r of stored) {
    const w = want.get(r.idx);
    if (!w) return { where: `signature ${r.idx}`, what: "its report has no such signature" };
    for (const k of ["kind", "indication", "sub_indication", "signer_subject", "signer_kind"] as const) {
      if (r[k] !== w[k])
        return { where: `signature ${r.idx}`, what: `${k} is ${JSON.stringify(r[k])}, but the report the log recorded says ${JSON.stringify(w[k])}` };
    }
    want.delete(r.idx);
  }
  const missing = [...want.keys()][0];
  return missing === undefined ? null : { where: `signature ${missing}`, what: "its row is missing" };
}

/** Which recorded facts differ from the row's, as "number, subject: " (empty when the entry cannot say). */
function* editedFacts(seq: number, row: DocumentRow, recipients: readonly string[]): CheckScript<string> {
  const e = yield* read("entryAt", seq);
  // details that are not JSON are read back as their text: nothing to compare
  const logged = typeof e?.details === "object" && e.details !== null ? (e.details as { facts?: Record<string, unknown> }).facts : undefined;
  if (!logged) return "";
  const now = documentFacts(row, recipients);
  const keys = Object.keys(now).filter((k) => k in logged && canonicalJson(now[k]) !== canonicalJson(logged[k]));
  return keys.length ? `${keys.join(", ")} differ; ` : "";
}

const sha256 = (s: string) => createHash("sha256").update(s).digest("hex");

/** What the log recorded for these documents, and the report SHA-256 of each analysis it recorded for them. */
function* loggedFor(ids: readonly string[]): CheckScript<{ byDocument: Map<string, Logged>; recorded: Map<number, string> }> {
  const out = new Map<string, Logged>();
  const recorded = new Map<number, string>();
  for (const r of yield* read("documentEntries", ids)) {
    let d: { analysisId?: number; reportSha256?: string; factsSha256?: string; factsVersion?: number };
    try {
      d = JSON.parse(r.details);
    } catch {
      continue; // the chain check names an entry whose details are not JSON
    }
    if (r.action !== "analysis-failed" && r.action !== "document-facts" && d.analysisId !== undefined && d.reportSha256)
      recorded.set(d.analysisId, d.reportSha256);
    const l = out.get(r.documentId) ?? {};
    if (r.action !== "document-facts")
      l.analysis = {
        seq: r.seq,
        action: r.action,
        ...(d.analysisId !== undefined ? { analysisId: d.analysisId } : {}),
        ...(d.reportSha256 ? { reportSha256: d.reportSha256 } : {}),
      };
    if (d.factsSha256) l.facts = { seq: r.seq, sha256: d.factsSha256, version: d.factsVersion ?? 1 };
    out.set(r.documentId, l);
  }
  return { byDocument: out, recorded };
}

/** Documents this many at a time: what the replay holds in memory is a batch's, whatever the store's size. */
const BATCH = 500;

/** Every day a month may have (a day it lacks matches no document): the month's documents found by day, along the period's index. */
const daysOf = (month: string): string[] => Array.from({ length: 31 }, (_, i) => `${month}-${String(i + 1).padStart(2, "0")}`);

/** The documents in batches (all of them, in the store's own stable order, or `only` those, by id). */
function* documentBatches(
  only: ReadonlySet<string> | undefined,
  each: (batch: StoredDocument[]) => CheckScript<FigureCheck | null>,
): CheckScript<FigureCheck | null> {
  if (only) {
    const ids = [...only].sort();
    for (let i = 0; i < ids.length; i += BATCH) {
      const broken = yield* each(yield* read("documentsIn", ids.slice(i, i + BATCH)));
      if (broken) return broken;
    }
    return null;
  }
  for (let after: string | null = null; ;) {
    const page: { documents: StoredDocument[]; next: string | null } = yield* read("documents", after, BATCH);
    if (page.documents.length) {
      const broken = yield* each(page.documents);
      if (broken) return broken;
    }
    if (page.next === null) return null;
    after = page.next;
  }
}

/** What is wrong with one document's row against what the log recorded for it, or null. */
function* checkDocument(
  { row, recipients }: StoredDocument,
  log: Logged,
  a: { id: number; report: string } | undefined,
  pending: boolean,
  dir: Directory,
  policy: { current: CompliancePolicy; open: readonly PolicyRequest[] },
): CheckScript<string | null> {
  // the analysis facts, from the latest analysis the log recorded (not from the row's own columns)
  let analysis: { verdict: string; content: string; nd30: number; seals: string } | "failed" | null = null;
  if (log.analysis?.action === "analysis-failed") {
    // the log's last word is a failure (the document may be queued again since)
    if (row.status === "done") return "it is recorded as analyzed, but the log's last word on it is a failed analysis";
    analysis = "failed";
  } else if (a) {
    if (log.analysis?.analysisId !== a.id)
      return `its latest analysis (${a.id}) is not the one the log recorded last for it (${log.analysis ? `entry ${log.analysis.seq}` : "none"})`;
    const r = JSON.parse(a.report) as ReportFacts;
    analysis = { verdict: r.verdict, content: r.content.kind, nd30: r.nd30.complete ? 1 : 0, seals: JSON.stringify(sealsOf((r.signatures ?? []) as never)) };
    if (row.status === "done" && (row.verdict !== analysis.verdict || row.content_kind !== analysis.content || row.nd30_complete !== analysis.nd30)) {
      return `its recorded verdict and content (${row.verdict}, ${row.content_kind}) are not those of its analysis ${a.id} (${analysis.verdict}, ${analysis.content})`;
    }
  } else if (row.status === "done" && row.file_kind === "pdf") return "it is recorded as analyzed, but it has no analysis";
  else if (row.status === "failed" && row.file_kind === "pdf" && log.analysis?.action !== "analysis-failed")
    return "it is recorded as failed, but the log records no failed analysis for it";
  const facts =
    analysis === null
      ? { status: "queued" as const, verdict: null, content_kind: null, nd30_complete: 0, seals: null }
      : analysis === "failed"
        ? { status: "failed" as const, verdict: null, content_kind: null, nd30_complete: 0, seals: row.seals }
        : { status: "done" as const, verdict: analysis.verdict, content_kind: analysis.content, nd30_complete: analysis.nd30, seals: analysis.seals };
  if (analysis && analysis !== "failed" && row.status === "done" && row.seals !== null && row.seals !== analysis.seals)
    return `its recorded seals (the valid signatures' signers) are not those of its analysis ${a!.id}: the row was edited`;
  const derived = (p: CompliancePolicy) => derivation({ ...row, ...facts }, recipients, dir, p);
  const d = derived(policy.current);
  if (d.category !== null || d.held !== null || row.category !== null || row.held !== null) {
    if (!log.facts) return "its facts were never recorded in the log: the row was inserted or changed by hand";
    if (log.facts.sha256 !== factsDigest(row, recipients, log.facts.version))
      return `its facts (${log.facts.version >= 2 ? "number, date, subject, " : ""}sender, recipients, classification, file, period, revocation) are not those the log recorded at entry ${log.facts.seq}: ${yield* editedFacts(log.facts.seq, row, recipients)}the row was edited`;
  }
  if (pending) return null;
  const differs = (e: typeof d) =>
    (["category", "counts", "held", "agency", "between_admin", "sealed", "signer_binding"] as const).find((k) => row[k] !== e[k]);
  const k = differs(d);
  // a policy change not yet come to this document: its place under the policy before holds until then
  if (k === undefined || policiesFor(row, policy.current, policy.open).some((p) => differs(derived(p)) === undefined)) return null;
  return `${k} is recorded as ${JSON.stringify(row[k])}, but its recorded facts give ${JSON.stringify(d[k])}`;
}

/**
 * The figures replayed from the log: every document and analysis, or (`only`) those of the documents given
 * (an incremental check: the documents new log entries name); the rollups and counts always whole.
 */
export function* replayFigures(only?: ReadonlySet<string>, progress?: CheckProgress): CheckScript<FigureCheck> {
  const total = progress ? (yield* read("documentCounts")).reduce((a, c) => a + c.n, 0) : 0;
  // documents a directory change queued and the server has not derived again yet: their derived fields
  // follow the directory before the change until then (their facts, analyses and rollups are checked);
  // those a policy change has not reached follow the policy before it (checked under either)
  const queued = new Set(yield* read("pendingDerivations"));
  // a change whose documents are still being found: those it concerns are pending too (as its walk will queue them)
  const requests = yield* read("derivationRequests");
  const walking = new Set(requests.flat());
  const pendingOf = (d: StoredDocument) =>
    queued.has(d.row.id) ||
    (requests.length > 0 &&
      (d.row.held === "directory-gap" ||
        walking.has(d.row.sender) ||
        (d.row.agency !== null && walking.has(d.row.agency)) ||
        d.recipients.some((r) => walking.has(r))));
  const dir = yield* read("directory");
  // the policy as recorded in this check's snapshot, and the changes whose documents are still being derived
  const policy = { current: (yield* read("policy")) ?? DEFAULT_POLICY, open: yield* read("policyRequests") };
  let documents = 0;
  let analyses = 0;
  // the days the documents checked fall in: a check of some documents compares those days' and months'
  // rollup rows (every sender's) only; summing the whole store was most of a day's check at 600,000
  const days = new Set<string>();
  const result = (broken: FigureCheck["broken"], rollupRows = 0): FigureCheck => ({ ok: broken === null, documents, analyses, rollupRows, broken });

  const brokenBatch = yield* documentBatches(only, function* (batch) {
    const ids = batch.map((d) => d.row.id);
    const { byDocument: logged, recorded } = yield* loggedFor(ids);
    // every analysis row is one the log recorded, with the report it recorded, and its signature rows
    // (what the lists and exports read) are those of that report
    const rows = yield* read("analysesOf", ids);
    const signatures = new Map<number, SignatureRow[]>();
    for (const s of yield* read(
      "signaturesOf",
      rows.map((a) => a.id),
    )) {
      const { analysisId, ...sig } = s;
      signatures.set(analysisId, [...(signatures.get(analysisId) ?? []), sig]);
    }
    const latest = new Map<string, { id: number; report: string }>();
    for (const a of rows) {
      analyses++;
      const want = recorded.get(a.id);
      const row = `analysis ${a.id} (document ${a.documentId})`;
      if (!want) return result({ table: "analyses", row, reason: "no log entry records this analysis: it was inserted by hand" });
      if (sha256(a.report) !== want)
        return result({
          table: "analyses",
          row,
          reason: `its report is not the one the log recorded (SHA-256 ${want.slice(0, 16)}…): the analysis row was edited`,
        });
      const wanted = signatureRowsOf((JSON.parse(a.report) as ReportFacts).signatures ?? []);
      const differs = signatureDifference(signatures.get(a.id) ?? [], wanted);
      if (differs) return result({ table: "signatures", row: `${row}, ${differs.where}`, reason: `${differs.what}: the signatures table was edited` });
      latest.set(a.documentId, a);
    }
    for (const d of batch) {
      days.add(d.row.period_date);
      const broken = yield* checkDocument(d, logged.get(d.row.id) ?? {}, latest.get(d.row.id), pendingOf(d), dir, policy);
      documents++;
      if (broken) return result({ table: "documents", row: `document ${d.row.id}${d.row.number ? ` (${d.row.number})` : ""}`, reason: broken });
    }
    progress?.figures(documents, Math.max(total, documents));
    return null;
  });
  if (brokenBatch) return brokenBatch;
  if (!only) {
    // an analysis of no document is one no batch read
    const orphan = yield* read("orphanAnalysis");
    if (orphan)
      return result({
        table: "analyses",
        row: `analysis ${orphan.id} (document ${orphan.documentId})`,
        reason: "its document is not in the store: the analysis was inserted by hand, or its document deleted",
      });
  }

  // the rollups are the sums of the documents, row for row
  let rollupRows = 0;
  const keyed = (rows: RollupSum[]) => new Map(rows.map((r) => [`${r.period} ${r.sender} ${r.category}`, r]));
  const touched = only ? [...days].sort() : undefined;
  const months = touched ? [...new Set(touched.map((d) => d.slice(0, 7)))] : undefined;
  for (const [table, by, stored, periods, sumDays] of [
    ["rollup_daily", "day", "daily", touched, touched],
    ["rollup_monthly", "month", "monthly", months, months?.flatMap(daysOf)],
  ] as const) {
    const want = keyed(yield* read("documentSums", by, sumDays));
    const have = keyed(yield* read("rollups", stored, periods));
    for (const [k, h] of have) {
      rollupRows++;
      const w = want.get(k);
      if (!w || w.n !== h.n || w.counts !== h.counts || w.nd30 !== h.nd30 || w.sealed !== h.sealed)
        return result(
          {
            table,
            row: `(${k.split(" ").join(", ")})`,
            reason: `it holds ${h.n} documents, ${h.counts} counted, ${h.sealed} sealed by their sender, but the documents give ${w?.n ?? 0}, ${w?.counts ?? 0} counted, ${w?.sealed ?? 0} sealed`,
          },
          rollupRows,
        );
    }
    for (const [k, w] of want)
      if (!have.has(k))
        return result(
          { table, row: `(${k.split(" ").join(", ")})`, reason: `it is missing: the documents give ${w.n} documents, ${w.counts} counted` },
          rollupRows,
        );
  }
  // the counts /metrics reads are the documents', row for row: a sum over the whole store, the full check's
  if (only) return result(null, rollupRows);
  const counted = new Map<string, number>();
  for (const b of yield* read("documentBuckets")) {
    const k = `${b.status} ${b.category ?? (b.held ? "held" : "pending")}`;
    counted.set(k, (counted.get(k) ?? 0) + b.n);
  }
  for (const r of yield* read("documentCounts")) {
    const k = `${r.status} ${r.bucket}`;
    if (counted.get(k) !== r.n)
      return result(
        {
          table: "document_counts",
          row: `(${k.split(" ").join(", ")})`,
          reason: `it holds ${r.n} documents, but the documents give ${counted.get(k) ?? 0}`,
        },
        rollupRows,
      );
    counted.delete(k);
  }
  const missing = [...counted][0];
  if (missing)
    return result(
      { table: "document_counts", row: `(${missing[0].split(" ").join(", ")})`, reason: `it is missing: the documents give ${missing[1]}` },
      rollupRows,
    );
  return result(null, rollupRows);
}
