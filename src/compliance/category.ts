// The one category of each exchanged document (DESIGN.md §4.3), decided in the table's order, and whether
// it counts toward the numerator under a policy.
import type { ContentKind, DocumentVerdict } from "../verify/report.js";
import type { CompliancePolicy } from "./policy.js";

export type Category =
  | "excluded"
  | "paper"
  | "unreadable"
  | "electronic-not-pdf"
  | "signed-valid"
  | "signed-valid-not-sender"
  | "signed-invalid"
  | "signed-indeterminate"
  | "unsigned";

/** `signed-valid-not-sender` is used only under KYSO_REQUIRE_SENDER_SEAL (issue 24): a valid document not sealed by its sender. */
export const CATEGORIES: readonly Category[] = [
  "excluded",
  "paper",
  "unreadable",
  "electronic-not-pdf",
  "signed-valid",
  "signed-valid-not-sender",
  "signed-invalid",
  "signed-indeterminate",
  "unsigned",
];

/**
 * Why a document is outside every category (listed, never counted): its sender took it back (edXML
 * business type 1), a later version replaced it (types 2 and 3: the latest version counts), or the
 * directory does not know an agency it names (a directory gap, until the directory has it).
 */
export type Held = "revoked" | "superseded" | "directory-gap";

export const HELD: readonly Held[] = ["revoked", "superseded", "directory-gap"];

export type Classification = "none" | "mat" | "toi-mat" | "tuyet-mat";

/** The facts about one exchanged document that decide its category. */
export interface ExchangeFacts {
  classification: Classification;
  /** sender and at least one recipient are administrative agencies */
  betweenAdministrativeAgencies: boolean;
  channel: "electronic" | "paper";
  /** what the exchanged file is: a PDF, another kind of file (.doc, .txt, an image), or unreadable bytes; null for paper */
  file?: "pdf" | "not-pdf" | "broken" | null;
  /** the analysis outcome: null while pending; "failed" when every attempt failed */
  analysis: null | "failed" | { verdict: DocumentVerdict; content: ContentKind; nd30Complete: boolean };
}

/** The reason a document is held out of the figures, in this order; null when it is in them. */
export function heldReason(f: { revoked: boolean; superseded: boolean; unknownAgency: boolean }): Held | null {
  return f.superseded ? "superseded" : f.revoked ? "revoked" : f.unknownAgency ? "directory-gap" : null;
}

/** null while the document waits for analysis (it is in no figure yet). */
export function categorize(f: ExchangeFacts): Category | null {
  if (f.classification !== "none" || !f.betweenAdministrativeAgencies) return "excluded";
  if (f.channel === "paper") return "paper";
  if (f.file === "broken") return "unreadable";
  if (f.file === "not-pdf") return "electronic-not-pdf";
  if (f.analysis === null) return null;
  if (f.analysis === "failed") return "unreadable";
  return f.analysis.verdict === "unreadable" ? "unreadable" : f.analysis.verdict;
}

/**
 * Under a policy that requires the sender's own seal, a signed-valid document that its sender did not seal
 * (another agency's organisation signature, officials' alone, a name the directory cannot place) leaves
 * the numerator for `signed-valid-not-sender`, still in the denominator.
 */
export function sealCategory(category: Category | null, sealedBySender: boolean, policy: CompliancePolicy): Category | null {
  return category === "signed-valid" && policy.requireSenderSeal && !sealedBySender ? "signed-valid-not-sender" : category;
}

/** In the numerator: validly signed, and within what the policy accepts (signed scans, Nghị định 30 form). */
export function counts(category: Category | null, f: ExchangeFacts, policy: CompliancePolicy): boolean {
  if (f.analysis === null || f.analysis === "failed") return false;
  return countsWith(category, f.analysis.content, f.analysis.nd30Complete, policy);
}

/**
 * The numerator's rule on what it reads: the category, the content kind and the Nghị định 30 form (the
 * store's derivation and the figures of an export alone both decide with it).
 */
export function countsWith(category: Category | null, content: string | null, nd30Complete: boolean, policy: CompliancePolicy): boolean {
  if (category !== "signed-valid") return false;
  const scan = content === "scanned" || content === "scanned-ocr";
  if (scan && !policy.signedScansCount) return false;
  if (policy.requireNd30 && !nd30Complete) return false;
  return true;
}
