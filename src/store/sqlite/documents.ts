// Documents, deliveries, analyses and agencies in the store. The category of a document is derived from
// stored facts by the compliance rules (never typed in), and the daily rollup follows by trigger.
import { redoable, type Db } from "./db.js";
import type { DocumentRow } from "../rows.js";
import { analysisAuditInput } from "../row-facts.js";

// what lived here before: the rows' shapes and the directory, for the files that import them from here
export type { DocumentMeta, DocumentRow } from "../rows.js";
export { existenceOf } from "../existence.js";
export { agencyKinds, directoryOf, listAgencies, type Agency } from "./directory.js";

export interface Inserted {
  id: string;
  sha256: string | null;
  status: DocumentRow["status"];
  /** the same document was already known (same bytes, or same sender + number + date) */
  existing: boolean;
}

/** Takes the oldest queued document for analysis (atomically), or undefined. */
export function claimNext(db: Db): DocumentRow | undefined {
  return db
    .prepare(
      "UPDATE documents SET status = 'processing', attempts = attempts + 1 WHERE id = (SELECT id FROM documents WHERE status = 'queued' ORDER BY created_at, id LIMIT 1) RETURNING *",
    )
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

export { analysisAuditInput };

/** A document waits to be handed to a runner. */
export const hasQueued = (db: Db): boolean => db.prepare("SELECT 1 FROM documents WHERE status = 'queued' LIMIT 1").get() !== undefined;

/** Documents queued, and handed to a runner but not settled (offered again after a restart). */
export const unfinishedDocuments = (db: Db): DocumentRow[] =>
  db.prepare("SELECT * FROM documents WHERE status IN ('queued', 'processing')").all() as DocumentRow[];

/** Documents waiting for a runner. */
export const queuedDocuments = (db: Db): DocumentRow[] => db.prepare("SELECT * FROM documents WHERE status = 'queued'").all() as DocumentRow[];

/** Documents handed to a runner whose result has not come back. */
export const processingIds = (db: Db): string[] =>
  (db.prepare("SELECT id FROM documents WHERE status = 'processing'").all() as Array<{ id: string }>).map((r) => r.id);

/** Marks documents handed to a runner (`processing`), in the caller's transaction; settled ones stay as they are. */
export function markProcessing(db: Db, ids: readonly string[]): void {
  const mark = db.prepare("UPDATE documents SET status = 'processing' WHERE id = ? AND status IN ('queued', 'processing')");
  for (const id of ids) mark.run(id);
}

/** A document's status, or undefined when there is no such document. */
export const statusOf = (db: Db, id: string): DocumentRow["status"] | undefined =>
  (db.prepare("SELECT status FROM documents WHERE id = ?").get(id) as { status: DocumentRow["status"] } | undefined)?.status;

/** The stored files documents name (a backup checks each is there). */
export const documentsWithFiles = (db: Db): IterableIterator<{ id: string; sha256: string }> =>
  db.prepare("SELECT id, sha256 FROM documents WHERE sha256 IS NOT NULL").iterate() as IterableIterator<{ id: string; sha256: string }>;

/** Documents not analyzed yet: queued, or handed to a runner (with BullMQ, `processing` until the result comes back). */
export function queueDepth(db: Db): number {
  return (db.prepare("SELECT count(*) n FROM documents WHERE status IN ('queued', 'processing')").get() as { n: number }).n;
}
