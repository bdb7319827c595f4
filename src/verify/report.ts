// The report types (DESIGN.md §4.1): the spine every edge reads. Verdict words follow ETSI EN 319 102-1.
import type { Phrase } from "../words/phrase.js";
import type { ProofBasis } from "./proof-basis.js";

export type { Phrase };

/** EN 319 102-1 §5.1.3 main indications. */
export type Indication = "TOTAL_PASSED" | "TOTAL_FAILED" | "INDETERMINATE";

/** EN 319 102-1 §5.1.3 sub-indications used by kyso (Table 5 and 6 names). */
export type SubIndication =
  | "FORMAT_FAILURE"
  | "HASH_FAILURE"
  | "SIG_CRYPTO_FAILURE"
  | "REVOKED"
  | "SIG_CONSTRAINTS_FAILURE"
  | "CHAIN_CONSTRAINTS_FAILURE"
  | "CERTIFICATE_CHAIN_GENERAL_FAILURE"
  | "CRYPTO_CONSTRAINTS_FAILURE"
  | "CRYPTO_CONSTRAINTS_FAILURE_NO_POE"
  | "EXPIRED"
  | "NOT_YET_VALID"
  | "NO_SIGNING_CERTIFICATE_FOUND"
  | "NO_CERTIFICATE_CHAIN_FOUND"
  | "REVOKED_NO_POE"
  | "REVOKED_CA_NO_POE"
  | "OUT_OF_BOUNDS_NO_POE"
  | "TRY_LATER";

/** `unknown`: the revisions after the signature could not be read strictly, so nothing could be compared */
/** `unrecognised`: a change no rule understands to data that is not content (K15): left to the policy */
export type ModificationLevel = "none" | "signatures" | "form-fill" | "annotations" | "unrecognised" | "other" | "unknown";

export type ContentKind = "born-digital" | "scanned" | "scanned-ocr" | "mixed" | "empty" | "unknown";

export type DocumentVerdict = "signed-valid" | "signed-invalid" | "signed-indeterminate" | "unsigned" | "unreadable";

export type ErrorCode = "NOT_PDF" | "UNREADABLE" | "ENCRYPTED" | "TOO_LARGE" | "TIMEOUT";

export interface SignerReport {
  readonly subject: string;
  readonly commonName: string | null;
  readonly organization: string | null;
  readonly issuer: string;
  readonly serialNumber: string;
  readonly notBefore: string;
  readonly notAfter: string;
  readonly sha256: string;
  readonly kind: "personal" | "organization" | "unknown";
  /** the rule of VIETNAM.md (Certificates) that decided `kind` */
  readonly kindRule?: string;
  /** the agency the certificate names: O (with OU) for an official, CN (within O) for an organisation */
  readonly agency?: { readonly name: string; readonly unit: string | null; readonly parent: string | null } | null;
}

/** One certificate of a path: who it names, who issued it, when it is valid, its fingerprint. */
export interface PathCertificate {
  readonly sha256: string;
  readonly subject: string;
  readonly issuer: string;
  readonly serialNumber: string;
  readonly notBefore: string;
  readonly notAfter: string;
}

export interface SignatureReport {
  readonly index: number;
  readonly field: string | null;
  readonly kind: "signature" | "document-timestamp";
  readonly subFilter: string;
  /** the revision this signature covers, 1-based; 0 when its ByteRange ends at no revision */
  readonly revision: number;
  readonly revisions: number;
  readonly byteRange: number[];
  readonly coverage: "entire-file" | "entire-revision" | "partial" | "invalid";
  /** ByteRange digest equals the signed messageDigest; unknown when the CMS could not be read */
  readonly integrity: "intact" | "broken" | "unknown";
  readonly cryptographic: "valid" | "invalid" | "unsupported";
  /** null: no signer certificate was identified (then no identity is ever shown) */
  readonly signer: SignerReport | null;
  readonly digestAlgorithm: string;
  readonly signatureAlgorithm: string;
  /** the signer's own claim of signing time: not proof */
  readonly claimedSigningTime: string | null;
  /**
   * Every time the signature states, side by side: the CMS signingTime as written (UTC by its encoding),
   * /M with the offset it states, the time-stamp's time; `localAsUtc` when signingTime is 7 hours after
   * the time-stamp (or /M): Vietnam wall time labelled UTC, a signer's clock setting, never back-dating.
   */
  readonly claimedTimes?: {
    readonly signingTime: string | null;
    readonly pdfM: string | null;
    readonly timestamp: string | null;
    readonly localAsUtc: boolean;
  };
  /** null: no signature time-stamp (for a document time-stamp, its own token) */
  readonly timestamp: null | { readonly time: string; readonly valid: boolean; readonly tsa: string | null };
  /** the time the certificate path was judged at, and what proves the signature existed then (null: not judged) */
  readonly judgedAt: null | { readonly time: string; readonly proof: string; readonly basis?: ProofBasis };
  /** `certificates`: each certificate of `path`, in its order, as a signature panel shows it (reports
   * stored before it existed have only the fingerprints) */
  readonly chain: { readonly trusted: boolean; readonly anchor: string | null; readonly path: string[]; readonly certificates?: readonly PathCertificate[] };
  readonly revocation: { readonly status: "good" | "revoked" | "unknown"; readonly checkedBy: "embedded" | "cache" | "online" | "none" };
  /** what changed after the covered revision, up to the document as delivered */
  readonly modifications: {
    readonly level: ModificationLevel;
    readonly details: string[];
    /** `details` as keys, in the same order (reports stored before them have the English only) */
    readonly phrases?: readonly Phrase[];
    readonly changes?: readonly ModificationChange[];
  };
  readonly indication: Indication;
  readonly subIndication: SubIndication | null;
  /** human-readable reasons, most important first (the English rendering of `findings`) */
  readonly messages: string[];
  /** the findings behind `messages`, in the same order, as keys */
  readonly findings?: readonly ReportFinding[];
}

