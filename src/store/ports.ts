// The store's ports, named by what they keep, with no connection or transaction type in them (DESIGN.md
// §3): each backend (store/sqlite, the embedded default; store/postgres, for provinces that run it)
// implements them, and one contract suite (tests/store/contract) holds both to the same behaviour.
// Asynchronous because a database across a network answers later; the embedded one answers at once.
import type { AuditEntry } from "../log/entry.js";
import type { AuditInput } from "../log/input.js";
import type { ConsistencyProof, InclusionProof } from "../log/proof.js";
import type { Counted } from "../compliance/kpi.js";
import type { Directory } from "../compliance/directory.js";
import type { CompliancePolicy } from "../compliance/policy.js";
import type { Agency, DocumentRow } from "./rows.js";
import type { TxScript } from "./document-tx.js";
import type { ApiKey, LiveSession, Role, SessionHolder } from "./access-rules.js";

/** The verification log: appended in order, one chain whichever node writes, proven from its signed heads. */
export interface LogPort {
  /** Appends the entries in order, in one commit: all are in the log afterwards, or none. */
  append(inputs: readonly AuditInput[], at?: Date): Promise<AuditEntry[]>;
  /** The newest entry's number and hash (0 and the genesis hash for an empty log). */
  head(): Promise<{ seq: number; hash: string }>;
  /** Up to `limit` entries after entry `afterSeq`, in log order. */
  entries(afterSeq: number, limit: number): Promise<AuditEntry[]>;
  /** That entry `seq` is in the tree of the log's first `size` entries (default: the whole log). */
  proveInclusion(seq: number, size?: number): Promise<InclusionProof>;
  /** That the log's first `second` entries (default: all) extend its first `first` unchanged. */
  proveConsistency(first: number, second?: number): Promise<ConsistencyProof>;
  close(): Promise<void>;
}

/**
 * The life-cycle store, its queue so far: documents waiting for analysis are claimed one at a time by
 * whichever node asks, never two nodes the same one, and a claim whose node died returns to the queue.
 */
export interface LifecycleStore {
  /** The oldest queued document, now `processing` and held by `node` until the lease ends; undefined when none waits. */
  claim(node: string, leaseMs: number, now?: Date): Promise<DocumentRow | undefined>;
  /** Documents a node took and did not settle go back to the queue (a settled one stays as it is); with `node`, only those it still holds. */
  requeue(ids: readonly string[], node?: string): Promise<void>;
  /** Claims whose lease ended before `now` (their node stopped) go back to the queue; how many. */
  reclaimExpired(now?: Date): Promise<number>;
  /** Documents queued or being analysed. */
  queueDepth(): Promise<number>;
  /** What settling the document (an analysis, a failed attempt) is decided from; undefined when there is no such document. */
  analysisFacts(id: string, policy?: CompliancePolicy): Promise<AnalysisFacts | undefined>;
  /**
   * Commits a settled step in one transaction (the claim ends with it). False, and nothing written, when the
   * document moved since its facts were read (its status, attempts or recorded facts), or, with `by`, when
   * that node no longer holds the claim it settles (its lease ended and another node took the document).
   */
  commit(change: DocumentChange, by?: ClaimHolder): Promise<boolean>;
  // hand-overs: a queue outside the store (BullMQ) takes documents without a claim, and a runner starting
  // puts back what a claimless process left `processing`
  /** Every queued document, now `processing` without a claim (another queue holds it), oldest first; two nodes never get the same one. */
  handOut(): Promise<DocumentRow[]>;
  /** Documents `processing` that no claim holds: handed to another queue, or left by a process from before claims. */
  unclaimed(): Promise<string[]>;
  /** Those unclaimed documents go back to the queue, in one step (a claim meanwhile is left alone); how many. */
  requeueUnclaimed(): Promise<number>;
  /** The nodes holding claims and the documents each holds (a starting runner puts back those of its host's dead processes). */
  holders(): Promise<Array<{ node: string; ids: string[] }>>;
  /**
   * Runs a step of a document's life (a script src/lifecycle writes: submit, supersede, revoke, derive
   * again) in one transaction: all its writes are kept, or none. `script` is called again from the start
   * when the database ends the transaction to break a deadlock.
   */
  run<T>(script: () => TxScript<T>): Promise<T>;
  close(): Promise<void>;
}

/** Days from `from` to `to`, both included (YYYY-MM-DD). */
export interface Period {
  from: string;
  to: string;
}

/**
 * What the figures are read from: rollups kept as documents change, the directory, and the few documents
 * held out (an index each), never the documents table as a whole. The figures themselves (rates, gaps,
 * ranks, trends) are composed from these by store/read-model, the same on every backend.
 */
