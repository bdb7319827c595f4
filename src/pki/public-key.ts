// Public keys from SubjectPublicKeyInfo. OpenSSL 3 decodes an SPKI in ~90 µs but an RSA key given as
// PKCS#1 in ~3 µs, and key import is a large share of verifying a typical document: RSA keys take the
// fast path, everything else the general one.
import { createPublicKey, type KeyObject } from "node:crypto";
import { children, oidAt, readTlv, value } from "../asn1/der.js";

const RSA = "1.2.840.113549.1.1.1";

export function publicKeyFromSpki(spki: Uint8Array): KeyObject {
  try {
    const [alg, bits] = children(spki, readTlv(spki, 0));
    const algOid = oidAt(spki, children(spki, alg!)[0]!);
    if (algOid === RSA && bits?.tag === 0x03) {
      const rsaPublicKey = value(spki, bits).subarray(1);
      return createPublicKey({ key: Buffer.from(rsaPublicKey), format: "der", type: "pkcs1" });
    }
  } catch {
    // fall through: let OpenSSL judge the SPKI as a whole
  }
  return createPublicKey({ key: Buffer.from(spki), format: "der", type: "spki" });
}
