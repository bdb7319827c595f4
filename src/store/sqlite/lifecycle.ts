// The SQL of a document's life (src/lifecycle owns the steps): versions inserted, never overwritten;
// supersession and revocation recorded as facts; status and business events; and the one derivation of
// what the figures read (between administrative agencies, the agency counted for, held or not, category,
// counts) from those facts, the directory and the policy, so that a change anywhere shows.
import { randomUUID } from "node:crypto";
import { now as clockNow } from "../../clock.js";
import { DEFAULT_POLICY, type Category, type CompliancePolicy } from "../../compliance/index.js";
import { categoryChange, derivation, documentFacts, factsDigest, FACTS_VERSION } from "../row-facts.js";
export { categoryChange, derivation, documentFacts, factsDigest, FACTS_VERSION, factsOf, type FactRow } from "../row-facts.js";
import { sealsOf } from "../../compliance/signer-binding.js";
import type { DocumentReport } from "../../verify/report.js";
import type { Directory } from "../../compliance/directory.js";
import { gapsOf, type GapRow } from "../../compliance/gaps.js";
import { appendAudit } from "./audit.js";
import type { Db } from "./db.js";
import { directoryOf } from "./directory.js";
import type { DocumentMeta, DocumentRow } from "../rows.js";

export interface StoredFile {
  /** null for unreadable bytes (nothing to keep, e.g. broken base64) */
  sha256: string | null;
  bytes: number;
  kind: "pdf" | "not-pdf" | "broken";
  name?: string | null;
  /** for `broken`: why the bytes cannot be read */
  reason?: string;
}

export type Source = "upload" | "edxml" | "register" | "scan";

export interface NewVersion {
  meta: DocumentMeta;
  file: StoredFile | null;
  source: Source;
  exchangeId?: string | null;
  /** the version this one replaces (it keeps the first version's period) */
  supersedes?: DocumentRow | null;
  paperCopy?: boolean;
  /** a proof of existence better than kyso's receipt (a trusted channel's trace time) */
  existence?: Existence | null;
  /** what the message said this version is, and what orders versions sent at the same time (the message's SHA-256) */
  business?: "document" | "update" | "replacement";
  orderKey?: string | null;
}

export interface Existence {
  at: string;
  basis: "receipt" | "exchange-trace";
}

/** The stored policy per database, read once (another process changes it only at its own start). */
const policyCache = new WeakMap<Db, CompliancePolicy>();

/** The policy the figures are derived with (written by applyPolicy at start), or the default. */
export function storedPolicy(db: Db): CompliancePolicy {
  let p = policyCache.get(db);
  if (!p) policyCache.set(db, (p = recordedPolicy(db) ?? DEFAULT_POLICY));
  return p;
}

/** The policy as the store holds it now (not cached: a check reads it in its own snapshot); undefined before one was recorded. */
export function recordedPolicy(db: Db): CompliancePolicy | undefined {
  const r = db.prepare("SELECT value FROM settings WHERE key = 'policy'").get() as { value: string } | undefined;
  return r ? { ...DEFAULT_POLICY, ...(JSON.parse(r.value) as Partial<CompliancePolicy>) } : undefined;
}

export function storePolicy(db: Db, p: CompliancePolicy): void {
  db.prepare("INSERT INTO settings (key, value) VALUES ('policy', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value").run(JSON.stringify(p));
  policyCache.set(db, p);
}

export const currentBySha = (db: Db, sha256: string): DocumentRow | undefined =>
  db.prepare("SELECT * FROM documents WHERE sha256 = ? AND superseded_by IS NULL").get(sha256) as DocumentRow | undefined;

export const currentByUnit = (db: Db, sender: string, number: string, issuedDate: string): DocumentRow | undefined =>
  db.prepare("SELECT * FROM documents WHERE sender = ? AND number = ? AND issued_date = ? AND superseded_by IS NULL").get(sender, number, issuedDate) as
    DocumentRow | undefined;

/** The one current document of this sender and number, whatever its date (a register without the documents' dates); undefined when none or several. */
export function currentBySenderNumber(db: Db, sender: string, number: string): DocumentRow | undefined {
  // a dateless row recorded before (the same register again) first, then the one document of that number
  const dateless = currentDateless(db, sender, number);
  if (dateless) return dateless;
  const rows = db.prepare("SELECT * FROM documents WHERE sender = ? AND number = ? AND superseded_by IS NULL LIMIT 2").all(sender, number) as DocumentRow[];
  return rows.length === 1 ? rows[0] : undefined;
}

