// analyze(bytes, options) → DocumentReport: the one entry point of the core (DESIGN.md §2). Pure: no
// clock except options.validationTime, no I/O.
import type { ChangePolicy } from "./pdf/diff.js";
import { createHash } from "node:crypto";
import { classifyContent } from "./classify/index.js";
import { ownTextEvidence, textEvidence, textPages } from "./classify/text-content.js";
import { DEFAULT_ONLINE, fetchRevocation, type OnlineOptions } from "./pki/online.js";
import type { RevocationData } from "./verify/document.js";
import { encryptionState } from "./pdf/encryption.js";
import { PdfDocument } from "./pdf/document.js";
import { PdfError } from "./pdf/errors.js";
import { declaredPageCount, listPages } from "./pdf/pages.js";
import { verifyDocument } from "./verify/document.js";
import { Digester } from "./verify/digester.js";
import type { PolicyName } from "./verify/policy.js";
import type { TrustStore } from "./pki/trust-store.js";
import type { RevocationMode, RevocationNeed } from "./verify/trust.js";
import { documentVerdict, type DocumentReport, type ErrorCode, type ReportFinding, type SignatureReport } from "./verify/report.js";
import { say } from "./verify/messages.js";
import { ENGINE_VERSION } from "./version.js";
import { proofText, proved, type ProofBasis } from "./verify/proof-basis.js";

export interface AnalyzeOptions {
  /** the current time (ISO 8601): the clock is an input, never read here */
  now: string;
  /** judge at this time whatever the proofs (--at) */
  at?: string;
  /** a time that proves the document existed (kyso's receipt, or a trusted channel's trace time): the
   * validation time when no time-stamp is better. Never a time someone merely declared. */
  receivedAt?: string;
  /** what `receivedAt` is, for the report (default: "the time the document was received") */
  existenceBasis?: ExistenceBasis;
  /** a receipt time the sender declared (kept in the report as metadata; it proves nothing) */
  declaredReceivedAt?: string;
  policy?: PolicyName;
  /** the rules judging changes after signing and their allow-lists (pdf/change-rules.ts; default: all) */
  changePolicy?: ChangePolicy;
  trust?: TrustStore;
  revocation?: RevocationMode;
  /** read the text of a few pages (default true): kyso's own reader, pdfjs-dist where only it can */
  text?: boolean;
  /** classify the content (default true); off, `content` is `unknown` with that reason */
  classify?: boolean;
  /** fetch CRLs and OCSP responses for signing certificates the document leaves undetermined */
  online?: boolean | OnlineOptions;
  /** CRLs from a local cache folder (DER) */
  crlCache?: Uint8Array[];
}

/** What only the analysis itself passes down: outside revocation data and the collector of needs. */
interface InternalOptions extends AnalyzeOptions {
  /** analyze() asks the structural pass to read the text itself where the PDF says what its codes mean */
  ownText?: boolean;
  revocationData?: RevocationData;
  needs?: RevocationNeed[];
}

/** What proves a document existed at a time, when no time-stamp does. */
export type ExistenceBasis = "receipt" | "exchange-trace" | "given";

/** What proves the receipt time the analysis falls back on, by how it was established. */
const BASIS: Record<ExistenceBasis, ProofBasis> = { receipt: { kind: "receipt" }, "exchange-trace": { kind: "exchange-trace" }, given: { kind: "received" } };

/** The identifier of an empty anchor set. */
export const EMPTY_TRUST_STORE = createHash("sha256").update("").digest("hex");

/** DESIGN.md §4.2: --at, else the time received, else now (time-stamps refine it per signature). */
export function validationTime(o: Pick<AnalyzeOptions, "at" | "receivedAt" | "now">): string {
  return o.at ?? o.receivedAt ?? o.now;
}

/**
 * The whole analysis: verification and content classification, then — unless `options.text` is false —
 * the extracted text of a few pages, which tells real text and searchable OCR layers apart from glyph
 * codes without Unicode: read by kyso where the PDF maps its codes, by pdfjs-dist where only the font
 * programs say (or kyso's reading left codes unmapped).
 */
