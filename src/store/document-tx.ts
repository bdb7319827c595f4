// A life-cycle step as the store runs it (DESIGN.md §3, issue 26): the rules of a step (submit, supersede,
// revoke, derive again) are written once in src/lifecycle as a script that asks the store for facts and
// writes through this interface, one operation at a time; each backend runs the script inside one of its
// own transactions, the embedded store synchronously, PostgreSQL awaiting each answer. The operations hold
// no rule: they read and write rows. A step retried after a deadlock is run again from its start.
import type { CompliancePolicy } from "../compliance/policy.js";
import type { Directory } from "../compliance/directory.js";
import type { AuditInput } from "../log/input.js";
import type { AgencyRow, DocumentRow } from "./rows.js";
import type { PolicyRequest } from "./policy-requests.js";
import type { Category } from "../compliance/index.js";

/** The columns of a document a step writes when it inserts one (what DocumentRow holds, and how its versions sort). */
export interface NewDocumentRow extends DocumentRow {
  /** what the message said this version is */
  business: "document" | "update" | "replacement";
  /** what orders versions sent at the same time (the message's SHA-256, else the file's) */
  order_key: string | null;
}

/** Every column of a document, in one order, for the backends' INSERT (a test holds it to DocumentRow). */
export const DOCUMENT_COLUMNS = [
  "id",
  "sha256",
  "bytes",
  "sender",
  "number",
  "issued_date",
  "type",
  "subject",
  "classification",
  "urgency",
  "received_at",
  "channel",
  "status",
  "attempts",
  "failure",
  "between_admin",
  "verdict",
  "content_kind",
  "nd30_complete",
  "category",
  "counts",
  "period_date",
  "created_at",
  "agency",
  "source",
  "exchange_id",
  "file_kind",
  "file_name",
  "version",
  "supersedes",
  "superseded_by",
  "revoked_at",
  "revocation_reason",
  "paper_copy",
  "held",
  "facts_logged",
  "existence_at",
  "existence_basis",
  "business",
  "order_key",
  "seals",
  "signer_binding",
  "sealed",
] as const satisfies ReadonlyArray<keyof NewDocumentRow>;

/** The columns a step may change on a document already stored (its id, never). */
export type DocumentUpdate = Partial<Omit<NewDocumentRow, "id">>;

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

/** An edXML message as received, and the document it carried. */
export interface MessageRow {
  sha256: string;
  receivedAt: string;
  sender: string;
  number: string | null;
  documentId: string | null;
  attachments: unknown;
  kind: string;
  exchangeId: string | null;
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

/**
 * What a step may ask of the store inside its transaction: rows read and rows written, nothing decided.
 * Reads see the step's own writes. "Current" is a version no later version superseded.
 */
export interface DocumentTx {
  documentRow(id: string): DocumentRow | undefined;
  /** the document's recipients, in bytewise order */
  recipientsOf(id: string): string[];
  /** the current document with this file */
  currentBySha(sha256: string): DocumentRow | undefined;
  /** the latest version (by version number) with this file, current or not */
  anyBySha(sha256: string): DocumentRow | undefined;
  /** the latest version (by version number) carrying this DocumentId, superseded or not */
  anyByExchange(exchangeId: string): DocumentRow | undefined;
  /** the current document of this sender, number and issue date */
  currentByUnit(sender: string, number: string, issuedDate: string): DocumentRow | undefined;
  /** up to two current documents of this sender and number, any date; with `dateless`, only those without a date */
  currentBySenderNumber(sender: string, number: string, dateless: boolean): DocumentRow[];
  /**
   * Every version carrying this DocumentId in the order the exchange sent them: by received_at, then the
   * original before updates before replacements, then order_key (null as ''), created_at and id, bytewise.
   */
  versionsOf(exchangeId: string): DocumentRow[];
  /** the lineage's earliest revocation (by its time, then description with null as '', then seq) */
  lineageRevocation(exchangeId: string): { at: string; description: string | null } | undefined;
  /** the recipients the lineage's delivery events name, in event order */
  forwardedTo(exchangeId: string): string[];
  /** events of this DocumentId that answered no document when they came, in event order */
  orphanEvents(exchangeId: string): EventRow[];
  /** no update or replacement event names the document (a lineage's original) */
  isOriginal(id: string): boolean;
  /** documents of other DocumentIds whose update or replacement named `lineage` before it was here (details.found false) */
  versionsWaitingFor(lineage: string): string[];
  /** this edXML message (its SHA-256) was recorded before */
  messageKnown(sha256: string): boolean;
  /** the directory as the store holds it now */
  directory(): Directory;
  /** the compliance policy the figures are derived with */
  policy(): CompliancePolicy;

