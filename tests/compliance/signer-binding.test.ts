// Who sealed a document (issue 24): the agency an organisation signature speaks for, found through the
// directory (names folded, signer names, registered fingerprints), against the document's sender — on the
// real ministry decisions, and on the cases that must never be a guess.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { analyzeStructure as analyze } from "../../src/analyze.js";
import { loadTrustStore } from "../../src/config.js";
import { Directory, type DirectoryEntry } from "../../src/compliance/directory.js";
import { bindSigner, sealsOf, type Seal } from "../../src/compliance/signer-binding.js";
import { AT, CORPUS, CORPUS_MISSING, hasCorpus } from "../helpers/paths.js";

const entry = (code: string, name: string, more: Partial<DirectoryEntry> = {}): DirectoryEntry => ({
  code,
  name,
  parent: null,
  kind: "administrative",
  aliases: [],
  validFrom: null,
  validTo: null,
  successor: null,
  ...more,
});
// the ministries' names as the corpus's certificates spell them (Bộ Khoa học và Công nghệ's officials' O is upper case)
const ministries = new Directory([entry("G10", "Bộ Y tế"), entry("G19", "BỘ KHOA HỌC VÀ CÔNG NGHỆ"), entry("H53.01", "Văn phòng UBND tỉnh Tây Ninh")]);
const seal = (kind: Seal["kind"], cn: string | null, o: string | null, sha256 = "ab".repeat(32), ou: string | null = null): Seal => ({
  kind,
  cn,
  o,
  ou,
  sha256,
});

describe.skipIf(!hasCorpus)(`the real ministry decisions${hasCorpus ? "" : ` (${CORPUS_MISSING})`}`, () => {
  const trust = loadTrustStore();
  const sealsOfFile = (name: string) => sealsOf(analyze(readFileSync(join(CORPUS, "files", "vn", name)), { now: AT, trust }).signatures);

  it("decision 4469 sent as Bộ Y tế is the sender's; sent as another agency it is Bộ Y tế's", () => {
    const seals = sealsOfFile("byt-qd-4469-2020.vgca-7-signatures.pdf");
    expect(seals.filter((s) => s.kind === "organization")).toHaveLength(6);
    expect(bindSigner(seals, "G10", ministries)).toMatchObject({
      status: "sender",
      agency: "G10",
      name: "Bộ Y tế",
      rule: expect.stringMatching(/CN "Bộ Y tế" is the name of G10/),
    });
    expect(bindSigner(seals, "H53.01", ministries)).toMatchObject({ status: "another-agency", agency: "G10", name: "Bộ Y tế" });
  });

  it("decision 2334 is not matched when the directory lacks its ministry, naming the certificate's name", () => {
    const seals = sealsOfFile("bkhcn-qd-2334-2025.signservice-6-signatures.pdf");
    const without = new Directory([entry("G10", "Bộ Y tế"), entry("H53.01", "Văn phòng UBND tỉnh Tây Ninh")]);
    expect(bindSigner(seals, "H53.01", without)).toMatchObject({
      status: "not-matched",
      name: "Bộ Khoa học và Công nghệ",
      rule: expect.stringMatching(/no agency of the directory has the name/),
    });
    // listed in upper case, the ministry's organisation certificate (mixed case) still finds it
    expect(bindSigner(seals, "G19", ministries)).toMatchObject({ status: "sender", agency: "G19" });
  });

  it("only the officials' signatures of a decision: no organisation signature", () => {
    const officials = sealsOfFile("bkhcn-qd-2334-2025.signservice-6-signatures.pdf").filter((s) => s.kind === "personal");
    expect(officials).toHaveLength(2);
    expect(bindSigner(officials, "G19", ministries)).toMatchObject({ status: "no-organisation-signature", name: "VỤ BƯU CHÍNH, BỘ KHOA HỌC VÀ CÔNG NGHỆ" });
  });
});

