// Certificate revocation lists (RFC 5280 §5): parsed lazily from DER, their signature checked against the
// issuer, and the revoked serial numbers looked up.
import { children, expectTag, parseEach, raw, readTlv, timeAt, type Tlv, value } from "../asn1/der.js";
import { parseAlgorithm, type AlgorithmId } from "../asn1/algorithm.js";
import { SIGNATURES } from "../asn1/oids.js";
import { verifySignature } from "../asn1/signature.js";
import type { Certificate } from "./certificate.js";
import { nameKey, parseName, type NameAttr } from "./names.js";

export interface Crl {
  der: Uint8Array;
  tbs: Uint8Array;
  issuer: NameAttr[];
  thisUpdate: string;
  nextUpdate: string | null;
  /** the revocation time of a serial (hex, no leading zeros), or undefined when not listed */
  revokedAt(serial: string): string | undefined;
  signatureAlgorithm: AlgorithmId;
  signature: Uint8Array;
}

export function serialKey(bytes: Uint8Array): string {
  let s = Buffer.from(bytes).toString("hex");
  while (s.startsWith("00") && s.length > 2) s = s.slice(2);
  return s;
}

export function parseCrl(der: Uint8Array): Crl {
  const top = readTlv(der, 0);
  const [tbsT, algT, sigT] = children(der, expectTag(top, 0x30, "a CertificateList"));
  const f = children(der, expectTag(tbsT, 0x30, "a TBSCertList"));
  let i = f[0]?.tag === 0x02 ? 1 : 0; // version
  i++; // signature algorithm inside TBS
  const issuerT = expectTag(f[i++], 0x30, "CRL issuer");
  const thisUpdate = timeAt(der, f[i++]!);
  let nextUpdate: string | null = null;
  if (f[i] && (f[i]!.tag === 0x17 || f[i]!.tag === 0x18)) nextUpdate = timeAt(der, f[i++]!);
  // Large CRLs list thousands of serials: the index is built on first lookup, dates read only on a match.
  const listT = f[i]?.tag === 0x30 ? f[i++] : undefined;
  let index: Map<string, Tlv> | undefined;
  const revokedAt = (serial: string): string | undefined => {
    if (!listT) return undefined;
    if (!index) {
      index = new Map();
      for (const entry of children(der, listT, 1_000_000)) {
        const [s] = children(der, entry);
        if (s) index.set(serialKey(value(der, s)), entry);
      }
    }
    const entry = index.get(serial);
    if (!entry) return undefined;
    const date = children(der, entry)[1];
    return date ? timeAt(der, date) : undefined;
  };
  const bits = value(der, expectTag(sigT, 0x03, "CRL signature"));
  return {
    der: raw(der, top),
    tbs: raw(der, tbsT!),
    issuer: parseName(der, issuerT),
    thisUpdate,
    nextUpdate,
    revokedAt,
    signatureAlgorithm: parseAlgorithm(der, algT!),
    signature: bits.subarray(1),
  };
}

/** Parses what it can; malformed CRLs are dropped (and reported by the caller as missing data). */
export function parseCrls(ders: Uint8Array[]): Crl[] {
  return parseEach(ders, parseCrl);
}

/** True when `issuer` issued and signed this CRL. */
export function crlSignedBy(crl: Crl, issuer: Certificate): boolean {
  if (nameKey(crl.issuer) !== nameKey(issuer.subject)) return false;
  const alg = SIGNATURES[crl.signatureAlgorithm.oid];
  if (!alg) return false;
  try {
    const params = crl.signatureAlgorithm.params ? { buf: crl.der, t: crl.signatureAlgorithm.params } : undefined;
    return verifySignature(alg.scheme, alg.hash ?? null, params, issuer.publicKey(), [crl.tbs], crl.signature) === true;
  } catch {
    return false;
  }
}
