// One way in and one life for every exchanged document (issue 11): every source (upload, edXML message,
// register row, folder scan) hands what it read to submit(); analysis claims and settles through here;
// later versions supersede, revocations revoke, status messages become events. Each step records facts
// (nothing is overwritten: versions stay, superseded) and derives the figures from them; the SQL is in
// src/store, the rules in src/compliance.
import type { CompliancePolicy } from "../compliance/index.js";
import { now } from "../clock.js";
import { redoable, type Db } from "../store/sqlite/db.js";
import { claimNext, directoryOf, upsertAgencies, type Agency, type DocumentMeta, type DocumentRow } from "../store/sqlite/documents.js";
import { appendAudit } from "../store/sqlite/audit.js";
import {
  addDeliveries,
  addEvent,
  adoptEvents,
  attachFileRow,
  chainVersions,
  isOriginal,
  keepRegisterRow,
  messageKnown,
  recordMessage,
  setExchangeId,
  setIssuedDate,
  versionsWaitingFor,
  anyByExchange,
  currentOfLineage,
  currentBySha,
  anyBySha,
  currentBySenderNumber,
  currentDateless,
  currentByUnit,
  derive,
  queueForCodes,
  documentRow,
  insertVersion,
  orphanEvents,
  rechainLineage,
  recordConflict,
  revoke,
  versionsOf,
  type Existence,
  type Source,
  type StoredFile,
} from "../store/sqlite/lifecycle.js";
import { deriveAllWaiting, pendingDerivations } from "../store/sqlite/derivations.js";
import { requestPolicy } from "../store/sqlite/policy-change.js";
import type { DocumentReport } from "../verify/report.js";
import { decideAnalysis, decideFailure } from "./analysis.js";
import { collisionOf, type Collision } from "../store/sqlite/constraint.js";
import { analysisFactsOf, commitChange } from "../store/sqlite/analysis.js";

export type { Existence, Source, StoredFile } from "../store/sqlite/lifecycle.js";

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

/** Records one submission in one transaction. What the store refuses is a listed conflict, never an error. */
export function submit(db: Db, raw: Submission, actor: string): Submitted {
  // an empty DocumentId is no identity at all
  const s = "exchangeId" in raw && raw.exchangeId !== null && raw.exchangeId !== undefined && !raw.exchangeId.trim() ? { ...raw, exchangeId: null } : raw;
  return db
    .transaction((): Submitted => {
      let r: Submitted;
      try {
        // a savepoint: a refused submission is undone alone, and recorded
        r = db.transaction(() => apply(db, s, actor))();
      } catch (e) {
        const collision = collisionOf(e);
        if (!collision) throw e;
        r = conflict(db, s, collision, (e as Error).message, actor);
      }
      if (s.message) {
        recordMessage(db, {
          sha256: s.message.sha256,
          receivedAt: s.message.receivedAt,
          sender: "meta" in s ? s.meta.sender : s.kind === "revocation" ? s.sender : (s.from ?? ""),
          number: "meta" in s ? (s.meta.number ?? null) : null,
          documentId: r.id ?? null,
          attachments: s.message.attachments,
          kind: s.kind,
          exchangeId: s.exchangeId ?? null,
        });
      }
      return r;
    })
    .immediate();
}

