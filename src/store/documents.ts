// Documents, deliveries, analyses and agencies in the store. The category of a document is derived from
// stored facts by the compliance rules (never typed in), and the daily rollup follows by trigger.
import { createHash, randomUUID } from "node:crypto";
import { categorize, counts, type Category, type Classification, type CompliancePolicy, type ExchangeFacts } from "../compliance/index.js";
import type { DocumentReport } from "../verify/report.js";
import { appendAudit, type AuditInput } from "./audit.js";
import type { Db } from "./db.js";

export interface Agency {
  code: string;
  name: string;
  parent: string | null;
  kind: string;
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
}

/** The directory changes rarely and is read on every insert: kept per database until it changes. */
const directoryCache = new WeakMap<Db, Agency[]>();

/** Adds or updates agencies: an admin action, logged with the rows as given. */
export function upsertAgencies(db: Db, rows: Agency[], actor: string): number {
  directoryCache.delete(db);
  const stmt = db.prepare("INSERT INTO agencies (code, name, parent, kind) VALUES (@code, @name, @parent, @kind) ON CONFLICT(code) DO UPDATE SET name = excluded.name, parent = excluded.parent, kind = excluded.kind");
  db.transaction(() => {
    rows.forEach((r) => stmt.run(r));
    appendAudit(db, { actor, action: "agencies-update", subject: `${rows.length} agencies`, details: { agencies: rows.map((r) => [r.code, r.kind]) } });
  }).immediate();
  return rows.length;
}

export function listAgencies(db: Db): Agency[] {
  let list = directoryCache.get(db);
  if (!list) directoryCache.set(db, (list = db.prepare("SELECT code, name, parent, kind FROM agencies ORDER BY code").all() as Agency[]));
  return list;
}

export function agencyKinds(db: Db): Map<string, string> {
  return new Map(listAgencies(db).map((a) => [a.code, a.kind]));
}

/** Only administrative agencies are in the KPI: the sender and at least one recipient. */
function betweenAdmin(kinds: Map<string, string>, m: DocumentMeta): boolean {
  return kinds.get(m.sender) === "administrative" && m.recipients.some((r) => kinds.get(r) === "administrative");
}

function facts(row: Pick<DocumentRow, "classification" | "between_admin" | "channel">, analysis: ExchangeFacts["analysis"]): ExchangeFacts {
  return { classification: row.classification, betweenAdministrativeAgencies: row.between_admin === 1, channel: row.channel, analysis };
}

export interface Inserted {
  id: string;
  sha256: string | null;
  status: DocumentRow["status"];
  /** the same document was already known (same bytes, or same sender + number + date) */
  existing: boolean;
}

/**
 * Records an exchanged document. The same bytes again, or the same sender, number and date again, are the
 * same document: its metadata is completed, never duplicated, and it is not analyzed twice.
 */
export function insertDocument(db: Db, m: DocumentMeta, file: { sha256: string; bytes: number } | null, actor = "system"): Inserted {
  return db.transaction((): Inserted => {
    const bySha = file ? (db.prepare("SELECT * FROM documents WHERE sha256 = ?").get(file.sha256) as DocumentRow | undefined) : undefined;
    if (bySha) return { id: bySha.id, sha256: bySha.sha256, status: bySha.status, existing: true };
    const byUnit = m.number && m.issuedDate ? (db.prepare("SELECT * FROM documents WHERE sender = ? AND number = ? AND issued_date = ?").get(m.sender, m.number, m.issuedDate) as DocumentRow | undefined) : undefined;
    if (byUnit) {
      addDeliveries(db, byUnit.id, m.recipients);
      if (file && !byUnit.sha256 && m.channel === "electronic") {
        // a register row first, the file later: attach it and analyze
        db.prepare("UPDATE documents SET sha256 = ?, bytes = ?, channel = 'electronic', status = 'queued', category = NULL WHERE id = ?").run(file.sha256, file.bytes, byUnit.id);
        // the document leaves its category (paper, say) until the analysis: the log says why
        appendAudit(db, { actor, action: "file-attached", subject: `document ${byUnit.id}`, documentId: byUnit.id, agency: byUnit.sender, details: { sha256: file.sha256, bytes: file.bytes, from: byUnit.category, channel: byUnit.channel } });
        return { id: byUnit.id, sha256: file.sha256, status: "queued", existing: true };
      }
      return { id: byUnit.id, sha256: byUnit.sha256, status: byUnit.status, existing: true };
    }
    const kinds = agencyKinds(db);
    const row = {
      id: randomUUID(),
      sha256: file?.sha256 ?? null,
      bytes: file?.bytes ?? null,
      sender: m.sender,
      number: m.number ?? null,
      issued_date: m.issuedDate ?? null,
      type: m.type ?? null,
      subject: m.subject ?? null,
      classification: m.classification,
      urgency: m.urgency ?? null,
      received_at: m.receivedAt,
      channel: file ? "electronic" : m.channel,
      between_admin: betweenAdmin(kinds, m) ? 1 : 0,
      period_date: m.issuedDate ?? m.receivedAt.slice(0, 10),
      created_at: new Date().toISOString(),
    } as const;
    const status: DocumentRow["status"] = file ? "queued" : "paper";
    const category = categorize(facts(row, null));
    db.prepare(
      `INSERT INTO documents (id, sha256, bytes, sender, number, issued_date, type, subject, classification, urgency, received_at, channel, status, between_admin, category, period_date, created_at)
       VALUES (@id, @sha256, @bytes, @sender, @number, @issued_date, @type, @subject, @classification, @urgency, @received_at, @channel, @status, @between_admin, @category, @period_date, @created_at)`,
    ).run({ ...row, status, category });
    addDeliveries(db, row.id, m.recipients);
    return { id: row.id, sha256: row.sha256, status, existing: false };
  }).immediate();
}