  insertDocument(row: NewDocumentRow): void;
  updateDocument(id: string, columns: DocumentUpdate): void;
  /** adds recipients not already there; `via` "forward": an agency the document was forwarded to */
  addDeliveries(id: string, recipients: readonly string[], via: "forward" | null): void;
  /** removes the recipients a forward added; how many */
  dropForwardDeliveries(id: string): number;
  /** records an event once (the same source key again changes nothing); true when it was new */
  addEvent(e: EventInput): boolean;
  /** the DocumentId's status, revocation and delivery events belong to the document (its current version) */
  moveLineageEvents(exchangeId: string, documentId: string): void;
  /** records a refused submission once; true when it was new */
  recordConflict(c: ConflictInput): boolean;
  /** records an edXML message once */
  recordMessage(m: MessageRow): void;
  keepRegisterRow(r: RegisterRowRecord): void;
  /** appends an entry to the verification log, in this transaction */
  log(entry: AuditInput): void;

  /** the agency as the store holds it */
  agencyRow(code: string): AgencyRow | undefined;
  /** adds the agency, or replaces the one of that code (the directory() read after it includes it) */
  putAgency(row: AgencyRow): void;
  /** the senders of documents with a valid signature (whose seals a name or certificate may move) */
  sealedSenders(): string[];
  /**
   * Records a directory change's codes: the documents held as directory gaps, and those naming one of the
   * codes as sender, agency counted for or recipient, are to be derived again. They are found later, a
   * slice at a time (expandDerivations), so the change's step is short whatever the store's size.
   */
  queueDerivations(codes: readonly string[], at: string): void;
  /** the next `limit` documents (by id) of the oldest change's walk: those it concerns queued; false when no change is walked */
  expandDerivations(limit: number): boolean;
  /** the next documents queued to be derived again, oldest first (by queue time, then id) */
  queuedBatch(limit: number): string[];
  /** the document is derived again: off the queue */
  dropQueued(id: string): void;
  /** documents queued, and one for each change whose documents are still being found */
  queuedCount(): number;
  /** the policy as recorded, undefined before one was */
  recordedPolicy(): CompliancePolicy | undefined;
  /** records the policy (the policy() read after it is this one) */
  storePolicy(p: CompliancePolicy): void;
  /** documents in these categories, from the counts the store keeps */
  countInCategories(categories: readonly Category[]): number;
  /** opens a policy change's walk at the start of `category`; its number */
  openPolicyRequest(r: { previous: CompliancePolicy; actor: string; at: string; total: number; category: Category }): number;
  /** the oldest open policy change */
  oldestPolicyRequest(): PolicyRequest | undefined;
  /** how many policy changes are still open */
  openPolicyRequests(): number;
  /** the next documents of a category with an id after `afterId` (bytewise), in id order */
  categoryBatch(category: Category, afterId: string, limit: number): string[];
  /** moves a policy change's walk on, or ends it (null) */
  movePolicyRequest(id: number, at: { category: Category; afterId: string; done: number } | null): void;