export interface ReadModel {
  /** The period's documents in the figures, one row per (month, sender, category) with its sums. */
  counted(p: Period, agency?: string): Promise<Counted[]>;
  /** Documents in the figures (all categories but excluded) and those counted, summed over each range of days. */
  sums(ranges: readonly Period[], agency?: string): Promise<Array<{ denominator: number; numerator: number }>>;
  /** The period's documents held out of the figures, by the agency they would count for and why. */
  held(p: Period): Promise<Array<{ agency: string; held: string; n: number }>>;
  /** The directory's agencies, in code order. */
  agencies(): Promise<Agency[]>;
  /** The documents held out because the directory lacks a code they name, with their recipients. */
  gapDocuments(): Promise<Array<{ sender: string; receivedAt: string; recipients: string[] }>>;
  /** Documents a directory or policy change is still deriving again (the figures are being updated). */
  pendingDerivations(): Promise<number>;
  /** Calendar months (YYYY-MM) that hold documents, oldest first. */
  months(): Promise<string[]>;
  /** For each range of days, whether the rollups hold any document in it. */
  anyIn(ranges: readonly Period[]): Promise<boolean[]>;
  /** The period's validly signed documents their sender did not seal, with the binding their analysis recorded. */
  notSealed(p: Period): Promise<Array<{ id: string; number: string | null; periodDate: string; sender: string; signerBinding: string | null }>>;
}

/** Who may use kyso: API keys (only their hashes kept; creation and revocation logged) and the pages' sessions. */
export interface AccessStore {
  /** A new key; its text is returned once and never stored. Throws on a bad role, label or senders. */
  createKey(role: Role, label: string, actor: string, senders?: string[] | null): Promise<{ key: string } & ApiKey>;
  listKeys(): Promise<ApiKey[]>;
  /** Revokes an active key at once; false when there is no such active key. */
  revokeKey(id: string, actor: string): Promise<boolean>;
  /** The active key a bearer token names, or null (in the same time whatever matches). */
  authenticate(token: string): Promise<ApiKey | null>;
  activeKeyCount(): Promise<number>;
  /** Starts a session of `ttlMs`; the token goes into the cookie and is never stored. */
  createSession(holder: SessionHolder, o: { ttlMs: number; now?: number }): Promise<{ token: string; expiresAt: string }>;
  /** The live session a token names, or null: unknown, signed out, expired, or its key revoked. */
  findSession(token: string, now?: number): Promise<LiveSession | null>;
  /** Ends the session a token names (sign-out); false when there was none. */
  endSession(token: string): Promise<boolean>;
}

/** The node settling a document and the attempt it claimed: a commit checks the claim is still its own. */
export interface ClaimHolder {
  node: string;
  attempts: number;
}

/** What a document's step is settled from: the document as it is now, its recipients, the directory and the policy. */
export interface AnalysisFacts {
  row: DocumentRow;
  recipients: string[];
  /** an analysis was recorded for it before (the entry is then a reanalysis) */
  analysedBefore: boolean;
  directory: Directory;
  policy: CompliancePolicy;
}

/**
 * One settled step of a document's life, as one change: the document's columns after it, an analysis with
 * its signature rows when there is one, and the log entries that say so. Committed only while the document
 * is still as the facts had it (`expect`); an analysis's entry gets the number the commit gives its row
 * (details.analysisId).
 */
export interface DocumentChange {
  id: string;
  expect: Pick<DocumentRow, "status" | "attempts">;
  columns: Partial<Pick<DocumentRow, SettledColumn>>;
  analysis?: {
    engine: string;
    trustStore: string;
    validationTime: string;
    durationMs: number;
    report: string;
    createdAt: string;
    signatures: Array<{ idx: number; kind: string; indication: string; subIndication: string | null; signerSubject: string | null; signerKind: string | null }>;
    /** the analysis's own entry, logged after `entries` */
    entry: AuditInput;
  };
  /** entries logged in this order (before the analysis's own) */
  entries: AuditInput[];
}

/** The columns a settled step may write: what an analysis records and what the figures read. */
export const SETTLED_COLUMNS = [
  "status",
  "failure",
  "verdict",
  "content_kind",
  "nd30_complete",
  "seals",
  "between_admin",
  "held",
  "category",
  "counts",
  "agency",
  "sealed",
  "signer_binding",
  "facts_logged",
] as const;
export type SettledColumn = (typeof SETTLED_COLUMNS)[number];

/** A document as the check reads it: its row and its recipients (bytewise order, as every backend records them). */
export interface StoredDocument {
  row: DocumentRow;
  recipients: string[];
}

/** A rollup row, or the documents' own sums for it: (day or month, sender or agency, category) and its sums. */
export interface RollupSum {
  period: string;
  sender: string;
  category: string;
  n: number;
  counts: number;
  nd30: number;
  sealed: number;
}