/** The one current document of this sender and number recorded without a date (a dateless register's row). */
export function currentDateless(db: Db, sender: string, number: string): DocumentRow | undefined {
  const rows = db
    .prepare("SELECT * FROM documents WHERE sender = ? AND number = ? AND issued_date IS NULL AND superseded_by IS NULL LIMIT 2")
    .all(sender, number) as DocumentRow[];
  return rows.length === 1 ? rows[0] : undefined;
}

/** The current version of the document an edXML DocumentId names. */
export const currentByExchange = (db: Db, exchangeId: string): DocumentRow | undefined =>
  db.prepare("SELECT * FROM documents WHERE exchange_id = ? AND superseded_by IS NULL ORDER BY version DESC LIMIT 1").get(exchangeId) as
    DocumentRow | undefined;

export const anyBySha = (db: Db, sha256: string): DocumentRow | undefined =>
  db.prepare("SELECT * FROM documents WHERE sha256 = ? ORDER BY version DESC LIMIT 1").get(sha256) as DocumentRow | undefined;

/** The latest version carrying this DocumentId, superseded or not (a status answers the version it names). */
export const anyByExchange = (db: Db, exchangeId: string): DocumentRow | undefined =>
  db.prepare("SELECT * FROM documents WHERE exchange_id = ? ORDER BY version DESC LIMIT 1").get(exchangeId) as DocumentRow | undefined;

/** The current version of the document a DocumentId named at some point (following later versions). */
export function currentOfLineage(db: Db, exchangeId: string): DocumentRow | undefined {
  let row = anyByExchange(db, exchangeId);
  for (let hops = 0; row?.superseded_by && hops < 64; hops++) row = documentRow(db, row.superseded_by);
  return row;
}

export const documentRow = (db: Db, id: string): DocumentRow | undefined =>
  db.prepare("SELECT * FROM documents WHERE id = ?").get(id) as DocumentRow | undefined;

export function recipientsOf(db: Db, id: string): string[] {
  return (db.prepare("SELECT recipient FROM deliveries WHERE document_id = ? ORDER BY recipient").all(id) as Array<{ recipient: string }>).map(
    (r) => r.recipient,
  );
}

/** `via` "forward": a recipient another agency forwarded the document to (it follows the current version). */
export function addDeliveries(db: Db, id: string, recipients: string[], via: "forward" | null = null): void {
  const stmt = db.prepare("INSERT OR IGNORE INTO deliveries (document_id, recipient, via) VALUES (?, ?, ?)");
  for (const r of recipients) stmt.run(id, r, via);
}

