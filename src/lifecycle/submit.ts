// One way in for every exchanged document (issue 11), as a step any backend runs in one transaction:
// every source (upload, edXML message, register row, folder scan) hands what it read to submission();
// later versions supersede, revocations revoke, status messages become events. What the store refuses
// (a unique index) is a listed conflict, never an error.
import { now } from "../clock.js";
import { ask, attempt, type Collision, type TxScript } from "../store/document-tx.js";
import type { DocumentMeta, DocumentRow } from "../store/rows.js";
import { derive } from "./derive.js";
import {
  chainVersions,
  currentBySenderNumber,
  currentDateless,
  currentOfLineage,
  insertVersion,
  rechainLineage,
  revoke,
  type Existence,
  type Source,
  type StoredFile,
} from "./lineage.js";

/** The edXML message a submission came in, kept with what it became. */
export interface MessageRecord {
  sha256: string;
  receivedAt: string;
  attachments: { document: string; annexes: string[]; skipped: string[] };
}

interface Common {
  source: Source;
  message?: MessageRecord;
}

export type Submission =
  | (Common & { kind: "document"; meta: DocumentMeta; file: StoredFile | null; exchangeId?: string | null; paperCopy?: boolean; existence?: Existence | null })
  | (Common & {
      kind: "update" | "replacement";
      targets: string[];
      meta: DocumentMeta;
      file: StoredFile | null;
      exchangeId: string | null;
      paperCopy?: boolean;
      reason?: string | null;
      existence?: Existence | null;
    })
  | (Common & { kind: "revocation"; targets: string[]; exchangeId: string | null; sender: string; reason: string | null; at: string })
  | (Common & {
      kind: "status";
      exchangeId: string | null;
      from: string | null;
      code: string;
      description: string | null;
      at: string;
      answers?: { sender: string; number: string | null; issuedDate: string | null } | null;
    });

export interface Submitted {
  kind: Submission["kind"];
  /** the document the submission created or acted on; null for an event answering an unknown document */
  id: string | null;
  sha256: string | null;
  status: DocumentRow["status"] | null;
  /** the same submission was already recorded (the same bytes, unit, message or event) */
  existing: boolean;
  /** what happened, for summaries */
  note?: string;
  /** the store refused it: recorded as a conflict (kyso reconcile, GET /api/v1/directory-gaps) */
  conflict?: boolean;
}

/** Records one submission: the whole step, run by a store in one transaction. */
export function* submission(raw: Submission, actor: string): TxScript<Submitted> {
  // an empty DocumentId is no identity at all
  const s = "exchangeId" in raw && raw.exchangeId !== null && raw.exchangeId !== undefined && !raw.exchangeId.trim() ? { ...raw, exchangeId: null } : raw;
  // run alone: a refused submission is undone by itself, and recorded
  const tried = yield* attempt(apply(s, actor));
  const r = tried.ok ? tried.value : yield* conflict(s, tried.collision, tried.message, actor);
  if (s.message)
    yield* ask("recordMessage", {
      sha256: s.message.sha256,
      receivedAt: s.message.receivedAt,
      sender: "meta" in s ? s.meta.sender : s.kind === "revocation" ? s.sender : (s.from ?? ""),
      number: "meta" in s ? (s.meta.number ?? null) : null,
      documentId: r.id ?? null,
      attachments: s.message.attachments,
      kind: s.kind,
      exchangeId: s.exchangeId ?? null,
    });
  return r;
}

/** What a constraint that refused a submission means, in words, and the document it collides with. */
function* conflict(s: Submission, collision: Collision, said: string, actor: string): TxScript<Submitted> {
  const meta = "meta" in s ? s.meta : null;
  const sha = "file" in s ? (s.file?.sha256 ?? null) : null;
  let withDocument: DocumentRow | undefined;
  let reason = `the store refused it: ${said}`;
  if (collision === "file" && sha) {
    withDocument = yield* ask("currentBySha", sha);
    reason = "its file is already the current version of another document (another DocumentId or sender)";
  } else if (collision === "lineage" && "exchangeId" in s && s.exchangeId) {
    withDocument = yield* currentOfLineage(s.exchangeId);
    reason = "its DocumentId already has a current version";
  } else if (collision === "unit" && meta?.number && meta.issuedDate) {
    withDocument = yield* ask("currentByUnit", meta.sender, meta.number, meta.issuedDate);
    reason = "another document has the same sender, number and issue date";
  }
  const at = meta?.receivedAt ?? ("at" in s ? s.at : new Date().toISOString());
  const c = {
    source: s.source,
    kind: s.kind,
    messageSha256: s.message?.sha256 ?? null,
    exchangeId: "exchangeId" in s ? (s.exchangeId ?? null) : null,
    sender: meta?.sender ?? null,
    number: meta?.number ?? null,
    issuedDate: meta?.issuedDate ?? null,
    fileSha256: sha,
    withDocument: withDocument?.id ?? null,
    reason,
    at,
  };
  const fresh = yield* ask("recordConflict", c);
  if (fresh)
    yield* ask("log", {
      actor,
      action: "conflict",
      subject: `${s.kind}${c.number ? ` ${c.number}` : ""}`,
      documentId: withDocument?.id ?? null,
      agency: c.sender,
      details: c,
    });
  return {
    kind: s.kind,
    id: null,
    sha256: sha,
    status: null,
    existing: !fresh,
    conflict: true,
    note: `conflict: ${reason}${withDocument ? ` (document ${withDocument.id})` : ""}; listed for the IT department (kyso reconcile), not counted`,
  };
}