/**
 * What `kyso audit verify` reads (DESIGN.md §3): the log, its stored subtrees and signed heads, and what the
 * figures are built from, in batches, so the check holds a batch in memory whatever the store's size. No
 * decision is made here: store/check decides from these answers the same way on every backend.
 */
export interface CheckSource {
  /** The head row the last append wrote (0 and the genesis hash for an empty log). */
  recordedHead(): Promise<{ seq: number; hash: string }>;
  /** Up to `limit` stored entries after entry `afterSeq`, in log order (a missing entry shows as a jump). */
  entries(afterSeq: number, limit: number): Promise<AuditEntry[]>;
  /** The entry numbered `seq`, or null. */
  entryAt(seq: number): Promise<AuditEntry | null>;
  /** The log-key entries in log order, their details as stored (text). */
  keyEntries(): Promise<Array<{ seq: number; details: string }>>;
  /**
   * The hex hash of each perfect subtree (height, lo) asked for, of the tree over the first `size` entries:
   * stored ones as stored, the others hashed from the entries (a leaf is its entry's leaf hash).
   */
  subtrees(size: number, wanted: ReadonlyArray<readonly [height: number, lo: number]>): Promise<string[]>;
  /** The signed head at entry `seq` with the public key the log recorded for its key; null when it has none. */
  signedHead(seq: number): Promise<(import("../log/signed-history.js").KeptHead & { at: string; publicKey: string }) | null>;
  /** The details (text) of the newest analysis or reanalysis entry at or before entry `seq`; null when none. */
  lastAnalysisEntry(seq: number): Promise<string | null>;
  /** Up to `limit` analyses numbered above `afterId`, in order, and whether their document is stored. */
  analysesAfter(afterId: number, limit: number): Promise<Array<{ id: number; documentId: string; documentStored: boolean }>>;
  /** Up to `limit` documents after the cursor (null: from the first), every stored row once, in a stable order; the next cursor, null at the end. */
  documents(after: string | null, limit: number): Promise<{ documents: StoredDocument[]; next: string | null }>;
  /** These documents (those stored), by id. */
  documentsIn(ids: readonly string[]): Promise<StoredDocument[]>;
  /** The analysis, reanalysis, analysis-failed and document-facts entries naming these documents, in log order, details as text. */
  documentEntries(ids: readonly string[]): Promise<Array<{ seq: number; action: string; documentId: string; details: string }>>;
  /** The analyses of these documents, by number. */
  analysesOf(ids: readonly string[]): Promise<Array<{ id: number; documentId: string; report: string }>>;
  /** The signature rows of these analyses, by analysis and index. */
  signaturesOf(analysisIds: readonly number[]): Promise<StoredSignature[]>;
  /** One analysis whose document is not stored, or null. */
  orphanAnalysis(): Promise<{ id: number; documentId: string } | null>;
  /** The documents in the figures (category set) summed by (day or month, agency, category); with `days`, those of these days only. */
  documentSums(by: "day" | "month", days?: readonly string[]): Promise<RollupSum[]>;
  /** The rollup rows that hold anything, daily or monthly; with `periods` (days, or months), those of these periods only. */
  rollups(table: "daily" | "monthly", periods?: readonly string[]): Promise<RollupSum[]>;
  /** The documents counted by status, category and whether held. */
  documentBuckets(): Promise<Array<{ status: string; category: string | null; held: boolean; n: number }>>;
  /** The counts /metrics reads (document_counts) that hold anything. */
  documentCounts(): Promise<Array<{ status: string; bucket: string; n: number }>>;
  /** Documents a directory change queued to be derived again. */
  pendingDerivations(): Promise<string[]>;
  /** The codes of each directory change whose documents are still being found (its documents are pending too). */
  derivationRequests(): Promise<string[][]>;
  directory(): Promise<Directory>;
  /** The policy as recorded now; undefined before one was recorded. */
  policy(): Promise<CompliancePolicy | undefined>;
  /** Policy changes whose documents are still being derived again, oldest first. */
  policyRequests(): Promise<import("./policy-requests.js").PolicyRequest[]>;
  /**
   * The stored files the store names (documents' PDFs, edXML messages), with whose they are, a page at a
   * time: from the first (`after` null) or from where the page before said (`next`, null after the last).
   */
  namedFiles(after: string | null, limit: number): Promise<{ files: Array<{ sha256: string; owner: string }>; next: string | null }>;
  /** Runs `work` on one moment of the store (a read transaction): writes committed meanwhile are not seen. */
  snapshot<T>(work: (source: CheckSource) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** A signature row as stored, with its analysis. */
export interface StoredSignature {
  analysisId: number;
  idx: number;
  kind: string;
  indication: string;
  sub_indication: string | null;
  signer_subject: string | null;
  signer_kind: string | null;
}

/**
 * What the API reads of documents: the list (its filters, text query, sort and cursor: store/document-list
 * decides the order and what a query matches, so every backend gives the same pages) and one document
 * with what its pages show.
 */
export interface DocumentReads {
  /** A page of the list, the next page's cursor and, on the first page, the total; a cursor of another order throws SortCursorError. */
  list(q: import("./document-list/query.js").DocumentListQuery): Promise<import("./document-list/query.js").DocumentPage>;
  /** The document with its recipients (bytewise order); undefined when there is no such document. */
  document(id: string): Promise<(DocumentRow & { recipients: string[] }) | undefined>;
  /** What the exchange said of it (received, revoked, …), in the order recorded. */
  events(id: string): Promise<DocumentEvent[]>;
  /** Its latest analysis with the report exactly as stored (the log holds its SHA-256); undefined before any. */
  latestAnalysis(id: string): Promise<StoredAnalysis | undefined>;
}

/** An event of the exchange about a document (a status report, a revocation). */
export interface DocumentEvent {
  kind: string;
  code: string | null;
  description: string | null;
  at: string;
  source: string;
}

export interface StoredAnalysis {
  id: number;
  reportJson: string;
  createdAt: string;
}

/**
 * What /readyz, /metrics and the pages' header read: the counts and totals each backend keeps by trigger
 * as documents and analyses change, and a few index seeks, so a scrape costs the same at any store size.
 */
export interface Operations {
  /** Resolves when the store answers a statement, rejects with why not (readiness). */
  answers(): Promise<void>;
  /** Documents by status and place in the figures (their category, else `held` or `pending`): the pairs that hold any, by status then place, bytewise. */
  documentCounts(): Promise<Array<{ status: string; bucket: string; n: number }>>;
  /** Documents held outside every category, by reason (bytewise), read through the index of held documents. */
  heldCounts(): Promise<Array<{ reason: string; n: number }>>;
  /** Analyses recorded (reanalyses included) and the milliseconds they took in all. */
  analysisTotals(): Promise<{ analyses: number; ms: number }>;
  /** Documents by the trust store their latest analysis was made under, most first, then by store (bytewise). */
  trustStoresSeen(): Promise<TrustStoreCount[]>;
  /** The newest recorded analysis's or document's time (ISO 8601); null for an empty store. */
  dataAsOf(): Promise<string | null>;
}

/** The documents whose current report one trust store made. */
export interface TrustStoreCount {
  /** the report's engine.trustStore: a hash over its anchors' fingerprints */
  readonly trustStore: string;
  readonly documents: number;
}

/**
 * What auditors read of the log beyond its entries in order (GET /api/v1/audit, a document's evidence): the
 * entries a filter admits, a page at a time (the export reads these pages: log/export-script.ts), and
 * proofs of several entries against one signed head. Every backend admits the same entries in log order.
 */
export interface LogReads {
  /** The newest entry's number and hash (0 and the genesis hash for an empty log). */
  head(): Promise<{ seq: number; hash: string }>;
  /** Up to `limit` entries the filter admits after entry `afterSeq`, in log order; `next`, the cursor of the page after (null: none). */
  page(f: import("../log/filter.js").AuditFilter, afterSeq: number, limit: number): Promise<import("../log/filter.js").LogPage<AuditEntry>>;
  /** Each of these entries (those within `size`) in the tree of the log's first `size` entries, against its signed head. */
  proveEntries(seqs: readonly number[], size: number): Promise<import("../log/proof.js").EntryProofs>;
}

/**
 * What the exchanges left unsettled, as the API's directory and reconciliation routes (and `kyso reconcile`)
 * show it: documents held out of the figures, the conflicts the store recorded instead of taking a message,
 * and the registers against the electronic exchanges. Lists in bytewise order of their text keys on every backend.
 */
export interface ExchangeReads {
  /** Documents held out of the figures, counted by why (directory-gap, revoked, superseded, …). */
  heldCounts(): Promise<Record<string, number>>;
  /** The newest `limit` conflicts, newest first. */
  conflicts(limit: number): Promise<import("./reconciliation.js").ConflictRow[]>;
  /** The registers (of the owner, their rows issued within the days given) against the electronic exchanges, both ways. */
  reconciliation(f: import("./reconciliation.js").ReconcileFilter): Promise<import("./reconciliation.js").Reconciliation>;
}

/**
 * The stored files (the PDFs and other attachments exchanged), content-addressed: a file is kept under its
 * SHA-256, written (durably) before any row names it, and never changed, so any node reading the same
 * folder reads the same file and a backup copies only what it lacks. The data folder's BlobStore is the
 * one implementation, for either database.
 */
export interface BlobPort {
  /** Keeps the bytes, durable when it resolves; their SHA-256. */
  putAsync(bytes: Uint8Array): Promise<string>;
  has(sha256: string): boolean;
  /** A local file holding them, for the analysis threads that read it. */
  pathOf(sha256: string): string;
}
