// A document's versions as steps any backend runs: a version inserted (never overwriting one), a lineage
// put in the order the exchange sent its messages (issue 23: the same messages in any order give the same
// store), a revocation recorded. Each writes facts and derives what the figures read from them.
import { randomUUID } from "node:crypto";
import { now as clockNow } from "../clock.js";
import { ask, type NewDocumentRow, type TxScript } from "../store/document-tx.js";
import { derivation } from "../store/row-facts.js";
import type { DocumentMeta, DocumentRow } from "../store/rows.js";
import { derive, noteFacts } from "./derive.js";

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

/** A proof of existence better than kyso's receipt (a trusted channel's trace time). */
export interface Existence {
  at: string;
  basis: "receipt" | "exchange-trace";
}

export interface NewVersion {
  meta: DocumentMeta;
  file: StoredFile | null;
  source: Source;
  exchangeId?: string | null;
  /** the version this one replaces (it keeps the first version's period) */
  supersedes?: DocumentRow | null;
  paperCopy?: boolean;
  existence?: Existence | null;
  /** what the message said this version is, and what orders versions sent at the same time (the message's SHA-256) */
  business?: "document" | "update" | "replacement";
  orderKey?: string | null;
}

/** Inserts a new document, or a new version of one, derived as it is written. */
export function* insertVersion(v: NewVersion, actor: string): TxScript<DocumentRow> {
  const m = v.meta;
  const file = v.file;
  const prev = v.supersedes ?? null;
  const id = randomUUID();
  // a lineage a version of another DocumentId replaced stays replaced: its new version is superseded by it
  const replacedBy = prev?.superseded_by ?? null;
  if (prev) yield* ask("updateDocument", prev.id, { superseded_by: id });
  const createdAt = clockNow().toISOString();
  // an earlier time proves existence only when a trusted channel gives it, never when it is declared
  const existence = v.existence && v.existence.at <= createdAt ? v.existence : { at: createdAt, basis: "receipt" as const };
  const row: NewDocumentRow = {
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
    channel: file ? "electronic" : m.channel,
    status: !file ? "paper" : file.kind === "pdf" ? "queued" : file.kind === "broken" ? "failed" : "done",
    attempts: 0,
    failure: file?.kind === "broken" ? (file.reason ?? "the file cannot be read") : null,
    between_admin: 0,
    verdict: null,
    content_kind: null,
    nd30_complete: 0,
    category: null,
    counts: 0,
    // a new version counts in the period of the first version
    period_date: prev ? prev.period_date : (m.issuedDate ?? m.receivedAt.slice(0, 10)),
    // kyso's receipt: the proof of existence unless a trusted channel gives an earlier one
    created_at: createdAt,
    agency: m.sender,
    source: v.source,
    exchange_id: v.exchangeId ?? null,
    file_kind: file?.kind ?? null,
    file_name: file?.name ?? null,
    version: prev ? prev.version + 1 : 1,
    supersedes: prev?.id ?? null,
    superseded_by: replacedBy,
    revoked_at: null,
    revocation_reason: null,
    paper_copy: v.paperCopy ? 1 : 0,
    held: null,
    facts_logged: null,
    existence_at: existence.at,
    existence_basis: existence.basis,
    business: v.business ?? "document",
    order_key: v.orderKey ?? file?.sha256 ?? null,
    seals: null,
    signer_binding: null,
    sealed: 0,
  };
  // derived before the row is written: one INSERT (and one rollup trigger), no second pass
  const d = derivation(row, m.recipients, yield* ask("directory"), yield* ask("policy"));
  const derived: NewDocumentRow = { ...row, ...d };
  yield* ask("insertDocument", derived);
  yield* ask("addDeliveries", id, m.recipients, null);
  if (d.category !== null || d.held !== null) yield* noteFacts((yield* ask("documentRow", id))!, yield* ask("recipientsOf", id), actor);
  if (prev) {
    yield* ask("log", {
      actor,
      action: "superseded",
      subject: `document ${prev.id}`,
      documentId: prev.id,
      agency: prev.sender,
      details: { by: id, version: prev.version + 1, exchangeId: v.exchangeId ?? null },
    });
    yield* derive(prev.id, actor);
  }
  if (replacedBy) {
    yield* ask("updateDocument", replacedBy, { supersedes: id });
    const outside = yield* ask("documentRow", replacedBy);
    if (outside?.exchange_id) yield* rechainLineage(outside.exchange_id, actor);
  }
  return (yield* ask("documentRow", id))!;
}

/** The current version of the document a DocumentId named at some point (following later versions). */
export function* currentOfLineage(exchangeId: string): TxScript<DocumentRow | undefined> {
  let row = yield* ask("anyByExchange", exchangeId);
  for (let hops = 0; row?.superseded_by && hops < 64; hops++) row = yield* ask("documentRow", row.superseded_by);
  return row;
}