/** One submission's effect (without its message record). */
export function apply(s: Submission, actor: string): TxScript<Submitted> {
  switch (s.kind) {
    case "document":
      return submitDocument(s, actor);
    case "update":
    case "replacement":
      return submitVersion(s, actor);
    case "revocation":
      return submitRevocation(s, actor);
    case "status":
      return submitStatus(s);
  }
}

const done = (kind: Submitted["kind"], row: DocumentRow, existing: boolean, note?: string): Submitted => ({
  kind,
  id: row.id,
  sha256: row.sha256,
  status: row.status,
  existing,
  ...(note ? { note } : {}),
});

function* rowOf(id: string): TxScript<DocumentRow> {
  return (yield* ask("documentRow", id))!;
}

/** The same document (its DocumentId, or its unit) recorded with another file: kept and logged, not counted again. */
function* anotherFile(row: DocumentRow, file: StoredFile, source: Source, actor: string): TxScript<void> {
  yield* ask("log", {
    actor,
    action: "another-file",
    subject: `document ${row.id}`,
    documentId: row.id,
    agency: row.sender,
    details: { sha256: file.sha256, bytes: file.bytes, kind: file.kind, name: file.name ?? null, source, recorded: row.sha256 },
  });
}

/** A version message (new, update, replacement) whose DocumentId the store already knows. */
type VersionSubmission = Extract<Submission, { kind: "document" | "update" | "replacement" }>;

/**
 * Identity is the lineage (issue 23): a message whose DocumentId has versions in the store joins them.
 * The same message or bytes again change nothing; the same DocumentId from another sender is a delivery;
 * a second original with other bytes is the same document with another file; anything else is a version,
 * and the lineage is put in the order the exchange sent its messages, whatever order they came in.
 * Returns null when the DocumentId is new.
 */
function* submitInLineage(s: VersionSubmission, lineage: string, actor: string): TxScript<Submitted | null> {
  const versions = yield* ask("versionsOf", lineage);
  if (!versions.length) return null;
  const current = versions.find((v) => v.superseded_by === null) ?? versions[versions.length - 1]!;
  const m = s.meta;
  if (s.message && (yield* ask("messageKnown", s.message.sha256))) return done(s.kind, current, true);
  // another sender first: a forward usually carries the very bytes it forwards
  if (s.kind === "document" && m.sender !== versions[0]!.sender) {
    yield* ask("addEvent", {
      documentId: current.id,
      exchangeId: lineage,
      kind: "delivery",
      at: m.receivedAt,
      source: s.source,
      sourceKey: `delivery|${lineage}|${m.sender}|${m.receivedAt}`,
      details: { from: m.sender, recipients: m.recipients },
    });
    yield* rechainLineage(lineage, actor);
    return done(
      "document",
      yield* rowOf(current.id),
      true,
      `a delivery of document ${current.id} by ${m.sender}: the same DocumentId from another sender is the same document`,
    );
  }
  // the same original bytes again (an update may carry the bytes of the version it updates)
  if (s.kind === "document" && s.file?.sha256 && versions.some((v) => v.sha256 === s.file!.sha256)) return done(s.kind, current, true);
  if (s.kind === "document" && (yield* anyOriginal(versions))) {
    if (s.file?.sha256) yield* anotherFile(current, s.file, s.source, actor);
    yield* ask("addDeliveries", current.id, m.recipients, null);
    if (m.recipients.length) yield* derive(current.id, actor);
    return done(
      "document",
      yield* rowOf(current.id),
      true,
      "the same document (its DocumentId) is recorded with another file: this one is kept and logged, not counted again (an update or replacement message supersedes a version)",
    );
  }
  const row = yield* insertVersion(
    {
      meta: m,
      file: s.file,
      source: s.source,
      exchangeId: lineage,
      supersedes: current,
      paperCopy: s.paperCopy ?? false,
      existence: s.existence ?? null,
      business: s.kind,
      orderKey: s.message?.sha256 ?? null,
    },
    actor,
  );
  if (s.kind !== "document")
    yield* ask("addEvent", {
      documentId: row.id,
      exchangeId: lineage,
      kind: s.kind,
      description: s.reason ?? null,
      at: m.receivedAt,
      source: s.source,
      sourceKey: `${s.kind}|${lineage}|${s.targets.join(",")}|${s.file?.sha256 ?? s.message?.sha256 ?? m.receivedAt}`,
      details: { replaces: s.targets },
    });
  yield* rechainLineage(lineage, actor);
  const placed = yield* rowOf(row.id);
  return done(
    s.kind,
    placed,
    false,
    `version ${placed.version} of the document ${lineage}${placed.superseded_by ? " (an earlier version, come late: the later one stays current)" : ""}`,
  );
}

