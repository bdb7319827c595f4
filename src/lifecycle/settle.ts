// Settling a document's analysis or failed attempt through the life-cycle store, on any backend: the facts
// read, the change decided (./analysis.ts), committed. A commit is refused (false) when the document moved
// between the read and the commit; what that means depends on who settles:
// - a holder of the claim (the embedded runner) that finds the document no longer `processing` at the
//   attempt it claimed has lost it (its lease ended, another node took it, or it was put back): deciding
//   again would overwrite the other node's work, so it stops and says "lost";
// - otherwise the claim is still its own and only the facts moved (a delivery, a revocation, a version, a
//   directory change came in meanwhile): the report is still right for the bytes, so the change is decided
//   again from the new facts, a few times; a document that keeps moving is an error (the runner puts it
//   back, to be analysed again) rather than a result dropped;
// - without a claim (results that come back through BullMQ) a document already settled is left as it is
//   (results are recorded idempotently), anything else is decided again as above.
import type { CompliancePolicy } from "../compliance/index.js";
import type { AnalysisFacts, ClaimHolder, LifecycleStore } from "../store/ports.js";
import type { DocumentReport } from "../verify/report.js";
import { decideAnalysis, decideFailure } from "./analysis.js";

/** Commits tried for one settlement before giving up on a document whose facts keep moving. */
const COMMITS = 3;

export interface SettleBy {
  policy: CompliancePolicy;
  /** who the log names */
  actor: string;
  /** the claim being settled; without one, a document already settled is left as it is */
  holder?: ClaimHolder;
}

/** What became of a settlement: committed, or nothing written: settled before, the claim lost, no such document. */
export type AnalysisOutcome = "analysed" | "settled-before" | "lost" | "no-document";
export type FailureOutcome = "retry" | "failed" | "recorded" | "lost";

/** Facts of a document that this settlement may still write, or why not. */
function standing(f: AnalysisFacts, holder: ClaimHolder | undefined): "ok" | "settled-before" | "lost" {
  const { status, attempts } = f.row;
  if (holder) return status === "processing" && attempts === holder.attempts ? "ok" : "lost";
  return status === "done" || status === "failed" ? "settled-before" : "ok";
}

export async function settleAnalysis(store: LifecycleStore, id: string, report: DocumentReport, durationMs: number, by: SettleBy): Promise<AnalysisOutcome> {
  for (let i = 0; i < COMMITS; i++) {
    const facts = await store.analysisFacts(id, by.policy);
    if (!facts) return "no-document";
    const may = standing(facts, by.holder);
    if (may !== "ok") return may;
    if (await store.commit(decideAnalysis(facts, report, durationMs, by.actor, new Date()), by.holder)) return "analysed";
  }
  throw new Error(`document ${id} kept changing while its analysis was recorded (${COMMITS} tries)`);
}

/**
 * A failed attempt: back to the queue while attempts remain, else `failed` (counted as unreadable) and
 * logged; a document already settled stays as it is ("recorded").
 */
export async function settleFailure(store: LifecycleStore, id: string, reason: string, maxAttempts: number, by: SettleBy): Promise<FailureOutcome> {
  for (let i = 0; i < COMMITS; i++) {
    const facts = await store.analysisFacts(id, by.policy);
    if (!facts) return "failed";
    const may = standing(facts, by.holder);
    if (may === "lost") return "lost";
    const { outcome, change } = decideFailure(facts, reason, maxAttempts, by.actor);
    if (!change || (await store.commit(change, by.holder))) return outcome;
  }
  throw new Error(`document ${id} kept changing while its failed attempt was recorded (${COMMITS} tries)`);
}
