// Each generated fixture gets the verdict, sub-indication, coverage and modification level it was built
// for (fixtures/pdf/expected.json, written by fixtures/generate.ts), with the fixture trust folder as
// the only anchor, judged at a fixed time. One axis per assertion.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { analyzeStructure as analyze } from "../../src/analyze.js";
import type { Expected } from "../../fixtures/generate.js";
import { AT, FIXTURES, ROOT } from "../helpers/paths.js";
import { loadTrustStore } from "../../src/config.js";

const trust = loadTrustStore([join(ROOT, "fixtures", "trust")], { includeDefault: false });

const expected = JSON.parse(readFileSync(join(FIXTURES, "expected.json"), "utf8")) as Record<string, Expected>;

describe.each(Object.entries(expected))("%s", (file, e) => {
  const report = analyze(readFileSync(join(FIXTURES, file)), { now: AT, trust });

  it("has the document verdict it was built for", () => {
    expect(report.verdict, report.signatures.map((s) => s.messages[0]).join(" | ")).toBe(e.verdict);
    expect(report.error?.code).toBe(e.error);
  });

  if (e.nd30) it("has the Nghị định 30 flags it was built for", () => expect(report.nd30).toEqual(e.nd30));
  if (e.content)
    it("has the content kind it was built for", () => expect(report.content.kind, JSON.stringify(report.content.evidence).slice(0, 300)).toBe(e.content));
  if (e.pagesExamined) it("examines a bounded sample of pages", () => expect(report.content.pagesExamined).toBe(e.pagesExamined));
  if (e.content === "unknown") it("says why the content is unknown", () => expect(report.content.evidence.message).toMatch(/^page 1: .{8,}/));

  it("has the expected signatures", () => {
    expect(report.signatures.map((s) => s.kind)).toEqual(e.signatures.map((s) => s.kind));
  });

  e.signatures.forEach((want, i) => {
    it(`signature ${i + 1}: indication`, () => {
      expect([report.signatures[i]?.indication, report.signatures[i]?.subIndication], report.signatures[i]?.messages.join(" | ")).toEqual([
        want.indication,
        want.subIndication,
      ]);
    });
    it(`signature ${i + 1}: coverage and revision`, () => {
      const s = report.signatures[i]!;
      expect([s.coverage, s.revision, s.revisions]).toEqual([want.coverage, want.revision, want.revisions]);
    });
    it(`signature ${i + 1}: integrity`, () => expect(report.signatures[i]!.integrity).toBe(want.integrity));
    it(`signature ${i + 1}: modification level`, () => expect(report.signatures[i]!.modifications.level).toBe(want.modifications));
    if (want.signerKind) it(`signature ${i + 1}: signer kind`, () => expect(report.signatures[i]!.signer?.kind).toBe(want.signerKind));
    if (want.timestampValid !== undefined)
      it(`signature ${i + 1}: time-stamp validity`, () => expect(report.signatures[i]!.timestamp?.valid).toBe(want.timestampValid));
    if (want.digestAlgorithm) it(`signature ${i + 1}: digest algorithm`, () => expect(report.signatures[i]!.digestAlgorithm).toBe(want.digestAlgorithm));
  });
});

