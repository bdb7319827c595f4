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
import { markLineagesSettled, recipientsOf, storedPolicy, unanchored, unsealedReports, unsettledSuperseded } from "../store/sqlite/lifecycle.js";
import type { LifecycleStore } from "../store/ports.js";
import type { DocumentReport } from "../verify/report.js";
import { derive, noteFacts } from "./derive.js";

/** Derives one document again in the caller's transaction on the embedded store. */
export const deriveOn = (db: Db, id: string, actor: string, dir: Directory = directoryOf(db), policy: CompliancePolicy = storedPolicy(db)) =>
  runOn(db, derive(id, actor, dir, policy));

/** Derives up to `batch` queued documents and takes them off the queue; how many still wait. */
export function* deriveQueued(batch: number, actor: string): TxScript<number> {
  const dir = yield* ask("directory");
  const policy = yield* ask("policy");
  for (const id of yield* ask("queuedBatch", batch)) {
    if (yield* ask("documentRow", id)) yield* derive(id, actor, dir, policy);
    yield* ask("dropQueued", id);
  }
  return yield* ask("queuedCount");
}

/**
 * Derives the next `batch` documents of the oldest policy change's walk (of its category, by id) and moves
 * the walk on; it ends when its last category is walked. Null when none is open.
 */
export function* policyStep(batch: number): TxScript<{ request: number; done: number; finished: boolean } | null> {
  const r = yield* ask("oldestPolicyRequest");
  if (!r) return null;
  const ids = yield* ask("categoryBatch", r.atCategory, r.afterId, batch);
  const dir = yield* ask("directory");
  const policy = yield* ask("policy");
  for (const id of ids) yield* derive(id, r.actor, dir, policy);
  const done = r.done + ids.length;
  const next = POLICY_CATEGORIES[POLICY_CATEGORIES.indexOf(r.atCategory) + 1];
  if (ids.length === batch) yield* ask("movePolicyRequest", r.id, { category: r.atCategory, afterId: ids[ids.length - 1]!, done });
  else if (next) yield* ask("movePolicyRequest", r.id, { category: next, afterId: "", done });
  else yield* ask("movePolicyRequest", r.id, null);
  return { request: r.id, done, finished: ids.length < batch && !next };
}

/** Documents a directory change's walk reads a step at most (ids and a few columns): the background sizes its slices by time under this. */
export const WALK = 5000;

/** What a batch did: a slice of a directory change's walk, queued documents derived, a policy change's step. */
export type DeriveStep = "walk" | "derive" | "policy";

/**
 * One batch: the documents a directory change concerns found first (a slice of `walk` documents of the
 * store a step), then queued documents derived, then the oldest policy change's next. Null when nothing
 * waits.
 */
export function* deriveNextBatch(batch: number, actor: string, walk = WALK): TxScript<DeriveStep | null> {
  if (yield* ask("expandDerivations", walk)) return "walk";
  if ((yield* ask("queuedCount")) > 0) return (yield* deriveQueued(batch, actor), "derive");
  return (yield* policyStep(batch)) !== null ? "policy" : null;
}

/**
 * In a directory change's request: the walk's first slice of `upTo` documents (and a second, empty when
 * that was all); true when that was the whole walk (a store of at most `upTo` documents), few enough to
 * derive in the request. A larger store's walk goes on in the background: two slices of 5,000 read in the
 * request held /healthz for 121 ms at 600,000 documents.
 */
export function* fewQueued(upTo: number): TxScript<boolean> {
  for (let slices = 0; yield* ask("expandDerivations", upTo);) if (++slices > 1) return false;
  return (yield* ask("queuedCount")) <= upTo;
}

/** One batch in its own transaction on the embedded store. */
export const deriveNext = (db: Db, batch: number, actor: string, walk = WALK): DeriveStep | null =>
  db.transaction(() => runOn(db, deriveNextBatch(batch, actor, walk))).immediate();

/** Derives everything waiting now, in batches. */
export function deriveAllWaiting(db: Db, actor: string, batch = 500): void {
  while (deriveNext(db, batch, actor));
}

/** One batch in its own transaction on any backend (the API node's background work). */
export const deriveNextOn = (store: LifecycleStore, batch: number, actor: string, walk = WALK): Promise<DeriveStep | null> =>
  store.run(() => deriveNextBatch(batch, actor, walk));

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
