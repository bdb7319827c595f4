// What the store's background work asks of a store, on each backend: a batch of derivations (a directory or
// policy change's), a step of the oldest re-verification, and how much of each waits (for /metrics and the
// figures' "being updated").
import { deriveNext, deriveNextOn, type DeriveStep } from "../lifecycle/rederive.js";
import { flushed, redoable, type Db } from "../store/sqlite/db.js";
import { pendingDerivations } from "../store/sqlite/derivations.js";
import { policyRequests } from "../store/sqlite/policy-change.js";
import { pendingReverifications, pendingReverificationsOn, reverifyStep, reverifyStepOn } from "../lifecycle/reverify.js";
import type { LifecycleStore, ReadModel } from "../store/ports.js";
import { ask, type TxScript } from "../store/document-tx.js";

function* openPolicyChanges(): TxScript<number> {
  return yield* ask("openPolicyRequests");
}

export interface BackgroundStore {
  /** one batch of derivations (`walk`: documents a directory change's walk reads), in its own transaction; what it did, null when none waits */
  deriveNext(batch: number, walk: number, actor: string): Promise<DeriveStep | null>;
  /** one step of the oldest re-verification (documents queued for a new analysis); null when none waits */
  reverifyStep(): Promise<{ queued: number } | null>;
  pending(): Promise<{ derivations: number; policyChanges: number; reverifications: number }>;
  /** the store is still open (work stops quietly after a close) */
  open(): boolean;
}

/**
 * The embedded store's: each step one immediate transaction on the file, redoable (a power cut that loses
 * it leaves its documents queued, derived or queued again at the next start) and flushed from the thread
 * pool, as the life-cycle port's steps are: a commit waiting for the disk held the event loop each step
 * (at 600,000 documents, a directory change's derivation took ten times as long as its steps' work).
 */
export function embeddedBackground(db: Db): BackgroundStore {
  const step = async <T>(work: () => T): Promise<T> => {
    const out = redoable(db, work);
    await flushed(db);
    return out;
  };
  return {
    deriveNext: (batch, walk, actor) => step(() => deriveNext(db, batch, actor, walk)),
    reverifyStep: async () => (pendingReverifications(db) > 0 ? step(() => reverifyStep(db)) : null),
    pending: async () => ({ derivations: pendingDerivations(db), policyChanges: policyRequests(db).length, reverifications: pendingReverifications(db) }),
    open: () => db.open,
  };
}

/** Any backend's, through its ports: derivations and re-verification windows through the life-cycle port. */
export function portBackground(lifecycle: LifecycleStore, readModel: ReadModel): BackgroundStore {
  let closed = false;
  return {
    deriveNext: (batch, walk, actor) => deriveNextOn(lifecycle, batch, actor, walk),
    reverifyStep: () => reverifyStepOn(lifecycle),
    pending: async () => ({
      derivations: await readModel.pendingDerivations(),
      policyChanges: await lifecycle.run(openPolicyChanges),
      reverifications: await pendingReverificationsOn(lifecycle),
    }),
    open: () => !closed,
  };
}
