// Cryptographic facts about one SignerInfo: which certificate signed, whether the signed messageDigest
// equals the content digest, whether the signature verifies (node:crypto), and the ESS signing-certificate
// binding. Facts only: verify/ decides what they mean.
import type { Phrase } from "../words/phrase.js";
import { cmsPhrase } from "./cms-words.js";
import { createHash } from "node:crypto";
import { children, DerError, octets, oidAt, readTlv, timeAt } from "../asn1/der.js";
import { DIGESTS, hashOptions, OID, SIGNATURES, type SigScheme } from "../asn1/oids.js";
import { attribute, attrsInDerOrder, type SignedData, type SignerInfo, signedAttrsForVerify } from "./signed-data.js";
import { verifySignature } from "../asn1/signature.js";
import { parseAlgorithm } from "../asn1/algorithm.js";
import { parseCertificate, type Certificate } from "../pki/certificate.js";
import { readRsaDigestInfo } from "./rsa-digest-info.js";

export interface SignerFacts {
  signer: Certificate | null;
  /** every certificate of the CMS that parsed */
  certificates: Certificate[];
  digestHash: string | null;
  /** notes on how the digest algorithm was read (e.g. a signature OID in the digest field) */
  notes: Phrase[];
  signatureAlgorithm: string;
  scheme: SigScheme | null;
  /** null when there are no signed attributes (the signature covers the content itself) */
  messageDigestMatches: boolean | null;
  contentTypeOk: boolean | null;
  signatureValid: boolean | "unsupported";
  ess: "match" | "mismatch" | "absent";
  signingTime: string | null;
  signedAttrsDerOrder: boolean | null;
  /** the signature value, for the signature-timestamp imprint */
  signatureValue: Uint8Array;
  /** an RSA value accepted in a form node:crypto refuses (cms/rsa-digest-info.ts): how it was written */
  digestInfo?: { encoding: "canonical" | "no-null-params"; hash: string; named: string };
}

/** A signer's facts before any check: nothing verified yet. */
export function signerFacts(
  known: Pick<SignerFacts, "signer" | "certificates" | "digestHash" | "notes" | "signatureAlgorithm" | "scheme" | "signatureValue">,
): SignerFacts {
  return {
    ...known,
    messageDigestMatches: null,
    contentTypeOk: null,
    signatureValid: "unsupported",
    ess: "absent",
    signingTime: null,
    signedAttrsDerOrder: null,
  };
}

export interface Content {
  /** the content in pieces (the ByteRange parts), for signatures without signed attributes */
  parts: Uint8Array[];
  /** digest of the content with a node:crypto hash name */
  digest(hash: string): Uint8Array;
}

export function contentOf(bytes: Uint8Array): Content {
  return { parts: [bytes], digest: (h) => createHash(h, hashOptions(h)).update(bytes).digest() };
}

export function hashName(oid: string, notes: Phrase[]): string | null {
  const d = DIGESTS[oid];
  if (d) return d;
  const s = SIGNATURES[oid];
  if (s?.hash) {
    // A signature OID in the digest field: mapped to its hash, with a note (README: "Choices").
    notes.push(cmsPhrase("cms.digestFieldSignature", { signature: s.name, hash: s.hash }));
    return s.hash;
  }
  return null;
}

export function findSigner(si: SignerInfo, certs: Certificate[]): Certificate | null {
  if (si.sid.kind === "ski") {
    const ski = Buffer.from(si.sid.ski);
    return certs.find((c) => c.ski && ski.equals(c.ski)) ?? null;
  }
  const issuer = Buffer.from(si.sid.issuer);
  const serial = stripZeros(si.sid.serial);
  return certs.find((c) => issuer.equals(c.issuerDer) && serial.equals(stripZeros(c.serial))) ?? null;
}

function stripZeros(b: Uint8Array): Buffer {
  let i = 0;
  while (i < b.length - 1 && b[i] === 0) i++;
  return Buffer.from(b.subarray(i));
}

