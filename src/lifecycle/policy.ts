// A policy change (KYSO_REQUIRE_SENDER_SEAL, signed scans, the Nghị định 30 form) as a step any backend
// runs: recorded, with its log entry, and, when it places documents differently from the one before, a
// walk along the categories a policy judges that derives them again a batch at a time (./rederive.ts), so
// two million documents never hold the event loop (issue 27) and a crash mid-way resumes from the walk's
// place. Until the walk reaches a document, it keeps its place under the policy before (the replay
// accepts either).
import { derivesAlike, DEFAULT_POLICY, POLICY_CATEGORIES, type CompliancePolicy } from "../compliance/index.js";
import { ask, type TxScript } from "../store/document-tx.js";

/**
 * Records the policy (the figures are derived with it from now on) and the walk when documents may move.
 * Logged whenever it differs from the one recorded before (a replay of the log uses it). Returns the walk's
 * number, or null when no document can move.
 */
export function* requestPolicy(p: CompliancePolicy, actor: string, at: string): TxScript<number | null> {
  const recorded = yield* ask("recordedPolicy");
  // before a policy was recorded, the figures were derived with the default
  const before = recorded ?? DEFAULT_POLICY;
  if (recorded && JSON.stringify(recorded) === JSON.stringify(p)) return null;
  yield* ask("storePolicy", p);
  let request: number | null = null;
  let total = 0;
  if (!derivesAlike(before, p)) {
    // how many documents the walk will read, from the counts the store keeps (a few rows)
    total = yield* ask("countInCategories", POLICY_CATEGORIES);
    request = yield* ask("openPolicyRequest", { previous: before, actor, at, total, category: POLICY_CATEGORIES[0]! });
  }
  yield* ask("log", { actor, action: "policy-change", subject: "compliance policy", details: { policy: { ...p }, documentsToDerive: total } });
  return request;
}
