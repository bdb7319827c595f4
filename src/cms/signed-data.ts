// CMS SignedData (RFC 5652 §5) read lazily: only the fields verification needs, as offsets into the
// original bytes, so the signed attributes can be verified exactly as they were encoded.
import { children, DerError, decodeOid, expectTag, octets, oidAt, raw, readTlv, type Tlv, value } from "../asn1/der.js";
import { OID } from "../asn1/oids.js";
import { parseAlgorithm, type AlgorithmId } from "../asn1/algorithm.js";

export { parseAlgorithm, type AlgorithmId };

export interface Attribute {
  oid: string;
  /** the values (elements of the SET) */
  values: Tlv[];
}

export interface SignerInfo {
  version: number;
  sid: { kind: "issuerSerial"; issuer: Uint8Array; serial: Uint8Array } | { kind: "ski"; ski: Uint8Array };
  digestAlgorithm: AlgorithmId;
  /** the [0] IMPLICIT signed attributes element as encoded, and its attributes */
  signedAttrs?: { tlv: Tlv; attrs: Attribute[] };
  signatureAlgorithm: AlgorithmId;
  signature: Uint8Array;
  unsignedAttrs: Attribute[];
}

export interface SignedData {
  bytes: Uint8Array;
  /** how many bytes of the input the ContentInfo occupies (the rest is padding) */
  length: number;
  digestAlgorithms: string[];
  eContentType: string;
  /** the encapsulated content octets, when present (absent for a detached signature) */
  eContent?: Uint8Array;
  /** DER of each certificate in the certificate set */
  certificates: Uint8Array[];
  /** DER of each CRL in the revocation set */
  crls: Uint8Array[];
  signerInfos: SignerInfo[];
}

export function parseAttributes(buf: Uint8Array, t: Tlv): Attribute[] {
  return children(buf, t, 1000).map((a) => {
    const [o, set] = children(buf, expectTag(a, 0x30, "an Attribute"));
    return { oid: oidAt(buf, o!), values: children(buf, expectTag(set, 0x31, "attribute values")) };
  });
}

function intValue(buf: Uint8Array, t: Tlv): number {
  const v = value(buf, expectTag(t, 0x02, "an INTEGER"));
  let n = 0;
  for (const b of v.subarray(0, 6)) n = n * 256 + b;
  return n;
}

/** Parses a DER ContentInfo holding SignedData. Throws DerError with an offset on malformed input. */
export function parseSignedData(bytes: Uint8Array): SignedData {
  const ci = readTlv(bytes, 0);
  const [ct, content] = children(bytes, expectTag(ci, 0x30, "a ContentInfo SEQUENCE"));
  const type = oidAt(bytes, ct!);
  if (type !== OID.signedData) throw new DerError(`content type ${type} is not SignedData`, ct!.start);
  const sdTlv = children(bytes, expectTag(content, 0xa0, "[0] content"))[0];
  const parts = children(bytes, expectTag(sdTlv, 0x30, "a SignedData SEQUENCE"));
  let i = 0;
  i++; // version
  const digestAlgorithms = children(bytes, expectTag(parts[i++], 0x31, "digestAlgorithms SET")).map((a) => parseAlgorithm(bytes, a).oid);
  const encap = children(bytes, expectTag(parts[i++], 0x30, "encapContentInfo"));
  const eContentType = oidAt(bytes, encap[0]!);
  let eContent: Uint8Array | undefined;
  if (encap[1]) {
    const inner = children(bytes, expectTag(encap[1], 0xa0, "[0] eContent"))[0];
    if (inner) eContent = octets(bytes, inner);
  }
  const certificates: Uint8Array[] = [];
  const crls: Uint8Array[] = [];
  if (parts[i]?.tag === 0xa0) {
    for (const c of children(bytes, parts[i++]!, 1000)) if (c.tag === 0x30) certificates.push(raw(bytes, c));
  }
  if (parts[i]?.tag === 0xa1) {
    for (const c of children(bytes, parts[i++]!, 1000)) if (c.tag === 0x30) crls.push(raw(bytes, c));
  }
  const signerInfos = children(bytes, expectTag(parts[i], 0x31, "signerInfos SET"), 100).map((s) => parseSignerInfo(bytes, s));
  return { bytes, length: ci.end, digestAlgorithms, eContentType, ...(eContent ? { eContent } : {}), certificates, crls, signerInfos };
}

function parseSignerInfo(buf: Uint8Array, t: Tlv): SignerInfo {
  const f = children(buf, expectTag(t, 0x30, "a SignerInfo"));
  let i = 0;
  const version = intValue(buf, f[i++]!);
  const sidT = f[i++]!;
  let sid: SignerInfo["sid"];
  if (sidT.tag === 0x30) {
    const [issuer, serial] = children(buf, sidT);
    sid = { kind: "issuerSerial", issuer: raw(buf, expectTag(issuer, 0x30, "issuer Name")), serial: value(buf, expectTag(serial, 0x02, "serial")) };
  } else if (sidT.tag === 0x80) {
    sid = { kind: "ski", ski: value(buf, sidT) };
  } else throw new DerError("unknown SignerIdentifier", sidT.start);
  const digestAlgorithm = parseAlgorithm(buf, f[i++]!);
  let signedAttrs: SignerInfo["signedAttrs"];
  if (f[i]?.tag === 0xa0) {
    const tlv = f[i++]!;
    signedAttrs = { tlv, attrs: parseAttributes(buf, tlv) };
  }
  const signatureAlgorithm = parseAlgorithm(buf, f[i++]!);
  const signature = value(buf, expectTag(f[i++], 0x04, "signature OCTET STRING"));
  const unsignedAttrs = f[i]?.tag === 0xa1 ? parseAttributes(buf, f[i]!) : [];
  return { version, sid, digestAlgorithm, ...(signedAttrs ? { signedAttrs } : {}), signatureAlgorithm, signature, unsignedAttrs };
}

export function attribute(attrs: Attribute[] | undefined, oid: string): Attribute[] {
  return (attrs ?? []).filter((a) => a.oid === oid);
}

/**
 * The bytes the signature covers when signed attributes are present: their encoding with the [0] tag
 * replaced by SET (RFC 5652 §5.4). The received encoding is kept as is (see README: non-DER order).
 */
export function signedAttrsForVerify(buf: Uint8Array, t: Tlv): Uint8Array {
  const out = Buffer.from(raw(buf, t));
  out[0] = 0x31;
  return out;
}

/** True when the SET OF attributes is in DER order (each encoding ≤ the next, bytewise). */
export function attrsInDerOrder(buf: Uint8Array, t: Tlv): boolean {
  const encs = children(buf, t).map((c) => raw(buf, c));
  for (let k = 1; k < encs.length; k++) if (Buffer.compare(encs[k - 1]!, encs[k]!) > 0) return false;
  return !t.indefinite;
}

export { decodeOid };