/**
 * One finding as the checks made it (STYLE.md): a message key with its parameters, how severe it is and
 * the sub-indication it implies. Pages and evidence render findings from their keys, in Vietnamese or
 * English; `messages` keeps the English rendering for programs that read text.
 */
export interface ReportFinding {
  readonly key: string;
  /** names and numbers as they are; a parameter that is a text of its own in English, as `messages` has it */
  readonly params: Readonly<Record<string, string | number>>;
  /** the parameters that are texts of their own (a certificate's detail, what changed, a reader's problem,
   * a nested finding), as keys: pages render them in the reader's language */
  readonly phrases?: Readonly<Record<string, Phrase | readonly Phrase[]>>;
  readonly severity: "fail" | "indeterminate" | "warn" | "info";
  readonly subIndication: SubIndication | null;
}

/** One difference between the signed revision and the delivered one, and the rule that judged it. */
export interface ModificationChange {
  /** the changed object's number (null: the trailer) */
  readonly object: number | null;
  readonly level: ModificationLevel;
  /** the rule that judged it (VERIFY-CHECKS.md check and what it allows or refuses) */
  readonly rule: string;
  /** the object's use in the delivered document the rule judged ("page 1", "ap of field 41", "catalog") */
  readonly use?: string;
  readonly what: string;
  /** `what` as a key (reports stored before it have the English only) */
  readonly phrase?: Phrase;
}

export interface DocumentReport {
  file?: string;
  readonly sha256: string;
  readonly bytes: number;
  readonly engine: { readonly name: "kyso"; readonly version: string; readonly trustStore: string };
  readonly validationTime: string;
  /** the proof of existence the signatures fall back on when no time-stamp proves a time: which time, what
   * proves it, and a receipt time the sender declared (metadata only) */
  readonly existence?: {
    readonly time: string;
    readonly proof: string;
    readonly basis?: ProofBasis;
    readonly declaredReceivedAt?: string;
    readonly note?: string;
  };
  readonly error: null | { readonly code: ErrorCode; readonly message: string };
  readonly pdf: null | { readonly version: string; readonly pages: number | null; readonly revisions: number };
  readonly signatures: SignatureReport[];
  readonly content: { readonly kind: ContentKind; readonly pagesExamined: number; readonly evidence: Record<string, unknown> };
  readonly verdict: DocumentVerdict;
  readonly nd30: { readonly personal: boolean; readonly organization: boolean; readonly complete: boolean };
  /** document-level findings (K1 notes, reader repairs), most important first */
  readonly messages: string[];
  /** the same as keys */
  readonly findings?: readonly ReportFinding[];
}

/** DESIGN.md §4.1: the document verdict, derived from the signature reports alone. */
export function documentVerdict(error: DocumentReport["error"], signatures: readonly SignatureReport[]): DocumentVerdict {
  if (error) return "unreadable";
  if (signatures.some((s) => s.indication === "TOTAL_FAILED")) return "signed-invalid";
  // Document time-stamps alone do not make a document signed (corpus README: "only document timestamps").
  const sigs = signatures.filter((s) => s.kind === "signature");
  if (sigs.length === 0) return "unsigned";
  if (sigs.some((s) => s.indication === "INDETERMINATE")) return "signed-indeterminate";
  return "signed-valid";
}
