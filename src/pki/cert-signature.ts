// Does `issuer` sign `cert`? Checked with node:crypto and remembered per (certificate, issuer) pair, so
// path building over many documents from the same agencies costs one verification per link.
import { SIGNATURES } from "../asn1/oids.js";
import { verifySignature } from "../asn1/signature.js";
import type { Certificate } from "./certificate.js";

const MEMO = new Map<string, boolean>();
const MEMO_LIMIT = 20_000;

export function issuedBy(cert: Certificate, issuer: Certificate): boolean {
  const key = `${cert.sha256}/${issuer.sha256}`;
  const hit = MEMO.get(key);
  if (hit !== undefined) return hit;
  let ok = false;
  const alg = SIGNATURES[cert.signatureAlgorithm.oid];
  if (alg) {
    try {
      const params = cert.signatureAlgorithm.params ? { buf: cert.der, t: cert.signatureAlgorithm.params } : undefined;
      ok = verifySignature(alg.scheme, alg.hash ?? null, params, issuer.publicKey(), [cert.tbs], cert.signature) === true;
    } catch {
      ok = false;
    }
  }
  if (MEMO.size >= MEMO_LIMIT) MEMO.clear();
  MEMO.set(key, ok);
  return ok;
}

/** The hash a certificate's signature uses, for the algorithm policy (undefined: not known). */
export function certificateHash(cert: Certificate): string | undefined {
  return SIGNATURES[cert.signatureAlgorithm.oid]?.hash;
}
