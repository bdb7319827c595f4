// One way in and one life for every exchanged document (issue 11): every source (upload, edXML message,
// register row, folder scan) hands what it read to submit(); analysis claims and settles through here;
// later versions supersede, revocations revoke, status messages become events. Each step records facts
// (nothing is overwritten: versions stay, superseded) and derives the figures from them. The steps are
// scripts (./submit.ts, ./lineage.ts, ./derive.ts, ./register.ts) a store runs in one transaction: the
// embedded one synchronously here, any backend through LifecycleStore.run (submitTo).
import type { CompliancePolicy } from "../compliance/index.js";
import { redoable, type Db } from "../store/sqlite/db.js";
import { directoryOf, type Agency } from "../store/sqlite/documents.js";
import { pendingDerivations } from "../store/sqlite/derivations.js";
import { deriveAllWaiting } from "./rederive.js";
import { now } from "../clock.js";
import { updateAgencies } from "./directory.js";
import { requestPolicy } from "./policy.js";
import { runOn } from "../store/sqlite/document-tx.js";
import type { LifecycleStore } from "../store/ports.js";
import type { DocumentReport } from "../verify/report.js";
import { decideAnalysis, decideFailure } from "./analysis.js";
import { analysisFactsOf, commitChange } from "../store/sqlite/analysis.js";
import { submission, type Submission, type Submitted } from "./submit.js";
import { logRegisterImport, registerRows, type RegisterImport, type RegisterOutcome } from "./register.js";

export type { MessageRecord, Submission, Submitted } from "./submit.js";
export type { Existence, Source, StoredFile } from "./lineage.js";
export type { RegisterEntry, RegisterImport, RegisterOutcome } from "./register.js";

/** Records one submission in one transaction on the embedded store. What the store refuses is a listed conflict, never an error. */
export function submit(db: Db, raw: Submission, actor: string): Submitted {
  return db.transaction(() => runOn(db, submission(raw, actor))).immediate();
}

/** Records one submission in one transaction on any backend. */
export function submitTo(store: LifecycleStore, raw: Submission, actor: string): Promise<Submitted> {
  return store.run(() => submission(raw, actor));
}

/**
 * Records an analysis and what it gives, with its log entries (analysis, or reanalysis when the document
 * was analysed before, and a category-change entry when a known category changes), in one transaction:
 * the facts read, the change decided (./analysis.ts, the same on every backend), and committed.
 */
export function recordAnalysis(db: Db, id: string, report: DocumentReport, durationMs: number, policy: CompliancePolicy, actor = "system"): void {
  db.transaction(() => {
    const facts = analysisFactsOf(db, id, policy);
    if (!facts) throw new Error(`no document ${id}`);
    // inside the transaction the document cannot move between the read and the commit
    commitChange(db, decideAnalysis(facts, report, durationMs, actor, new Date()));
  }).immediate();
}

/**
 * A failed attempt (./analysis.ts decideFailure): back to the queue while attempts remain, else failed
 * and logged; a document already settled stays as it is.
 */
export function recordFailure(db: Db, id: string, reason: string, maxAttempts: number, actor = "system"): "retry" | "failed" | "recorded" {
  return db
    .transaction(() => {
      const facts = analysisFactsOf(db, id);
      if (!facts) return "failed";
      const { outcome, change } = decideFailure(facts, reason, maxAttempts, actor);
      if (change) commitChange(db, change);
      return outcome;
    })
    .immediate();
}

export type Outcome = { kind: "analysis"; report: DocumentReport; durationMs: number } | { kind: "failure"; reason: string; maxAttempts: number };

/** Settles a claimed document with the outcome of its analysis. */
export function settle(db: Db, id: string, outcome: Extract<Outcome, { kind: "analysis" }>, policy: CompliancePolicy, actor?: string): void;
export function settle(
  db: Db,
  id: string,
  outcome: Extract<Outcome, { kind: "failure" }>,
  policy: CompliancePolicy,
  actor?: string,
): "retry" | "failed" | "recorded";
export function settle(db: Db, id: string, outcome: Outcome, policy: CompliancePolicy, actor = "system"): void | "retry" | "failed" | "recorded" {
  // an analysis result can be redone: a power cut that loses it leaves the document to analyze again
  if (outcome.kind === "analysis") return redoable(db, () => recordAnalysis(db, id, outcome.report, outcome.durationMs, policy, actor));
  return redoable(db, () => recordFailure(db, id, outcome.reason, outcome.maxAttempts, actor));
}

/**
 * Adds or updates agencies, and queues every document the change may move to be derived again (in the
 * change's transaction); then derives them at once when there are at most `inlineUpTo` (default: all),
 * else leaves them to a background runner (the API node, whose event loop a change over many documents
 * must not hold). Returns the agencies written and the documents still waiting.
 */
export function updateDirectory(db: Db, rows: Agency[], actor: string, o: { inlineUpTo?: number } = {}): { updated: number; pending: number } {
  db.transaction(() => runOn(db, updateAgencies(rows, actor, new Date().toISOString()))).immediate();
  if (pendingDerivations(db) <= (o.inlineUpTo ?? Infinity)) deriveAllWaiting(db, actor);
  return { updated: rows.length, pending: pendingDerivations(db) };
}

/**
 * Records a compliance policy (KYSO_REQUIRE_SENDER_SEAL, signed scans, the Nghị định 30 form: the figures
 * are derived with it from now on) and derives again the documents it may move: at once when at most
 * `inlineUpTo` documents wait (default: all), else in the background (the API node, at its start).
 * Returns the documents still waiting.
 */
export function applyPolicy(db: Db, policy: CompliancePolicy, actor = "system", o: { inlineUpTo?: number } = {}): { pending: number } {
  db.transaction(() => runOn(db, requestPolicy(policy, actor, now().toISOString()))).immediate();
  if (pendingDerivations(db) <= (o.inlineUpTo ?? Infinity)) deriveAllWaiting(db, actor);
  return { pending: pendingDerivations(db) };
}

/** A directory change on any backend: the agencies written and their documents queued, in one transaction; how many were queued. */
export const updateDirectoryOn = (store: LifecycleStore, rows: Agency[], actor: string): Promise<void> =>
  store.run(() => updateAgencies(rows, actor, new Date().toISOString()));

/** A policy recorded on any backend, its walk opened when documents may move; the walk's number or null. */
export const applyPolicyOn = (store: LifecycleStore, policy: CompliancePolicy, actor = "system"): Promise<number | null> =>
  store.run(() => requestPolicy(policy, actor, now().toISOString()));

export { directoryOf };

/** Rows recorded in one step by submitRegisterOn: about 20 ms of the event loop each. */
export const REGISTER_BATCH = 50;

/**
 * submitRegister for the API node, on any backend: the rows in steps of REGISTER_BATCH, the event loop free
 * in between (a register of 20,000 rows held it 5.7 s in one transaction), then the import's log entry.
 * Rows are keyed by sender, number and date, so an import cut short (a crash between batches) is completed,
 * not doubled, by sending the register again; the client had no answer until the last batch.
 */
export async function submitRegisterOn(store: LifecycleStore, x: RegisterImport, actor: string): Promise<RegisterOutcome[]> {
  const out: RegisterOutcome[] = [];
  for (let i = 0; i < x.rows.length; i += REGISTER_BATCH) {
    if (i > 0) await new Promise((r) => setImmediate(r));
    const batch = x.rows.slice(i, i + REGISTER_BATCH);
    out.push(...(await store.run(() => registerRows(x, batch, actor))));
  }
  await store.run(() => logRegisterImport(x, out, actor));
  return out;
}
