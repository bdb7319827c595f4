// AlgorithmIdentifier (RFC 5280 §4.1.1.2), shared by CMS, certificates, CRLs and OCSP.
import { children, expectTag, oidAt, type Tlv } from "./der.js";

export interface AlgorithmId {
  oid: string;
  /** the parameters element, when present and not NULL */
  params?: Tlv;
}

export function parseAlgorithm(buf: Uint8Array, t: Tlv): AlgorithmId {
  const [o, p] = children(buf, expectTag(t, 0x30, "an AlgorithmIdentifier"));
  const oid = oidAt(buf, o!);
  return p && p.tag !== 0x05 ? { oid, params: p } : { oid };
}
