// Documents, deliveries, analyses and agencies in the store. The category of a document is derived from
// stored facts by the compliance rules (never typed in), and the daily rollup follows by trigger.
import { createHash } from "node:crypto";
import type { Category, Classification, CompliancePolicy, Held } from "../compliance/index.js";
import { Directory } from "../compliance/directory.js";
import { sealsOf } from "../compliance/signer-binding.js";
import type { DocumentReport } from "../verify/report.js";
import { appendAudit, type AuditInput } from "./audit.js";
import { redoable, type Db } from "./db.js";
import { FACTS_VERSION, recipientsOf, settleFacts, storedPolicy, storePolicy } from "./lifecycle.js";

export interface Agency {
  code: string;
  name: string;
  parent: string | null;
  kind: string;
  /** legacy codes naming this agency (explicit: no code is converted by rule) */
  aliases?: string[];
  /** YYYY-MM-DD: the first day it exists, the first day it no longer does, and who takes over then */
  validFrom?: string | null;
  validTo?: string | null;
  successor?: string | null;
  /** names its certificates give besides `name` (issue 24) */
  signerNames?: string[];
  /** SHA-256 fingerprints (hex, lower case) of its registered organisation certificates */
  certificates?: string[];
}

export interface DocumentMeta {
  sender: string;
  recipients: string[];
  number?: string | undefined;
  issuedDate?: string | undefined;
  type?: string | undefined;
  subject?: string | undefined;
  classification: Classification;
  urgency?: string | undefined;
  receivedAt: string;
  channel: "electronic" | "paper";
}

export interface DocumentRow {
  id: string;
  sha256: string | null;
  bytes: number | null;
  sender: string;
  number: string | null;
  issued_date: string | null;
  type: string | null;
  subject: string | null;
  classification: Classification;
  urgency: string | null;
  received_at: string;
  channel: "electronic" | "paper";
  status: "queued" | "processing" | "done" | "failed" | "paper";
  attempts: number;
  failure: string | null;
  between_admin: number;
  verdict: string | null;
  content_kind: string | null;
  nd30_complete: number;
  category: Category | null;
  counts: number;
  period_date: string;
  created_at: string;
  /** the agency the document counts for (the sender, or its successor after a reorganisation) */
  agency: string;
  source: string;
  /** the edXML DocumentId */
  exchange_id: string | null;
  file_kind: "pdf" | "not-pdf" | "broken" | null;
  file_name: string | null;
  version: number;
  supersedes: string | null;
  superseded_by: string | null;
  revoked_at: string | null;
  revocation_reason: string | null;
  paper_copy: number;
  held: Held | null;
  /** the SHA-256 of the facts last logged for it (lifecycle.documentFacts) */
  facts_logged: string | null;
  /** the time that proves the document existed, and what proves it: kyso's receipt, or a trusted
   * channel's trace time (null before issue 12: the receipt is created_at) */
  existence_at: string | null;
  existence_basis: "receipt" | "exchange-trace" | null;
  /** the valid signatures' signers its latest analysis found (JSON Seal[]; null before an analysis) */
  seals: string | null;
  /** who sealed it with respect to its sender (JSON SignerBinding; null with no valid signature) */
  signer_binding: string | null;
  /** 1 when its sender (or its reorganisation lineage) sealed it */
  sealed: number;
}

/** The directory changes rarely and is read on every insert: kept per database until it changes. */
const directoryCache = new WeakMap<Db, { list: Agency[]; directory: Directory }>();

interface AgencyRow {
  code: string;
  name: string;
  parent: string | null;
  kind: string;
  aliases: string;
  valid_from: string | null;
  valid_to: string | null;
  successor: string | null;
  signer_names: string;
  certificates: string;
}

/**
 * Adds or updates agencies: an admin action, logged with the rows as given. Documents held as directory
 * gaps, and those of the agencies changed, are derived again (a new agency brings its documents into the
 * figures; a successor takes over periods after a change).
 */
