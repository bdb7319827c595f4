// The one category of each exchanged document (DESIGN.md §4.3), decided in the table's order, and whether
// it counts toward the numerator under a policy.
import type { ContentKind, DocumentVerdict } from "../verify/report.js";
import type { CompliancePolicy } from "./policy.js";

export type Category = "excluded" | "paper" | "unreadable" | "signed-valid" | "signed-invalid" | "signed-indeterminate" | "unsigned";

export const CATEGORIES: readonly Category[] = ["excluded", "paper", "unreadable", "signed-valid", "signed-invalid", "signed-indeterminate", "unsigned"];

export type Classification = "none" | "mat" | "toi-mat" | "tuyet-mat";

/** The facts about one exchanged document that decide its category. */
export interface ExchangeFacts {
  classification: Classification;
  /** sender and at least one recipient are administrative agencies */
  betweenAdministrativeAgencies: boolean;
  channel: "electronic" | "paper";
  /** the analysis outcome: null while pending; "failed" when every attempt failed */
  analysis: null | "failed" | { verdict: DocumentVerdict; content: ContentKind; nd30Complete: boolean };
}

/** null while the document waits for analysis (it is in no figure yet). */
export function categorize(f: ExchangeFacts): Category | null {
  if (f.classification !== "none" || !f.betweenAdministrativeAgencies) return "excluded";
  if (f.channel === "paper") return "paper";
  if (f.analysis === null) return null;
  if (f.analysis === "failed") return "unreadable";
  return f.analysis.verdict === "unreadable" ? "unreadable" : f.analysis.verdict;
}

/** In the numerator: validly signed, and within what the policy accepts (signed scans, Nghị định 30 form). */
export function counts(category: Category | null, f: ExchangeFacts, policy: CompliancePolicy): boolean {
  if (category !== "signed-valid" || f.analysis === null || f.analysis === "failed") return false;
  const scan = f.analysis.content === "scanned" || f.analysis.content === "scanned-ocr";
  if (scan && !policy.signedScansCount) return false;
  if (policy.requireNd30 && !f.analysis.nd30Complete) return false;
  return true;
}
