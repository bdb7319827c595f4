// What an RSA PKCS#1 v1.5 signature value says it signed, read back with the signer's public key, for the
// two encodings real signers write that node:crypto's strict check refuses (VIETNAM.md, "Formats seen"):
// - a DigestInfo whose AlgorithmIdentifier has no NULL parameter (VGCA SignService): RFC 4055 §2.1 asks
//   verifiers to accept absent parameters for the SHA-2 family; BouncyCastle (EU DSS) does;
// - a signature algorithm naming one hash (sha256WithRSAEncryption) over a value computed with the digest
//   algorithm's hash (SHA-384): the DigestInfo inside names the hash, so what was signed is not in doubt.
// Any other encoding is not a signature over these bytes. Facts only: verify/ decides what they are worth.
import { constants, createHash, publicDecrypt, type KeyObject } from "node:crypto";
import { algo, octets, seq } from "../asn1/der-writer.js";
import { OID_OF_DIGEST } from "../asn1/oids.js";

export type DigestInfoReading =
  /** the DigestInfo as PKCS#1 writes it (NULL parameter), over `hash` */
  | { encoding: "canonical"; hash: string }
  /** the DigestInfo without the NULL parameter, over `hash` */
  | { encoding: "no-null-params"; hash: string };

/** What an RSA PKCS#1 v1.5 signature value recovers with the signer's key (its DigestInfo), or null. */
export function recoveredDigestInfo(key: KeyObject, signature: Uint8Array): Buffer | null {
  if (key.asymmetricKeyType !== "rsa") return null;
  try {
    return publicDecrypt({ key, padding: constants.RSA_PKCS1_PADDING }, signature);
  } catch {
    return null;
  }
}

/** The RSA value's DigestInfo when it is one of the accepted encodings of a digest of `data` under one of `hashes`. */
export function readRsaDigestInfo(key: KeyObject, signature: Uint8Array, data: Uint8Array[], hashes: readonly string[]): DigestInfoReading | null {
  const recovered = recoveredDigestInfo(key, signature);
  if (!recovered) return null;
  for (const hash of new Set(hashes)) {
    const oid = OID_OF_DIGEST[hash];
    if (!oid) continue;
    const h = createHash(hash);
    for (const d of data) h.update(d);
    const digest = h.digest();
    if (recovered.equals(seq(algo(oid), octets(digest)))) return { encoding: "canonical", hash };
    if (recovered.equals(seq(algo(oid, null), octets(digest)))) return { encoding: "no-null-params", hash };
  }
  return null;
}
