// A signature value checked against a public key by its scheme (RSA PKCS#1 v1.5, RSA-PSS with its
// parameters, ECDSA in DER and plain form, DSA, Ed25519, Ed448), with node:crypto. Below CMS and PKI:
// both verify signatures (SignerInfos; certificates, CRLs, OCSP responses).
import { constants, createVerify, verify as oneShotVerify, type KeyObject } from "node:crypto";
import { parseAlgorithm } from "./algorithm.js";
import { children, type Tlv, value } from "./der.js";
import { DIGESTS, type SigScheme } from "./oids.js";

export function verifySignature(
  scheme: SigScheme,
  hash: string | null,
  params: { buf: Uint8Array; t: Tlv } | undefined,
  key: KeyObject,
  data: Uint8Array[],
  sig: Uint8Array,
): boolean | "unsupported" {
  if (scheme === "ed25519" || scheme === "ed448") {
    const want = scheme === "ed25519" ? "ed25519" : "ed448";
    if (key.asymmetricKeyType !== want) return false;
    return oneShotVerify(null, data.length === 1 ? data[0]! : Buffer.concat(data), key, sig);
  }
  if (scheme === "rsa-pss") {
    const pss = params ? pssParams(params.buf, params.t) : { hash: "sha1", saltLength: 20 };
    if (!pss.hash) return "unsupported";
    const v = createVerify(pss.hash);
    for (const d of data) v.update(d);
    return v.verify({ key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: pss.saltLength }, sig);
  }
  if (!hash) return "unsupported";
  const kt = key.asymmetricKeyType;
  if ((scheme === "rsa" && kt !== "rsa") || ((scheme === "ecdsa" || scheme === "ecdsa-plain") && kt !== "ec") || (scheme === "dsa" && kt !== "dsa"))
    return false;
  const v = createVerify(hash);
  for (const d of data) v.update(d);
  if (scheme === "ecdsa-plain") return v.verify({ key, dsaEncoding: "ieee-p1363" }, sig);
  return v.verify(key, sig);
}

function pssParams(buf: Uint8Array, t: Tlv): { hash: string | null; saltLength: number } {
  let hash: string | null = "sha1";
  let saltLength = 20;
  for (const c of children(buf, t)) {
    const inner = children(buf, c)[0];
    if (!inner) continue;
    if (c.tag === 0xa0) hash = DIGESTS[parseAlgorithm(buf, inner).oid] ?? null;
    if (c.tag === 0xa2) saltLength = Number(BigInt("0x" + (Buffer.from(value(buf, inner)).toString("hex") || "0")));
  }
  return { hash, saltLength };
}