/** Inserts a new document, or a new version of one; its category and what it counts for are derived. */
export function insertVersion(db: Db, v: NewVersion, actor: string): DocumentRow {
  const m = v.meta;
  const file = v.file;
  const status: DocumentRow["status"] = !file ? "paper" : file.kind === "pdf" ? "queued" : file.kind === "broken" ? "failed" : "done";
  const id = randomUUID();
  const prev = v.supersedes ?? null;
  if (prev) db.prepare("UPDATE documents SET superseded_by = ? WHERE id = ?").run(id, prev.id);
  const fields = {
    id,
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
    channel: file ? ("electronic" as const) : m.channel,
    status,
    failure: file?.kind === "broken" ? (file.reason ?? "the file cannot be read") : null,
    // a new version counts in the period of the first version
    period_date: prev ? prev.period_date : (m.issuedDate ?? m.receivedAt.slice(0, 10)),
    // kyso's receipt: the proof of existence unless a trusted channel gives an earlier one
    created_at: clockNow().toISOString(),
    source: v.source,
    exchange_id: v.exchangeId ?? null,
    file_kind: file?.kind ?? null,
    file_name: file?.name ?? null,
    version: prev ? prev.version + 1 : 1,
    supersedes: prev?.id ?? null,
    paper_copy: v.paperCopy ? 1 : 0,
    business: v.business ?? "document",
    order_key: v.orderKey ?? file?.sha256 ?? null,
  };
  const now = fields.created_at;
  // an earlier time proves existence only when a trusted channel gives it, never when it is declared
  const existence = v.existence && v.existence.at <= now ? v.existence : { at: now, basis: "receipt" as const };
  // derived before the row is written: one INSERT (and one rollup trigger), no second pass
  const d = derivation(
    { ...fields, verdict: null, content_kind: null, nd30_complete: 0, revoked_at: null, superseded_by: null, seals: null },
    m.recipients,
    directoryOf(db),
    storedPolicy(db),
  );
  db.prepare(
    `INSERT INTO documents (id, sha256, bytes, sender, number, issued_date, type, subject, classification, urgency, received_at, channel, status, failure, between_admin, category, counts, held, period_date, created_at,
       agency, source, exchange_id, file_kind, file_name, version, supersedes, paper_copy, existence_at, existence_basis, business, order_key)
     VALUES (@id, @sha256, @bytes, @sender, @number, @issued_date, @type, @subject, @classification, @urgency, @received_at, @channel, @status, @failure, @between_admin, @category, @counts, @held, @period_date, @created_at,
       @agency, @source, @exchange_id, @file_kind, @file_name, @version, @supersedes, @paper_copy, @existence_at, @existence_basis, @business, @order_key)`,
  ).run({ ...fields, ...d, existence_at: existence.at, existence_basis: existence.basis });
  addDeliveries(db, id, m.recipients);
  if (d.category !== null || d.held !== null) noteFacts(db, documentRow(db, id)!, m.recipients, actor);
  if (prev) {
    appendAudit(db, {
      actor,
      action: "superseded",
      subject: `document ${prev.id}`,
      documentId: prev.id,
      agency: prev.sender,
      details: { by: id, version: prev.version + 1, exchangeId: v.exchangeId ?? null },
    });
    derive(db, prev.id, actor);
  }
  return documentRow(db, id)!;
}

/** Every version carrying this DocumentId, in the order the exchange sent them (trace time, then arrival). */
export const versionsOf = (db: Db, exchangeId: string): DocumentRow[] =>
  db
    .prepare(
      // sent at the same time: the original, then updates, then replacements, then by message: never by arrival
      "SELECT * FROM documents WHERE exchange_id = ? ORDER BY received_at, CASE business WHEN 'update' THEN 1 WHEN 'replacement' THEN 2 ELSE 0 END, ifnull(order_key, ''), created_at, id",
    )
    .all(exchangeId) as DocumentRow[];

/**
 * Puts a lineage's versions in the order the exchange sent them (issue 23: the same messages in any order
 * give the same store): each supersedes the one before, the first gives the period, and a revocation of
 * the lineage holds out its current version whichever version came before or after it. Status and
 * revocation events belong to the current version. Every row whose facts changed is derived again (and
 * its facts logged); the new order is logged. Returns the current version.
 */
