// A policy change still being worked through the documents, and the policies a document's derived fields
// may follow meanwhile: what the replay accepts on every backend (sqlite/policy-change.ts works the changes).
import { POLICY_CATEGORIES, type Category, type CompliancePolicy } from "../compliance/index.js";
import type { DocumentRow } from "./rows.js";

/** A policy change whose documents are still being derived again. */
export interface PolicyRequest {
  id: number;
  /** the policy before it: the place of the documents it has not reached */
  previous: CompliancePolicy;
  actor: string;
  total: number;
  done: number;
  /** where its walk is: the documents of this category with an id above `afterId` are next */
  atCategory: Category;
  afterId: string;
}

/** A request as its table holds it (the same columns on every backend). */
export interface RequestRow {
  id: number;
  previous: string;
  actor: string;
  total: number;
  done: number;
  at_category: Category;
  after_id: string;
}

export const requestOf = (r: RequestRow): PolicyRequest => ({
  id: r.id,
  previous: JSON.parse(r.previous) as CompliancePolicy,
  actor: r.actor,
  total: r.total,
  done: r.done,
  atCategory: r.at_category,
  afterId: r.after_id,
});

/**
 * The policies a document's derived fields may follow now: the current one, and the one before each open
 * request that has not reached it (its walk has not come to its category and id). A document derived
 * since a request was made follows a later policy, so these are all.
 */
export function policiesFor(row: Pick<DocumentRow, "id" | "category">, current: CompliancePolicy, open: readonly PolicyRequest[]): CompliancePolicy[] {
  const at = (c: Category | null) => (c === null ? -1 : POLICY_CATEGORIES.indexOf(c));
  const mine = at(row.category);
  const reached = (r: PolicyRequest) => mine >= 0 && (mine < at(r.atCategory) || (mine === at(r.atCategory) && row.id <= r.afterId));
  return [current, ...open.filter((r) => !reached(r)).map((r) => r.previous)];
}
