// Every certificate a document carries, by SHA-256: those of each signature's CMS, of the time-stamp tokens
// in it, and of the DSS. With the trust store's, they are what an evidence archive needs to show each path
// the report names (SignatureReport.chain.path lists fingerprints).
import { createHash } from "node:crypto";
import { DerError, raw } from "../asn1/der.js";
import { OID } from "../asn1/oids.js";
import { attribute, parseSignedData } from "../cms/signed-data.js";
import { PdfDocument } from "../pdf/document.js";
import { readDss } from "../pdf/dss.js";
import { PdfError } from "../pdf/errors.js";
import { PdfString } from "../pdf/objects.js";
import { findSignatures } from "../pdf/signatures.js";

export function documentCertificates(bytes: Uint8Array): Map<string, Uint8Array> {
  const out = new Map<string, Uint8Array>();
  const add = (der: Uint8Array) => out.set(createHash("sha256").update(der).digest("hex"), der);
  let doc: PdfDocument;
  try {
    doc = PdfDocument.open(bytes);
  } catch (e) {
    if (e instanceof PdfError) return out;
    throw e;
  }
  for (const s of findSignatures(doc).signatures) {
    const contents = s.dict.get("Contents");
    if (!(contents instanceof PdfString)) continue;
    try {
      const sd = parseSignedData(contents.bytes);
      sd.certificates.forEach(add);
      for (const si of sd.signerInfos) {
        for (const token of attribute(si.unsignedAttrs, OID.timeStampToken).flatMap((a) => a.values))
          parseSignedData(raw(sd.bytes, token)).certificates.forEach(add);
      }
    } catch (e) {
      if (!(e instanceof DerError)) throw e;
    }
  }
  if (!doc.repaired) readDss(doc).certs.forEach(add);
  return out;
}