export function rechainLineage(db: Db, exchangeId: string, actor: string): DocumentRow | undefined {
  const rows = versionsOf(db, exchangeId);
  const last = rows[rows.length - 1];
  if (!last) return undefined;
  const rev = db
    .prepare("SELECT at, description FROM document_events WHERE exchange_id = ? AND kind = 'revocation' ORDER BY at, ifnull(description, ''), seq LIMIT 1")
    .get(exchangeId) as { at: string; description: string | null } | undefined;
  const first = rows[0]!;
  const inLineage = new Set(rows.map((r) => r.id));
  // links to documents of another DocumentId (a replacement across lineages) stay at the lineage's ends,
  // whichever of its rows is first or last now
  const outside = (id: string | null): boolean => id !== null && id !== "-" && !inLineage.has(id);
  const prevOutside = rows.find((r) => outside(r.supersedes))?.supersedes ?? null;
  const nextOutside = rows.find((r) => outside(r.superseded_by))?.superseded_by ?? null;
  // a lineage that replaced a document of another DocumentId continues it: its versions and its period
  const before = prevOutside ? documentRow(db, prevOutside) : undefined;
  const period = before ? before.period_date : (first.issued_date ?? first.received_at.slice(0, 10));
  const base = before ? before.version : 0;
  const want = rows.map((r, i) => ({
    id: r.id,
    supersedes: rows[i - 1]?.id ?? prevOutside,
    // a lineage another DocumentId replaced stays replaced: its last version is superseded by it
    superseded_by: rows[i + 1]?.id ?? nextOutside,
    version: base + i + 1,
    period_date: period,
    // the earliest revocation, whichever came first
    revoked_at: r === last && rev ? rev.at : null,
    revocation_reason: r === last && rev ? rev.description : null,
  }));
  const changed = want.filter((w, i) => {
    const r = rows[i]!;
    return (
      r.supersedes !== w.supersedes ||
      r.superseded_by !== w.superseded_by ||
      r.version !== w.version ||
      r.period_date !== w.period_date ||
      r.revoked_at !== w.revoked_at ||
      r.revocation_reason !== w.revocation_reason
    );
  });
  if (changed.length) {
    // the current version may change: free the one-current-version constraints before writing the chain
    db.prepare("UPDATE documents SET superseded_by = '-' WHERE exchange_id = ? AND superseded_by IS NULL").run(exchangeId);
    const put = db.prepare(
      "UPDATE documents SET supersedes = @supersedes, superseded_by = @superseded_by, version = @version, period_date = @period_date, revoked_at = @revoked_at, revocation_reason = @revocation_reason WHERE id = @id",
    );
    for (const w of want) put.run(w);
    // the documents at the other ends of those links point at this lineage's new ends
    if (
      prevOutside &&
      db.prepare("UPDATE documents SET superseded_by = ? WHERE id = ? AND superseded_by IS NOT ?").run(want[0]!.id, prevOutside, want[0]!.id).changes
    )
      derive(db, prevOutside, actor);
    if (nextOutside) db.prepare("UPDATE documents SET supersedes = ? WHERE id = ?").run(want[want.length - 1]!.id, nextOutside);
    const dir = directoryOf(db);
    const policy = storedPolicy(db);
    for (const w of changed) derive(db, w.id, actor, dir, policy);
    if (!last.revoked_at && rev)
      appendAudit(db, {
        actor,
        action: "revoked",
        subject: `document ${last.id}`,
        documentId: last.id,
        agency: last.sender,
        details: { at: rev.at, reason: rev.description },
      });
    appendAudit(db, {
      actor,
      action: "versions-ordered",
      subject: `lineage ${exchangeId}`,
      documentId: last.id,
      agency: last.sender,
      details: { exchangeId, order: want.map((w) => w.id) },
    });
  }
  db.prepare(
    "UPDATE document_events SET document_id = ? WHERE exchange_id = ? AND kind IN ('status', 'revocation', 'delivery') AND (document_id IS NULL OR document_id <> ?)",
  ).run(last.id, exchangeId, last.id);
  // the recipients of deliveries (forwards), whenever they came, are the current version's
  const forwarded = (
    db.prepare("SELECT details FROM document_events WHERE exchange_id = ? AND kind = 'delivery'").all(exchangeId) as Array<{ details: string }>
  ).flatMap((e) => (JSON.parse(e.details) as { recipients?: string[] }).recipients ?? []);
  for (const r of rows) {
    if (r === last) continue;
    if (db.prepare("DELETE FROM deliveries WHERE document_id = ? AND via = 'forward'").run(r.id).changes) derive(db, r.id, actor);
  }
  if (forwarded.length) {
    const before = recipientsOf(db, last.id).length;
    addDeliveries(db, last.id, forwarded, "forward");
    if (recipientsOf(db, last.id).length !== before) derive(db, last.id, actor);
  }
  return documentRow(db, last.id);
}

export interface ConflictInput {
  source: string;
  kind: string;
  messageSha256?: string | null;
  exchangeId?: string | null;
  sender?: string | null;
  number?: string | null;
  issuedDate?: string | null;
  fileSha256?: string | null;
  withDocument?: string | null;
  reason: string;
  at: string;
}

export interface ConflictRow {
  id: number;
  source: string;
  kind: string;
  message_sha256: string | null;
  exchange_id: string | null;
  sender: string | null;
  number: string | null;
  issued_date: string | null;
  file_sha256: string | null;
  with_document: string | null;
  reason: string;
  at: string;
  created_at: string;
}

