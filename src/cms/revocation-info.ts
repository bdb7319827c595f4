// Revocation data carried inside a CMS signature: the SignedData CRL set, Adobe's signed
// revocationInfoArchival attribute (1.2.840.113583.1.1.8) and CAdES revocation values (unsigned).
import { children, DerError, raw } from "../asn1/der.js";
import { OID } from "../asn1/oids.js";
import { attribute, type SignedData, type SignerInfo } from "./signed-data.js";

const REVOCATION_VALUES = "1.2.840.113549.1.9.16.2.24";

export function revocationInfo(sd: SignedData, si: SignerInfo | undefined): { crls: Uint8Array[]; ocsps: Uint8Array[] } {
  const crls = [...sd.crls];
  const ocsps: Uint8Array[] = [];
  const buf = sd.bytes;
  const collect = (values: Array<{ tag: number; start: number; valueStart: number; valueEnd: number; end: number; indefinite: boolean }>): void => {
    for (const v of values) {
      try {
        // RevocationInfoArchival and RevocationValues share the shape: [0] CRLs, [1] OCSP responses
        for (const part of children(buf, v)) {
          const seq = children(buf, part)[0];
          if (!seq) continue;
          const items = children(buf, seq, 10_000).map((t) => raw(buf, t));
          if (part.tag === 0xa0) crls.push(...items);
          else if (part.tag === 0xa1) ocsps.push(...items);
        }
      } catch (e) {
        if (!(e instanceof DerError)) throw e;
      }
    }
  };
  if (si) {
    for (const a of attribute(si.signedAttrs?.attrs, OID.adbeRevocationInfoArchival)) collect(a.values);
    for (const a of attribute(si.unsignedAttrs, REVOCATION_VALUES)) collect(a.values);
  }
  return { crls, ocsps };
}
