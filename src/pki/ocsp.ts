// OCSP responses (RFC 6960): the BasicOCSPResponse of a successful response, its single responses, the
// responder's signature (the CA itself, or a delegated responder with id-kp-OCSPSigning issued by it).
import { createHash } from "node:crypto";
import { children, DerError, expectTag, octets, oidAt, parseEach, raw, readTlv, timeAt, value } from "../asn1/der.js";
import { DIGESTS, SIGNATURES } from "../asn1/oids.js";
import { parseAlgorithm, type AlgorithmId } from "../asn1/algorithm.js";
import { verifySignature } from "../asn1/signature.js";
import { parseCertificate, type Certificate } from "./certificate.js";
import { serialKey } from "./crl.js";
import { EKU, extendedKeyUsage } from "./extensions.js";
import { issuedBy } from "./cert-signature.js";
import { nameKey, parseName } from "./names.js";

const BASIC = "1.3.6.1.5.5.7.48.1.1";

export interface SingleResponse {
  hash: string | null;
  issuerNameHash: Buffer;
  issuerKeyHash: Buffer;
  serial: string;
  status: "good" | "revoked" | "unknown";
  revocationTime: string | null;
  thisUpdate: string;
  nextUpdate: string | null;
}

export interface OcspResponse {
  der: Uint8Array;
  tbs: Uint8Array;
  responderName: string | null;
  responderKeyHash: Buffer | null;
  producedAt: string;
  responses: SingleResponse[];
  certs: Certificate[];
  signatureAlgorithm: AlgorithmId;
  signature: Uint8Array;
}

/** Accepts an OCSPResponse or a bare BasicOCSPResponse (both appear in PDFs). */
export function parseOcsp(der: Uint8Array): OcspResponse {
  let basic = der;
  const top = readTlv(der, 0);
  const parts = children(der, expectTag(top, 0x30, "an OCSP response"));
  if (parts[0]?.tag === 0x0a) {
    if (der[parts[0].valueStart] !== 0) throw new DerError("OCSP response status is not successful", 0);
    const rb = children(der, children(der, expectTag(parts[1], 0xa0, "responseBytes"))[0]!);
    if (oidAt(der, rb[0]!) !== BASIC) throw new DerError("not a basic OCSP response", 0);
    basic = octets(der, rb[1]!);
  }
  const b = readTlv(basic, 0);
  const [tbsT, algT, sigT, certsT] = children(basic, b);
  const tbs = children(basic, expectTag(tbsT, 0x30, "ResponseData"));
  let i = tbs[0]?.tag === 0xa0 ? 1 : 0;
  const rid = tbs[i++]!;
  let responderName: string | null = null;
  let responderKeyHash: Buffer | null = null;
  if (rid.tag === 0xa1) responderName = nameKey(parseName(basic, children(basic, rid)[0]!));
  else if (rid.tag === 0xa2) responderKeyHash = Buffer.from(octets(basic, children(basic, rid)[0]!));
  const producedAt = timeAt(basic, tbs[i++]!);
  const responses: SingleResponse[] = children(basic, expectTag(tbs[i], 0x30, "responses")).map((sr) => {
    const f = children(basic, sr);
    const [hashAlg, nameHash, keyHash, serial] = children(basic, f[0]!);
    const st = f[1]!;
    const status = st.tag === 0x80 ? "good" : st.tag === 0xa1 ? "revoked" : "unknown";
    const revocationTime = st.tag === 0xa1 ? timeAt(basic, children(basic, st)[0]!) : null;
    const nextT = f.find((t) => t.tag === 0xa0);
    return {
      hash: DIGESTS[parseAlgorithm(basic, hashAlg!).oid] ?? null,
      issuerNameHash: Buffer.from(value(basic, nameHash!)),
      issuerKeyHash: Buffer.from(value(basic, keyHash!)),
      serial: serialKey(value(basic, serial!)),
      status,
      revocationTime,
      thisUpdate: timeAt(basic, f[2]!),
      nextUpdate: nextT ? timeAt(basic, children(basic, nextT)[0]!) : null,
    };
  });
  const certs: Certificate[] = [];
  if (certsT?.tag === 0xa0) {
    for (const c of children(basic, children(basic, certsT)[0]!)) {
      try {
        certs.push(parseCertificate(raw(basic, c)));
      } catch (e) {
        if (!(e instanceof DerError)) throw e;
      }
    }
  }
  return {
    der: basic,
    tbs: raw(basic, tbsT!),
    responderName,
    responderKeyHash,
    producedAt,
    responses,
    certs,
    signatureAlgorithm: parseAlgorithm(basic, algT!),
    signature: value(basic, expectTag(sigT, 0x03, "OCSP signature")).subarray(1),
  };
}

export function parseOcsps(ders: Uint8Array[]): OcspResponse[] {
  return parseEach(ders, parseOcsp);
}

/** The public-key bits of a certificate, as hashed in an OCSP CertID. */
export function keyBitString(c: Certificate): Uint8Array {
  const [, bits] = children(c.spki, readTlv(c.spki, 0));
  return value(c.spki, bits!).subarray(1);
}

/** The response about `cert` issued by `issuer`, if this OCSP response holds one. */
export function findResponse(r: OcspResponse, cert: Certificate, issuer: Certificate): SingleResponse | undefined {
  const serial = serialKey(cert.serial);
  return r.responses.find((s) => {
    if (s.serial !== serial || !s.hash) return false;
    const keyHash = createHash(s.hash).update(keyBitString(issuer)).digest();
    return keyHash.equals(s.issuerKeyHash);
  });
}

/** True when the response is signed by the CA itself or by a responder the CA delegated (EKU OCSPSigning). */
export function ocspSignedFor(r: OcspResponse, issuer: Certificate, extra: Certificate[]): boolean {
  const alg = SIGNATURES[r.signatureAlgorithm.oid];
  if (!alg) return false;
  const candidates = [issuer, ...r.certs, ...extra].filter((c) => matchesResponder(r, c));
  for (const c of candidates) {
    const delegated = c.sha256 !== issuer.sha256;
    if (delegated && (!extendedKeyUsage(c)?.has(EKU.ocspSigning) || !issuedBy(c, issuer))) continue;
    try {
      const params = r.signatureAlgorithm.params ? { buf: r.der, t: r.signatureAlgorithm.params } : undefined;
      if (verifySignature(alg.scheme, alg.hash ?? null, params, c.publicKey(), [r.tbs], r.signature) === true) return true;
    } catch {
      // try the next candidate
    }
  }
  return false;
}

function matchesResponder(r: OcspResponse, c: Certificate): boolean {
  if (r.responderName) return nameKey(c.subject) === r.responderName;
  if (r.responderKeyHash) return createHash("sha1").update(keyBitString(c)).digest().equals(r.responderKeyHash);
  return false;
}
