// The figures replayed from what the log recorded: each analysis row against the report SHA-256 its log
// entry holds, each document's facts against the facts SHA-256 last logged for it, its verdict and
// content against its latest report, its category, counts, held reason and agency derived again from
// those, and every rollup row summed again from the documents. The first row that differs is named, so
// an edit anywhere (a category set by hand, a rollup bumped, a report rewritten) shows.
import { createHash } from "node:crypto";
import type { Db } from "./db.js";
import { directoryOf, type DocumentRow } from "./documents.js";
import { derivation, documentFacts, factsDigest, pendingDerivationIds, recipientsOf, recordedPolicy } from "./lifecycle.js";
import { policiesFor, policyRequests, type PolicyRequest } from "./policy-change.js";
import { DEFAULT_POLICY, type CompliancePolicy } from "../../compliance/index.js";
import { canonicalJson } from "./audit.js";
import { sealsOf } from "../../compliance/signer-binding.js";

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

interface SignatureRow {
  idx: number;
  kind: string;
  indication: string;
  sub_indication: string | null;
  signer_subject: string | null;
  signer_kind: string | null;
}

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
function editedFacts(db: Db, seq: number, row: DocumentRow, recipients: readonly string[]): string {
  const r = db.prepare("SELECT details FROM audit_log WHERE seq = ?").get(seq) as { details: string } | undefined;
  let logged: Record<string, unknown> | undefined;
  try {
    logged = (JSON.parse(r?.details ?? "{}") as { facts?: Record<string, unknown> }).facts;
  } catch {
    return "";
  }
  if (!logged) return "";
  const now = documentFacts(row, recipients);
  const keys = Object.keys(now).filter((k) => k in logged && canonicalJson(now[k]) !== canonicalJson(logged[k]));
  return keys.length ? `${keys.join(", ")} differ; ` : "";
}

const sha256 = (s: string) => createHash("sha256").update(s).digest("hex");

/** What the log recorded for these documents, and the report SHA-256 of each analysis it recorded for them. */
function loggedFor(db: Db, ids: readonly string[]): { byDocument: Map<string, Logged>; recorded: Map<number, string> } {
  const out = new Map<string, Logged>();
  const recorded = new Map<number, string>();
  type Row = { seq: number; action: string; document_id: string; details: string };
  // through the index on document_id, in the log's order
  const rows = db
    .prepare(
      `SELECT seq, action, document_id, details FROM audit_log WHERE document_id IN (${ids.map(() => "?").join(", ")}) AND action IN ('analysis', 'reanalysis', 'analysis-failed', 'document-facts') ORDER BY seq`,
    )
    .all(...ids) as Row[];
  for (const r of rows) {
    let d: { analysisId?: number; reportSha256?: string; factsSha256?: string; factsVersion?: number };
    try {
      d = JSON.parse(r.details);
    } catch {
      continue; // the chain check names an entry whose details are not JSON
    }
    if (r.action !== "analysis-failed" && r.action !== "document-facts" && d.analysisId !== undefined && d.reportSha256)
      recorded.set(d.analysisId, d.reportSha256);
    const l = out.get(r.document_id) ?? {};
    if (r.action !== "document-facts")
      l.analysis = {
        seq: r.seq,
        action: r.action,
        ...(d.analysisId !== undefined ? { analysisId: d.analysisId } : {}),
        ...(d.reportSha256 ? { reportSha256: d.reportSha256 } : {}),
      };
    if (d.factsSha256) l.facts = { seq: r.seq, sha256: d.factsSha256, version: d.factsVersion ?? 1 };
    out.set(r.document_id, l);
  }
  return { byDocument: out, recorded };
}

/** Documents this many at a time: what the replay holds in memory is a batch's, whatever the store's size. */
const BATCH = 500;