export async function analyze(bytes: Uint8Array, options: AnalyzeOptions): Promise<DocumentReport> {
  const structural: InternalOptions = { ...options, ownText: options.text !== false };
  let report = options.online ? await analyzeOnline(bytes, structural) : analyzeStructure(bytes, structural);
  if (options.text === false || report.error || report.content.evidence.text) return report;
  const pages = textPages(report.content);
  if (pages.length === 0) return report;
  const text = await textEvidence(bytes, pages);
  return text ? { ...report, content: { ...report.content, evidence: { ...report.content.evidence, text } } } : report;
}

/**
 * With online revocation: a first pass collects the signing certificates whose status is undetermined;
 * their responders are asked; a second pass judges with the answers (checkedBy "online").
 */
async function analyzeOnline(bytes: Uint8Array, options: AnalyzeOptions): Promise<DocumentReport> {
  const needs: RevocationNeed[] = [];
  const first = analyzeStructure(bytes, { ...options, needs } as InternalOptions);
  if (needs.length === 0) return first;
  const fetched = await fetchRevocation(needs, typeof options.online === "object" ? options.online : DEFAULT_ONLINE, validationTime(options));
  const online = {
    crls: fetched.crls.map((der) => ({ der, source: "online" as const })),
    ocsps: fetched.ocsps.map((der) => ({ der, source: "online" as const })),
  };
  const second =
    online.crls.length || online.ocsps.length ? analyzeStructure(bytes, { ...options, online: false, revocationData: online } as InternalOptions) : first;
  if (!fetched.problems.length) return second;
  const notes = fetched.problems.map((p): ReportFinding => ({ key: "doc.onlineRevocation", params: { problem: p }, severity: "info", subIndication: null }));
  return {
    ...second,
    messages: [...second.messages, ...notes.map((n) => say("doc.onlineRevocation", n.params))],
    findings: [...(second.findings ?? []), ...notes],
  };
}

