// The rules of changes after signing (shared/VERIFY-CHECKS.md K11-K14), each side of each: what the
// comparison names for the generated fixtures of fixtures/lib/changes.ts (judged as a whole in
// tests/verify/fixtures.test.ts), and the lock matching on its own.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { diffRevisions, isLocked } from "../../src/pdf/diff.js";
import { PdfDocument } from "../../src/pdf/document.js";
import { FIXTURES } from "../helpers/paths.js";

/** The changes from the signed revision (the one before the last) to the delivered one. */
function changes(file: string) {
  const doc = PdfDocument.open(readFileSync(join(FIXTURES, file)));
  const facts = diffRevisions(doc, doc.revisionCount - 1, doc.revisionCount);
  return { facts, refused: facts.changes.filter((c) => c.level === "other").map((c) => c.what) };
}

describe("K13 locks", () => {
  it("matches All, Include and Exclude by fully qualified name", () => {
    expect(isLocked([{ action: "All", fields: [] }], "a")).toBe(true);
    expect(isLocked([{ action: "Include", fields: ["a.b"] }], "a.b")).toBe(true);
    expect(isLocked([{ action: "Include", fields: ["a.b"] }], "a")).toBe(false);
    expect(isLocked([{ action: "Exclude", fields: ["a"] }], "a")).toBe(false);
    expect(isLocked([{ action: "Exclude", fields: ["a"] }], "b")).toBe(true);
    expect(isLocked([], "a")).toBe(false);
  });
  it("refuses a locked field filled, naming it, and allows one the lock leaves free", () => {
    expect(changes("lock-field-filled.pdf").refused.join(" ")).toContain("the locked field 'Ý kiến' was changed");
    expect(changes("lock-all-field-filled.pdf").refused.join(" ")).toContain("the locked field 'Ý kiến' was changed");
    expect(changes("lock-other-field-filled.pdf").refused).toEqual([]);
    expect(changes("lock-exclude-field-filled.pdf").refused).toEqual([]);
  });
});

describe("K12 what may never disappear", () => {
  it("refuses catalog entries removed, and allows one added", () => {
    expect(changes("acroform-removed.pdf").refused.join(" ")).toContain("/AcroForm removed");
    expect(changes("dss-removed.pdf").refused.join(" ")).toContain("/DSS removed");
    expect(changes("perms-removed.pdf").refused.join(" ")).toMatch(/\/Perms/);
    expect(changes("dss-added.pdf")).toMatchObject({ refused: [], facts: { level: "signatures" } });
  });
  it("counts an empty signature field added (refused under P=1 and P=2 by the signature's judge)", () => {
    for (const f of ["empty-sig-field-added.pdf", "empty-sig-field-added-p1.pdf", "empty-sig-field-added-p2.pdf", "empty-sig-field-added-p3.pdf"])
      expect(changes(f).facts).toMatchObject({ level: "form-fill", emptySignatureFields: 1 });
  });
  it("refuses a widget emptied to << >>", () => {
    expect(changes("widget-blanked.pdf").facts.level).toBe("other");
  });
});

describe("K11 values, not object numbers", () => {
  it("sees no change in a catalog renumbered, or resources re-pointed to equal copies", () => {
    expect(changes("catalog-renumbered.pdf").facts.level).toBe("none");
    expect(changes("resources-repointed-equal.pdf").facts.level).toBe("none");
  });
  it("sees the change when the copy differs", () => {
    expect(changes("resources-repointed-different.pdf").refused.join(" ")).toContain("page 1 changed (/Resources)");
  });
});

describe("K14 bookkeeping", () => {
  it("allows /Tabs and /StructParents with an annotation added, never on their own", () => {
    expect(changes("tagged-annotation-p3.pdf").facts.level).toBe("annotations");
    expect(changes("structparents-alone.pdf").refused.join(" ")).toContain("page 1 changed (/StructParents)");
  });
  it("allows an appearance reusing the field's own, not one page content draws", () => {
    expect(changes("appearance-reuses-own.pdf").facts.level).toBe("form-fill");
    expect(changes("appearance-shared-with-page.pdf").facts.level).toBe("other");
  });
});