function* anyOriginal(versions: readonly DocumentRow[]): TxScript<boolean> {
  for (const v of versions) if (yield* ask("isOriginal", v.id)) return true;
  return false;
}

/**
 * Versions of another DocumentId that replaced or updated this one before it reached kyso: now that it is
 * here, it is superseded by them, as it would have been had it come first.
 */
function* linkWaitingVersions(lineage: string, actor: string): TxScript<void> {
  for (const waiting of yield* ask("versionsWaitingFor", lineage)) {
    const r = yield* ask("documentRow", waiting);
    if (!r || r.exchange_id === lineage) continue;
    const first = r.exchange_id ? (yield* ask("versionsOf", r.exchange_id))[0]! : r;
    const last = (yield* ask("versionsOf", lineage)).at(-1);
    if (!last || first.supersedes || last.superseded_by) continue;
    yield* chainVersions(last.id, first.id);
    if (r.exchange_id) yield* rechainLineage(r.exchange_id, actor);
    yield* derive(last.id, actor);
  }
}

/** The issuing agency a DocumentId names (`<issuer OrganId>,<yyyy/MM/dd>,<number>`), resolved; null for another form (a UUID). */
function issuerOf(exchangeId: string, resolve: (code: string) => string | null): string | null {
  const m = /^([^,]+),\d{4}\/\d{2}\/\d{2},/.exec(exchangeId.trim());
  return m ? (resolve(m[1]!.trim()) ?? m[1]!.trim()) : null;
}

/** The document this one already is: the same message, bytes or unit, or the register row that listed it. */
function* knownAs(s: Extract<Submission, { kind: "document" }>): TxScript<DocumentRow | undefined> {
  const m = s.meta;
  if (s.exchangeId) {
    const r = yield* ask("anyByExchange", s.exchangeId);
    if (r) return r;
  }
  if (s.file?.sha256) {
    const r = (yield* ask("currentBySha", s.file.sha256)) ?? (yield* ask("anyBySha", s.file.sha256));
    if (r) return r;
  }
  if (m.number && m.issuedDate) {
    const r = yield* ask("currentByUnit", m.sender, m.number, m.issuedDate);
    if (r) return r;
  }
  // a register row without the document's date (a report template that leaves it out): its sender and number
  if (m.number && !m.issuedDate && !s.file && !s.exchangeId) {
    const r = yield* currentBySenderNumber(m.sender, m.number);
    if (r) return r;
  }
  // the document itself after a dateless register row listed it: that row is this document
  if (m.number && m.issuedDate) return yield* currentDateless(m.sender, m.number);
  return undefined;
}

