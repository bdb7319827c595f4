// Each generated fixture gets the verdict, sub-indication, coverage and modification level it was built
// for (fixtures/pdf/expected.json, written by fixtures/generate.ts). One axis per assertion.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { analyze } from "../../src/analyze.js";
import type { Expected } from "../../fixtures/generate.js";
import { AT, FIXTURES } from "../helpers/paths.js";

const expected = JSON.parse(readFileSync(join(FIXTURES, "expected.json"), "utf8")) as Record<string, Expected>;

describe.each(Object.entries(expected))("%s", (file, e) => {
  const report = analyze(readFileSync(join(FIXTURES, file)), { validationTime: AT });

  it("has the document verdict it was built for", () => {
    expect(report.verdict).toBe(e.verdict);
    expect(report.error?.code).toBe(e.error);
  });

  it("has the expected signatures", () => {
    expect(report.signatures.map((s) => s.kind)).toEqual(e.signatures.map((s) => s.kind));
  });

  e.signatures.forEach((want, i) => {
    it(`signature ${i + 1}: indication`, () => {
      expect([report.signatures[i]?.indication, report.signatures[i]?.subIndication]).toEqual([want.indication, want.subIndication]);
    });
    it(`signature ${i + 1}: coverage and revision`, () => {
      const s = report.signatures[i]!;
      expect([s.coverage, s.revision, s.revisions]).toEqual([want.coverage, want.revision, want.revisions]);
    });
    it(`signature ${i + 1}: integrity`, () => expect(report.signatures[i]!.integrity).toBe(want.integrity));
    it(`signature ${i + 1}: modification level`, () => expect(report.signatures[i]!.modifications.level).toBe(want.modifications));
    if (want.signerKind) it(`signature ${i + 1}: signer kind`, () => expect(report.signatures[i]!.signer?.kind).toBe(want.signerKind));
    if (want.timestampValid !== undefined) it(`signature ${i + 1}: time-stamp validity`, () => expect(report.signatures[i]!.timestamp?.valid).toBe(want.timestampValid));
    if (want.digestAlgorithm) it(`signature ${i + 1}: digest algorithm`, () => expect(report.signatures[i]!.digestAlgorithm).toBe(want.digestAlgorithm));
  });
});

describe("fixture details", () => {
  const load = (f: string) => analyze(readFileSync(join(FIXTURES, f)), { validationTime: AT });

  it("shows Vietnamese signer names and field names decoded", () => {
    const r = load("nd30-personal-then-organization.pdf");
    expect(r.signatures[0]!.signer?.commonName).toBe("Nguyễn Văn An");
    expect(r.signatures[0]!.field).toBe("Chữ ký cá nhân");
    expect(r.signatures[1]!.signer?.organization).toBe("Văn phòng Ủy ban nhân dân tỉnh Tây Ninh");
  });

  it("never shows the identity of a signature whose format fails", () => {
    expect(load("byterange-gap-widened.pdf").signatures[0]!.signer).toBeNull();
  });

  it("names the changed objects when content changes after signing", () => {
    const s = load("page-added-after-signing.pdf").signatures[0]!;
    expect(s.modifications.details.join(" ")).toMatch(/page tree changed/);
  });

  it("reports the claimed signing time as a claim", () => {
    expect(load("signed-cades-rsa-sha256.pdf").signatures[0]!.claimedSigningTime).toBe("2024-06-15T02:00:00Z");
  });

  it("reports the DocMDP breach in words", () => {
    const s = load("form-filled-after-certification-p1.pdf").signatures[0]!;
    expect(s.messages[0]).toMatch(/certification signature permits \(P=1\)/);
  });

  it("warns about SHA-1 without failing under the default policy, and fails it under strict", () => {
    const bytes = readFileSync(join(FIXTURES, "sha1-adbe-pkcs7-detached.pdf"));
    const d = analyze(bytes, { validationTime: AT });
    expect(d.signatures[0]!.messages.join(" ")).toMatch(/SHA-1 is weak/);
    expect(d.signatures[0]!.subIndication).toBe("NO_CERTIFICATE_CHAIN_FOUND");
    const s = analyze(bytes, { validationTime: AT, policy: "strict" });
    expect(s.signatures[0]!.subIndication).toBe("CRYPTO_CONSTRAINTS_FAILURE_NO_POE");
  });
});
