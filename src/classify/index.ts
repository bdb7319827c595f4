// Content classification (DESIGN.md §4.1 `content`): born-digital, scanned, scanned with an OCR layer,
// mixed, empty — from the evidence of a bounded, representative set of pages.
import type { PdfDocument } from "../pdf/document.js";
import { PdfError } from "../pdf/errors.js";
import { listPages } from "../pdf/pages.js";
import type { DocumentReport } from "../verify/report.js";
import { type FormCache, type PageEvidence, pageEvidence } from "./page-evidence.js";
import { samplePages } from "./sample.js";

export type Content = DocumentReport["content"];

export function classifyContent(doc: PdfDocument): Content {
  let pages;
  try {
    pages = listPages(doc.final());
  } catch (e) {
    if (!(e instanceof PdfError)) throw e;
    return { kind: "unknown", pagesExamined: 0, evidence: { message: e.message } };
  }
  if (pages.length === 0) return { kind: "empty", pagesExamined: 0, evidence: { pageCount: 0 } };
  const picked = samplePages(pages.length);
  const forms: FormCache = new Map();
  const evidence: PageEvidence[] = picked.map((i) => pageEvidence(doc.final(), pages[i]!.dict, i + 1, forms));
  const kind = documentKind(evidence);
  const unknown = evidence.find((e) => e.kind === "unknown");
  return {
    kind,
    pagesExamined: evidence.length,
    evidence: {
      pageCount: pages.length,
      sampled: picked.length < pages.length,
      ...(unknown ? { message: `page ${unknown.page}: ${unknown.message ?? "could not be read"}` } : {}),
      pages: evidence,
    },
  };
}

/** The document kind from its pages: any unreadable page makes it unknown (never a guess). */
export function documentKind(pages: Array<Pick<PageEvidence, "kind">>): Content["kind"] {
  if (pages.some((p) => p.kind === "unknown")) return "unknown";
  const text = pages.filter((p) => p.kind === "text").length;
  const image = pages.filter((p) => p.kind === "image").length;
  const ocr = pages.filter((p) => p.kind === "image-with-invisible-text").length;
  if (text + image + ocr === 0) return "empty";
  if (text > 0 && image + ocr > 0) return "mixed";
  if (text > 0) return "born-digital";
  return ocr >= image ? "scanned-ocr" : "scanned";
}