export function checkSigner(sd: SignedData, si: SignerInfo, content: Content): SignerFacts {
  const notes: Phrase[] = [];
  const certificates: Certificate[] = [];
  for (const der of sd.certificates) {
    try {
      certificates.push(parseCertificate(der));
    } catch (e) {
      if (!(e instanceof DerError)) throw e;
      notes.push(cmsPhrase("cms.certUnreadable", { error: e.message }));
    }
  }
  const signer = findSigner(si, certificates);
  const digestHash = hashName(si.digestAlgorithm.oid, notes);
  const sigAlg = SIGNATURES[si.signatureAlgorithm.oid];
  const facts = signerFacts({
    signer,
    certificates,
    digestHash,
    notes,
    signatureAlgorithm: sigAlg?.name ?? si.signatureAlgorithm.oid,
    scheme: sigAlg?.scheme ?? null,
    signatureValue: si.signature,
  });
  const buf = sd.bytes;
  if (si.signedAttrs) {
    const attrs = si.signedAttrs.attrs;
    facts.signedAttrsDerOrder = attrsInDerOrder(buf, si.signedAttrs.tlv);
    const md = attribute(attrs, OID.messageDigest);
    if (md.length !== 1 || md[0]!.values.length !== 1) {
      facts.messageDigestMatches = false;
      notes.push(cmsPhrase("cms.messageDigestCount"));
    } else if (digestHash) {
      const signed = octets(buf, md[0]!.values[0]!);
      facts.messageDigestMatches = Buffer.from(signed).equals(content.digest(digestHash));
    }
    const ct = attribute(attrs, OID.contentType);
    facts.contentTypeOk = ct.length === 1 && ct[0]!.values.length === 1 && oidAt(buf, ct[0]!.values[0]!) === sd.eContentType;
    const st = attribute(attrs, OID.signingTime)[0]?.values[0];
    if (st) {
      try {
        facts.signingTime = timeAt(buf, st);
      } catch {
        notes.push(cmsPhrase("cms.signingTimeMalformed"));
      }
    }
    if (signer) facts.ess = essCheck(buf, attrs, signer);
  }
  if (!signer || !sigAlg) return facts;
  const hash = sigAlg.hash ?? digestHash;
  if (sigAlg.hash && digestHash && sigAlg.hash !== digestHash)
    notes.push(cmsPhrase("cms.hashDiffers", { signature: sigAlg.name, hash: sigAlg.hash, digest: digestHash }));
  const data = si.signedAttrs ? [signedAttrsForVerify(buf, si.signedAttrs.tlv)] : content.parts;
  try {
    facts.signatureValid = verifySignature(
      sigAlg.scheme,
      hash,
      si.signatureAlgorithm.params ? { buf, t: si.signatureAlgorithm.params } : undefined,
      signer.publicKey(),
      data,
      si.signature,
    );
    if (facts.signatureValid === false && sigAlg.scheme === "rsa" && hash) {
      // a DigestInfo without NULL, or over the digest algorithm's hash rather than the one the OID names
      const read = readRsaDigestInfo(signer.publicKey(), si.signature, data, digestHash ? [hash, digestHash] : [hash]);
      if (read) {
        facts.signatureValid = true;
        facts.digestInfo = { ...read, named: hash };
      }
    }
  } catch (e) {
    notes.push(cmsPhrase("cms.notChecked", { error: (e as Error).message }));
    facts.signatureValid = "unsupported";
  }
  return facts;
}

/** ESS signing-certificate (v1: SHA-1) or v2 (default SHA-256): the first ESSCertID must name the signer. */
function essCheck(buf: Uint8Array, attrs: SignerInfo["unsignedAttrs"], signer: Certificate): SignerFacts["ess"] {
  const v2 = attribute(attrs, OID.signingCertificateV2)[0];
  const v1 = attribute(attrs, OID.signingCertificate)[0];
  const attr = v2 ?? v1;
  if (!attr || !attr.values[0]) return "absent";
  try {
    const certs = children(buf, children(buf, attr.values[0])[0]!);
    const first = children(buf, certs[0]!);
    let hash = "sha1";
    let idx = 0;
    if (v2) {
      hash = "sha256";
      if (first[0]!.tag === 0x30) {
        hash = DIGESTS[parseAlgorithm(buf, first[0]!).oid] ?? "unknown";
        idx = 1;
      }
    }
    if (hash === "unknown") return "mismatch";
    const got = Buffer.from(octets(buf, first[idx]!));
    return got.equals(createHash(hash).update(signer.der).digest()) ? "match" : "mismatch";
  } catch (e) {
    if (e instanceof DerError) return "mismatch";
    throw e;
  }
}

export { readTlv };
