// Page kinds from hand-built evidence (no PDF): the thresholds that separate scans from born-digital
// pages, stamps on scans, OCR layers and blank pages; and the page sample of long documents.
import { describe, expect, it } from "vitest";
import { documentKind } from "../../src/classify/index.js";
import { pageKind } from "../../src/classify/page-evidence.js";
import { samplePages } from "../../src/classify/sample.js";

describe("pageKind", () => {
  it.each([
    [{ visibleGlyphs: 2000, invisibleGlyphs: 0, imageCoverage: 0, vectorOps: 10 }, "text"],
    [{ visibleGlyphs: 0, invisibleGlyphs: 0, imageCoverage: 0.95, vectorOps: 0 }, "image"],
    [{ visibleGlyphs: 80, invisibleGlyphs: 0, imageCoverage: 0.95, vectorOps: 0 }, "image"],
    [{ visibleGlyphs: 0, invisibleGlyphs: 900, imageCoverage: 1, vectorOps: 0 }, "image-with-invisible-text"],
    [{ visibleGlyphs: 3000, invisibleGlyphs: 0, imageCoverage: 1, vectorOps: 0 }, "text"],
    [{ visibleGlyphs: 0, invisibleGlyphs: 0, imageCoverage: 0.01, vectorOps: 0 }, "blank"],
    [{ visibleGlyphs: 0, invisibleGlyphs: 0, imageCoverage: 0, vectorOps: 40 }, "text"],
  ] as const)("%j → %s", (e, kind) => expect(pageKind(e)).toBe(kind));
});

describe("documentKind", () => {
  it("combines page kinds", () => {
    expect(documentKind([{ kind: "text" }, { kind: "blank" }])).toBe("born-digital");
    expect(documentKind([{ kind: "image" }, { kind: "image" }])).toBe("scanned");
    expect(documentKind([{ kind: "image-with-invisible-text" }, { kind: "image" }])).toBe("scanned-ocr");
    expect(documentKind([{ kind: "text" }, { kind: "image" }])).toBe("mixed");
    expect(documentKind([{ kind: "blank" }])).toBe("empty");
    expect(documentKind([{ kind: "text" }, { kind: "unknown" }])).toBe("unknown");
  });
});

describe("samplePages", () => {
  it("takes every page of a short document", () => expect(samplePages(7)).toEqual([0, 1, 2, 3, 4, 5, 6]));
  it("takes the first five, the last two and an even sample, twenty in all", () => {
    const s = samplePages(300);
    expect(s).toHaveLength(20);
    expect(s.slice(0, 5)).toEqual([0, 1, 2, 3, 4]);
    expect(s.slice(-2)).toEqual([298, 299]);
    expect(new Set(s).size).toBe(20);
  });
});
