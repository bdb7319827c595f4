// Re-verification (after a trust-store change) as steps any backend runs: a request recorded, then its
// documents queued for a new analysis a window of the documents table at a time (by id), so queueing two
// million documents never holds the server's event loop (issue 27) and a crash mid-way resumes from the
// request's place. The log's `reverify` entry comes with the last step. Their category stays until the
// new analysis replaces it; the earlier analyses and log entries stay.
import { now } from "../clock.js";
import { ask, type ReverifyRequest, type TxScript } from "../store/document-tx.js";
import type { LifecycleStore } from "../store/ports.js";
import type { Db } from "../store/sqlite/db.js";
import { runOn } from "../store/sqlite/document-tx.js";

export interface ReverifyFilter {
  /** documents received on or after this day (YYYY-MM-DD) */
  since?: string | undefined;
  /** documents sent by this agency */
  agency?: string | undefined;
}

/** Documents one step reads at most (~5 ms): the window the event loop waits for between steps. */
export const REVERIFY_WINDOW = 2000;

const requestOf = (f: ReverifyFilter): ReverifyRequest => ({ since: f.since ?? null, agency: f.agency ?? null });

function* request(f: ReverifyFilter, actor: string, at: string): TxScript<number> {
  return yield* ask("openReverifyRequest", { ...requestOf(f), actor, at });
}

/**
 * Queues the documents of the oldest request found in the next window; the request ends, with its log
 * entry, when the window reaches the table's end. Its number, how many it has queued so far and whether it
 * ended; null when no request waits.
 */
export function* reverifyWindow(window = REVERIFY_WINDOW): TxScript<{ request: number; queued: number; done: boolean } | null> {
  const r = yield* ask("oldestReverifyRequest");
  if (!r) return null;
  const w = yield* ask("queueWindowForAnalysis", r, r.afterId, window);
  const queued = r.queued + w.queued;
  const done = w.seen < window;
  if (done) {
    yield* ask("moveReverifyRequest", r.id, null);
    yield* ask("log", {
      actor: r.actor,
      action: "reverify",
      subject: `${queued} documents`,
      agency: r.agency,
      details: { since: r.since, agency: r.agency, queued },
    });
  } else yield* ask("moveReverifyRequest", r.id, { afterId: w.last!, queued });
  return { request: r.id, queued, done };
}

function* openRequests(): TxScript<number> {
  return yield* ask("openReverifyRequests");
}

/** Records a re-verification on the embedded store; its documents are queued by reverifyStep. */
export const requestReverification = (db: Db, f: ReverifyFilter, actor: string): number =>
  db.transaction(() => runOn(db, request(f, actor, now().toISOString()))).immediate();

/** One window on the embedded store, in its own transaction. */
export const reverifyStep = (db: Db, window = REVERIFY_WINDOW) => db.transaction(() => runOn(db, reverifyWindow(window))).immediate();

/** Requests whose documents are still being queued. */
export const pendingReverifications = (db: Db): number => runOn(db, openRequests());

/**
 * Records a re-verification and queues its documents now, at most `maxSteps` windows (a request left by
 * an earlier one goes first); what is left is the store's background work's (`pending`). `queued`: how many
 * of this request's documents are queued so far.
 */
export async function startReverificationOn(
  store: LifecycleStore,
  f: ReverifyFilter,
  actor: string,
  maxSteps = Infinity,
): Promise<{ queued: number; pending: boolean }> {
  const id = await store.run(() => request(f, actor, now().toISOString()));
  let queued = 0;
  for (let i = 0; i < maxSteps; i++) {
    const s = await store.run(() => reverifyWindow());
    if (!s) return { queued, pending: false };
    if (s.request !== id) continue;
    queued = s.queued;
    if (s.done) return { queued, pending: false };
  }
  return { queued, pending: true };
}

/** One window on any backend; null when none waits. */
export const reverifyStepOn = (store: LifecycleStore) => store.run(() => reverifyWindow());

/** Re-verifications still queueing, on any backend. */
export const pendingReverificationsOn = (store: LifecycleStore): Promise<number> => store.run(openRequests);

/** Queues analysed documents for a new analysis, all of them now (the commands); how many. */
export function queueReverification(db: Db, f: ReverifyFilter, actor: string): number {
  const id = requestReverification(db, f, actor);
  for (;;) {
    const s = reverifyStep(db);
    if (!s) return 0;
    if (s.request === id && s.done) return s.queued;
  }
}