describe("the binding's rules", () => {
  it("never guesses between two agencies whose names differ only by diacritics", () => {
    const dir = new Directory([entry("H53.10", "Sở Tài chính"), entry("H53.11", "Sở Tài Chinh"), entry("H53.01", "Văn phòng UBND tỉnh")]);
    expect(bindSigner([seal("organization", "SO TAI CHINH", "UBND tỉnh Tây Ninh")], "H53.10", dir)).toEqual({
      status: "not-matched",
      name: "SO TAI CHINH",
      rule: expect.stringMatching(/fits several agencies/),
      candidates: ["H53.10", "H53.11"],
    });
  });

  it("lets a registered fingerprint win over names", () => {
    const sha = "cd".repeat(32);
    const dir = new Directory([entry("H53.10", "Sở Tài chính"), entry("H53.01", "Văn phòng UBND tỉnh", { certificates: [sha.toUpperCase()] })]);
    // the certificate says Sở Tài chính, but Văn phòng registered it: it is Văn phòng's seal
    expect(bindSigner([seal("organization", "Sở Tài chính", null, sha)], "H53.10", dir)).toMatchObject({
      status: "another-agency",
      agency: "H53.01",
      rule: expect.stringMatching(/registered by H53.01/),
    });
    expect(bindSigner([seal("organization", "Sở Tài chính", null, sha)], "H53.01", dir)).toMatchObject({ status: "sender", agency: "H53.01" });
  });

  it("reads the name a certificate spells its agency through the agency's signer names", () => {
    const dir = new Directory([
      entry("H53", "UBND tỉnh Tây Ninh"),
      entry("H53.20", "UBND huyện Gò Dầu", { signerNames: ["Ủy ban nhân dân huyện Gò Dầu"] }),
      entry("H53.01", "Văn phòng UBND tỉnh", { signerNames: ["Cổng thông tin điện tử tỉnh"] }),
    ]);
    expect(bindSigner([seal("organization", "ỦY BAN NHÂN DÂN HUYỆN GÒ DẦU", "UBND tỉnh Tây Ninh")], "H53.20", dir)).toMatchObject({
      status: "sender",
      agency: "H53.20",
    });
    // the portal's certificate, registered as one of the office's names
    expect(bindSigner([seal("organization", "Cổng thông tin điện tử tỉnh", "Văn phòng UBND tỉnh")], "H53.01", dir)).toMatchObject({
      status: "sender",
      rule: expect.stringMatching(/CN "Cổng thông tin điện tử tỉnh"/),
    });
    // a CN the directory lacks is not credited to the body its O names (the province's committee did not seal it)
    expect(bindSigner([seal("organization", "Trung tâm Phục vụ hành chính công", "UBND tỉnh Tây Ninh")], "H53.20", dir)).toMatchObject({
      status: "not-matched",
      name: "Trung tâm Phục vụ hành chính công",
    });
    // with no CN, the O names the agency
    expect(bindSigner([seal("organization", null, "UBND huyện Gò Dầu")], "H53.20", dir)).toMatchObject({
      status: "sender",
      rule: expect.stringMatching(/O "UBND huyện Gò Dầu"/),
    });
  });

  it("tells apart agencies of one name by the parent the certificate's O names", () => {
    const dir = new Directory([
      entry("H53.20", "UBND huyện Gò Dầu"),
      entry("H53.21", "UBND huyện Trảng Bàng"),
      entry("H53.20.01", "Phòng Tài chính - Kế hoạch", { parent: "H53.20" }),
      entry("H53.21.01", "Phòng Tài chính - Kế hoạch", { parent: "H53.21" }),
    ]);
    expect(bindSigner([seal("organization", "Phòng Tài chính - Kế hoạch", "UBND huyện Trảng Bàng")], "H53.21.01", dir)).toMatchObject({
      status: "sender",
      agency: "H53.21.01",
      rule: expect.stringMatching(/within O/),
    });
    expect(bindSigner([seal("organization", "Phòng Tài chính - Kế hoạch", null)], "H53.21.01", dir)).toMatchObject({
      status: "not-matched",
      candidates: ["H53.20.01", "H53.21.01"],
    });
  });

  it("takes any of several organisation seals naming the sender, else the first other agency", () => {
    const dir = new Directory([entry("H53.10", "Sở Tài chính"), entry("H53.01", "Văn phòng UBND tỉnh")]);
    expect(bindSigner([seal("organization", "Văn phòng UBND tỉnh", null), seal("organization", "Sở Tài chính", null)], "H53.10", dir).status).toBe("sender");
    expect(bindSigner([seal("personal", "Nguyễn Văn A", "Sở Tài chính"), seal("organization", "Văn phòng UBND tỉnh", null)], "H53.10", dir)).toMatchObject({
      status: "another-agency",
      agency: "H53.01",
    });
  });

  it("counts a seal under the old name as the sender's after a reorganisation, both ways", () => {
    const dir = new Directory([entry("H53.20", "UBND huyện Gò Dầu", { validTo: "2025-07-01", successor: "H53.31" }), entry("H53.31", "UBND xã Gò Dầu")]);
    expect(bindSigner([seal("organization", "UBND huyện Gò Dầu", null)], "H53.31", dir)).toMatchObject({
      status: "sender",
      agency: "H53.20",
      rule: expect.stringMatching(/predecessor/),
    });
    expect(bindSigner([seal("organization", "UBND xã Gò Dầu", null)], "H53.20", dir)).toMatchObject({
      status: "sender",
      agency: "H53.31",
      rule: expect.stringMatching(/successor/),
    });
  });

  it("keeps only valid signatures' signers as seals", () => {
    const signer = {
      subject: "CN=Sở Tài chính",
      commonName: "Sở Tài chính",
      organization: null,
      issuer: "",
      serialNumber: "",
      notBefore: "",
      notAfter: "",
      sha256: "ef".repeat(32),
      kind: "organization" as const,
    };
    expect(
      sealsOf([
        { kind: "signature", indication: "TOTAL_FAILED", signer },
        { kind: "document-timestamp", indication: "TOTAL_PASSED", signer },
        { kind: "signature", indication: "TOTAL_PASSED", signer },
      ]),
    ).toEqual([{ kind: "organization", cn: "Sở Tài chính", o: null, ou: null, sha256: "ef".repeat(32) }]);
  });
});