  /** records a re-verification (after a trust-store change); its number */
  openReverifyRequest(r: ReverifyRequest & { actor: string; at: string }): number;
  /** the oldest re-verification whose documents are still being queued */
  oldestReverifyRequest(): (ReverifyRequest & { id: number; actor: string; afterId: string; queued: number }) | undefined;
  openReverifyRequests(): number;
  /**
   * The next `window` documents after `afterId` (bytewise; the agency's only when it names one): those of
   * them that are current, analysed (done or failed) PDFs received on or after `since` are queued for a new
   * analysis. How many the window read, its last id, and how many were queued.
   */
  queueWindowForAnalysis(r: ReverifyRequest, afterId: string, window: number): { seen: number; last: string | undefined; queued: number };
  /** moves a re-verification's walk on, or ends it (null) */
  moveReverifyRequest(id: number, at: { afterId: string; queued: number } | null): void;
}

/** What a re-verification covers: documents received on or after a day, of one agency. */
export interface ReverifyRequest {
  since: string | null;
  agency: string | null;
}

/** What a refused write collided with: the unique index of a current version's file, lineage or unit; or another constraint. */
export type Collision = "file" | "lineage" | "unit" | "other";

/** One operation a script asks for: a DocumentTx call, or a part run alone whose refusal is undone alone. */
export type TxOp = { [K in keyof DocumentTx]: { op: K; args: Parameters<DocumentTx[K]> } }[keyof DocumentTx] | { op: "attempt"; script: TxScript<unknown> };

/** A step's script: it yields the operations it needs and receives their answers. */
export type TxScript<T> = Generator<TxOp, T, unknown>;

/** The outcome of a part run alone: its value, or the constraint that refused it (its writes undone). */
export type Attempt<T> = { ok: true; value: T } | { ok: false; collision: Collision; message: string };

/** Asks the store for one operation (`yield* ask("documentRow", id)`). */
export function* ask<K extends keyof DocumentTx>(op: K, ...args: Parameters<DocumentTx[K]>): Generator<TxOp, ReturnType<DocumentTx[K]>, unknown> {
  return (yield { op, args } as TxOp) as ReturnType<DocumentTx[K]>;
}

/** Runs part of a step alone (a savepoint): a unique index refusing it undoes that part only. */
export function* attempt<T>(script: TxScript<T>): Generator<TxOp, Attempt<T>, unknown> {
  return (yield { op: "attempt", script }) as Attempt<T>;
}

/** Runs a script against a synchronous store, in the caller's transaction (the embedded store). */
export function runScript<T>(tx: DocumentTx, script: TxScript<T>, alone: <U>(script: TxScript<U>) => Attempt<U>): T {
  let step = script.next();
  while (!step.done) {
    const o = step.value;
    let answer: unknown;
    try {
      answer = o.op === "attempt" ? alone(o.script) : (tx[o.op] as (...a: unknown[]) => unknown)(...o.args);
    } catch (e) {
      step = script.throw(e);
      continue;
    }
    step = script.next(answer);
  }
  return step.value;
}

/** An asynchronous store's operations (PostgreSQL): the same, answered later. */
export type AsyncDocumentTx = { [K in keyof DocumentTx]: (...a: Parameters<DocumentTx[K]>) => Promise<ReturnType<DocumentTx[K]>> };

/** Runs a script against an asynchronous store, in the caller's transaction. */
export async function runScriptAsync<T>(tx: AsyncDocumentTx, script: TxScript<T>, alone: <U>(script: TxScript<U>) => Promise<Attempt<U>>): Promise<T> {
  let step = script.next();
  while (!step.done) {
    const o = step.value;
    let answer: unknown;
    try {
      answer = o.op === "attempt" ? await alone(o.script) : await (tx[o.op] as (...a: unknown[]) => Promise<unknown>)(...o.args);
    } catch (e) {
      step = script.throw(e);
      continue;
    }
    step = script.next(answer);
  }
  return step.value;
}
