// "What to do next" in words (no DOM): the rule is the server's (GET /api/v1/stats/next), the sentences
// are leadership's report's (NEXT_SENTENCES, ACTIONS_NEXT in src/api/report-words.ts).
import type { NextStep } from "../../compliance/next-steps.js";
import { fillIn } from "../../api/report-words.js";

export interface NextWords {
  CATEGORY: Record<string, string>;
  ACTIONS: Record<string, string>;
  NEXT: Record<string, string>;
}

export function nextText(step: NextStep, w: NextWords): string {
  const values: Record<string, string | number> =
    step.kind === "agencies"
      ? { list: step.agencies.map((x) => x.name + " (" + x.gap + ")").join(", ") }
      : step.kind === "reason"
        ? { reason: w.CATEGORY[step.category] ?? step.category, documents: step.documents, action: w.ACTIONS[step.category] ?? step.category }
        : step.kind === "directory"
          ? { codes: step.codes, documents: step.documents }
          : step.kind === "seal"
            ? { list: step.agencies.map((x) => x.name + " (" + x.documents + ")").join(", ") }
            : {};
  const sentence = w.NEXT[step.kind];
  return sentence ? fillIn(sentence, values) : "";
}