export function upsertAgencies(db: Db, rows: Agency[], actor: string, rederive?: (db: Db, codes: string[]) => void): number {
  const stmt = db.prepare(
    `INSERT INTO agencies (code, name, parent, kind, aliases, valid_from, valid_to, successor, signer_names, certificates) VALUES (@code, @name, @parent, @kind, @aliases, @validFrom, @validTo, @successor, @signerNames, @certificates)
     ON CONFLICT(code) DO UPDATE SET name = excluded.name, parent = excluded.parent, kind = excluded.kind, aliases = excluded.aliases, valid_from = excluded.valid_from, valid_to = excluded.valid_to, successor = excluded.successor, signer_names = excluded.signer_names, certificates = excluded.certificates`,
  );
  const before = db.prepare("SELECT code, name, parent, kind, aliases, valid_from, valid_to, successor, signer_names, certificates FROM agencies WHERE code = ?");
  db.transaction(() => {
    // only the documents of agencies whose entry changed are derived again (by their codes and aliases,
    // old and new): the directory sent again as it stands, a nightly sync say, derives nothing
    const touched: string[] = [];
    // a name, signer name or certificate changed may move who sealed any signed document, whoever sent it
    let namesChanged = false;
    for (const r of rows) {
      const next: AgencyRow = { code: r.code, name: r.name, parent: r.parent, kind: r.kind, aliases: (r.aliases ?? []).join(" "), valid_from: r.validFrom ?? null, valid_to: r.validTo ?? null, successor: r.successor ?? null, signer_names: (r.signerNames ?? []).join("|"), certificates: (r.certificates ?? []).join(" ") };
      const was = before.get(r.code) as AgencyRow | undefined;
      if (was && (Object.keys(next) as Array<keyof AgencyRow>).every((k) => was[k] === next[k])) continue;
      touched.push(r.code, ...(r.aliases ?? []), ...(was?.aliases ? was.aliases.split(/\s+/).filter(Boolean) : []));
      if (!was || was.name !== next.name || was.signer_names !== next.signer_names || was.certificates !== next.certificates || was.successor !== next.successor) namesChanged = true;
      stmt.run({ code: next.code, name: next.name, parent: next.parent, kind: next.kind, aliases: next.aliases, validFrom: next.valid_from, validTo: next.valid_to, successor: next.successor, signerNames: next.signer_names, certificates: next.certificates });
    }
    if (namesChanged) for (const d of db.prepare("SELECT DISTINCT sender FROM documents WHERE seals IS NOT NULL AND seals <> '[]'").all() as Array<{ sender: string }>) touched.push(d.sender);
    directoryCache.delete(db);
    appendAudit(db, { actor, action: "agencies-update", subject: `${rows.length} agencies`, details: { agencies: rows.map((r) => [r.code, r.kind, ...(r.aliases?.length ? [r.aliases.join(" ")] : []), ...(r.successor ? [`→ ${r.successor} from ${r.validTo}`] : []), ...(r.signerNames?.length ? [`signs as ${r.signerNames.join(" | ")}`] : []), ...(r.certificates?.length ? [`certificates ${r.certificates.join(" ")}`] : [])]) } });
    rederive?.(db, touched);
  }).immediate();
  directoryCache.delete(db);
  return rows.length;
}

function loadDirectory(db: Db): { list: Agency[]; directory: Directory } {
  let d = directoryCache.get(db);
  if (!d) {
    const rows = db.prepare("SELECT code, name, parent, kind, aliases, valid_from, valid_to, successor, signer_names, certificates FROM agencies ORDER BY code").all() as AgencyRow[];
    const list: Agency[] = rows.map((r) => ({ code: r.code, name: r.name, parent: r.parent, kind: r.kind, aliases: r.aliases ? r.aliases.split(/\s+/).filter(Boolean) : [], validFrom: r.valid_from, validTo: r.valid_to, successor: r.successor, ...(r.signer_names ? { signerNames: r.signer_names.split("|") } : {}), ...(r.certificates ? { certificates: r.certificates.split(" ") } : {}) }));
    d = { list, directory: new Directory(list.map((a) => ({ ...a, aliases: a.aliases ?? [], validFrom: a.validFrom ?? null, validTo: a.validTo ?? null, successor: a.successor ?? null }))) };
    directoryCache.set(db, d);
  }
  return d;
}

export function listAgencies(db: Db): Agency[] {
  return loadDirectory(db).list;
}