/** Verification and structural classification, synchronously (no text extraction, no network). */
export function analyzeStructure(bytes: Uint8Array, options: AnalyzeOptions): DocumentReport {
  const internal = options as InternalOptions;
  // The file digest comes from the same pass as the ByteRange digests, so it is taken last.
  const digester = new Digester(bytes);
  const head = () => ({
    sha256: Buffer.from(digester.fileDigest("sha256")).toString("hex"),
    bytes: bytes.length,
    engine: { name: "kyso" as const, version: ENGINE_VERSION, trustStore: options.trust?.id ?? EMPTY_TRUST_STORE },
    validationTime: validationTime(options),
    ...(options.receivedAt && !options.at
      ? {
          existence: {
            time: new Date(options.receivedAt).toISOString(),
            proof: proofText(BASIS[options.existenceBasis ?? "given"]),
            basis: BASIS[options.existenceBasis ?? "given"],
            ...(options.declaredReceivedAt && options.declaredReceivedAt !== options.receivedAt
              ? {
                  declaredReceivedAt: options.declaredReceivedAt,
                  note: "the receipt time the sender declared: kept for the period the document counts in, never used to validate",
                }
              : {}),
          },
        }
      : {}),
  });
  let doc: PdfDocument;
  try {
    doc = PdfDocument.open(bytes);
  } catch (e) {
    return failed(head(), e);
  }
  const enc = encryptionState(doc);
  if (enc.encrypted && enc.needsPassword) {
    const how =
      enc.handler === "Standard"
        ? `a password (standard security handler, revision ${enc.revision ?? "unknown"})`
        : `the key of a recipient (security handler /${enc.handler})`;
    return unreadableReport(head(), "ENCRYPTED", `the file is encrypted and opening it needs ${how}: its signatures and content cannot be read without it`);
  }
  try {
    const fallback = options.receivedAt
      ? proved(new Date(options.receivedAt), BASIS[options.existenceBasis ?? "given"])
      : proved(new Date(options.now), { kind: "now" });
    const v = verifyDocument(doc, {
      policy: options.policy ?? "default",
      digester,
      ...(options.trust ? { trust: options.trust } : {}),
      revocation: options.revocation ?? "soft-fail",
      at: options.at ? new Date(options.at) : null,
      fallback,
      revocationData: mergeRevocation(options.crlCache, internal.revocationData),
      ...(internal.needs ? { needs: internal.needs } : {}),
      ...(options.changePolicy ? { changePolicy: options.changePolicy } : {}),
    });
    const r = doc.final();
    const content =
      options.classify === false
        ? { kind: "unknown" as const, pagesExamined: 0, evidence: { message: "content classification was not requested" } }
        : enc.encrypted
          ? {
              kind: "unknown" as const,
              pagesExamined: 0,
              evidence: { message: "the page content is encrypted (empty user password): kyso does not decrypt it, so the content is not classified" },
            }
          : withOwnText(r, classifyContent(doc), internal.ownText === true);
    const pages = doc.repaired ? declaredPageCount(r) : listPages(r).length || declaredPageCount(r);
    return {
      ...head(),
      error: null,
      pdf: { version: (r.catalog()?.name("Version") ?? doc.version).replace(/^\//, ""), pages, revisions: doc.revisionCount },
      signatures: v.signatures,
      content,
      verdict: documentVerdict(null, v.signatures),
      nd30: nd30(v.signatures, content.kind),
      messages: enc.encrypted ? [say("doc.emptyPassword"), ...v.messages] : v.messages,
      findings: enc.encrypted ? [{ key: "doc.emptyPassword", params: {}, severity: "info", subIndication: null }, ...v.findings] : v.findings,
    };
  } catch (e) {
    return failed(head(), e);
  }
}

/** The content with kyso's reading of its text, when asked for and when kyso can read it alone. */
function withOwnText(r: ReturnType<PdfDocument["final"]>, content: DocumentReport["content"], asked: boolean): DocumentReport["content"] {
  if (!asked) return content;
  const pages = textPages(content);
  if (pages.length === 0) return content;
  let text;
  try {
    text = ownTextEvidence(r, pages);
  } catch (e) {
    // a defect of the reader must not cost the verdicts: pdfjs reads the text instead
    if (!(e instanceof RangeError) && !(e instanceof TypeError)) throw e;
    text = null;
  }
  return text ? { ...content, evidence: { ...content.evidence, text } } : content;
}

function failed(base: Pick<DocumentReport, "sha256" | "bytes" | "engine" | "validationTime">, e: unknown): DocumentReport {
  if (!(e instanceof PdfError) && !(e instanceof RangeError) && !(e instanceof TypeError)) throw e;
  const code: ErrorCode =
    e instanceof PdfError && e.code === "NOT_PDF" ? "NOT_PDF" : e instanceof PdfError && e.code === "ENCRYPTED" ? "ENCRYPTED" : "UNREADABLE";
  return unreadableReport(base, code, e.message);
}

/** The report of a document that could not be analyzed at all (also used for time-outs and crashes). */
export function unreadableReport(
  base: Pick<DocumentReport, "sha256" | "bytes" | "engine" | "validationTime">,
  code: ErrorCode,
  message: string,
): DocumentReport {
  const error = { code, message };
  return {
    ...base,
    error,
    pdf: null,
    signatures: [],
    content: { kind: "unknown", pagesExamined: 0, evidence: {} },
    verdict: documentVerdict(error, []),
    nd30: { personal: false, organization: false, complete: false },
    messages: [],
  };
}

/**
 * Nghị định 30/2020: a valid personal signature followed by a valid organisation signature; for a scan
 * (a "số hóa" copy), a valid organisation signature alone.
 */
export function nd30(sigs: SignatureReport[], content: DocumentReport["content"]["kind"]): DocumentReport["nd30"] {
  const valid = sigs.filter((s) => s.kind === "signature" && s.indication === "TOTAL_PASSED" && s.signer);
  const personalAt = valid.findIndex((s) => s.signer!.kind === "personal");
  const orgAfter = valid.findIndex((s, i) => s.signer!.kind === "organization" && i > personalAt);
  const organization = valid.some((s) => s.signer!.kind === "organization");
  const scan = content === "scanned" || content === "scanned-ocr";
  return {
    personal: personalAt >= 0,
    organization,
    complete: (personalAt >= 0 && orgAfter > personalAt) || (scan && organization),
  };
}

function mergeRevocation(cache: Uint8Array[] | undefined, data: RevocationData | undefined): RevocationData {
  return {
    crls: [...(cache ?? []).map((der) => ({ der, source: "cache" as const })), ...(data?.crls ?? [])],
    ocsps: [...(data?.ocsps ?? [])],
  };
}
