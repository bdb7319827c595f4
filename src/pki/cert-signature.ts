// Does `issuer` sign `cert`? Checked with node:crypto and remembered per (certificate, issuer) pair, so
// path building over many documents from the same agencies costs one verification per link.
import { SIGNATURES } from "../asn1/oids.js";
import { verifySignature } from "../asn1/signature.js";
import type { Certificate } from "./certificate.js";
import { BoundedCache } from "./shared-cache.js";

const MEMO = new BoundedCache<string, boolean>(20_000);

export function issuedBy(cert: Certificate, issuer: Certificate): boolean {
  return MEMO.get(`${cert.sha256}/${issuer.sha256}`, () => checkIssuedBy(cert, issuer));
}

function checkIssuedBy(cert: Certificate, issuer: Certificate): boolean {
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
  return ok;
}

/** The hash a certificate's signature uses, for the algorithm policy (undefined: not known). */
export function certificateHash(cert: Certificate): string | undefined {
  return SIGNATURES[cert.signatureAlgorithm.oid]?.hash;
}