/** The directory's rules over the stored agencies (cached until the agencies change). */
export function directoryOf(db: Db): Directory {
  return loadDirectory(db).directory;
}

export function agencyKinds(db: Db): Map<string, string> {
  return new Map(listAgencies(db).map((a) => [a.code, a.kind]));
}

export interface Inserted {
  id: string;
  sha256: string | null;
  status: DocumentRow["status"];
  /** the same document was already known (same bytes, or same sender + number + date) */
  existing: boolean;
}

/**
 * What proves the document existed, for its analysis: kyso's receipt, or a trusted channel's trace time;
 * the receipt time the sender declared goes along as metadata only (issue 12).
 */
export function existenceOf(row: DocumentRow): { receivedAt: string; existenceBasis: "receipt" | "exchange-trace"; declaredReceivedAt: string } {
  return { receivedAt: row.existence_at ?? row.created_at, existenceBasis: row.existence_basis ?? "receipt", declaredReceivedAt: row.received_at };
}

/** Takes the oldest queued document for analysis (atomically), or undefined. */
export function claimNext(db: Db): DocumentRow | undefined {
  return db
    .prepare("UPDATE documents SET status = 'processing', attempts = attempts + 1 WHERE id = (SELECT id FROM documents WHERE status = 'queued' ORDER BY created_at, id LIMIT 1) RETURNING *")
    .get() as DocumentRow | undefined;
}

/** Documents handed to a runner that did not take them (or could not record them) go back to the queue. */
export function requeue(db: Db, ids: string[]): void {
  const back = db.prepare("UPDATE documents SET status = 'queued' WHERE id = ? AND status = 'processing'");
  // redoable: a document left processing is put back at the next start
  redoable(db, () => db.transaction(() => ids.forEach((id) => back.run(id))).immediate());
}

/** At start: what was being analyzed when the process stopped goes back to the queue. */
export function requeueInterrupted(db: Db): number {
  return db.prepare("UPDATE documents SET status = 'queued' WHERE status = 'processing'").run().changes;
}

/**
 * Records an analysis and the category it gives, with its log entry (analysis, or reanalysis when the
 * document was analyzed before) and a category-change entry when a known category changes, all in one
 * transaction. The entry holds the decisive fields and the SHA-256 of the stored report.
 */
export function recordAnalysis(db: Db, id: string, report: DocumentReport, durationMs: number, policy: CompliancePolicy, actor = "system"): void {
  db.transaction(() => {
    const row = db.prepare("SELECT * FROM documents WHERE id = ?").get(id) as DocumentRow | undefined;
    if (!row) throw new Error(`no document ${id}`);
    const before = db.prepare("SELECT count(*) n FROM analyses WHERE document_id = ?").get(id) as { n: number };
    const now = new Date().toISOString();
    const json = JSON.stringify(report);
    const engine = `${report.engine.name} ${report.engine.version}`;
    const a = db
      .prepare("INSERT INTO analyses (document_id, engine, trust_store, validation_time, duration_ms, report, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)")
      .run(id, engine, report.engine.trustStore, report.validationTime, durationMs, json, now);
    const sig = db.prepare("INSERT INTO signatures (analysis_id, idx, kind, indication, sub_indication, signer_subject, signer_kind) VALUES (?, ?, ?, ?, ?, ?, ?)");
    for (const s of report.signatures) sig.run(a.lastInsertRowid, s.index, s.kind, s.indication, s.subIndication, s.signer?.subject ?? null, s.signer?.kind ?? null);
    const { category, counts: counted, factsSha256, countedFor, sealedBySender } = settleFacts(db, row, { status: "done", failure: null, verdict: report.verdict, content_kind: report.content.kind, nd30_complete: report.nd30.complete ? 1 : 0, seals: JSON.stringify(sealsOf(report.signatures)) }, actor, policy);
    appendAudit(db, analysisAuditInput({ row, report, json, analysisId: Number(a.lastInsertRowid), category, counted, actor, reanalysis: before.n > 0, factsSha256, countedFor, sealedBySender }));
  }).immediate();
}

