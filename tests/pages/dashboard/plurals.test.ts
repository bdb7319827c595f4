// The dashboard's English counts its documents as English does ("1 document", "2 documents": issue 25,
// "1 documents" was on the page); Vietnamese nouns do not change.
import { describe, expect, it } from "vitest";
import { DASHBOARD_WORDS } from "../../../src/pages/dashboard/words.js";

describe("the dashboard's counted words", () => {
  it("say one document and several documents", () => {
    const en = DASHBOARD_WORDS.en;
    expect(en.agencyFig("Sở X (H53.01)", "100%", 1, 1, 0, 1)).toContain("(1 of 1 document)");
    expect(en.agencyFig("Sở X (H53.01)", "50%", 1, 2, 1, 2)).toContain("(1 of 2 documents)");
    expect(en.gapsReached(1)).toContain("miss 1 document between them");
    expect(en.gapsAdd(1, 3, 1, 0)).toMatch(/^The agencies' gaps add up to 1 document, .*1 signed document of agencies/);
    expect(DASHBOARD_WORDS.vi.agencyFig("Sở X (H53.01)", "100%", 1, 1, 0, 1)).toContain("1 văn bản");
  });
});