function* submitDocument(s: Extract<Submission, { kind: "document" }>, actor: string): TxScript<Submitted> {
  const m = s.meta;
  const inLineage = s.exchangeId ? yield* submitInLineage(s, s.exchangeId, actor) : null;
  if (inLineage) return inLineage;
  // a document another agency issued, forwarded before its original reached kyso: a delivery that waits
  // for the original (whatever order they come in, the original is the version; the forward adds recipients)
  const issuer = s.exchangeId ? issuerOf(s.exchangeId, (yield* ask("directory")).resolve) : null;
  if (s.exchangeId && issuer && issuer !== m.sender) {
    const fresh = yield* ask("addEvent", {
      documentId: null,
      exchangeId: s.exchangeId,
      kind: "delivery",
      at: m.receivedAt,
      source: s.source,
      sourceKey: `delivery|${s.exchangeId}|${m.sender}|${m.receivedAt}`,
      details: { from: m.sender, recipients: m.recipients },
    });
    return {
      kind: "document",
      id: null,
      sha256: s.file?.sha256 ?? null,
      status: null,
      existing: !fresh,
      note: `a delivery by ${m.sender} of a document ${issuer} issued (DocumentId ${s.exchangeId}), which kyso has not received yet: kept, and applied when it comes`,
    };
  }
  // the same message again, the same bytes again, or the same unit (sender + number + date) again
  // (a version that a later one superseded is still that document: an old message sent again changes nothing)
  const known = yield* knownAs(s);
  if (known && s.exchangeId && known.exchange_id && known.exchange_id !== s.exchangeId) {
    // another DocumentId with the same sender, number and date (or bytes): which is the document is not for kyso to guess
    const byBytes = s.file?.sha256 !== undefined && s.file.sha256 !== null && known.sha256 === s.file.sha256;
    return yield* conflict(
      s,
      byBytes ? "file" : "unit",
      byBytes
        ? `the file of document ${known.id} of DocumentId ${known.exchange_id}`
        : `the same sender, number and issue date as document ${known.id} of DocumentId ${known.exchange_id}`,
      actor,
    );
  }
  if (known) {
    yield* ask("addDeliveries", known.id, m.recipients, null);
    // a dateless register row learns its document's date (and period) from the document
    if (!known.issued_date && m.issuedDate) {
      yield* ask("updateDocument", known.id, { issued_date: m.issuedDate, period_date: m.issuedDate });
      yield* derive(known.id, actor);
    }
    // a register row first, then the message: the document now answers to its DocumentId too
    if (s.exchangeId && !known.exchange_id) {
      yield* ask("updateDocument", known.id, { exchange_id: s.exchangeId });
      yield* rechainLineage(s.exchangeId, actor);
    }
    if (s.file && !known.sha256 && known.channel === "paper")
      return done("document", yield* attachFile(known, s.file, actor), true, "file attached to a registered paper exchange");
    if (m.recipients.length) yield* derive(known.id, actor);
    // the same document (its message, or its sender, number and date) with other bytes: a copy made again,
    // or a correction sent without saying it replaces anything. It counts once; the file is kept and logged
    if (s.file?.sha256 && known.sha256 && s.file.sha256 !== known.sha256) {
      yield* anotherFile(known, s.file, s.source, actor);
      return done(
        "document",
        yield* rowOf(known.id),
        true,
        `the same document (${s.exchangeId && known.exchange_id === s.exchangeId ? "its DocumentId" : "sender, number and issue date"}) is recorded with another file: this one is kept and logged, not counted again (an update or replacement message supersedes a version)`,
      );
    }
    return done("document", yield* rowOf(known.id), true);
  }
  const row = yield* insertVersion(
    {
      meta: m,
      file: s.file,
      source: s.source,
      exchangeId: s.exchangeId ?? null,
      paperCopy: s.paperCopy ?? false,
      existence: s.existence ?? null,
      orderKey: s.message?.sha256 ?? null,
    },
    actor,
  );
  // a revocation or status that came first now belongs to it (and a revocation takes it out); a version
  // of another DocumentId that replaced it before it came now supersedes it
  if (s.exchangeId) {
    yield* rechainLineage(s.exchangeId, actor);
    yield* linkWaitingVersions(s.exchangeId, actor);
  }
  return done("document", yield* rowOf(row.id), false);
}

/** A register row came first, the file later: the row's document gets the file and is analysed. */
function* attachFile(row: DocumentRow, file: StoredFile, actor: string): TxScript<DocumentRow> {
  const status = file.kind === "pdf" ? "queued" : file.kind === "broken" ? "failed" : "done";
  // the file exists from its own receipt, not from the register row's
  yield* ask("updateDocument", row.id, {
    sha256: file.sha256,
    bytes: file.bytes,
    channel: "electronic",
    status,
    file_kind: file.kind,
    file_name: file.name ?? null,
    failure: file.kind === "broken" ? (file.reason ?? null) : null,
    existence_at: now().toISOString(),
    existence_basis: "receipt",
  });
  // the document leaves its category (paper, say) until the analysis: the log says why
  yield* ask("log", {
    actor,
    action: "file-attached",
    subject: `document ${row.id}`,
    documentId: row.id,
    agency: row.sender,
    details: { sha256: file.sha256, bytes: file.bytes, kind: file.kind, from: row.category, channel: row.channel },
  });
  yield* derive(row.id, actor);
  return yield* rowOf(row.id);
}

