// Object identifiers the verifier understands, with the node:crypto names they map to.

export const OID = {
  data: "1.2.840.113549.1.7.1",
  signedData: "1.2.840.113549.1.7.2",
  tstInfo: "1.2.840.113549.1.9.16.1.4",
  contentType: "1.2.840.113549.1.9.3",
  messageDigest: "1.2.840.113549.1.9.4",
  signingTime: "1.2.840.113549.1.9.5",
  signingCertificate: "1.2.840.113549.1.9.16.2.12",
  signingCertificateV2: "1.2.840.113549.1.9.16.2.47",
  timeStampToken: "1.2.840.113549.1.9.16.2.14",
  adbeRevocationInfoArchival: "1.2.840.113583.1.1.8",
  rsaEncryption: "1.2.840.113549.1.1.1",
  rsaPss: "1.2.840.113549.1.1.10",
  mgf1: "1.2.840.113549.1.1.8",
  ecPublicKey: "1.2.840.10045.2.1",
  ed25519: "1.3.101.112",
  ed448: "1.3.101.113",
  shake256: "2.16.840.1.101.3.4.2.12",
} as const;

/** Digest algorithms by OID → node:crypto hash name. */
export const DIGESTS: Record<string, string> = {
  "1.2.840.113549.2.5": "md5",
  "1.3.14.3.2.26": "sha1",
  "2.16.840.1.101.3.4.2.4": "sha224",
  "2.16.840.1.101.3.4.2.1": "sha256",
  "2.16.840.1.101.3.4.2.2": "sha384",
  "2.16.840.1.101.3.4.2.3": "sha512",
  "2.16.840.1.101.3.4.2.8": "sha3-256",
  "2.16.840.1.101.3.4.2.9": "sha3-384",
  "2.16.840.1.101.3.4.2.10": "sha3-512",
  "2.16.840.1.101.3.4.2.12": "shake256",
  "1.3.36.3.2.1": "ripemd160",
};

/** The OIDs of the hashes a PKCS#1 v1.5 DigestInfo may name (read back by cms/rsa-digest-info.ts). */
export const OID_OF_DIGEST: Record<string, string> = {
  sha1: "1.3.14.3.2.26",
  sha224: "2.16.840.1.101.3.4.2.4",
  sha256: "2.16.840.1.101.3.4.2.1",
  sha384: "2.16.840.1.101.3.4.2.2",
  sha512: "2.16.840.1.101.3.4.2.3",
};

export type SigScheme = "rsa" | "rsa-pss" | "ecdsa" | "ecdsa-plain" | "ed25519" | "ed448" | "dsa";

/** Signature algorithms by OID → scheme and the hash the OID fixes (undefined: the digest algorithm decides). */
export const SIGNATURES: Record<string, { scheme: SigScheme; hash?: string; name: string }> = {
  "1.2.840.113549.1.1.1": { scheme: "rsa", name: "RSA" },
  "1.2.840.113549.1.1.4": { scheme: "rsa", hash: "md5", name: "MD5withRSA" },
  "1.2.840.113549.1.1.5": { scheme: "rsa", hash: "sha1", name: "SHA1withRSA" },
  "1.2.840.113549.1.1.14": { scheme: "rsa", hash: "sha224", name: "SHA224withRSA" },
  "1.2.840.113549.1.1.11": { scheme: "rsa", hash: "sha256", name: "SHA256withRSA" },
  "1.2.840.113549.1.1.12": { scheme: "rsa", hash: "sha384", name: "SHA384withRSA" },
  "1.2.840.113549.1.1.13": { scheme: "rsa", hash: "sha512", name: "SHA512withRSA" },
  "2.16.840.1.101.3.4.3.14": { scheme: "rsa", hash: "sha3-256", name: "SHA3-256withRSA" },
  "2.16.840.1.101.3.4.3.15": { scheme: "rsa", hash: "sha3-384", name: "SHA3-384withRSA" },
  "2.16.840.1.101.3.4.3.16": { scheme: "rsa", hash: "sha3-512", name: "SHA3-512withRSA" },
  "1.2.840.113549.1.1.10": { scheme: "rsa-pss", name: "RSASSA-PSS" },
  "1.2.840.10045.2.1": { scheme: "ecdsa", name: "ECDSA" },
  "1.2.840.10045.4.1": { scheme: "ecdsa", hash: "sha1", name: "SHA1withECDSA" },
  "1.2.840.10045.4.3.1": { scheme: "ecdsa", hash: "sha224", name: "SHA224withECDSA" },
  "1.2.840.10045.4.3.2": { scheme: "ecdsa", hash: "sha256", name: "SHA256withECDSA" },
  "1.2.840.10045.4.3.3": { scheme: "ecdsa", hash: "sha384", name: "SHA384withECDSA" },
  "1.2.840.10045.4.3.4": { scheme: "ecdsa", hash: "sha512", name: "SHA512withECDSA" },
  "2.16.840.1.101.3.4.3.10": { scheme: "ecdsa", hash: "sha3-256", name: "SHA3-256withECDSA" },
  "2.16.840.1.101.3.4.3.11": { scheme: "ecdsa", hash: "sha3-384", name: "SHA3-384withECDSA" },
  "2.16.840.1.101.3.4.3.12": { scheme: "ecdsa", hash: "sha3-512", name: "SHA3-512withECDSA" },
  "0.4.0.127.0.7.1.1.4.1.1": { scheme: "ecdsa-plain", hash: "sha1", name: "SHA1withPLAIN-ECDSA" },
  "0.4.0.127.0.7.1.1.4.1.2": { scheme: "ecdsa-plain", hash: "sha224", name: "SHA224withPLAIN-ECDSA" },
  "0.4.0.127.0.7.1.1.4.1.3": { scheme: "ecdsa-plain", hash: "sha256", name: "SHA256withPLAIN-ECDSA" },
  "0.4.0.127.0.7.1.1.4.1.4": { scheme: "ecdsa-plain", hash: "sha384", name: "SHA384withPLAIN-ECDSA" },
  "0.4.0.127.0.7.1.1.4.1.5": { scheme: "ecdsa-plain", hash: "sha512", name: "SHA512withPLAIN-ECDSA" },
  "1.3.101.112": { scheme: "ed25519", name: "Ed25519" },
  "1.3.101.113": { scheme: "ed448", name: "Ed448" },
  "1.2.840.10040.4.3": { scheme: "dsa", hash: "sha1", name: "SHA1withDSA" },
  "2.16.840.1.101.3.4.3.2": { scheme: "dsa", hash: "sha256", name: "SHA256withDSA" },
};

/** Output length in bytes where the hash needs one (SHAKE256 as used with Ed448: RFC 8419, 512 bits). */
export function hashOptions(hash: string): { outputLength: number } | undefined {
  return hash === "shake256" ? { outputLength: 64 } : undefined;
}