/** Records what the store refused of a submission (once), for the IT department: never an error that stops the rest. */
export function recordConflict(db: Db, c: ConflictInput): boolean {
  const r = db
    .prepare(
      "INSERT OR IGNORE INTO conflicts (source, kind, message_sha256, exchange_id, sender, number, issued_date, file_sha256, with_document, reason, at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .run(
      c.source,
      c.kind,
      c.messageSha256 ?? null,
      c.exchangeId ?? null,
      c.sender ?? null,
      c.number ?? null,
      c.issuedDate ?? null,
      c.fileSha256 ?? null,
      c.withDocument ?? null,
      c.reason,
      c.at,
      new Date().toISOString(),
    );
  return r.changes > 0;
}

export const conflictsOf = (db: Db, limit = 1000): ConflictRow[] => db.prepare("SELECT * FROM conflicts ORDER BY id DESC LIMIT ?").all(limit) as ConflictRow[];
export const conflictCount = (db: Db): number => (db.prepare("SELECT count(*) AS n FROM conflicts").get() as { n: number }).n;

/** Records the sender's revocation of a document (it leaves the figures; the reason is kept). */
export function revoke(db: Db, row: DocumentRow, reason: string | null, at: string, actor: string): void {
  if (row.revoked_at) return;
  db.prepare("UPDATE documents SET revoked_at = ?, revocation_reason = ? WHERE id = ?").run(at, reason, row.id);
  appendAudit(db, { actor, action: "revoked", subject: `document ${row.id}`, documentId: row.id, agency: row.sender, details: { at, reason } });
  derive(db, row.id, actor);
}

export interface EventInput {
  documentId: string | null;
  exchangeId: string | null;
  kind: "status" | "revocation" | "update" | "replacement" | "register-match" | "delivery";
  code?: string | null;
  description?: string | null;
  at: string;
  source: string;
  /** what makes this event the same event when it comes again */
  sourceKey: string;
  details?: Record<string, unknown>;
}

/** Records an event once (the same source key again changes nothing); true when it was new. */
export function addEvent(db: Db, e: EventInput): boolean {
  const r = db
    .prepare(
      "INSERT OR IGNORE INTO document_events (document_id, exchange_id, kind, code, description, at, source, source_key, details, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .run(
      e.documentId,
      e.exchangeId,
      e.kind,
      e.code ?? null,
      e.description ?? null,
      e.at,
      e.source,
      e.sourceKey,
      JSON.stringify(e.details ?? {}),
      new Date().toISOString(),
    );
  return r.changes > 0;
}

export interface EventRow {
  seq: number;
  document_id: string | null;
  exchange_id: string | null;
  kind: string;
  code: string | null;
  description: string | null;
  at: string;
  source: string;
  details: string;
}

/** Events that answered a document kyso did not know when they came, for this DocumentId. */
export const orphanEvents = (db: Db, exchangeId: string): EventRow[] =>
  db.prepare("SELECT * FROM document_events WHERE document_id IS NULL AND exchange_id = ? ORDER BY seq").all(exchangeId) as EventRow[];

export function adoptEvents(db: Db, exchangeId: string, documentId: string): void {
  db.prepare("UPDATE document_events SET document_id = ? WHERE document_id IS NULL AND exchange_id = ?").run(documentId, exchangeId);
}

export const eventsOf = (db: Db, documentId: string): EventRow[] =>
  db.prepare("SELECT * FROM document_events WHERE document_id = ? ORDER BY seq").all(documentId) as EventRow[];

/**
 * Derives everything the figures read for one document from its recorded facts, the directory and the
 * stored policy, writes what changed (the rollups follow by trigger) and logs a category change.
 */