/** The log entry of an analysis: the decisive fields, and the SHA-256 of the report text as stored. */
export function analysisAuditInput(x: { row: DocumentRow; report: DocumentReport; json: string; analysisId: number; category: Category | null; counted: boolean; actor: string; reanalysis: boolean; factsSha256: string; countedFor?: string; sealedBySender?: boolean }): AuditInput {
  const { row, report } = x;
  return {
    actor: x.actor,
    action: x.reanalysis ? "reanalysis" : "analysis",
    subject: `document ${row.id}`,
    documentId: row.id,
    agency: row.sender,
    engine: `${report.engine.name} ${report.engine.version}`,
    trustStore: report.engine.trustStore,
    details: {
      analysisId: x.analysisId,
      reportSha256: createHash("sha256").update(x.json).digest("hex"),
      fileSha256: report.sha256,
      validationTime: report.validationTime,
      verdict: report.verdict,
      error: report.error?.code ?? null,
      content: report.content.kind,
      nd30Complete: report.nd30.complete,
      category: x.category,
      counts: x.counted,
      factsSha256: x.factsSha256,
      factsVersion: FACTS_VERSION,
      countedFor: x.countedFor ?? row.agency,
      periodDate: row.period_date,
      sealedBySender: x.sealedBySender ?? false,
      signatures: report.signatures.map((s) => ({
        index: s.index,
        kind: s.kind,
        indication: s.indication,
        subIndication: s.subIndication,
        signer: s.signer?.subject ?? null,
        signerSha256: s.signer?.sha256 ?? null,
        timestamp: s.timestamp?.valid ? s.timestamp.time : null,
        revision: `${s.revision}/${s.revisions}`,
        modifications: s.modifications.level,
      })),
    },
  };
}

/**
 * A failed attempt: back to the queue while attempts remain, else `failed` (counted as unreadable). A
 * document already recorded (done or failed) is left as it is: a late failure never overwrites a result.
 */
export function recordFailure(db: Db, id: string, reason: string, maxAttempts: number, actor = "system"): "retry" | "failed" | "recorded" {
  return db.transaction(() => failure(db, id, reason, maxAttempts, actor)).immediate();
}

function failure(db: Db, id: string, reason: string, maxAttempts: number, actor: string): "retry" | "failed" | "recorded" {
  const row = db.prepare("SELECT * FROM documents WHERE id = ?").get(id) as DocumentRow | undefined;
  if (!row) return "failed";
  if (row.status === "done" || row.status === "failed") return "recorded";
  if (row.attempts < maxAttempts) {
    db.prepare("UPDATE documents SET status = 'queued', failure = ? WHERE id = ?").run(reason, id);
    return "retry";
  }
  const { category, factsSha256, countedFor } = settleFacts(db, row, { status: "failed", failure: reason, verdict: row.verdict, content_kind: row.content_kind, nd30_complete: row.nd30_complete, seals: row.seals }, actor);
  appendAudit(db, { actor, action: "analysis-failed", subject: `document ${id}`, documentId: id, agency: row.sender, details: { reason, attempts: row.attempts, category, factsSha256, factsVersion: FACTS_VERSION, countedFor, periodDate: row.period_date } });
  return "failed";
}

/** Re-derives `counts` (and the sender-seal category) after a policy change (the rollups follow by trigger); logged when anything changed. */
export function applyPolicy(db: Db, p: CompliancePolicy, actor = "system"): number {
  return db.transaction(() => {
  const before = storedPolicy(db);
  const stored = db.prepare("SELECT 1 FROM settings WHERE key = 'policy'").get() !== undefined;
  storePolicy(db, p);
  // under KYSO_REQUIRE_SENDER_SEAL a valid document its sender did not seal has a category of its own
  const moved = db.prepare(
    `UPDATE documents SET category = CASE WHEN @seal = 1 AND sealed = 0 THEN 'signed-valid-not-sender' ELSE 'signed-valid' END
     WHERE category IN ('signed-valid', 'signed-valid-not-sender') AND category != CASE WHEN @seal = 1 AND sealed = 0 THEN 'signed-valid-not-sender' ELSE 'signed-valid' END`,
  ).run({ seal: p.requireSenderSeal ? 1 : 0 }).changes;
  const changed = moved + db.prepare(
    `UPDATE documents SET counts = CASE WHEN category = 'signed-valid'
       AND (@scans = 1 OR content_kind NOT IN ('scanned', 'scanned-ocr'))
       AND (@nd30 = 0 OR nd30_complete = 1) THEN 1 ELSE 0 END
     WHERE counts != CASE WHEN category = 'signed-valid'
       AND (@scans = 1 OR content_kind NOT IN ('scanned', 'scanned-ocr'))
       AND (@nd30 = 0 OR nd30_complete = 1) THEN 1 ELSE 0 END`,
  ).run({ scans: p.signedScansCount ? 1 : 0, nd30: p.requireNd30 ? 1 : 0 }).changes;
  // logged whenever the policy differs from the one recorded before (a replay of the log uses it)
  if (changed > 0 || !stored || JSON.stringify(before) !== JSON.stringify(p)) appendAudit(db, { actor, action: "policy-change", subject: "compliance policy", details: { policy: { ...p }, documentsChanged: changed } });
  return changed;
  }).immediate();
}

