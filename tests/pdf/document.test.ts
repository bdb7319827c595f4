// Revision-aware reading: revisions and where they end, xref streams and object streams, a resolver per
// revision, and loops or broken chains handled without hanging.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { PdfDocument } from "../../src/pdf/document.js";
import { PdfDict, PdfString } from "../../src/pdf/objects.js";
import { diffRevisions } from "../../src/pdf/diff.js";
import { FIXTURES } from "../helpers/paths.js";

const open = (f: string) => PdfDocument.open(readFileSync(join(FIXTURES, f)));

describe("PdfDocument", () => {
  it("finds each revision and its end offset", () => {
    const doc = open("nd30-personal-then-organization.pdf");
    expect(doc.revisionCount).toBe(3);
    expect(doc.revisions[2]!.end).toBe(doc.buf.length);
    for (const r of doc.revisions) expect(Buffer.from(doc.buf.subarray(r.eofEnd - 5, r.eofEnd)).toString()).toBe("%%EOF");
    expect(doc.repaired).toBe(false);
  });

  it("resolves an object as each revision saw it", () => {
    const doc = open("nd30-personal-then-organization.pdf");
    const field = 40;
    expect((doc.at(1).get(field) as PdfDict).has("V")).toBe(false);
    expect((doc.at(2).get(field) as PdfDict).has("V")).toBe(true);
  });

  it("reads xref streams and object streams", () => {
    const doc = open("xref-stream-object-stream.pdf");
    expect(doc.revisions.map((r) => r.sections[0]!.kind)).toEqual(["stream", "stream"]);
    const catalog = doc.final().catalog();
    expect(catalog?.name("Type")).toBe("Catalog");
    expect(doc.final().entry(1)?.type).toBe("compressed");
  });

  it("does not let a revision read bytes written after it", () => {
    const doc = open("page-added-after-signing.pdf");
    const lastNew = Math.max(...doc.revisions[2]!.entries.keys());
    expect(doc.at(2).get(lastNew)).toBeNull();
    expect(doc.at(3).get(lastNew)).not.toBeNull();
  });

  it("falls back to a recorded repair when the xref chain loops", () => {
    const base = readFileSync(join(FIXTURES, "unsigned.pdf"));
    // an update whose /Prev points at itself
    const update = Buffer.from(`xref\n0 0\ntrailer\n<< /Size 1 /Root 1 0 R /Prev ${base.length} >>\nstartxref\n${base.length}\n%%EOF\n`, "latin1");
    const doc = PdfDocument.open(Buffer.concat([base, update]));
    expect(doc.repaired).toBe(true);
    expect(doc.problems[0]!.message).toMatch(/loop in the \/Prev chain/);
  });

  it("classifies changes by what the objects are used for", () => {
    const doc = open("form-filled-after-approval.pdf");
    expect(diffRevisions(doc, 2, 3).level).toBe("form-fill");
    const page = open("page-added-after-signing.pdf");
    const d = diffRevisions(page, 2, 3);
    expect(d.level).toBe("other");
    expect(d.changes.some((c) => /page tree changed/.test(c.what))).toBe(true);
  });

  it("keeps the offsets of a signature's /Contents", () => {
    const doc = open("signed-cades-rsa-sha256.pdf");
    const sig = doc.final().dict(doc.final().dict(doc.final().get(40))?.get("V"));
    const c = sig?.get("Contents") as PdfString;
    expect(doc.buf[c.start]).toBe(0x3c);
    expect(doc.buf[c.end - 1]).toBe(0x3e);
  });
});