export function derive(db: Db, id: string, actor: string, dir: Directory = directoryOf(db), policy: CompliancePolicy = storedPolicy(db)): Category | null {
  const row = documentRow(db, id);
  if (!row) throw new Error(`no document ${id}`);
  const recipients = recipientsOf(db, id);
  const d = derivation(row, recipients, dir, policy);
  const changed =
    row.between_admin !== d.between_admin || row.held !== d.held || row.category !== d.category || row.counts !== d.counts || row.agency !== d.agency;
  const rebound = row.sealed !== d.sealed || row.signer_binding !== d.signer_binding;
  if (changed || rebound) {
    db.prepare(
      "UPDATE documents SET between_admin = @between_admin, held = @held, category = @category, counts = @counts, agency = @agency, sealed = @sealed, signer_binding = @signer_binding WHERE id = @id",
    ).run({ ...d, id });
    logCategoryChange(db, row, d, actor);
  }
  // a directory change that moves who sealed it (a signer name or a certificate registered): logged, so an
  // export alone still gives the sealed-by-sender figures
  if (rebound && !changed && d.category !== null)
    appendAudit(db, {
      actor,
      action: "figures-change",
      subject: `document ${row.id}`,
      documentId: row.id,
      agency: row.sender,
      details: { category: d.category, held: d.held, countedFor: d.agency, periodDate: row.period_date, sealedBySender: d.sealed === 1 },
    });
  const factsLogged = d.category !== null || d.held !== null ? noteFacts(db, { ...row, ...d }, recipients, actor) : false;
  // the agency counted for (a reorganisation) or the held reason changed, with nothing else to say so:
  // the log still holds every document's place in the figures, so an export alone gives the figures
  if (changed && !factsLogged && row.category === d.category && (row.agency !== d.agency || row.held !== d.held)) {
    appendAudit(db, {
      actor,
      action: "figures-change",
      subject: `document ${row.id}`,
      documentId: row.id,
      agency: row.sender,
      details: { category: d.category, held: d.held, countedFor: d.agency, periodDate: row.period_date },
    });
  }
  return d.category;
}

/**
 * Once, after migration 9 superseded a second current version of one DocumentId (an older store's): those
 * rows are derived again, so they leave the figures with their facts logged. Returns how many.
 */
export function settleLineages(db: Db, actor = "system"): number {
  if (db.prepare("SELECT 1 FROM settings WHERE key = 'lineages-settled'").get()) return 0;
  return db
    .transaction(() => {
      const rows = db.prepare("SELECT id FROM documents WHERE superseded_by IS NOT NULL AND (held IS NULL OR held <> 'superseded')").all() as Array<{
        id: string;
      }>;
      for (const r of rows) derive(db, r.id, actor);
      db.prepare("INSERT OR REPLACE INTO settings (key, value) VALUES ('lineages-settled', ?)").run(String(rows.length));
      return rows.length;
    })
    .immediate();
}

/**
 * Once, for a store from before seals were kept (migration 10): each analyzed document's seals are read
 * from its latest report and it is derived again, so who sealed it shows. Returns how many.
 */
export function fillSeals(db: Db, actor = "system"): number {
  const rows = db
    .prepare(
      "SELECT d.id, a.report FROM documents d JOIN analyses a ON a.id = (SELECT max(id) FROM analyses WHERE document_id = d.id) WHERE d.status = 'done' AND d.seals IS NULL",
    )
    .all() as Array<{ id: string; report: string }>;
  if (!rows.length) return 0;
  return db
    .transaction(() => {
      const dir = directoryOf(db);
      const policy = storedPolicy(db);
      const put = db.prepare("UPDATE documents SET seals = ? WHERE id = ?");
      for (const r of rows) {
        put.run(JSON.stringify(sealsOf((JSON.parse(r.report) as DocumentReport).signatures)), r.id);
        derive(db, r.id, actor, dir, policy);
      }
      return rows.length;
    })
    .immediate();
}

/**
 * Once, for a store from before facts were logged: the facts of every document in the figures are logged
 * as they stand (the replay can then check them from here on). Returns how many were logged.
 */
export function anchorFacts(db: Db, actor = "system"): number {
  return db
    .transaction(() => {
      const rows = db.prepare("SELECT * FROM documents WHERE facts_logged IS NULL AND (category IS NOT NULL OR held IS NOT NULL)").all() as DocumentRow[];
      for (const row of rows) noteFacts(db, row, recipientsOf(db, row.id), actor);
      return rows.length;
    })
    .immediate();
}

