// Certificate parsing: a certificate whose subject or issuer Name is damaged is refused when parsed (a
// DerError the CMS code handles), never later, when a report reads the lazily decoded name. Found by an
// extended mutation run: one flipped bit in a signer certificate's subject OID made the analysis throw.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { analyzeStructure } from "../../src/analyze.js";
import { DerError } from "../../src/asn1/der.js";
import { parseCertificate } from "../../src/pki/certificate.js";
import { testPki } from "../../fixtures/lib/test-pki.js";
import { AT, FIXTURES, ROOT } from "../helpers/paths.js";

const pki = testPki(join(ROOT, "fixtures", "pki", "keys"));

/** Offset of the first OBJECT IDENTIFIER tag inside the certificate's subject (an id-at-* type). */
function subjectOidOffset(der: Buffer): number {
  const cn = Buffer.from([0x06, 0x03, 0x55, 0x04]); // OID 2.5.4.x
  const issuerAt = der.indexOf(cn);
  const subjectAt = der.indexOf(cn, der.indexOf(Buffer.from([0x30]), issuerAt + 200)); // past issuer and validity
  return subjectAt >= 0 ? subjectAt : issuerAt;
}

describe("parseCertificate", () => {
  it("reads names lazily from a sound certificate", () => {
    const c = parseCertificate(pki.personal.der);
    expect(c.subject.some((a) => a.type === "CN" && a.value === "Nguyễn Văn An")).toBe(true);
  });

  it("refuses a certificate whose Name holds something that is not an OID, when parsing it", () => {
    const der = Buffer.from(pki.personal.der);
    const at = subjectOidOffset(der);
    der[at] = 0x07; // the tag of the attribute type: no longer an OBJECT IDENTIFIER
    expect(() => parseCertificate(der)).toThrow(DerError);
  });

  it("keeps the analysis standing when a signer certificate inside the CMS is damaged so", () => {
    const pdf = Buffer.from(readFileSync(join(FIXTURES, "adbe-pkcs7-sha1.pdf")));
    pdf[2224] = pdf[2224]! ^ 1; // the bit the mutation run flipped (inside /Contents, outside the signed bytes)
    const r = analyzeStructure(pdf, { now: AT });
    expect(r.verdict).not.toBe("signed-valid");
    expect(r.signatures[0]!.indication).not.toBe("TOTAL_PASSED");
  });
});