function* submitVersion(s: Extract<Submission, { kind: "update" | "replacement" }>, actor: string): TxScript<Submitted> {
  const own = s.exchangeId;
  const inLineage = own ? yield* submitInLineage(s, own, actor) : null;
  if (inLineage) return inLineage;
  // the same message again: its version is already the current one
  if (own) {
    const cur = yield* ask("anyByExchange", own);
    if (cur && (cur.supersedes !== null || !s.targets.includes(own)) && (!s.file || cur.sha256 === s.file.sha256)) return done(s.kind, cur, true);
  }
  let target: DocumentRow | undefined;
  for (const t of s.targets) if (!target) target = yield* currentOfLineage(t);
  const sourceKey = `${s.kind}|${own ?? ""}|${s.targets.join(",")}|${s.file?.sha256 ?? ""}`;
  const version = {
    meta: s.meta,
    file: s.file,
    source: s.source,
    paperCopy: s.paperCopy ?? false,
    existence: s.existence ?? null,
    business: s.kind,
    orderKey: s.message?.sha256 ?? null,
  };
  if (!target) {
    // the version it replaces never reached kyso: the document was exchanged all the same, and counts once
    const row = yield* insertVersion({ ...version, exchangeId: own }, actor);
    yield* ask("addEvent", {
      documentId: row.id,
      exchangeId: own,
      kind: s.kind,
      description: s.reason ?? null,
      at: s.meta.receivedAt,
      source: s.source,
      sourceKey,
      details: { replaces: s.targets, found: false },
    });
    // a revocation or status that came first now belongs to it
    if (own) {
      yield* rechainLineage(own, actor);
      yield* linkWaitingVersions(own, actor);
    }
    return done(
      s.kind,
      yield* rowOf(row.id),
      false,
      `the document it ${s.kind === "update" ? "updates" : "replaces"} (${s.targets.join(", ")}) is not in the store`,
    );
  }
  const lineage = own ?? target.exchange_id;
  const row = yield* insertVersion({ ...version, exchangeId: lineage, supersedes: target }, actor);
  yield* ask("addEvent", {
    documentId: row.id,
    exchangeId: lineage,
    kind: s.kind,
    description: s.reason ?? null,
    at: s.meta.receivedAt,
    source: s.source,
    sourceKey,
    details: { replaces: target.id, version: row.version },
  });
  if (lineage) yield* rechainLineage(lineage, actor);
  return done(s.kind, yield* rowOf(row.id), false, `version ${row.version} of document ${target.id}`);
}

function* submitRevocation(s: Extract<Submission, { kind: "revocation" }>, actor: string): TxScript<Submitted> {
  let target: DocumentRow | undefined;
  for (const t of s.targets) if (!target) target = yield* currentOfLineage(t);
  const fresh = yield* ask("addEvent", {
    documentId: target?.id ?? null,
    exchangeId: target?.exchange_id ?? s.targets[0] ?? s.exchangeId,
    kind: "revocation",
    description: s.reason,
    at: s.at,
    source: s.source,
    sourceKey: `revocation|${s.targets.join(",")}|${s.sender}|${s.at}`,
    details: { sender: s.sender, targets: s.targets },
  });
  if (!target)
    return {
      kind: "revocation",
      id: null,
      sha256: null,
      status: null,
      existing: !fresh,
      note: `answers a document not in the store (${s.targets.join(", ") || "no DocumentId"}): kept, and applied if it comes`,
    };
  // the lineage's current version is held out, whichever versions come before or after the revocation
  if (target.exchange_id) yield* rechainLineage(target.exchange_id, actor);
  else yield* revoke(target, s.reason, s.at, actor);
  return done("revocation", yield* rowOf(target.id), !fresh, "revoked: out of the figures");
}

function* submitStatus(s: Extract<Submission, { kind: "status" }>): TxScript<Submitted> {
  // without a DocumentId (the pre-2016 format) a status answers the document its ResponseFor names
  const a = s.answers;
  const target = s.exchangeId
    ? yield* ask("anyByExchange", s.exchangeId)
    : a?.number && a.issuedDate
      ? yield* ask("currentByUnit", a.sender, a.number, a.issuedDate)
      : undefined;
  const fresh = yield* ask("addEvent", {
    documentId: target?.id ?? null,
    exchangeId: s.exchangeId,
    kind: "status",
    code: s.code,
    description: s.description,
    at: s.at,
    source: s.source,
    sourceKey: `status|${s.exchangeId ?? ""}|${s.code}|${s.at}|${s.from ?? ""}`,
    details: { from: s.from },
  });
  return {
    kind: "status",
    id: target?.id ?? null,
    sha256: null,
    status: target?.status ?? null,
    existing: !fresh,
    ...(target ? {} : { note: `answers a document not in the store (${s.exchangeId ?? "no DocumentId"})` }),
  };
}
