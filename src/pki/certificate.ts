// X.509 certificates: the fields verification needs, read from the DER with offsets (issuer bytes for
// issuer+serial matching, key identifiers), and node:crypto's native X509Certificate for the key.
import { createHash, type KeyObject } from "node:crypto";
import { children, DerError, expectTag, oidAt, raw, readTlv, timeAt, type Tlv, value } from "../asn1/der.js";
import { parseAlgorithm, type AlgorithmId } from "../asn1/algorithm.js";
import { checkName, firstOf, nameToString, parseName, type NameAttr } from "./names.js";
import { publicKeyFromSpki } from "./public-key.js";
import { BoundedCache } from "./shared-cache.js";

export interface Extension {
  critical: boolean;
  value: Uint8Array;
}

export interface Certificate {
  der: Uint8Array;
  sha256: string;
  tbs: Uint8Array;
  serial: Uint8Array;
  /** DER of the issuer and subject Names, for exact matching */
  issuerDer: Uint8Array;
  subjectDer: Uint8Array;
  issuer: NameAttr[];
  subject: NameAttr[];
  notBefore: string;
  notAfter: string;
  spki: Uint8Array;
  signatureAlgorithm: AlgorithmId;
  signature: Uint8Array;
  extensions: Map<string, Extension>;
  ski: Uint8Array | null;
  aki: Uint8Array | null;
  publicKey(): KeyObject;
}

export const EXT = {
  subjectKeyIdentifier: "2.5.29.14",
  keyUsage: "2.5.29.15",
  basicConstraints: "2.5.29.19",
  authorityKeyIdentifier: "2.5.29.35",
  extKeyUsage: "2.5.29.37",
} as const;

/** Certificates parsed, by their DER: each kept over its own copy of the bytes, never a view into a document. */
const PARSED = new BoundedCache<string, Certificate>(4096);

/**
 * The certificate in `der` (a DerError if it is not one). Parsed once per content and shared: the same
 * object, its names, fingerprint and public key, for every document that carries it.
 */
export function parseCertificate(der: Uint8Array): Certificate {
  return PARSED.get(Buffer.from(der.buffer, der.byteOffset, der.length).toString("latin1"), () => readCertificate(Uint8Array.from(der)));
}

function readCertificate(der: Uint8Array): Certificate {
  const cert = readTlv(der, 0);
  const [tbsT, algT, sigT] = children(der, expectTag(cert, 0x30, "a Certificate"));
  const f = children(der, expectTag(tbsT, 0x30, "a TBSCertificate"));
  let i = f[0]?.tag === 0xa0 ? 1 : 0;
  const serial = value(der, expectTag(f[i++], 0x02, "serialNumber"));
  i++; // signature algorithm inside TBS
  const issuerT = expectTag(f[i++], 0x30, "issuer");
  const [nb, na] = children(der, expectTag(f[i++], 0x30, "validity"));
  const subjectT = expectTag(f[i++], 0x30, "subject");
  const spkiT = expectTag(f[i++], 0x30, "subjectPublicKeyInfo");
  const extensions = new Map<string, Extension>();
  for (; i < f.length; i++) {
    if (f[i]!.tag !== 0xa3) continue;
    const seq = children(der, f[i]!)[0];
    for (const e of children(der, expectTag(seq, 0x30, "extensions"), 200)) {
      const parts = children(der, e);
      const critical = parts.length === 3 && parts[1]!.tag === 0x01 && der[parts[1]!.valueStart] !== 0;
      extensions.set(oidAt(der, parts[0]!), { critical, value: value(der, parts[parts.length - 1]!) });
    }
  }
  const bits = value(der, expectTag(sigT, 0x03, "signature BIT STRING"));
  let key: KeyObject | undefined;
  let sha256: string | undefined;
  let issuer: NameAttr[] | undefined;
  let subject: NameAttr[] | undefined;
  const spki = raw(der, spkiT);
  checkName(der, issuerT);
  checkName(der, subjectT);
  // Names and the fingerprint are computed on first use: most certificates of a CMS are only matched
  // against the signer identifier, never shown.
  return {
    der: raw(der, cert),
    get sha256() {
      return (sha256 ??= createHash("sha256").update(raw(der, cert)).digest("hex"));
    },
    tbs: raw(der, tbsT!),
    serial,
    issuerDer: raw(der, issuerT),
    subjectDer: raw(der, subjectT),
    get issuer() {
      return (issuer ??= parseName(der, issuerT));
    },
    get subject() {
      return (subject ??= parseName(der, subjectT));
    },
    notBefore: timeAt(der, nb!),
    notAfter: timeAt(der, na!),
    spki,
    signatureAlgorithm: parseAlgorithm(der, algT!),
    signature: bits.subarray(1),
    extensions,
    ski: keyIdentifier(extensions.get(EXT.subjectKeyIdentifier), false),
    aki: keyIdentifier(extensions.get(EXT.authorityKeyIdentifier), true),
    publicKey() {
      key ??= publicKeyFromSpki(spki);
      return key;
    },
  };
}

function keyIdentifier(ext: Extension | undefined, authority: boolean): Uint8Array | null {
  if (!ext) return null;
  try {
    const t = readTlv(ext.value, 0);
    if (!authority) return t.tag === 0x04 ? value(ext.value, t) : null;
    const kid = children(ext.value, t).find((c: Tlv) => c.tag === 0x80);
    return kid ? value(ext.value, kid) : null;
  } catch (e) {
    if (e instanceof DerError) return null;
    throw e;
  }
}

export function subjectString(c: Certificate): string {
  return nameToString(c.subject);
}

export function issuerString(c: Certificate): string {
  return nameToString(c.issuer);
}

export function serialHex(c: Certificate): string {
  let s = Buffer.from(c.serial).toString("hex");
  while (s.startsWith("00") && s.length > 2) s = s.slice(2);
  return s;
}

export { firstOf };