/** The documents in batches along the table (all of them, or `only` those). */
function* documentBatches(db: Db, only?: ReadonlySet<string>): Generator<DocumentRow[]> {
  if (only) {
    const ids = [...only].sort();
    for (let i = 0; i < ids.length; i += BATCH) {
      const part = ids.slice(i, i + BATCH);
      yield db.prepare(`SELECT * FROM documents WHERE id IN (${part.map(() => "?").join(", ")}) ORDER BY id`).all(...part) as DocumentRow[];
    }
    return;
  }
  // along the rowid, not the id: every row is read, an id of '' or NULL inserted by hand included
  const next = db.prepare("SELECT rowid AS row_number, * FROM documents WHERE rowid > ? ORDER BY rowid LIMIT ?");
  for (let after = 0; ;) {
    const rows = next.all(after, BATCH) as Array<DocumentRow & { row_number: number }>;
    if (rows.length === 0) return;
    yield rows.map(({ row_number, ...row }) => (void row_number, row as DocumentRow));
    after = rows[rows.length - 1]!.row_number;
  }
}

/** What is wrong with one document's row against what the log recorded for it, or null. */
function checkDocument(
  db: Db,
  row: DocumentRow,
  log: Logged,
  a: { id: number; report: string } | undefined,
  pending: boolean,
  dir: ReturnType<typeof directoryOf>,
  policy: { current: CompliancePolicy; open: readonly PolicyRequest[] },
): string | null {
  const recipients = recipientsOf(db, row.id);
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
      return `its facts (${log.facts.version >= 2 ? "number, date, subject, " : ""}sender, recipients, classification, file, period, revocation) are not those the log recorded at entry ${log.facts.seq}: ${editedFacts(db, log.facts.seq, row, recipients)}the row was edited`;
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
export function replayFigures(db: Db, only?: ReadonlySet<string>): FigureCheck {
  // documents a directory change queued and the server has not derived again yet: their derived fields
  // follow the directory before the change until then (their facts, analyses and rollups are checked);
  // those a policy change has not reached follow the policy before it (checked under either)
  const pending = pendingDerivationIds(db);
  const dir = directoryOf(db);
  // the policy as recorded in this check's snapshot, and the changes whose documents are still being derived
  const policy = { current: recordedPolicy(db) ?? DEFAULT_POLICY, open: policyRequests(db) };
  let documents = 0;
  let analyses = 0;
  const result = (broken: FigureCheck["broken"], rollupRows = 0): FigureCheck => ({ ok: broken === null, documents, analyses, rollupRows, broken });
  const signatureRows = db.prepare(
    "SELECT idx, kind, indication, sub_indication, signer_subject, signer_kind FROM signatures WHERE analysis_id = ? ORDER BY idx",
  );
  type AnalysisRow = { id: number; document_id: string; report: string };

  for (const batch of documentBatches(db, only)) {
    const ids = batch.map((d) => d.id);
    const { byDocument: logged, recorded } = loggedFor(db, ids);
    // every analysis row is one the log recorded, with the report it recorded, and its signature rows
    // (what the lists and exports read) are those of that report
    const latest = new Map<string, AnalysisRow>();
    for (const a of db
      .prepare(`SELECT id, document_id, report FROM analyses WHERE document_id IN (${ids.map(() => "?").join(", ")}) ORDER BY id`)
      .all(...ids) as AnalysisRow[]) {
      analyses++;
      const want = recorded.get(a.id);
      const row = `analysis ${a.id} (document ${a.document_id})`;
      if (!want) return result({ table: "analyses", row, reason: "no log entry records this analysis: it was inserted by hand" });
      if (sha256(a.report) !== want)
        return result({
          table: "analyses",
          row,
          reason: `its report is not the one the log recorded (SHA-256 ${want.slice(0, 16)}…): the analysis row was edited`,
        });
      const stored = signatureRows.all(a.id) as SignatureRow[];
      const wanted = signatureRowsOf((JSON.parse(a.report) as ReportFacts).signatures ?? []);
      const differs = signatureDifference(stored, wanted);
      if (differs) return result({ table: "signatures", row: `${row}, ${differs.where}`, reason: `${differs.what}: the signatures table was edited` });
      latest.set(a.document_id, a);
    }
    for (const row of batch) {
      const broken = checkDocument(db, row, logged.get(row.id) ?? {}, latest.get(row.id), pending.has(row.id), dir, policy);
      documents++;
      if (broken) return result({ table: "documents", row: `document ${row.id}${row.number ? ` (${row.number})` : ""}`, reason: broken });
    }
  }
  if (!only) {
    // an analysis of no document is one no batch read
    const orphan = db
      .prepare("SELECT a.id, a.document_id FROM analyses a WHERE NOT EXISTS (SELECT 1 FROM documents d WHERE d.id = a.document_id) LIMIT 1")
      .get() as { id: number; document_id: string } | undefined;
    if (orphan)
      return result({
        table: "analyses",
        row: `analysis ${orphan.id} (document ${orphan.document_id})`,
        reason: "its document is not in the store: the analysis was inserted by hand, or its document deleted",
      });
  }

  // the rollups are the sums of the documents, row for row
  let rollupRows = 0;
  const sums = (sql: string) => new Map((db.prepare(sql).all() as Array<{ k: string; n: number; c: number; d: number; s: number }>).map((r) => [r.k, r]));
  for (const [table, key, group] of [
    ["rollup_daily", "period_date", "period_date"],
    ["rollup_monthly", "month", "substr(period_date, 1, 7)"],
  ] as const) {
    const want = sums(
      `SELECT ${group} || ' ' || agency || ' ' || category k, count(*) n, sum(counts) c, sum(nd30_complete) d, sum(sealed) s FROM documents WHERE category IS NOT NULL GROUP BY ${group}, agency, category`,
    );
    const have = sums(
      `SELECT ${key} || ' ' || sender || ' ' || category k, n, n_counts c, n_nd30 d, n_sealed s FROM ${table} WHERE n != 0 OR n_counts != 0 OR n_nd30 != 0 OR n_sealed != 0`,
    );
    for (const [k, h] of have) {
      rollupRows++;
      const w = want.get(k);
      if (!w || w.n !== h.n || w.c !== h.c || w.d !== h.d || w.s !== h.s)
        return result(
          {
            table,
            row: `(${k.split(" ").join(", ")})`,
            reason: `it holds ${h.n} documents, ${h.c} counted, ${h.s} sealed by their sender, but the documents give ${w?.n ?? 0}, ${w?.c ?? 0} counted, ${w?.s ?? 0} sealed`,
          },
          rollupRows,
        );
    }
    for (const [k, w] of want)
      if (!have.has(k))
        return result({ table, row: `(${k.split(" ").join(", ")})`, reason: `it is missing: the documents give ${w.n} documents, ${w.c} counted` }, rollupRows);
  }
  // the counts /metrics reads are the documents', row for row
  const counted = new Map(
    (
      db
        .prepare("SELECT status || ' ' || coalesce(category, CASE WHEN held IS NULL THEN 'pending' ELSE 'held' END) k, count(*) n FROM documents GROUP BY 1")
        .all() as Array<{ k: string; n: number }>
    ).map((r) => [r.k, r.n]),
  );
  for (const r of db.prepare("SELECT status || ' ' || bucket k, n FROM document_counts WHERE n != 0").all() as Array<{ k: string; n: number }>) {
    if (counted.get(r.k) !== r.n)
      return result(
        {
          table: "document_counts",
          row: `(${r.k.split(" ").join(", ")})`,
          reason: `it holds ${r.n} documents, but the documents give ${counted.get(r.k) ?? 0}`,
        },
        rollupRows,
      );
    counted.delete(r.k);
  }
  const missing = [...counted][0];
  if (missing)
    return result(
      { table: "document_counts", row: `(${missing[0].split(" ").join(", ")})`, reason: `it is missing: the documents give ${missing[1]}` },
      rollupRows,
    );
  return result(null, rollupRows);
}