/** Logs the document's facts when they differ from those last logged (a `document-facts` entry). */
function noteFacts(db: Db, row: DocumentRow, recipients: readonly string[], actor: string): boolean {
  const digest = factsDigest(row, recipients);
  if (row.facts_logged === digest) return false;
  appendAudit(db, {
    actor,
    action: "document-facts",
    subject: `document ${row.id}`,
    documentId: row.id,
    agency: row.sender,
    details: {
      factsSha256: digest,
      factsVersion: FACTS_VERSION,
      facts: documentFacts(row, recipients),
      category: row.category,
      held: row.held,
      countedFor: row.agency,
      sealedBySender: row.sealed === 1,
    },
  });
  db.prepare("UPDATE documents SET facts_logged = ? WHERE id = ?").run(digest, row.id);
  return true;
}

/** Facts an analysis settles: written with what they derive in one UPDATE (one rollup trigger). */
/** Logs a category replaced by another (categoryChange says when). */
function logCategoryChange(db: Db, row: DocumentRow, d: Parameters<typeof categoryChange>[1], actor: string): void {
  const e = categoryChange(row, d, actor);
  if (e) appendAudit(db, e);
}

/**
 * Queues the documents a directory change may move (held gaps, and those naming the codes given) to be
 * derived again, in the change's own transaction (set-based: no document is read here). Returns how many.
 */
export function queueForCodes(db: Db, codes: readonly string[], at = new Date().toISOString()): number {
  const queue = (select: string, ...args: unknown[]) =>
    db.prepare(`INSERT OR IGNORE INTO pending_derivations (id, queued_at) ${select}`).run(at, ...args).changes;
  let n = queue("SELECT id, ? FROM documents WHERE held = 'directory-gap'");
  for (const c of new Set(codes)) {
    n += queue("SELECT id, ? FROM documents WHERE sender = ?", c);
    n += queue("SELECT id, ? FROM documents WHERE agency = ?", c);
    n += queue("SELECT document_id, ? FROM deliveries WHERE recipient = ?", c);
  }
  return n;
}

/** Documents a directory change (or a policy change's step) queued to be derived again. */
export const queuedDerivations = (db: Db): number => (db.prepare("SELECT count(*) n FROM pending_derivations").get() as { n: number }).n;

/** The documents waiting to be derived again (the replay leaves their derived fields to that). */
export const pendingDerivationIds = (db: Db): Set<string> =>
  new Set((db.prepare("SELECT id FROM pending_derivations").all() as Array<{ id: string }>).map((r) => r.id));

/**
 * Derives up to `batch` queued documents in one transaction (each row and its log entries as `derive`
 * writes them) and takes them off the queue. Returns how many are still queued.
 */
export function deriveWaiting(db: Db, batch: number, actor: string): number {
  return db
    .transaction(() => {
      const ids = (db.prepare("SELECT id FROM pending_derivations ORDER BY queued_at, id LIMIT ?").all(batch) as Array<{ id: string }>).map((r) => r.id);
      const dir = directoryOf(db);
      const policy = storedPolicy(db);
      const done = db.prepare("DELETE FROM pending_derivations WHERE id = ?");
      for (const id of ids) {
        if (documentRow(db, id)) derive(db, id, actor, dir, policy);
        done.run(id);
      }
      return queuedDerivations(db);
    })
    .immediate();
}

export type { GapRow } from "../../compliance/gaps.js";

/**
 * Agency codes the directory does not know, with the documents they hold out of the figures (the IT
 * department's list). Read from the documents held as directory gaps (an index), so the dashboard can ask
 * it on every load; an unknown extra recipient of a document already in the figures changes nothing and
 * is not listed.
 */
export function directoryGaps(db: Db): GapRow[] {
  return gapsOf(directoryOf(db), gapDocuments(db));
}

/** The documents held out because the directory lacks a code they name, with their recipients. */
export function gapDocuments(db: Db): Array<{ sender: string; receivedAt: string; recipients: string[] }> {
  const rows = db.prepare("SELECT id, sender, received_at FROM documents WHERE held = 'directory-gap'").all() as Array<{
    id: string;
    sender: string;
    received_at: string;
  }>;
  return rows.map((r) => ({ sender: r.sender, receivedAt: r.received_at, recipients: recipientsOf(db, r.id) }));
}

/** Counts of documents held out of the figures, by reason. */
export function heldCounts(db: Db): Record<string, number> {
  const rows = db.prepare("SELECT held, count(*) n FROM documents WHERE held IS NOT NULL GROUP BY held").all() as Array<{ held: string; n: number }>;
  return Object.fromEntries(rows.map((r) => [r.held, r.n]));
}

