// A policy change (KYSO_REQUIRE_SENDER_SEAL, signed scans, the Nghị định 30 form): recorded, with its log
// entry, in one short transaction; the documents it may move (those in the categories a policy judges) are
// then derived again by compliance's one derivation, a batch per transaction along the category index, so
// two million documents never hold the event loop (issue 27) and a crash mid-way resumes from the
// request's place. Until a request has reached a document, that document keeps its place under the
// policy before (the replay accepts either).
import { derivesAlike, POLICY_CATEGORIES, type Category, type CompliancePolicy } from "../../compliance/index.js";
import { now } from "../../clock.js";
import { appendAudit } from "./audit.js";
import type { Db } from "./db.js";
import { recordedPolicy, storedPolicy, storePolicy } from "./lifecycle.js";
import { requestOf, type PolicyRequest, type RequestRow } from "../policy-requests.js";
export { policiesFor, type PolicyRequest } from "../policy-requests.js";

/** Policy changes whose documents are still being derived again, oldest first. */
export const policyRequests = (db: Db): PolicyRequest[] => (db.prepare("SELECT * FROM policy_requests ORDER BY id").all() as RequestRow[]).map(requestOf);

/** Documents the open policy changes have still to derive again (from their counts: never below one while a change is open). */
export const policyRemaining = (db: Db): number =>
  (db.prepare("SELECT coalesce(sum(max(total - done, 1)), 0) n FROM policy_requests").get() as { n: number }).n;

/** The oldest open policy change, whose documents are derived again first. */
export const oldestPolicyRequest = (db: Db): PolicyRequest | undefined => {
  const row = db.prepare("SELECT * FROM policy_requests ORDER BY id LIMIT 1").get() as RequestRow | undefined;
  return row && requestOf(row);
};

/** The next `batch` documents of a category after `afterId`, along documents_category_order (a batch reads only that category). */
export const categoryBatch = (db: Db, category: Category, afterId: string, batch: number): string[] =>
  (
    db.prepare("SELECT id FROM documents WHERE coalesce(category, '') = ? AND id > ? ORDER BY id LIMIT ?").all(category, afterId, batch) as Array<{
      id: string;
    }>
  ).map((d) => d.id);

/** Moves a request's walk on (to `at`), or ends it (null). */
export function movePolicyRequest(db: Db, id: number, at: { category: Category; afterId: string; done: number } | null): void {
  if (at) db.prepare("UPDATE policy_requests SET at_category = ?, after_id = ?, done = ? WHERE id = ?").run(at.category, at.afterId, at.done, id);
  else db.prepare("DELETE FROM policy_requests WHERE id = ?").run(id);
}
