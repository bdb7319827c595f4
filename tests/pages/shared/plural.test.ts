// English plurals for the pages and the reports: one form for 1 only ("1 documents" was the defect), one
// Vietnamese form for every number, a count nobody knows said as such.
import { describe, expect, it } from "vitest";
import { COUNTED, counted, pluralForm } from "../../../src/pages/shared/plural.js";
import { fillIn, nextStepText, SEALED, word } from "../../../src/api/report-words.js";

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
    expect([counted(1, COUNTED.documents, "en"), counted(149, COUNTED.documents, "en"), counted(1, COUNTED.agencyCodes, "en")]).toEqual([
      "1 document",
      "149 documents",
      "1 agency code",
    ]);
  });
});

describe("sentences with counted nouns", () => {
  it("take the form of the value a plural mark names, given as a number or as text", () => {
    const t = "{n} {n:document waits|documents wait}";
    expect(fillIn(t, { n: 1 })).toBe("1 document waits");
    expect(fillIn(t, { n: 3 })).toBe("3 documents wait");
    expect(fillIn(t, { n: "1,234" })).toBe("1,234 documents wait");
    expect(fillIn(t, {})).toBe(t);
  });

  it("say one document, one code in English, as the dashboard and leadership's report fill them", () => {
    expect(nextStepText({ kind: "directory", codes: 1, documents: 1 } as Parameters<typeof nextStepText>[0], "en")).toBe(
      "Add 1 agency code to the directory: 1 document waits for them.",
    );
    expect(nextStepText({ kind: "directory", codes: 2, documents: 5 } as Parameters<typeof nextStepText>[0], "en")).toBe(
      "Add 2 agency codes to the directory: 5 documents wait for them.",
    );
    expect(nextStepText({ kind: "reason", category: "unsigned", documents: 1 } as Parameters<typeof nextStepText>[0], "en")).toMatch(/\(1 document\)/);
    expect(fillIn(word(SEALED, "headline", "en"), { bySender: 1, signedValid: 1, share: "100.0%" })).toBe(
      "Validly signed documents sealed by their sender itself: 1 of 1 document (100.0%)",
    );
    // Vietnamese sentences carry no plural marks
    expect(nextStepText({ kind: "directory", codes: 1, documents: 1 } as Parameters<typeof nextStepText>[0], "vi")).toBe(
      "Bổ sung 1 mã cơ quan vào danh mục: 1 văn bản đang chờ.",
    );
  });
});
