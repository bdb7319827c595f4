// What the figures still wait for: the documents a directory change queued, and those the open policy
// changes have still to reach. Worked a batch at a time (the server's background work) or all at once
// (the commands, stores without a server, small changes).
import type { Db } from "./db.js";
import { deriveWaiting, queuedDerivations } from "./lifecycle.js";
import { policyRemaining, policyStep } from "./policy-change.js";

/** Documents still to be derived again: the figures are being updated while above 0. */
export const pendingDerivations = (db: Db): number => queuedDerivations(db) + policyRemaining(db);

/** One batch, in its own transaction: queued documents first, then the oldest policy change's next. False when nothing waits. */
export function deriveNext(db: Db, batch: number, actor: string): boolean {
  if (queuedDerivations(db) > 0) return (deriveWaiting(db, batch, actor), true);
  return policyStep(db, batch) !== null;
}

/** Derives everything waiting now, in batches. */
export function deriveAllWaiting(db: Db, actor: string, batch = 500): void {
  while (deriveNext(db, batch, actor));
}
