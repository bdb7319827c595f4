// What to do next: the agencies furthest from the target (ties by code), the actionable reason with most
// documents, the directory's gaps; "keep" once the target is reached; nothing without documents.
import { describe, expect, it } from "vitest";
import { nextSteps } from "../../src/compliance/next-steps.js";

const ag = (code: string, gap: number, denominator = 10) => ({ code, name: `A ${code}`, gap, denominator });

describe("next steps", () => {
  it("below the target: the largest gaps, the main actionable reason, the directory's gaps", () => {
    const steps = nextSteps({
      rate: 0.6,
      target: 0.9,
      byCategory: { "signed-valid": 50, excluded: 99, paper: 7, unsigned: 12, "signed-invalid": 3 },
      agencies: [ag("B", 4), ag("A", 4), ag("C", 9), ag("D", 1), ag("E", 0), ag("F", 30, 0)],
      gaps: [{ documents: 2 }, { documents: 3 }],
    });
    expect(steps).toEqual([
      {
        kind: "agencies",
        agencies: [
          { code: "C", name: "A C", gap: 9 },
          { code: "A", name: "A A", gap: 4 },
          { code: "B", name: "A B", gap: 4 },
        ],
      },
      { kind: "reason", category: "unsigned", documents: 12 },
      { kind: "directory", codes: 2, documents: 5 },
    ]);
  });
  it("at the target: keep it; without documents: nothing", () => {
    expect(nextSteps({ rate: 0.95, target: 0.9, byCategory: { "signed-valid": 19, excluded: 4 }, agencies: [ag("A", 0)], gaps: [] })).toEqual([
      { kind: "keep" },
    ]);
    expect(nextSteps({ rate: null, target: 0.9, byCategory: {}, agencies: [], gaps: [{ documents: 1 }] })).toEqual([]);
  });
});