/** What a constraint that refused a submission means, in words, and the document it collides with. */
function conflict(db: Db, s: Submission, collision: Collision, said: string, actor: string): Submitted {
  const meta = "meta" in s ? s.meta : null;
  const sha = "file" in s ? (s.file?.sha256 ?? null) : null;
  let withDocument: DocumentRow | undefined;
  let reason = `the store refused it: ${said}`;
  if (collision === "file" && sha) {
    withDocument = currentBySha(db, sha);
    reason = "its file is already the current version of another document (another DocumentId or sender)";
  } else if (collision === "lineage" && "exchangeId" in s && s.exchangeId) {
    withDocument = currentOfLineage(db, s.exchangeId);
    reason = "its DocumentId already has a current version";
  } else if (collision === "unit" && meta?.number && meta.issuedDate) {
    withDocument = currentByUnit(db, meta.sender, meta.number, meta.issuedDate);
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
  const fresh = recordConflict(db, c);
  if (fresh)
    appendAudit(db, {
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

function apply(db: Db, s: Submission, actor: string): Submitted {
  switch (s.kind) {
    case "document":
      return submitDocument(db, s, actor);
    case "update":
    case "replacement":
      return submitVersion(db, s, actor);
    case "revocation":
      return submitRevocation(db, s, actor);
    case "status":
      return submitStatus(db, s);
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

/** A version message (new, update, replacement) whose DocumentId the store already knows. */
type VersionSubmission = Extract<Submission, { kind: "document" | "update" | "replacement" }>;

/**
 * Identity is the lineage (issue 23): a message whose DocumentId has versions in the store joins them.
 * The same message or bytes again change nothing; the same DocumentId from another sender is a delivery;
 * a second original with other bytes is the same document with another file; anything else is a version,
 * and the lineage is put in the order the exchange sent its messages, whatever order they came in.
 * Returns null when the DocumentId is new.
 */
function submitInLineage(db: Db, s: VersionSubmission, lineage: string, actor: string): Submitted | null {
  const versions = versionsOf(db, lineage);
  if (!versions.length) return null;
  const current = versions.find((v) => v.superseded_by === null) ?? versions[versions.length - 1]!;
  const m = s.meta;
  if (s.message && messageKnown(db, s.message.sha256)) return done(s.kind, current, true);
  // another sender first: a forward usually carries the very bytes it forwards
  if (s.kind === "document" && m.sender !== versions[0]!.sender) {
    addEvent(db, {
      documentId: current.id,
      exchangeId: lineage,
      kind: "delivery",
      at: m.receivedAt,
      source: s.source,
      sourceKey: `delivery|${lineage}|${m.sender}|${m.receivedAt}`,
      details: { from: m.sender, recipients: m.recipients },
    });
    rechainLineage(db, lineage, actor);
    return done(
      "document",
      documentRow(db, current.id)!,
      true,
      `a delivery of document ${current.id} by ${m.sender}: the same DocumentId from another sender is the same document`,
    );
  }
  // the same original bytes again (an update may carry the bytes of the version it updates)
  if (s.kind === "document" && s.file?.sha256 && versions.some((v) => v.sha256 === s.file!.sha256)) return done(s.kind, current, true);
  if (s.kind === "document" && versions.some((v) => isOriginal(db, v.id))) {
    if (s.file?.sha256)
      appendAudit(db, {
        actor,
        action: "another-file",
        subject: `document ${current.id}`,
        documentId: current.id,
        agency: current.sender,
        details: { sha256: s.file.sha256, bytes: s.file.bytes, kind: s.file.kind, name: s.file.name ?? null, source: s.source, recorded: current.sha256 },
      });
    addDeliveries(db, current.id, m.recipients);
    if (m.recipients.length) derive(db, current.id, actor);
    return done(
      "document",
      documentRow(db, current.id)!,
      true,
      "the same document (its DocumentId) is recorded with another file: this one is kept and logged, not counted again (an update or replacement message supersedes a version)",
    );
  }
  const row = insertVersion(
    db,
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
    addEvent(db, {
      documentId: row.id,
      exchangeId: lineage,
      kind: s.kind,
      description: s.reason ?? null,
      at: m.receivedAt,
      source: s.source,
      sourceKey: `${s.kind}|${lineage}|${s.targets.join(",")}|${s.file?.sha256 ?? s.message?.sha256 ?? m.receivedAt}`,
      details: { replaces: s.targets },
    });
  rechainLineage(db, lineage, actor);
  const placed = documentRow(db, row.id)!;
  return done(
    s.kind,
    placed,
    false,
    `version ${placed.version} of the document ${lineage}${placed.superseded_by ? " (an earlier version, come late: the later one stays current)" : ""}`,
  );
}

/**
 * Versions of another DocumentId that replaced or updated this one before it reached kyso: now that it is
 * here, it is superseded by them, as it would have been had it come first.
 */
function linkWaitingVersions(db: Db, lineage: string, actor: string): void {
  for (const waiting of versionsWaitingFor(db, lineage)) {
    const r = documentRow(db, waiting);
    if (!r || r.exchange_id === lineage) continue;
    const first = r.exchange_id ? versionsOf(db, r.exchange_id)[0]! : r;
    const last = versionsOf(db, lineage).at(-1);
    if (!last || first.supersedes || last.superseded_by) continue;
    chainVersions(db, last.id, first.id);
    if (r.exchange_id) rechainLineage(db, r.exchange_id, actor);
    derive(db, last.id, actor);
  }
}

/** The issuing agency a DocumentId names (`<issuer OrganId>,<yyyy/MM/dd>,<number>`), resolved; null for another form (a UUID). */
function issuerOf(exchangeId: string, resolve: (code: string) => string | null): string | null {
  const m = /^([^,]+),\d{4}\/\d{2}\/\d{2},/.exec(exchangeId.trim());
  return m ? (resolve(m[1]!.trim()) ?? m[1]!.trim()) : null;
}

function submitDocument(db: Db, s: Extract<Submission, { kind: "document" }>, actor: string): Submitted {
  const m = s.meta;
  const inLineage = s.exchangeId ? submitInLineage(db, s, s.exchangeId, actor) : null;
  if (inLineage) return inLineage;
  // a document another agency issued, forwarded before its original reached kyso: a delivery that waits
  // for the original (whatever order they come in, the original is the version; the forward adds recipients)
  const issuer = s.exchangeId ? issuerOf(s.exchangeId, directoryOf(db).resolve) : null;
  if (s.exchangeId && issuer && issuer !== m.sender) {
    const fresh = addEvent(db, {
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
  const known =
    (s.exchangeId ? anyByExchange(db, s.exchangeId) : undefined) ??
    (s.file?.sha256 ? (currentBySha(db, s.file.sha256) ?? anyBySha(db, s.file.sha256)) : undefined) ??
    (m.number && m.issuedDate ? currentByUnit(db, m.sender, m.number, m.issuedDate) : undefined) ??
    // a register row without the document's date (a report template that leaves it out): its sender and number
    (m.number && !m.issuedDate && !s.file && !s.exchangeId ? currentBySenderNumber(db, m.sender, m.number) : undefined) ??
    // the document itself after a dateless register row listed it: that row is this document
    (m.number && m.issuedDate ? currentDateless(db, m.sender, m.number) : undefined);
  if (known && s.exchangeId && known.exchange_id && known.exchange_id !== s.exchangeId) {
    // another DocumentId with the same sender, number and date (or bytes): which is the document is not for kyso to guess
    const byBytes = s.file?.sha256 !== undefined && s.file.sha256 !== null && known.sha256 === s.file.sha256;
    return conflict(
      db,
      s,
      byBytes ? "file" : "unit",
      byBytes
        ? `the file of document ${known.id} of DocumentId ${known.exchange_id}`
        : `the same sender, number and issue date as document ${known.id} of DocumentId ${known.exchange_id}`,
      actor,
    );
  }
  if (known) {
    addDeliveries(db, known.id, m.recipients);
    // a dateless register row learns its document's date (and period) from the document
    if (!known.issued_date && m.issuedDate) {
      setIssuedDate(db, known.id, m.issuedDate);
      derive(db, known.id, actor);
    }
    // a register row first, then the message: the document now answers to its DocumentId too
    if (s.exchangeId && !known.exchange_id) {
      setExchangeId(db, known.id, s.exchangeId);
      rechainLineage(db, s.exchangeId, actor);
    }
    if (s.file && !known.sha256 && known.channel === "paper")
      return done("document", attachFile(db, known, s.file, actor), true, "file attached to a registered paper exchange");
    if (m.recipients.length) derive(db, known.id, actor);
    // the same document (its message, or its sender, number and date) with other bytes: a copy made again,
    // or a correction sent without saying it replaces anything. It counts once; the file is kept and logged
    if (s.file?.sha256 && known.sha256 && s.file.sha256 !== known.sha256) {
      appendAudit(db, {
        actor,
        action: "another-file",
        subject: `document ${known.id}`,
        documentId: known.id,
        agency: known.sender,
        details: { sha256: s.file.sha256, bytes: s.file.bytes, kind: s.file.kind, name: s.file.name ?? null, source: s.source, recorded: known.sha256 },
      });
      return done(
        "document",
        documentRow(db, known.id)!,
        true,
        `the same document (${s.exchangeId && known.exchange_id === s.exchangeId ? "its DocumentId" : "sender, number and issue date"}) is recorded with another file: this one is kept and logged, not counted again (an update or replacement message supersedes a version)`,
      );
    }
    return done("document", documentRow(db, known.id)!, true);
  }
  const row = insertVersion(
    db,
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
    rechainLineage(db, s.exchangeId, actor);
    linkWaitingVersions(db, s.exchangeId, actor);
  }
  return done("document", documentRow(db, row.id)!, false);
}

/** A register row came first, the file later: the row's document gets the file and is analyzed. */
function attachFile(db: Db, row: DocumentRow, file: StoredFile, actor: string): DocumentRow {
  const status = file.kind === "pdf" ? "queued" : file.kind === "broken" ? "failed" : "done";
  // the file exists from its own receipt, not from the register row's
  attachFileRow(db, row.id, {
    sha256: file.sha256,
    bytes: file.bytes,
    kind: file.kind,
    name: file.name ?? null,
    failure: file.kind === "broken" ? (file.reason ?? null) : null,
    status,
    at: now().toISOString(),
  });
  // the document leaves its category (paper, say) until the analysis: the log says why
  appendAudit(db, {
    actor,
    action: "file-attached",
    subject: `document ${row.id}`,
    documentId: row.id,
    agency: row.sender,
    details: { sha256: file.sha256, bytes: file.bytes, kind: file.kind, from: row.category, channel: row.channel },
  });
  derive(db, row.id, actor);
  return documentRow(db, row.id)!;
}

/** Events that came before their document (a revocation, a status) now belong to it. */
function adoptOrphans(db: Db, exchangeId: string, row: DocumentRow, actor: string): boolean {
  const orphans = orphanEvents(db, exchangeId);
  if (!orphans.length) return false;
  adoptEvents(db, exchangeId, row.id);
  const revocation = orphans.find((e) => e.kind === "revocation");
  if (revocation) revoke(db, row, revocation.description, revocation.at, actor);
  return true;
}

function submitVersion(db: Db, s: Extract<Submission, { kind: "update" | "replacement" }>, actor: string): Submitted {
  const own = s.exchangeId;
  const inLineage = own ? submitInLineage(db, s, own, actor) : null;
  if (inLineage) return inLineage;
  // the same message again: its version is already the current one
  if (own) {
    const cur = anyByExchange(db, own);
    if (cur && (cur.supersedes !== null || !s.targets.includes(own)) && (!s.file || cur.sha256 === s.file.sha256)) return done(s.kind, cur, true);
  }
  const target = s.targets.map((t) => currentOfLineage(db, t)).find((r): r is DocumentRow => r !== undefined);
  const sourceKey = `${s.kind}|${own ?? ""}|${s.targets.join(",")}|${s.file?.sha256 ?? ""}`;
  if (!target) {
    // the version it replaces never reached kyso: the document was exchanged all the same, and counts once
    const row = insertVersion(
      db,
      {
        meta: s.meta,
        file: s.file,
        source: s.source,
        exchangeId: own,
        paperCopy: s.paperCopy ?? false,
        existence: s.existence ?? null,
        business: s.kind,
        orderKey: s.message?.sha256 ?? null,
      },
      actor,
    );
    addEvent(db, {
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
      rechainLineage(db, own, actor);
      linkWaitingVersions(db, own, actor);
    }
    return done(
      s.kind,
      documentRow(db, row.id)!,
      false,
      `the document it ${s.kind === "update" ? "updates" : "replaces"} (${s.targets.join(", ")}) is not in the store`,
    );
  }
  const row = insertVersion(
    db,
    {
      meta: s.meta,
      file: s.file,
      source: s.source,
      exchangeId: own ?? target.exchange_id,
      supersedes: target,
      paperCopy: s.paperCopy ?? false,
      existence: s.existence ?? null,
      business: s.kind,
      orderKey: s.message?.sha256 ?? null,
    },
    actor,
  );
  addEvent(db, {
    documentId: row.id,
    exchangeId: own ?? target.exchange_id,
    kind: s.kind,
    description: s.reason ?? null,
    at: s.meta.receivedAt,
    source: s.source,
    sourceKey,
    details: { replaces: target.id, version: row.version },
  });
  if (own ?? target.exchange_id) rechainLineage(db, (own ?? target.exchange_id)!, actor);
  return done(s.kind, documentRow(db, row.id)!, false, `version ${row.version} of document ${target.id}`);
}

function submitRevocation(db: Db, s: Extract<Submission, { kind: "revocation" }>, actor: string): Submitted {
  const target = s.targets.map((t) => currentOfLineage(db, t)).find((r): r is DocumentRow => r !== undefined);
  const fresh = addEvent(db, {
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
  if (target.exchange_id) rechainLineage(db, target.exchange_id, actor);
  else revoke(db, target, s.reason, s.at, actor);
  return done("revocation", documentRow(db, target.id)!, !fresh, "revoked: out of the figures");
}

function submitStatus(db: Db, s: Extract<Submission, { kind: "status" }>): Submitted {
  // without a DocumentId (the pre-2016 format) a status answers the document its ResponseFor names
  const a = s.answers;
  const target = s.exchangeId ? anyByExchange(db, s.exchangeId) : a?.number && a.issuedDate ? currentByUnit(db, a.sender, a.number, a.issuedDate) : undefined;
  const fresh = addEvent(db, {
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

/** Takes the oldest queued document for analysis (atomically), or undefined. */
/** The next queued document, claimed for analysis (redoable: a lost claim leaves it queued). */
export const claim = (db: Db): DocumentRow | undefined => redoable(db, () => claimNext(db));

/**
 * Records an analysis and what it gives, with its log entries (analysis, or reanalysis when the document
 * was analysed before, and a category-change entry when a known category changes), in one transaction:
 * the facts read, the change decided (./analysis.ts, the same on every backend), and committed.
 */
export function recordAnalysis(db: Db, id: string, report: DocumentReport, durationMs: number, policy: CompliancePolicy, actor = "system"): void {
  db.transaction(() => {
    const facts = analysisFactsOf(db, id, policy);
    if (!facts) throw new Error(`no document ${id}`);
    // inside the transaction the document cannot move between the read and the commit
    commitChange(db, decideAnalysis(facts, report, durationMs, actor, new Date()));
  }).immediate();
}

/**
 * A failed attempt (./analysis.ts decideFailure): back to the queue while attempts remain, else failed
 * and logged; a document already settled stays as it is.
 */
export function recordFailure(db: Db, id: string, reason: string, maxAttempts: number, actor = "system"): "retry" | "failed" | "recorded" {
  return db
    .transaction(() => {
      const facts = analysisFactsOf(db, id);
      if (!facts) return "failed";
      const { outcome, change } = decideFailure(facts, reason, maxAttempts, actor);
      if (change) commitChange(db, change);
      return outcome;
    })
    .immediate();
}

export type Outcome = { kind: "analysis"; report: DocumentReport; durationMs: number } | { kind: "failure"; reason: string; maxAttempts: number };

/** Settles a claimed document with the outcome of its analysis. */
export function settle(db: Db, id: string, outcome: Extract<Outcome, { kind: "analysis" }>, policy: CompliancePolicy, actor?: string): void;
export function settle(
  db: Db,
  id: string,
  outcome: Extract<Outcome, { kind: "failure" }>,
  policy: CompliancePolicy,
  actor?: string,
): "retry" | "failed" | "recorded";
export function settle(db: Db, id: string, outcome: Outcome, policy: CompliancePolicy, actor = "system"): void | "retry" | "failed" | "recorded" {
  // an analysis result can be redone: a power cut that loses it leaves the document to analyze again
  if (outcome.kind === "analysis") return redoable(db, () => recordAnalysis(db, id, outcome.report, outcome.durationMs, policy, actor));
  return redoable(db, () => recordFailure(db, id, outcome.reason, outcome.maxAttempts, actor));
}

/**
 * Adds or updates agencies, and queues every document the change may move to be derived again (in the
 * change's transaction); then derives them at once when there are at most `inlineUpTo` (default: all),
 * else leaves them to a background runner (the API node, whose event loop a change over many documents
 * must not hold). Returns the agencies written and the documents still waiting.
 */
export function updateDirectory(db: Db, rows: Agency[], actor: string, o: { inlineUpTo?: number } = {}): { updated: number; pending: number } {
  const updated = upsertAgencies(db, rows, actor, (d, codes) => void queueForCodes(d, codes));
  if (pendingDerivations(db) <= (o.inlineUpTo ?? Infinity)) deriveAllWaiting(db, actor);
  return { updated, pending: pendingDerivations(db) };
}

/**
 * Records a compliance policy (KYSO_REQUIRE_SENDER_SEAL, signed scans, the Nghị định 30 form: the figures
 * are derived with it from now on) and derives again the documents it may move: at once when at most
 * `inlineUpTo` documents wait (default: all), else in the background (the API node, at its start).
 * Returns the documents still waiting.
 */
export function applyPolicy(db: Db, policy: CompliancePolicy, actor = "system", o: { inlineUpTo?: number } = {}): { pending: number } {
  requestPolicy(db, policy, actor);
  if (pendingDerivations(db) <= (o.inlineUpTo ?? Infinity)) deriveAllWaiting(db, actor);
  return { pending: pendingDerivations(db) };
}

export { directoryOf };

export interface RegisterEntry {
  line: number;
  meta: DocumentMeta;
  /** a stored file the row names (kyso's layout: `sha256`, or the scan's `file`) */
  file?: StoredFile | null;
  /** the register's own paper/electronic column, recorded with the row */
  form?: "paper" | "electronic" | "both";
}

export interface RegisterOutcome {
  line: number;
  id: string;
  /** matched an electronic document (adds nothing to the count) */
  matched: boolean;
  existing: boolean;
  status: DocumentRow["status"];
}

export interface RegisterImport {
  owner: string | null;
  layout: string;
  rows: RegisterEntry[];
  source: Source;
}

/**
 * Records a register in one transaction (a bad row was refused before). Reconciliation: each row is
 * matched to the document with its sender, số/ký hiệu and date; a row matched to an electronic document
 * adds nothing to the count; an unmatched row is a paper exchange in the denominator (until its file
 * comes); electronic documents no register lists still count. Each row is kept with what it matched.
 */
export function submitRegister(db: Db, x: RegisterImport, actor: string): RegisterOutcome[] {
  return db
    .transaction((): RegisterOutcome[] => {
      const out = registerRows(db, x, x.rows, actor);
      logRegisterImport(db, x, out, actor);
      return out;
    })
    .immediate();
}

/** Rows recorded at once by submitRegisterInBatches: about 20 ms of the event loop each. */
export const REGISTER_BATCH = 50;

/**
 * submitRegister for the API node: the rows in transactions of REGISTER_BATCH, the event loop free in
 * between (a register of 20,000 rows held it 5.7 s in one transaction), then the import's log entry. Rows
 * are keyed by sender, number and date, so an import cut short (a crash between batches) is completed,
 * not doubled, by sending the register again; the client had no answer until the last batch.
 */
export async function submitRegisterInBatches(db: Db, x: RegisterImport, actor: string): Promise<RegisterOutcome[]> {
  const out: RegisterOutcome[] = [];
  for (let i = 0; i < x.rows.length; i += REGISTER_BATCH) {
    if (i > 0) await new Promise((r) => setImmediate(r));
    const batch = x.rows.slice(i, i + REGISTER_BATCH);
    out.push(...redoable(db, () => db.transaction(() => registerRows(db, x, batch, actor)).immediate()));
  }
  redoable(db, () => db.transaction(() => logRegisterImport(db, x, out, actor)).immediate());
  return out;
}

function registerRows(db: Db, x: RegisterImport, rows: RegisterEntry[], actor: string): RegisterOutcome[] {
  return rows.map((r): RegisterOutcome => {
    const s = apply(db, { kind: "document", source: x.source, meta: r.meta, file: r.file ?? null }, actor);
    const row = documentRow(db, s.id!)!;
    const matched = row.channel === "electronic";
    keepRegisterRow(db, {
      owner: x.owner ?? "",
      register: x.layout,
      key: `${r.meta.sender}|${r.meta.number ?? ""}|${r.meta.issuedDate ?? ""}|${r.meta.number || r.meta.issuedDate ? "" : r.line}`,
      line: r.line,
      sender: r.meta.sender,
      recipients: r.meta.recipients.join(","),
      number: r.meta.number ?? null,
      issued: r.meta.issuedDate ?? null,
      received: r.meta.receivedAt.slice(0, 10),
      type: r.meta.type ?? null,
      subject: r.meta.subject ?? null,
      doc: row.id,
      matched: matched ? 1 : 0,
      at: new Date().toISOString(),
      form: r.form ?? null,
    });
    return { line: r.line, id: row.id, matched, existing: s.existing, status: row.status };
  });
}

function logRegisterImport(db: Db, x: RegisterImport, out: RegisterOutcome[], actor: string): void {
  appendAudit(db, {
    actor,
    action: "register-import",
    subject: `${x.layout} register${x.owner ? ` of ${x.owner}` : ""}`,
    agency: x.owner,
    details: { rows: out.length, matched: out.filter((o) => o.matched).length, new: out.filter((o) => !o.existing).length },
  });
}
