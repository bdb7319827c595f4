// Deriving documents again when what they are derived from changed without them: a directory change (the
// queue of documents it may move), a policy change (a walk along the categories a policy judges), and the
// one-time settling of a store from before a migration. Each batch is one transaction of the embedded
// store, each document derived by the one derivation (./derive.ts), so two million documents never hold
// the event loop (issue 27) and a crash mid-way resumes where the last batch ended.
import { POLICY_CATEGORIES, type CompliancePolicy } from "../compliance/index.js";
import type { Directory } from "../compliance/directory.js";
import { sealsOf } from "../compliance/signer-binding.js";
import { ask, type TxScript } from "../store/document-tx.js";
import type { Db } from "../store/sqlite/db.js";
import { directoryOf } from "../store/sqlite/directory.js";
import { runOn } from "../store/sqlite/document-tx.js";
import {
  documentExists,
  dropPending,
  markLineagesSettled,
  pendingBatch,
  queuedDerivations,
  recipientsOf,
  storedPolicy,
  unanchored,
  unsealedReports,
  unsettledSuperseded,
} from "../store/sqlite/lifecycle.js";
import { categoryBatch, movePolicyRequest, oldestPolicyRequest } from "../store/sqlite/policy-change.js";
import type { DocumentReport } from "../verify/report.js";
import { derive, noteFacts } from "./derive.js";

/** Derives one document again in the caller's transaction on the embedded store. */
export const deriveOn = (db: Db, id: string, actor: string, dir: Directory = directoryOf(db), policy: CompliancePolicy = storedPolicy(db)) =>
  runOn(db, derive(id, actor, dir, policy));

/** Derives up to `batch` documents a directory change queued, in one transaction, and takes them off the queue; how many still wait. */
export function deriveWaiting(db: Db, batch: number, actor: string): number {
  return db
    .transaction(() => {
      const dir = directoryOf(db);
      const policy = storedPolicy(db);
      for (const id of pendingBatch(db, batch)) {
        if (documentExists(db, id)) deriveOn(db, id, actor, dir, policy);
        dropPending(db, id);
      }
      return queuedDerivations(db);
    })
    .immediate();
}

/**
 * Derives the next `batch` documents of the oldest policy change (of its category, by id), in one
 * transaction, and moves its walk on; the change ends when its last category is walked. Null when none waits.
 */
export function policyStep(db: Db, batch: number): { request: number; done: number; finished: boolean } | null {
  return db
    .transaction(() => {
      const r = oldestPolicyRequest(db);
      if (!r) return null;
      const ids = categoryBatch(db, r.atCategory, r.afterId, batch);
      const dir = directoryOf(db);
      const policy = storedPolicy(db);
      for (const id of ids) deriveOn(db, id, r.actor, dir, policy);
      const done = r.done + ids.length;
      const next = POLICY_CATEGORIES[POLICY_CATEGORIES.indexOf(r.atCategory) + 1];
      if (ids.length === batch) movePolicyRequest(db, r.id, { category: r.atCategory, afterId: ids[ids.length - 1]!, done });
      else if (next) movePolicyRequest(db, r.id, { category: next, afterId: "", done });
      else movePolicyRequest(db, r.id, null);
      return { request: r.id, done, finished: ids.length < batch && !next };
    })
    .immediate();
}

/** One batch, in its own transaction: queued documents first, then the oldest policy change's next. False when nothing waits. */
export function deriveNext(db: Db, batch: number, actor: string): boolean {
  if (queuedDerivations(db) > 0) return (deriveWaiting(db, batch, actor), true);
  return policyStep(db, batch) !== null;
}

/** Derives everything waiting now, in batches. */
export function deriveAllWaiting(db: Db, actor: string, batch = 500): void {
  while (deriveNext(db, batch, actor));
}

/**
 * Once, after migration 9 superseded a second current version of one DocumentId (an older store's): those
 * rows are derived again, so they leave the figures with their facts logged. Returns how many.
 */
export function settleLineages(db: Db, actor = "system"): number {
  return db
    .transaction(() => {
      const ids = unsettledSuperseded(db);
      if (!ids) return 0;
      for (const id of ids) deriveOn(db, id, actor);
      markLineagesSettled(db, ids.length);
      return ids.length;
    })
    .immediate();
}

function* sealAndDerive(id: string, seals: string, actor: string, dir: Directory, policy: CompliancePolicy): TxScript<void> {
  yield* ask("updateDocument", id, { seals });
  yield* derive(id, actor, dir, policy);
}

/**
 * Once, for a store from before seals were kept (migration 10): each analysed document's seals are read
 * from its latest report and it is derived again, so who sealed it shows. Returns how many.
 */
export function fillSeals(db: Db, actor = "system"): number {
  const rows = unsealedReports(db);
  if (!rows.length) return 0;
  return db
    .transaction(() => {
      const dir = directoryOf(db);
      const policy = storedPolicy(db);
      for (const r of rows) runOn(db, sealAndDerive(r.id, JSON.stringify(sealsOf((JSON.parse(r.report) as DocumentReport).signatures)), actor, dir, policy));
      return rows.length;
    })
    .immediate();
}

/**
 * Once, for a store from before facts were logged: the facts of every document in the figures are logged
 * as they stand (the replay can then check them from here on). Returns how many were logged.
 */
export function anchorFacts(db: Db, actor = "system"): number {
  return db
    .transaction(() => {
      const rows = unanchored(db);
      for (const row of rows) runOn(db, noteFacts(row, recipientsOf(db, row.id), actor));
      return rows.length;
    })
    .immediate();
}