describe("fixture details", () => {
  const load = (f: string) => analyze(readFileSync(join(FIXTURES, f)), { now: AT, trust });

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

  it("fails a signature made, by the declared time (--at), after its certificate expired or was revoked (EN 319 102-1 EXPIRED, REVOKED)", () => {
    const at = (f: string, when: string) => analyze(readFileSync(join(FIXTURES, f)), { now: AT, at: when, trust }).signatures[0]!;
    expect([
      at("revoked-before-signing.pdf", "2024-06-15T02:00:00Z").indication,
      at("revoked-before-signing.pdf", "2024-06-15T02:00:00Z").subIndication,
    ]).toEqual(["TOTAL_FAILED", "REVOKED"]);
    expect([at("expired-signer.pdf", "2024-06-15T02:00:00Z").indication, at("expired-signer.pdf", "2024-06-15T02:00:00Z").subIndication]).toEqual([
      "TOTAL_FAILED",
      "EXPIRED",
    ]);
    expect(at("expired-signer.pdf", "2021-03-01T00:00:00Z").indication).toBe("TOTAL_PASSED");
    expect(at("revoked-before-signing.pdf", "2024-02-01T00:00:00Z").indication).toBe("TOTAL_PASSED");
  });

  it("verifies an unknown /SubFilter holding CMS as CAdES, naming it in a warning; --policy strict fails it", () => {
    const r = load("unknown-subfilter-cades.pdf").signatures[0]!;
    expect([r.subFilter, r.indication]).toEqual(["PBAD.PAdES", "TOTAL_PASSED"]);
    expect(r.messages).toContain("unknown /SubFilter PBAD.PAdES: verified as a CAdES signature since /Contents is a CMS SignedData");
    const strict = analyze(readFileSync(join(FIXTURES, "unknown-subfilter-cades.pdf")), { now: AT, trust, policy: "strict" }).signatures[0]!;
    expect([strict.indication, strict.subIndication]).toEqual(["TOTAL_FAILED", "FORMAT_FAILURE"]);
  });

  it("reads adbe.x509.rsa_sha1's signer from /Cert", () => {
    const s = load("x509-rsa-sha1.pdf").signatures[0]!;
    expect([s.subFilter, s.signer?.commonName, s.cryptographic, s.integrity]).toEqual(["adbe.x509.rsa_sha1", "Nguyễn Văn An", "valid", "intact"]);
  });

  it("gives each change after signing with its object, level and the rule that judged it", () => {
    const changes = load("page-added-after-signing.pdf").signatures[0]!.modifications.changes!;
    expect(changes.find((c) => c.level === "other")).toMatchObject({
      object: expect.any(Number),
      rule: "K6 page tree",
      use: "pages",
      what: expect.stringContaining("page tree changed"),
    });
    expect(load("lock-field-filled.pdf").signatures[0]!.modifications.changes!.find((c) => c.level === "other")).toMatchObject({ rule: "K13 field lock" });
    expect(load("empty-sig-field-added-p2.pdf").signatures[0]!.findings!.map((f) => f.key)).toContain("mod.emptySigField");
  });

  it("reports the claimed signing time as a claim", () => {
    // the CMS signing-time (UTC) written in the offset of the PDF date /M (D:20240615090000+07'00')
    expect(load("signed-cades-rsa-sha256.pdf").signatures[0]!.claimedSigningTime).toBe("2024-06-15T09:00:00+07:00");
    expect(load("vgca-seven-signatures.pdf").signatures.map((s) => s.claimedSigningTime)).toEqual(Array(7).fill("2025-01-07T16:02:32+07:00"));
  });

  it("allows what each VGCA-style signature brings with its stamps, and names the rewritten page content", () => {
    const ok = load("vgca-seven-signatures.pdf");
    expect(ok.signatures.flatMap((s) => s.modifications.details).filter((d) => d.startsWith("other"))).toEqual([]);
    const bad = load("vgca-seven-signatures-page-changed.pdf").signatures[0]!;
    expect(bad.modifications.details.filter((d) => d.startsWith("other"))).toEqual(["other: object 13: content object changed"]);
  });

  it("accepts VGCA SignService's DigestInfo without NULL with a warning naming the encoding; strict refuses it", () => {
    const s = load("signservice-digestinfo-no-null.pdf").signatures[0]!;
    expect([s.indication, s.cryptographic]).toEqual(["TOTAL_PASSED", "valid"]);
    expect(s.findings!.find((f) => f.key === "crypto.digestInfoNoNull")).toMatchObject({ severity: "warn", params: { hash: "sha256" } });
    expect(s.messages.join(" ")).toMatch(/DigestInfo \(sha256\) has no NULL parameter/);
    const strict = analyze(readFileSync(join(FIXTURES, "signservice-digestinfo-no-null.pdf")), { now: AT, trust, policy: "strict" }).signatures[0]!;
    expect([strict.indication, strict.subIndication]).toEqual(["TOTAL_FAILED", "SIG_CRYPTO_FAILURE"]);
    // the signatures made in the canonical form carry no such warning
    expect(load("signservice-digestinfo-no-null.pdf").signatures[1]!.findings!.some((f) => f.key === "crypto.digestInfoNoNull")).toBe(false);
  });

  it("accepts a SHA-384 value under an algorithm naming SHA-256 with a warning (the DigestInfo names the hash); strict leaves it indeterminate", () => {
    const s = load("sha384-value-under-sha256-algorithm.pdf").signatures[0]!;
    expect([s.indication, s.digestAlgorithm, s.signatureAlgorithm]).toEqual(["TOTAL_PASSED", "sha384", "SHA256withRSA"]);
    expect(s.findings!.find((f) => f.key === "crypto.hashMismatch")).toMatchObject({ params: { named: "sha256", used: "sha384" } });
    const strict = analyze(readFileSync(join(FIXTURES, "sha384-value-under-sha256-algorithm.pdf")), { now: AT, trust, policy: "strict" }).signatures[0]!;
    expect([strict.indication, strict.subIndication]).toEqual(["INDETERMINATE", "CRYPTO_CONSTRAINTS_FAILURE"]);
  });

  it("recognises an official's certificate of the Government PKI without a personal identifier, saying which rule decided and which agency it names", () => {
    const [official, agency] = load("itext5-chain-merged-field.pdf").signatures;
    expect(official!.signer).toMatchObject({
      kind: "personal",
      commonName: "Trần Văn Minh",
      agency: { name: "SỞ TƯ PHÁP TỈNH TÂY NINH", unit: "VĂN PHÒNG SỞ", parent: null },
    });
    expect(official!.signer!.kindRule).toMatch(/VGCA hierarchy/);
    expect(agency!.signer).toMatchObject({
      kind: "organization",
      kindRule: "CN equals O",
      agency: { name: "Sở Tư pháp tỉnh Tây Ninh", unit: null, parent: null },
    });
  });

  it("names a signingTime written as Vietnam time labelled UTC, and claims the time /M or the time-stamp allow", () => {
    const s = load("signing-time-local-as-utc.pdf").signatures[0]!;
    expect(s.claimedTimes).toMatchObject({ localAsUtc: true, timestamp: "2025-03-04T02:15:00.000Z", signingTime: "2025-03-04T09:15:20Z" });
    expect(s.findings!.find((f) => f.key === "time.localAsUtc")!.severity).toBe("info");
    expect(s.indication).toBe("TOTAL_PASSED");
    expect(load("signed-cades-rsa-sha256.pdf").signatures[0]!.claimedTimes!.localAsUtc).toBe(false);
  });

  it("warns when a field lock asks a looser /P than the certification, and judges by the certification", () => {
    const s = load("lock-p3-under-certification-p1.pdf").signatures[0]!;
    expect(s.findings!.map((f) => f.key)).toEqual(expect.arrayContaining(["mod.lockPIgnored", "mod.notPermitted"]));
  });

  it("reports the DocMDP breach in words", () => {
    const s = load("form-filled-after-certification-p1.pdf").signatures[0]!;
    expect(s.messages[0]).toMatch(/certification signature or a signed field.s lock permits \(P=1\)/);
  });

  it("warns about SHA-1 without failing under the default policy, and fails it under strict", () => {
    const bytes = readFileSync(join(FIXTURES, "sha1-adbe-pkcs7-detached.pdf"));
    const d = analyze(bytes, { now: AT, trust });
    expect(d.signatures[0]!.messages.join(" ")).toMatch(/SHA-1 is weak/);
    expect(d.signatures[0]!.indication).toBe("TOTAL_PASSED");
    const s = analyze(bytes, { now: AT, policy: "strict", trust });
    expect(s.signatures[0]!.subIndication).toBe("CRYPTO_CONSTRAINTS_FAILURE_NO_POE");
  });

  it("never passes a signature without a trust anchor: the path is not found", () => {
    const r = analyze(readFileSync(join(FIXTURES, "signed-cades-rsa-sha256.pdf")), { now: AT });
    expect([r.signatures[0]!.indication, r.signatures[0]!.subIndication]).toEqual(["INDETERMINATE", "NO_CERTIFICATE_CHAIN_FOUND"]);
    expect(r.verdict).toBe("signed-indeterminate");
  });

  it("reports the path and the anchor of a trusted signature", () => {
    const s = load("signed-cades-rsa-sha256.pdf").signatures[0]!;
    expect(s.chain.trusted).toBe(true);
    expect(s.chain.anchor).toContain("Kyso Test Root CA");
    expect(s.chain.path).toHaveLength(3);
  });

  it("judges at --at when given: an expired certificate passes at a time it was valid", () => {
    const r = analyze(readFileSync(join(FIXTURES, "expired-signer.pdf")), { now: AT, at: "2021-01-01T00:00:00Z", trust });
    expect(r.signatures[0]!.indication).toBe("TOTAL_PASSED");
    expect(r.validationTime).toBe("2021-01-01T00:00:00Z");
  });

  it("uses the time received as proof of existence when there is no time-stamp", () => {
    const r = analyze(readFileSync(join(FIXTURES, "expired-signer.pdf")), { now: AT, receivedAt: "2021-02-01T00:00:00Z", trust });
    expect(r.signatures[0]!.indication).toBe("TOTAL_PASSED");
    expect(r.signatures[0]!.messages.join(" ")).toMatch(/the time the document was received/);
  });

  it("says when a certificate was revoked after the proven signing time", () => {
    const s = load("revoked-after-timestamped-signing.pdf").signatures[0]!;
    expect(s.messages.join(" ")).toMatch(/revoked on 2025-01-10.*after the time/);
    expect(s.revocation.checkedBy).toBe("embedded");
  });

  it("checks embedded revocation data and reports it good", () => {
    expect(load("revocation-checked-good.pdf").signatures[0]!.revocation).toEqual({ status: "good", checkedBy: "embedded" });
  });

  it("under strict revocation, a path without revocation data is INDETERMINATE / TRY_LATER", () => {
    const r = analyze(readFileSync(join(FIXTURES, "signed-cades-rsa-sha256.pdf")), { now: AT, trust, revocation: "strict" });
    expect(r.signatures[0]!.subIndication).toBe("TRY_LATER");
  });
});

