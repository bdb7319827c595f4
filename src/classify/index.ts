// Content classification (born-digital / scanned / OCR / mixed) is not implemented yet: every document is
// reported as `unknown` with the reason in its evidence, so no figure rests on a guess.
import type { DocumentReport } from "../verify/report.js";

export function classifyContent(): DocumentReport["content"] {
  return { kind: "unknown", pagesExamined: 0, evidence: { reason: "content classification is not implemented in this engine version" } };
}
