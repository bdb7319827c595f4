// Re-verification (after a trust-store change): analyzed documents queued for a new analysis. A request is
// recorded first and its documents are queued in steps that each read a bounded window of the documents
// table by id, so queueing two million documents never holds the server's event loop (issue 27) and a
// crash mid-way resumes from the request's place. The log's `reverify` entry comes with the last step.
import { appendAudit } from "./audit.js";
import type { Db } from "./db.js";
import { now } from "../../clock.js";

export interface ReverifyFilter {
  /** documents received on or after this day (YYYY-MM-DD) */
  since?: string | undefined;
  /** documents sent by this agency */
  agency?: string | undefined;
}

interface RequestRow {
  id: number;
  since: string | null;
  agency: string | null;
  actor: string;
  after_id: string;
  queued: number;
}

/** Documents one step reads at most (~5 ms): the window the event loop waits for between steps. */
export const REVERIFY_WINDOW = 2000;

/** Records a re-verification; its documents are queued by reverifyStep. */
export function requestReverification(db: Db, f: ReverifyFilter, actor: string): number {
  return Number(
    db
      .prepare("INSERT INTO reverify_requests (since, agency, actor, requested_at) VALUES (?, ?, ?, ?)")
      .run(f.since ?? null, f.agency ?? null, actor, now().toISOString()).lastInsertRowid,
  );
}

/** Requests whose documents are still being queued. */
export const pendingReverifications = (db: Db): number => (db.prepare("SELECT count(*) AS n FROM reverify_requests").get() as { n: number }).n;

/**
 * Queues the documents of the oldest request found in the next window of the documents table (by id), in
 * one transaction; the request ends, with its log entry, when the window reaches the table's end. Returns
 * the request's id, how many it has queued so far and whether it ended; null when no request waits.
 */
export function reverifyStep(db: Db, window = REVERIFY_WINDOW): { request: number; queued: number; done: boolean } | null {
  return db
    .transaction(() => {
      const r = db.prepare("SELECT * FROM reverify_requests ORDER BY id LIMIT 1").get() as RequestRow | undefined;
      if (!r) return null;
      // PDFs only (a .doc has nothing to verify), current versions only (a superseded one counts nowhere)
      const w = ["status IN ('done', 'failed')", "sha256 IS NOT NULL", "file_kind = 'pdf'", "superseded_by IS NULL"];
      const args: unknown[] = [];
      if (r.since) (w.push("received_at >= ?"), args.push(r.since));
      if (r.agency) (w.push("sender = ?"), args.push(r.agency));
      // one agency's documents along its index; every document along the primary key
      const scope = r.agency ? "sender = ? AND id > ?" : "id > ?";
      const scopeArgs = r.agency ? [r.agency, r.after_id] : [r.after_id];
      const seen = db.prepare(`SELECT id FROM documents WHERE ${scope} ORDER BY id LIMIT ?`).all(...scopeArgs, window) as Array<{ id: string }>;
      const last = seen[seen.length - 1]?.id;
      const n =
        last === undefined
          ? 0
          : db
              .prepare(`UPDATE documents SET status = 'queued', attempts = 0 WHERE ${scope} AND id <= ? AND ${w.join(" AND ")}`)
              .run(...scopeArgs, last, ...args).changes;
      const queued = r.queued + n;
      const done = seen.length < window;
      if (done) {
        db.prepare("DELETE FROM reverify_requests WHERE id = ?").run(r.id);
        appendAudit(db, {
          actor: r.actor,
          action: "reverify",
          subject: `${queued} documents`,
          agency: r.agency,
          details: { since: r.since, agency: r.agency, queued },
        });
      } else db.prepare("UPDATE reverify_requests SET after_id = ?, queued = ? WHERE id = ?").run(last, queued, r.id);
      return { request: r.id, queued, done };
    })
    .immediate();
}

/**
 * Records a re-verification and queues its documents now, at most `maxSteps` windows (a request left by
 * an earlier one goes first); what is left is the store's background work's (`pending`). `queued`: how many
 * of this request's documents are queued so far.
 */
export function startReverification(db: Db, f: ReverifyFilter, actor: string, maxSteps = Infinity): { queued: number; pending: boolean } {
  const request = requestReverification(db, f, actor);
  let queued = 0;
  for (let i = 0; i < maxSteps; i++) {
    const s = reverifyStep(db);
    if (!s) return { queued, pending: false };
    if (s.request !== request) continue;
    queued = s.queued;
    if (s.done) return { queued, pending: false };
  }
  return { queued, pending: true };
}

/**
 * Queues analyzed documents for a new analysis, all of them now (the commands). Their category stays until
 * the new analysis replaces it; the earlier analyses and log entries stay. Logged as one `reverify` entry.
 */
export function queueReverification(db: Db, f: ReverifyFilter, actor: string): number {
  return startReverification(db, f, actor).queued;
}