/** An edXML message as received, and the document it carried (kept once: the same message again is the same). */
export function recordMessage(
  db: Db,
  m: {
    sha256: string;
    receivedAt: string;
    sender: string;
    number: string | null;
    documentId: string | null;
    attachments: unknown;
    kind: string;
    exchangeId: string | null;
  },
): void {
  db.prepare(
    "INSERT OR IGNORE INTO edxml_messages (sha256, received_at, sender, number, document_id, attachments, kind, exchange_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
  ).run(m.sha256, m.receivedAt, m.sender, m.number, m.documentId, JSON.stringify(m.attachments), m.kind, m.exchangeId);
}

/** This edXML message (its SHA-256) was received before. */
export const messageKnown = (db: Db, sha256: string): boolean => db.prepare("SELECT 1 FROM edxml_messages WHERE sha256 = ?").get(sha256) !== undefined;

/** A document no update or replacement event made (the lineage's original). */
export const isOriginal = (db: Db, id: string): boolean =>
  !db.prepare("SELECT 1 FROM document_events WHERE document_id = ? AND kind IN ('update', 'replacement') LIMIT 1").get(id);

/** Documents of other DocumentIds that said they update or replace `lineage` before it was known here. */
export function versionsWaitingFor(db: Db, lineage: string): string[] {
  return (
    db
      .prepare(
        "SELECT DISTINCT e.document_id AS id FROM document_events e WHERE e.kind IN ('update', 'replacement') AND e.document_id IS NOT NULL AND json_extract(e.details, '$.found') = 0 AND EXISTS (SELECT 1 FROM json_each(e.details, '$.replaces') WHERE value = ?)",
      )
      .all(lineage) as Array<{ id: string }>
  ).map((r) => r.id);
}

/** `newer` supersedes `older` (two lineages joined: a version came before the document it replaces). */
export function chainVersions(db: Db, older: string, newer: string): void {
  db.prepare("UPDATE documents SET superseded_by = ? WHERE id = ?").run(newer, older);
  db.prepare("UPDATE documents SET supersedes = ? WHERE id = ?").run(older, newer);
}

/** A dateless register row learns its document's date, and with it its period. */
export function setIssuedDate(db: Db, id: string, date: string): void {
  db.prepare("UPDATE documents SET issued_date = ?, period_date = ? WHERE id = ?").run(date, date, id);
}

/** A document first known from a register row now answers to its DocumentId too. */
export function setExchangeId(db: Db, id: string, exchangeId: string): void {
  db.prepare("UPDATE documents SET exchange_id = ? WHERE id = ?").run(exchangeId, id);
}

/** A registered paper document gets its file: electronic from the file's own receipt (`at`). */
export function attachFileRow(
  db: Db,
  id: string,
  f: { sha256: string | null; bytes: number; kind: string; name: string | null; failure: string | null; status: string; at: string },
): void {
  db.prepare(
    "UPDATE documents SET sha256 = ?, bytes = ?, channel = 'electronic', status = ?, file_kind = ?, file_name = ?, failure = ?, existence_at = ?, existence_basis = 'receipt' WHERE id = ?",
  ).run(f.sha256, f.bytes, f.status, f.kind, f.name, f.failure, f.at, id);
}

/** One register row as the register holds it, and the document it is (a row imported again is updated). */
export interface RegisterRowRecord {
  owner: string;
  register: string;
  key: string;
  line: number;
  sender: string;
  recipients: string;
  number: string | null;
  issued: string | null;
  received: string;
  type: string | null;
  subject: string | null;
  doc: string;
  matched: 0 | 1;
  at: string;
  form: string | null;
}

export function keepRegisterRow(db: Db, r: RegisterRowRecord): void {
  db.prepare(
    `INSERT INTO register_rows (owner, register, row_key, line, sender, recipients, number, issued_date, received_date, type, subject, document_id, matched, created_at, form)
     VALUES (@owner, @register, @key, @line, @sender, @recipients, @number, @issued, @received, @type, @subject, @doc, @matched, @at, @form)
     ON CONFLICT (owner, register, row_key) DO UPDATE SET document_id = excluded.document_id, matched = excluded.matched, line = excluded.line, form = excluded.form`,
  ).run(r);
}