function addDeliveries(db: Db, id: string, recipients: string[]): void {
  const stmt = db.prepare("INSERT OR IGNORE INTO deliveries (document_id, recipient) VALUES (?, ?)");
  for (const r of recipients) stmt.run(id, r);
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
  db.transaction(() => ids.forEach((id) => back.run(id))).immediate();
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
    const f = facts(row, { verdict: report.verdict, content: report.content.kind, nd30Complete: report.nd30.complete });
    const category = categorize(f);
    const counted = counts(category, f, policy);
    db.prepare("UPDATE documents SET status = 'done', failure = NULL, verdict = ?, content_kind = ?, nd30_complete = ?, category = ?, counts = ? WHERE id = ?").run(
      report.verdict,
      report.content.kind,
      report.nd30.complete ? 1 : 0,
      category,
      counted ? 1 : 0,
      id,
    );
    appendAudit(db, analysisAuditInput({ row, report, json, analysisId: Number(a.lastInsertRowid), category, counted, actor, reanalysis: before.n > 0 }));
    logCategoryChange(db, row, category, actor);
  }).immediate();
}

/** The log entry of an analysis: the decisive fields, and the SHA-256 of the report text as stored. */
export function analysisAuditInput(x: { row: DocumentRow; report: DocumentReport; json: string; analysisId: number; category: Category | null; counted: boolean; actor: string; reanalysis: boolean }): AuditInput {
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

function logCategoryChange(db: Db, row: DocumentRow, category: Category | null, actor: string): void {
  if (row.category === null || row.category === category) return;
  appendAudit(db, { actor, action: "category-change", subject: `document ${row.id}`, documentId: row.id, agency: row.sender, details: { from: row.category, to: category } });
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
  const category = categorize(facts(row, "failed"));
  db.prepare("UPDATE documents SET status = 'failed', failure = ?, category = ?, counts = 0 WHERE id = ?").run(reason, category, id);
  appendAudit(db, { actor, action: "analysis-failed", subject: `document ${id}`, documentId: id, agency: row.sender, details: { reason, attempts: row.attempts, category } });
  logCategoryChange(db, row, category, actor);
  return "failed";
}

/** Re-derives `counts` after a policy change (the rollup follows by trigger); logged when anything changed. */
export function applyPolicy(db: Db, p: CompliancePolicy, actor = "system"): number {
  return db.transaction(() => {
  const changed = db.prepare(
    `UPDATE documents SET counts = CASE WHEN category = 'signed-valid'
       AND (@scans = 1 OR content_kind NOT IN ('scanned', 'scanned-ocr'))
       AND (@nd30 = 0 OR nd30_complete = 1) THEN 1 ELSE 0 END
     WHERE counts != CASE WHEN category = 'signed-valid'
       AND (@scans = 1 OR content_kind NOT IN ('scanned', 'scanned-ocr'))
       AND (@nd30 = 0 OR nd30_complete = 1) THEN 1 ELSE 0 END`,
  ).run({ scans: p.signedScansCount ? 1 : 0, nd30: p.requireNd30 ? 1 : 0 }).changes;
  if (changed > 0) appendAudit(db, { actor, action: "policy-change", subject: "compliance policy", details: { policy: { ...p }, documentsChanged: changed } });
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
    const w = ["status IN ('done', 'failed')", "sha256 IS NOT NULL"];
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
  const recipients = (db.prepare("SELECT recipient FROM deliveries WHERE document_id = ? ORDER BY recipient").all(id) as Array<{ recipient: string }>).map((r) => r.recipient);
  return { ...row, recipients };
}

export function latestReport(db: Db, id: string): DocumentReport | undefined {
  const a = latestAnalysis(db, id);
  return a ? (JSON.parse(a.reportJson) as DocumentReport) : undefined;
}

export function statusCounts(db: Db): Record<string, number> {
  const rows = db.prepare("SELECT status, count(*) n FROM documents GROUP BY status").all() as Array<{ status: string; n: number }>;
  return Object.fromEntries(rows.map((r) => [r.status, r.n]));
}

/** The latest analysis of a document, with its report exactly as stored (the log holds its SHA-256). */
export function latestAnalysis(db: Db, id: string): { id: number; reportJson: string; createdAt: string } | undefined {
  const r = db.prepare("SELECT id, report, created_at FROM analyses WHERE document_id = ? ORDER BY id DESC LIMIT 1").get(id) as { id: number; report: string; created_at: string } | undefined;
  return r ? { id: r.id, reportJson: r.report, createdAt: r.created_at } : undefined;
}

/** An edXML message and the document it carried, stored together (the same message again changes nothing). */
export function recordEdxmlMessage(db: Db, m: { messageSha: string; meta: DocumentMeta; file: { sha256: string; bytes: number }; attachments: { document: string; annexes: string[]; skipped: string[] } }, actor = "system"): Inserted {
  return db.transaction(() => {
    const inserted = insertDocument(db, m.meta, m.file, actor);
    db.prepare("INSERT OR IGNORE INTO edxml_messages (sha256, received_at, sender, number, document_id, attachments) VALUES (?, ?, ?, ?, ?, ?)").run(
      m.messageSha,
      m.meta.receivedAt,
      m.meta.sender,
      m.meta.number ?? null,
      inserted.id,
      JSON.stringify(m.attachments),
    );
    return inserted;
  }).immediate();
}
