// "What to do next" as the dashboard says it, without a browser: the same sentence leadership's report
// prints for every kind of step, in both languages, every mark filled.
import { describe, expect, it } from "vitest";
import { nextStepText } from "../../../src/api/report-words.js";
import type { NextStep } from "../../../src/compliance/next-steps.js";
import { nextText } from "../../../src/pages/dashboard/next.js";
import { pageWords } from "../../../src/pages/shared/words.js";

const steps: NextStep[] = [
  { kind: "keep" },
  {
    kind: "agencies",
    agencies: [
      { code: "H53.02", name: "Sở Y tế", gap: 12 },
      { code: "H53.05", name: "UBND huyện Tân Biên", gap: 7 },
    ],
  },
  { kind: "reason", category: "unsigned", documents: 31 },
  { kind: "directory", codes: 2, documents: 5 },
  { kind: "seal", agencies: [{ code: "H53.03", name: "Sở Tài chính", documents: 4 }] },
];

describe("nextText", () => {
  it.each(["vi", "en"] as const)("says each step as leadership's report does (%s)", (lang) => {
    for (const step of steps) {
      const text = nextText(step, pageWords(lang));
      expect(text, step.kind).toBe(nextStepText(step, lang));
      expect(text, step.kind).not.toMatch(/\{\w+\}/);
      expect(text.length, step.kind).toBeGreaterThan(0);
    }
  });
  it("names the agencies with their gaps and the reason's count", () => {
    expect(nextText(steps[1]!, pageWords("vi"))).toContain("Sở Y tế (12), UBND huyện Tân Biên (7)");
    expect(nextText(steps[2]!, pageWords("en"))).toContain("31");
  });
});
