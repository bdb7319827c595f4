// Who sealed the documents their sender did not seal, and their order, without a browser: the words are
// leadership's report's (SEALED), the order its too.
import { describe, expect, it } from "vitest";
import { SEALED } from "../../../src/api/report-words.js";
import type { DocumentItem } from "../../../src/pages/dashboard/api.js";
import { notSealedRows, sealer } from "../../../src/pages/dashboard/sealed.js";
import { inLang } from "../../../src/pages/shared/words.js";

const SEAL = inLang(SEALED, "vi");
const names = new Map([
  ["H53.01", "Văn phòng UBND tỉnh"],
  ["H53.02", "Sở Y tế"],
  ["H53.03", "Sở Tài chính"],
]);
const doc = (id: string, over: Partial<DocumentItem>): DocumentItem => ({
  id,
  sender: "H53.02",
  receivedAt: "2024-05-01T00:00:00Z",
  category: "signed-valid-not-sender",
  signerBinding: { status: "another-agency", agency: "H53.01", name: "VP UBND" },
  ...over,
});

describe("sealer", () => {
  it("names the sealing agency as the directory does, else as its certificate does", () => {
    expect(sealer({ status: "another-agency", agency: "H53.01", name: "VP UBND" }, names, SEAL)).toBe("Văn phòng UBND tỉnh");
    expect(sealer({ status: "another-agency", agency: "H53.99", name: "VP UBND" }, names, SEAL)).toBe("VP UBND");
  });
  it("says an official alone sealed it, with the name when the certificate gives one", () => {
    expect(sealer({ status: "no-organisation-signature", name: "Nguyễn Văn A" }, names, SEAL)).toContain("Nguyễn Văn A");
    expect(sealer({ status: "no-organisation-signature" }, names, SEAL)).toBe(SEAL.officialsNoName);
  });
  it("lists the candidates when the directory names more than one", () => {
    expect(sealer({ status: "not-matched", name: "Sở", candidates: ["H53.02", "H53.03"] }, names, SEAL)).toContain("H53.02, H53.03");
  });
});

describe("notSealedRows", () => {
  it("keeps only validly signed documents, ordered by how, by who sealed, by sender, by day, by number", () => {
    const pages = [
      {
        next: null,
        documents: [
          doc("late", { issuedDate: "2024-06-01", number: "2/SYT" }),
          doc("early10", { issuedDate: "2024-05-01", number: "10/SYT" }),
          doc("early2", { issuedDate: "2024-05-01", number: "2/SYT" }),
          doc("invalid", { category: "signed-invalid" }),
          doc("tc", { sender: "H53.03" }),
        ],
      },
      { next: null, documents: [doc("official", { signerBinding: { status: "no-organisation-signature", name: "A" } })] },
    ];
    const rows = notSealedRows(pages, names, SEAL);
    expect(rows.map((r) => r.d.id)).toEqual(["tc", "early2", "early10", "late", "official"]);
    expect(rows[0]!.from).toBe("Sở Tài chính");
  });
});