export interface ReverifyFilter {
  /** documents received on or after this day (YYYY-MM-DD) */
  since?: string | undefined;
  /** documents sent by this agency */
  agency?: string | undefined;
}

/**
 * Queues analyzed documents for a new analysis (after a trust-store change). Their category stays until
 * the new analysis replaces it; the earlier analyses and log entries stay. Logged as one `reverify` entry.
 */
export function queueReverification(db: Db, f: ReverifyFilter, actor: string): number {
  return db.transaction(() => {
    // PDFs only (a .doc has nothing to verify), current versions only (a superseded one counts nowhere)
    const w = ["status IN ('done', 'failed')", "sha256 IS NOT NULL", "file_kind = 'pdf'", "superseded_by IS NULL"];
    const args: unknown[] = [];
    if (f.since) (w.push("received_at >= ?"), args.push(f.since));
    if (f.agency) (w.push("sender = ?"), args.push(f.agency));
    const n = db.prepare(`UPDATE documents SET status = 'queued', attempts = 0 WHERE ${w.join(" AND ")}`).run(...args).changes;
    appendAudit(db, { actor, action: "reverify", subject: `${n} documents`, agency: f.agency ?? null, details: { since: f.since ?? null, agency: f.agency ?? null, queued: n } });
    return n;
  }).immediate();
}

export function getDocument(db: Db, id: string): (DocumentRow & { recipients: string[] }) | undefined {
  const row = db.prepare("SELECT * FROM documents WHERE id = ?").get(id) as DocumentRow | undefined;
  if (!row) return undefined;
  return { ...row, recipients: recipientsOf(db, id) };
}

export function latestReport(db: Db, id: string): DocumentReport | undefined {
  const a = latestAnalysis(db, id);
  return a ? (JSON.parse(a.reportJson) as DocumentReport) : undefined;
}

/** Documents by status (from the counts the triggers keep: a few rows, whatever the store's size). */
export function statusCounts(db: Db): Record<string, number> {
  const rows = db.prepare("SELECT status, sum(n) n FROM document_counts GROUP BY status HAVING sum(n) > 0").all() as Array<{ status: string; n: number }>;
  return Object.fromEntries(rows.map((r) => [r.status, r.n]));
}

/** Documents by place in the figures: their category, else held or pending (kept by triggers). */
export function bucketCounts(db: Db): Record<string, number> {
  const rows = db.prepare("SELECT bucket, sum(n) n FROM document_counts GROUP BY bucket HAVING sum(n) > 0").all() as Array<{ bucket: string; n: number }>;
  return Object.fromEntries(rows.map((r) => [r.bucket, r.n]));
}

/** The latest analysis of a document, with its report exactly as stored (the log holds its SHA-256). */
export function latestAnalysis(db: Db, id: string): { id: number; reportJson: string; createdAt: string } | undefined {
  const r = db.prepare("SELECT id, report, created_at FROM analyses WHERE document_id = ? ORDER BY id DESC LIMIT 1").get(id) as { id: number; report: string; created_at: string } | undefined;
  return r ? { id: r.id, reportJson: r.report, createdAt: r.created_at } : undefined;
}
