// The X.509 extensions path validation needs (RFC 5280 §4.2), decoded from their DER values.
import { children, DerError, oidAt, readTlv, value } from "../asn1/der.js";
import { type Certificate, EXT } from "./certificate.js";

export interface BasicConstraints {
  ca: boolean;
  pathLen: number | null;
}

/** null when the extension is absent; a malformed one reads as "not a CA". */
export function basicConstraints(c: Certificate): BasicConstraints | null {
  const e = c.extensions.get(EXT.basicConstraints);
  if (!e) return null;
  try {
    const seq = readTlv(e.value, 0);
    let ca = false;
    let pathLen: number | null = null;
    for (const t of children(e.value, seq)) {
      if (t.tag === 0x01) ca = e.value[t.valueStart] !== 0;
      if (t.tag === 0x02) pathLen = [...value(e.value, t)].reduce((n, b) => n * 256 + b, 0);
    }
    return { ca, pathLen };
  } catch (err) {
    if (err instanceof DerError) return { ca: false, pathLen: null };
    throw err;
  }
}

export const KEY_USAGE = {
  digitalSignature: 0,
  nonRepudiation: 1,
  keyEncipherment: 2,
  dataEncipherment: 3,
  keyAgreement: 4,
  keyCertSign: 5,
  cRLSign: 6,
} as const;

/** The key-usage bits, or null when the extension is absent (any use allowed). */
export function keyUsage(c: Certificate): Set<number> | null {
  const e = c.extensions.get(EXT.keyUsage);
  if (!e) return null;
  const out = new Set<number>();
  try {
    const bits = value(e.value, readTlv(e.value, 0)).subarray(1);
    bits.forEach((byte, i) => {
      for (let b = 0; b < 8; b++) if (byte & (0x80 >> b)) out.add(i * 8 + b);
    });
  } catch (err) {
    if (!(err instanceof DerError)) throw err;
  }
  return out;
}

export const EKU = {
  timeStamping: "1.3.6.1.5.5.7.3.8",
  ocspSigning: "1.3.6.1.5.5.7.3.9",
  any: "2.5.29.37.0",
} as const;

/** Extended key usages, or null when absent. */
export function extendedKeyUsage(c: Certificate): Set<string> | null {
  const e = c.extensions.get(EXT.extKeyUsage);
  if (!e) return null;
  try {
    return new Set(children(e.value, readTlv(e.value, 0)).map((t) => oidAt(e.value, t)));
  } catch (err) {
    if (err instanceof DerError) return new Set();
    throw err;
  }
}

/** Extensions this validator understands; a critical extension outside this list fails the path. */
export const KNOWN_EXTENSIONS = new Set([
  EXT.subjectKeyIdentifier,
  EXT.keyUsage,
  EXT.basicConstraints,
  EXT.authorityKeyIdentifier,
  EXT.extKeyUsage,
  "2.5.29.17", // subjectAltName
  "2.5.29.18", // issuerAltName
  "2.5.29.31", // cRLDistributionPoints
  "2.5.29.32", // certificatePolicies (policies are not enforced: no policy is required)
  "2.5.29.36", // policyConstraints (idem)
  "2.5.29.54", // inhibitAnyPolicy (idem)
  "1.3.6.1.5.5.7.1.1", // authorityInfoAccess
  "1.3.6.1.5.5.7.1.3", // qcStatements
  "1.3.6.1.5.5.7.48.1.5", // id-pkix-ocsp-nocheck
]);

/** Bit length of an RSA modulus or EC field, from the key (0 when unknown). */
export function keyBits(c: Certificate): number {
  try {
    const k = c.publicKey();
    const d = k.asymmetricKeyDetails;
    if (d?.modulusLength) return d.modulusLength;
    if (d?.namedCurve) return /384/.test(d.namedCurve) ? 384 : /521/.test(d.namedCurve) ? 521 : 256;
    return 0;
  } catch {
    return 0;
  }
}

const CRL_DP = "2.5.29.31";
const AIA = "1.3.6.1.5.5.7.1.1";
const OCSP_METHOD = "1.3.6.1.5.5.7.48.1";

/** URIs (GeneralName [6]) anywhere inside a DER element. */
function uris(buf: Uint8Array, t: ReturnType<typeof readTlv>, out: string[], depth = 0): void {
  if (depth > 8) return;
  if (t.tag === 0x86) {
    out.push(Buffer.from(value(buf, t)).toString("latin1"));
    return;
  }
  if (t.tag & 0x20) for (const c of children(buf, t, 100)) uris(buf, c, out, depth + 1);
}

/** HTTP(S) addresses of the certificate's CRL distribution points. */
export function crlUrls(c: Certificate): string[] {
  const e = c.extensions.get(CRL_DP);
  if (!e) return [];
  const out: string[] = [];
  try {
    uris(e.value, readTlv(e.value, 0), out);
  } catch (err) {
    if (!(err instanceof DerError)) throw err;
  }
  return out.filter((u) => /^https?:\/\//i.test(u));
}

/** HTTP(S) addresses of the certificate's OCSP responders (authority information access). */
export function ocspUrls(c: Certificate): string[] {
  const e = c.extensions.get(AIA);
  if (!e) return [];
  const out: string[] = [];
  try {
    for (const ad of children(e.value, readTlv(e.value, 0), 100)) {
      const [m, loc] = children(e.value, ad);
      if (m && loc && oidAt(e.value, m) === OCSP_METHOD && loc.tag === 0x86) out.push(Buffer.from(value(e.value, loc)).toString("latin1"));
    }
  } catch (err) {
    if (!(err instanceof DerError)) throw err;
  }
  return out.filter((u) => /^https?:\/\//i.test(u));
}
