// English plurals for the pages and the reports: one form for 1 only ("1 documents" was the defect), one
// Vietnamese form for every number, a count nobody knows said as such.
import { describe, expect, it } from "vitest";
import { COUNTED, counted, pluralForm } from "../../../src/pages/shared/plural.js";

const DOCUMENTS = { vi: "văn bản", en: { one: "document", other: "documents" } };

describe("counted nouns", () => {
  it("take the singular in English for 1 alone", () => {
    expect(counted(1, DOCUMENTS, "en")).toBe("1 document");
    expect(counted(0, DOCUMENTS, "en")).toBe("0 documents");
    expect(counted(2, DOCUMENTS, "en")).toBe("2 documents");
    expect(counted(21, DOCUMENTS, "en")).toBe("21 documents");
    expect(counted(1.5, DOCUMENTS, "en")).toBe("1.5 documents");
  });

  it("keep one form in Vietnamese", () => {
    expect([1, 2, 0].map((n) => counted(n, DOCUMENTS, "vi"))).toEqual(["1 văn bản", "2 văn bản", "0 văn bản"]);
  });

  it("write the number as told, and an unknown count with the plural", () => {
    expect(counted(1234, COUNTED.bytes, "en", (n) => n.toLocaleString("en"))).toBe("1,234 bytes");
    expect(counted(1, COUNTED.pages, "en")).toBe("1 page");
    expect(counted(null, COUNTED.pages, "en")).toBe("? pages");
    expect(pluralForm(1, COUNTED.revisions, "en")).toBe("revision");
    expect(pluralForm(1, COUNTED.roots, "vi")).toBe("chứng thư gốc");
  });
});
