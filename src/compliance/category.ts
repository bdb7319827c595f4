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

/** What the policy judges of a document its facts place in a category: who sealed it, and what its analysis found. */
export interface Judged {
  sealedBySender: boolean;
  /** the content kind its analysis found (null without one) */
  content: string | null;
  nd30Complete: boolean;
}

/** The categories a policy can move (between them) or count: a policy change re-derives these only. */
export const POLICY_CATEGORIES: readonly Category[] = ["signed-valid", "signed-valid-not-sender"];

/**
 * The policy's part of a document's place, the one rule of the numerator: the store's derivation, the
 * re-derivation after a policy change and the figures of a log export all decide with it. Under a policy
 * that requires the sender's own seal, a signed-valid document its sender did not seal (another agency's
 * organisation signature, officials' alone, a name the directory cannot place) leaves the numerator for
 * `signed-valid-not-sender`, still in the denominator; a signed-valid one counts within what the policy
 * accepts (signed scans, the Nghị định 30 form).
 */
export function underPolicy(category: Category | null, j: Judged, policy: CompliancePolicy): { category: Category | null; counts: boolean } {
  if (category !== "signed-valid") return { category, counts: false };
  if (policy.requireSenderSeal && !j.sealedBySender) return { category: "signed-valid-not-sender", counts: false };
  const scan = j.content === "scanned" || j.content === "scanned-ocr";
  return { category, counts: !(scan && !policy.signedScansCount) && !(policy.requireNd30 && !j.nd30Complete) };
}

/** Two policies place every document alike (a new target or period convention moves no document). */
export const derivesAlike = (a: CompliancePolicy, b: CompliancePolicy): boolean =>
  a.signedScansCount === b.signedScansCount && a.requireNd30 === b.requireNd30 && (a.requireSenderSeal ?? false) === (b.requireSenderSeal ?? false);
