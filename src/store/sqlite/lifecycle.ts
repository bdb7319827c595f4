// The embedded store's side of a document's life (src/lifecycle writes the steps, store/sqlite/document-tx
// runs them): the stored policy, the reads the API and the reconciliation list, the one-time settling of
// older stores, and the queue of documents a directory change derives again. Deriving a document is
// lifecycle/derive.ts's script, run here in the caller's transaction.
import { DEFAULT_POLICY, type CompliancePolicy } from "../../compliance/index.js";
export { categoryChange, derivation, documentFacts, factsDigest, FACTS_VERSION, factsOf, type FactRow } from "../row-facts.js";
import { gapsOf, type GapRow } from "../../compliance/gaps.js";
import type { EventRow } from "../document-tx.js";
import type { Db } from "./db.js";
import { directoryOf } from "./directory.js";
import type { DocumentRow } from "../rows.js";
import type { ConflictRow } from "../reconciliation.js";

export type { EventRow } from "../document-tx.js";

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

export function recipientsOf(db: Db, id: string): string[] {
  return (db.prepare("SELECT recipient FROM deliveries WHERE document_id = ? ORDER BY recipient").all(id) as Array<{ recipient: string }>).map(
    (r) => r.recipient,
  );
}

export type { ConflictRow } from "../reconciliation.js";

export const conflictsOf = (db: Db, limit = 1000): ConflictRow[] => db.prepare("SELECT * FROM conflicts ORDER BY id DESC LIMIT ?").all(limit) as ConflictRow[];
export const conflictCount = (db: Db): number => (db.prepare("SELECT count(*) AS n FROM conflicts").get() as { n: number }).n;

export const eventsOf = (db: Db, documentId: string): EventRow[] =>
  db.prepare("SELECT * FROM document_events WHERE document_id = ? ORDER BY seq").all(documentId) as EventRow[];

/**
 * A directory change's codes recorded: the documents it may move (held gaps, and those naming a code as
 * sender, agency or recipient) are found later, a slice of the documents at a time (expandRequest), so
 * the change's own transaction is short whatever the store's size.
 */
export function requestDerivations(db: Db, codes: readonly string[], at = new Date().toISOString()): void {
  db.prepare("INSERT INTO derivation_requests (codes, queued_at) VALUES (?, ?)").run(JSON.stringify([...new Set(codes)].sort()), at);
}

/** The codes of the directory changes whose documents are still being found, oldest first. */
export const derivationRequestCodes = (db: Db): string[][] =>
  (db.prepare("SELECT codes FROM derivation_requests ORDER BY id").all() as Array<{ codes: string }>).map((r) => JSON.parse(r.codes) as string[]);

/**
 * The next `limit` documents (by id) of the oldest change's walk: those it concerns queued, the walk moved
 * on, the change's row gone after its last slice. False when no change is being walked.
 */
export function expandRequest(db: Db, limit: number): boolean {
  const r = db.prepare("SELECT id, codes, queued_at, after_id FROM derivation_requests ORDER BY id LIMIT 1").get() as
    { id: number; codes: string; queued_at: string; after_id: string } | undefined;
  if (!r) return false;
  const slice = db.prepare("SELECT id FROM documents WHERE id > ? ORDER BY id LIMIT ?").all(r.after_id, limit) as Array<{ id: string }>;
  const last = slice.at(-1)?.id;
  if (last !== undefined)
    db.prepare(
      `INSERT OR IGNORE INTO pending_derivations (id, queued_at)
       SELECT d.id, ? FROM documents d WHERE d.id > ? AND d.id <= ? AND (d.held = 'directory-gap'
         OR d.sender IN (SELECT value FROM json_each(?)) OR d.agency IN (SELECT value FROM json_each(?))
         OR EXISTS (SELECT 1 FROM deliveries v WHERE v.document_id = d.id AND v.recipient IN (SELECT value FROM json_each(?))))`,
    ).run(r.queued_at, r.after_id, last, r.codes, r.codes, r.codes);
  if (slice.length < limit) db.prepare("DELETE FROM derivation_requests WHERE id = ?").run(r.id);
  else db.prepare("UPDATE derivation_requests SET after_id = ? WHERE id = ?").run(last, r.id);
  return true;
}

/** Documents a directory change queued to be derived again, and one for each change whose documents are still being found. */
export const queuedDerivations = (db: Db): number =>
  (db.prepare("SELECT (SELECT count(*) FROM pending_derivations) + (SELECT count(*) FROM derivation_requests) n").get() as { n: number }).n;

/** The documents waiting to be derived again (the replay leaves their derived fields to that). */
export const pendingDerivationIds = (db: Db): Set<string> =>
  new Set((db.prepare("SELECT id FROM pending_derivations").all() as Array<{ id: string }>).map((r) => r.id));

/** The next `batch` documents a directory change queued, oldest first. */
export const pendingBatch = (db: Db, batch: number): string[] =>
  (db.prepare("SELECT id FROM pending_derivations ORDER BY queued_at, id LIMIT ?").all(batch) as Array<{ id: string }>).map((r) => r.id);

/** The document is derived again: off the queue. */
export const dropPending = (db: Db, id: string): void => void db.prepare("DELETE FROM pending_derivations WHERE id = ?").run(id);

/** Whether the document is still in the store. */
export const documentExists = (db: Db, id: string): boolean => db.prepare("SELECT 1 FROM documents WHERE id = ?").get(id) !== undefined;

/** Versions superseded before migration 9 held them out (an older store's), to derive again once. */
export const unsettledSuperseded = (db: Db): string[] | null =>
  db.prepare("SELECT 1 FROM settings WHERE key = 'lineages-settled'").get()
    ? null
    : (db.prepare("SELECT id FROM documents WHERE superseded_by IS NOT NULL AND (held IS NULL OR held <> 'superseded')").all() as Array<{ id: string }>).map(
        (r) => r.id,
      );

export const markLineagesSettled = (db: Db, n: number): void =>
  void db.prepare("INSERT OR REPLACE INTO settings (key, value) VALUES ('lineages-settled', ?)").run(String(n));

/** Analysed documents from before seals were kept (migration 10), with their latest report. */
export const unsealedReports = (db: Db): Array<{ id: string; report: string }> =>
  db
    .prepare(
      "SELECT d.id, a.report FROM documents d JOIN analyses a ON a.id = (SELECT max(id) FROM analyses WHERE document_id = d.id) WHERE d.status = 'done' AND d.seals IS NULL",
    )
    .all() as Array<{ id: string; report: string }>;

/** Documents in the figures whose facts were never logged (a store from before facts were logged). */
export const unanchored = (db: Db): DocumentRow[] =>
  db.prepare("SELECT * FROM documents WHERE facts_logged IS NULL AND (category IS NOT NULL OR held IS NOT NULL)").all() as DocumentRow[];

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