/** The one current document of this sender and number, whatever its date; a dateless one recorded before first. */
export function* currentBySenderNumber(sender: string, number: string): TxScript<DocumentRow | undefined> {
  const dateless = yield* currentDateless(sender, number);
  if (dateless) return dateless;
  const rows = yield* ask("currentBySenderNumber", sender, number, false);
  return rows.length === 1 ? rows[0] : undefined;
}

/** The one current document of this sender and number recorded without a date (a dateless register's row). */
export function* currentDateless(sender: string, number: string): TxScript<DocumentRow | undefined> {
  const rows = yield* ask("currentBySenderNumber", sender, number, true);
  return rows.length === 1 ? rows[0] : undefined;
}

/** `newer` supersedes `older` (two lineages joined: a version came before the document it replaces). */
export function* chainVersions(older: string, newer: string): TxScript<void> {
  yield* ask("updateDocument", older, { superseded_by: newer });
  yield* ask("updateDocument", newer, { supersedes: older });
}

/**
 * Puts a lineage's versions in the order the exchange sent them: each supersedes the one before, the first
 * gives the period, and a revocation of the lineage holds out its current version whichever version came
 * before or after it. Status, revocation and delivery events belong to the current version. Every row whose
 * facts changed is derived again (and its facts logged); the new order is logged. Returns the current version.
 */
export function* rechainLineage(exchangeId: string, actor: string): TxScript<DocumentRow | undefined> {
  const rows = yield* ask("versionsOf", exchangeId);
  const last = rows[rows.length - 1];
  if (!last) return undefined;
  const rev = yield* ask("lineageRevocation", exchangeId);
  const first = rows[0]!;
  const inLineage = new Set(rows.map((r) => r.id));
  // links to documents of another DocumentId (a replacement across lineages) stay at the lineage's ends,
  // whichever of its rows is first or last now
  const outside = (id: string | null): boolean => id !== null && id !== "-" && !inLineage.has(id);
  const prevOutside = rows.find((r) => outside(r.supersedes))?.supersedes ?? null;
  const nextOutside = rows.find((r) => outside(r.superseded_by))?.superseded_by ?? null;
  // a lineage that replaced a document of another DocumentId continues it: its versions and its period
  const before = prevOutside ? yield* ask("documentRow", prevOutside) : undefined;
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
    for (const r of rows) if (r.superseded_by === null) yield* ask("updateDocument", r.id, { superseded_by: "-" });
    for (const { id, ...w } of want) yield* ask("updateDocument", id, w);
    // the documents at the other ends of those links point at this lineage's new ends
    const prevRow = prevOutside ? yield* ask("documentRow", prevOutside) : undefined;
    if (prevOutside && prevRow && prevRow.superseded_by !== want[0]!.id) {
      yield* ask("updateDocument", prevOutside, { superseded_by: want[0]!.id });
      yield* derive(prevOutside, actor);
    }
    if (nextOutside) yield* ask("updateDocument", nextOutside, { supersedes: want[want.length - 1]!.id });
    const dir = yield* ask("directory");
    const policy = yield* ask("policy");
    for (const w of changed) yield* derive(w.id, actor, dir, policy);
    if (!last.revoked_at && rev)
      yield* ask("log", {
        actor,
        action: "revoked",
        subject: `document ${last.id}`,
        documentId: last.id,
        agency: last.sender,
        details: { at: rev.at, reason: rev.description },
      });
    yield* ask("log", {
      actor,
      action: "versions-ordered",
      subject: `lineage ${exchangeId}`,
      documentId: last.id,
      agency: last.sender,
      details: { exchangeId, order: want.map((w) => w.id) },
    });
  }
  yield* ask("moveLineageEvents", exchangeId, last.id);
  // the recipients of deliveries (forwards), whenever they came, are the current version's
  const forwarded = yield* ask("forwardedTo", exchangeId);
  for (const r of rows) {
    if (r === last) continue;
    if ((yield* ask("dropForwardDeliveries", r.id)) > 0) yield* derive(r.id, actor);
  }
  if (forwarded.length) {
    const before = (yield* ask("recipientsOf", last.id)).length;
    yield* ask("addDeliveries", last.id, forwarded, "forward");
    if ((yield* ask("recipientsOf", last.id)).length !== before) yield* derive(last.id, actor);
  }
  return yield* ask("documentRow", last.id);
}

/** Records the sender's revocation of a document (it leaves the figures; the reason is kept). */
export function* revoke(row: DocumentRow, reason: string | null, at: string, actor: string): TxScript<void> {
  if (row.revoked_at) return;
  yield* ask("updateDocument", row.id, { revoked_at: at, revocation_reason: reason });
  yield* ask("log", { actor, action: "revoked", subject: `document ${row.id}`, documentId: row.id, agency: row.sender, details: { at, reason } });
  yield* derive(row.id, actor);
}