describe("the time each signature is judged at", () => {
  const judged = (file: string, opts: { receivedAt?: string } = {}) =>
    analyze(readFileSync(join(FIXTURES, file)), { now: AT, trust, ...opts }).signatures[0]!.judgedAt;
  it("is the signature time-stamp's time when a trusted one proves it", () => {
    expect(judged("expired-signer-timestamped.pdf")).toEqual({
      time: "2021-03-01T03:00:00.000Z",
      proof: expect.stringMatching(/^proved by the signature time-stamp of /),
      basis: { kind: "signature-timestamp", tsa: expect.stringMatching(/Kyso Test/) },
    });
  });
  it("is the time received, else now, when nothing proves an earlier time", () => {
    expect(judged("expired-signer.pdf", { receivedAt: "2024-07-01T00:00:00Z" })).toEqual({
      time: "2024-07-01T00:00:00.000Z",
      proof: "the time the document was received",
      basis: { kind: "received" },
    });
    expect(judged("expired-signer.pdf")).toEqual({ time: new Date(AT).toISOString(), proof: "now: nothing proves an earlier time", basis: { kind: "now" } });
  });
  it("is a document time-stamp's own time for the time-stamp, and proved by it for the signature before it", () => {
    const [signature, stamp] = analyze(readFileSync(join(FIXTURES, "document-timestamp.pdf")), { now: AT, trust }).signatures;
    expect(stamp!.judgedAt).toEqual({
      time: new Date(stamp!.timestamp!.time).toISOString(),
      proof: "the time the time-stamp states",
      basis: { kind: "own-timestamp" },
    });
    expect(signature!.judgedAt).toEqual({ time: stamp!.judgedAt!.time, proof: "proved by a document time-stamp", basis: { kind: "document-timestamp" } });
  });
  it("is absent when the byte range is not valid (nothing is judged)", () => {
    expect(judged("byterange-gap-widened.pdf")).toBeNull();
  });
});
