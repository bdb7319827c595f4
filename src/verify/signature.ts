// The validation of one PDF signature: format (K2, K3), identification of the signing certificate,
// cryptographic verification (K4), the certificate path at the best-proven time (trust, revocation),
// changes after signing (K6, K7), then the indication.
import { DerError, octets, raw, readTlv } from "../asn1/der.js";
import { OID } from "../asn1/oids.js";
import { attribute, parseSignedData, type SignedData } from "../cms/signed-data.js";
import { checkTimestampToken, digestsOf, type TimestampFacts } from "../cms/timestamp.js";
import { recoveredDigestInfo } from "../cms/rsa-digest-info.js";
import { checkSigner, contentOf, signerFacts, type Content, type SignerFacts } from "../cms/verify-signer.js";
import { issuerString, parseCertificate, serialHex, subjectString, firstOf, type Certificate } from "../pki/certificate.js";
import { PdfString } from "../pdf/objects.js";
import { signerAgency, signerKind } from "../pki/signer-kind.js";
import type { PdfDocument } from "../pdf/document.js";
import { diffRevisions, levelRank, maxLevel, type ChangeFacts, type ChangeLevel, type ChangePolicy } from "../pdf/diff.js";
import type { FoundSignature } from "../pdf/signatures.js";
import { changePhrase, type ChangeKey } from "../pdf/change-words.js";
import { PdfError } from "../pdf/errors.js";
import { readerPhrase } from "../pdf/reader-words.js";
import type { Phrase } from "../words/phrase.js";
import { detailText } from "./detail-words.js";
import type { Digester, Ranges } from "./digester.js";
import { Findings } from "./findings.js";
import { checkByteRange, checkDictionary } from "./format-checks.js";
import type { SeverityTable } from "./policy.js";
import type { ModificationChange, SignatureReport, SignerReport } from "./report.js";
import { revocationInfo } from "../cms/revocation-info.js";
import { parseCrls } from "../pki/crl.js";
import { parseOcsps } from "../pki/ocsp.js";
import { judgeChain, type TrustInputs } from "./trust.js";
import { proofPhrase, proofText, proved, type ProofBasis } from "./proof-basis.js";

export interface SignatureContext {
  doc: PdfDocument;
  digester: Digester;
  policy: SeverityTable;
  /** gaps [b, c) of every signature in the file (K3 overlap) */
  gaps: Array<[number, number]>;
  /** the DocMDP permission level that binds changes after this signature (1..3), null: none */
  permission: number | null;
  /** the change policy (diff.ts): default, every rule */
  changePolicy?: ChangePolicy;
  /** a lock's /P above the certification's level, which the certification's level overrides (K15) */
  lockPIgnored?: number | null;
  /** true when this is a certification signature that is not the first signature (K10) */
  lateCertification: boolean;
  trust: TrustInputs;
  /** the time given by the user (--at): judge at it, whatever the proofs */
  at: Date | null;
  /** when no proof of existence applies: the time received, else now */
  fallback: { time: Date; proof: string; basis: ProofBasis };
  /** trusted document time-stamps: each proves existence of the revisions before its own */
  docTimestamps: Array<{ revision: number; time: Date }>;
}

/** What one signature's time-stamp or the document's time-stamps prove about when it existed. */
interface Proof {
  time: Date;
  proof: string;
  basis: ProofBasis;
}

const FAIL_FORMAT = { effect: "fail", sub: "FORMAT_FAILURE" } as const;
/** ends the CMS branch for a signature that is not CMS (adbe.x509.rsa_sha1) */
const SKIP_CMS = Symbol("not CMS");
const PERMISSION_LEVEL: Record<number, ChangeLevel> = { 1: "signatures", 2: "form-fill", 3: "annotations" };

export function verifySignature(ctx: SignatureContext, found: FoundSignature, index: number): SignatureReport {
  const { doc } = ctx;
  const f = new Findings(ctx.policy);
  const d = found.dict;
  const subFilter = d.name("SubFilter") ?? "";
  const kind = d.name("Type") === "DocTimeStamp" || subFilter === "ETSI.RFC3161" ? "document-timestamp" : "signature";

  if (found.fields.length === 0) f.add("doc.orphan", "info");
  if (found.fields.length > 1) f.add("doc.sharedDict", { effect: "warn" }, { fields: found.fields.join(", ") });
  if (ctx.lateCertification) f.add("doc.certNotFirst", { effect: "indeterminate", sub: "SIG_CONSTRAINTS_FAILURE" });

  const contents = checkDictionary(d, kind, f);
  const format = checkByteRange(doc, d, ctx.gaps, f);
  const formatFailed = f.has("fail");

  let integrity: SignatureReport["integrity"] = "unknown";
  let cryptographic: SignatureReport["cryptographic"] = "unsupported";
  let facts: SignerFacts | null = null;
  let timestamp: SignatureReport["timestamp"] = null;
  let digestAlgorithm = "unknown";
  let chain: SignatureReport["chain"] = { trusted: false, anchor: null, path: [] };
  let judgedAt: SignatureReport["judgedAt"] = null;
  let revocation: SignatureReport["revocation"] = { status: "unknown", checkedBy: "none" };

  if (contents && format.ranges && !f.list.some((x) => x.key === "format.contents" || x.key === "format.contentsZero")) {
    const ranges = format.ranges;
    try {
      if (subFilter === "adbe.x509.rsa_sha1" && kind === "signature") {
        const r = verifyX509RsaSha1(d, contents, ranges, ctx, f);
        facts = r.facts;
        integrity = r.integrity;
        cryptographic = r.cryptographic;
        digestAlgorithm = "sha1";
        if (facts?.signer && cryptographic === "valid") {
          const proof = ctx.at ? proved(ctx.at, { kind: "given" }) : (docTimestampProof(ctx, format.revision) ?? ctx.fallback);
          const o = judgeChain(facts.signer, facts.certificates, proof.time, "signer", ctx.trust, ctx.at ? "declared" : "existence");
          f.merge(o.findings);
          judgedAt = { time: proof.time.toISOString(), proof: proof.proof, basis: proof.basis };
          f.add("trust.judgedAt", "info", { time: judgedAt.time, proof: proofPhrase(proof.basis) });
          chain = o.chain;
          revocation = o.revocation;
        }
        throw SKIP_CMS;
      }
      const sd = parseSignedData(contents);
      if (kind === "document-timestamp") {
        const ts = checkTimestampToken(contents, { digest: (h) => ctx.digester.digest(ranges, h) });
        facts = ts.signer;
        digestAlgorithm = ts.imprintHash ?? "unknown";
        integrity = ts.imprintMatches ? "intact" : "broken";
        cryptographic = ts.tokenValid ? "valid" : "invalid";
        if (!ts.imprintMatches) f.add("hash.imprint", { effect: "fail", sub: "HASH_FAILURE" });
        if (!ts.tokenValid) judgeSigner(f, ts.signer);
        let trusted = false;
        if (ts.signer?.signer && ts.tokenValid) {
          // a document time-stamp is its own proof: its authority is judged at the time it states
          const time = ctx.at ?? new Date(ts.genTime);
          const o = judgeChain(
            ts.signer.signer,
            ts.signer.certificates,
            time,
            "tsa",
            withCmsRevocation(ctx.trust, ts.signedData, ts.signedData.signerInfos[0]),
          );
          f.merge(o.findings);
          const basis: ProofBasis = ctx.at ? { kind: "given" } : { kind: "own-timestamp" };
          judgedAt = { time: time.toISOString(), proof: proofText(basis), basis };
          f.add("trust.judgedAt", "info", { time: judgedAt.time, proof: proofPhrase(basis) });
          ({ chain, revocation, trusted } = { ...o, trusted: o.trusted });
        }
        timestamp = { time: ts.genTime, valid: ts.imprintMatches && ts.tokenValid && trusted, tsa: ts.tsaName };
      } else {
        const r = verifyCms(ctx, sd, ranges, subFilter, f);
        facts = r.facts;
        integrity = r.integrity;
        cryptographic = r.cryptographic;
        digestAlgorithm = facts?.digestHash ?? "unknown";
        timestamp = r.timestamp;
        if (facts?.signer && cryptographic === "valid") {
          const proof = ctx.at ? proved(ctx.at, { kind: "given" }) : (r.proof ?? docTimestampProof(ctx, format.revision) ?? ctx.fallback);
          const o = judgeChain(
            facts.signer,
            facts.certificates,
            proof.time,
            "signer",
            withCmsRevocation(ctx.trust, sd, sd.signerInfos[0]),
            ctx.at ? "declared" : "existence",
          );
          f.merge(o.findings);
          judgedAt = { time: proof.time.toISOString(), proof: proof.proof, basis: proof.basis };
          f.add("trust.judgedAt", "info", { time: judgedAt.time, proof: proofPhrase(proof.basis) });
          chain = o.chain;
          revocation = o.revocation;
        }
      }
    } catch (e) {
      if (e !== SKIP_CMS) {
        if (!(e instanceof DerError)) throw e;
        f.add("format.cms", FAIL_FORMAT, { error: e.message });
      }
    }
  } else if (kind === "signature" && formatFailed && format.declared) {
    // K3 failed: say precisely whether the bytes the /ByteRange names still hash to the signed digest
    const r = reframed(ctx, d, format.declared, f);
    if (r) ({ facts, integrity, cryptographic } = r);
  }

  const modifications = judgeModifications(ctx, format.revision, f);
  const times = claimedTimes(d, facts, timestamp);
  if (times.localAsUtc) f.add("time.localAsUtc", "info", { signingTime: times.signingTime ?? "?", reference: times.timestamp ?? times.pdfM ?? "?" });
  const { indication, subIndication } = f.indication();
  // Never show an identity the signature does not prove (K2, K4); a signature whose signed bytes changed
  // (HASH_FAILURE) still proves who signed them, and the report says who
  const showSigner = (!formatFailed || integrity === "broken") && cryptographic === "valid" && facts?.signer;
  return {
    index,
    field: found.fields[0] ?? null,
    kind,
    subFilter,
    revision: format.revision,
    revisions: doc.revisionCount,
    byteRange: format.byteRange,
    coverage: format.coverage,
    integrity,
    cryptographic,
    signer: showSigner ? signerReport(facts!.signer!) : null,
    digestAlgorithm,
    signatureAlgorithm: facts?.signatureAlgorithm ?? "unknown",
    // the 7-hour pattern: the signer's claim is /M, written with its offset, not the mislabelled signingTime
    claimedSigningTime: times.localAsUtc && times.pdfM ? times.pdfM : claimedTime(times),
    claimedTimes: times,
    timestamp,
    judgedAt,
    chain,
    revocation,
    modifications,
    indication,
    subIndication,
    messages: f.messages(),
    findings: f.report(),
  };
}

/**
 * A signature whose /ByteRange no longer frames its /Contents (a file re-saved after signing: decision
 * 3004's first signature): its CMS is read where the dictionary now is and checked against the bytes the
 * /ByteRange names. When they no longer hash to the signed digest the failure is HASH_FAILURE, said first;
 * when they still do, the K3 failure stands (signature wrapping).
 */
function reframed(
  ctx: SignatureContext,
  d: import("../pdf/objects.js").PdfDict,
  ranges: Ranges,
  f: Findings,
): { facts: SignerFacts; integrity: SignatureReport["integrity"]; cryptographic: SignatureReport["cryptographic"] } | null {
  const c = d.get("Contents");
  if (!(c instanceof PdfString) || c.bytes.length === 0) return null;
  // a gap widened or moved around the /Contents the file shows is the K3 attack shape: it stays FORMAT_FAILURE
  if (c.start < ranges.c && c.end > ranges.a + ranges.b) return null;
  let sd: SignedData;
  try {
    sd = parseSignedData(c.bytes);
  } catch {
    return null;
  }
  const si = sd.signerInfos[0];
  if (!si || !si.signedAttrs || sd.eContent !== undefined) return null;
  const facts = checkSigner(sd, si, { parts: ctx.digester.parts(ranges), digest: (h) => ctx.digester.digest(ranges, h) });
  if (facts.messageDigestMatches !== false) return null;
  f.lead("hash.notFramed", { effect: "fail", sub: "HASH_FAILURE" });
  return { facts, integrity: "broken", cryptographic: facts.signatureValid === true ? "valid" : facts.signatureValid === false ? "invalid" : "unsupported" };
}

function verifyCms(ctx: SignatureContext, sd: SignedData, ranges: Ranges, subFilter: string, f: Findings) {
  const out = {
    facts: null as SignerFacts | null,
    integrity: "unknown" as SignatureReport["integrity"],
    cryptographic: "unsupported" as SignatureReport["cryptographic"],
    timestamp: null as SignatureReport["timestamp"],
    proof: null as Proof | null,
  };
  if (sd.signerInfos.length === 0) {
    f.add("format.noSignerInfo", FAIL_FORMAT);
    return out;
  }
  let content: Content = { parts: ctx.digester.parts(ranges), digest: (h) => ctx.digester.digest(ranges, h) };
  if (subFilter === "adbe.pkcs7.sha1") {
    // The encapsulated content is the SHA-1 of the signed bytes; the CMS signs that content.
    if (!sd.eContent || !Buffer.from(sd.eContent).equals(ctx.digester.digest(ranges, "sha1"))) {
      f.add("format.sha1Content", { effect: "fail", sub: "HASH_FAILURE" });
      out.integrity = "broken";
      if (!sd.eContent) return out;
    }
    content = contentOf(sd.eContent);
  } else if (sd.eContent !== undefined) {
    f.add("format.eContent", FAIL_FORMAT, { subFilter });
  }
  const all = sd.signerInfos.map((si) => checkSigner(sd, si, content));
  if (all.length > 1) {
    const bad = all.some((x) => x.signatureValid !== true || x.messageDigestMatches === false);
    f.add("crypto.signerInfos", bad ? { effect: "fail", sub: "SIG_CRYPTO_FAILURE" } : "info", { n: all.length });
  }
  const facts = all[0]!;
  out.facts = facts;
  if (facts.messageDigestMatches === null && facts.signatureValid === false && facts.signer) {
    // No signed attributes: an RSA signature reveals the digest it signed, which tells tampering apart
    // from a bad signature value.
    if (rsaSignedDigestMatches(facts, content) === "broken") facts.messageDigestMatches = false;
  }
  const judged = judgeSigner(f, facts);
  if (out.integrity !== "broken") out.integrity = judged.integrity;
  out.cryptographic = judged.cryptographic;
  const tokenAttr = attribute(sd.signerInfos[0]!.unsignedAttrs, OID.timeStampToken)[0]?.values[0];
  if (tokenAttr) {
    try {
      const ts: TimestampFacts = checkTimestampToken(raw(sd.bytes, tokenAttr), digestsOf(facts.signatureValue));
      let valid = ts.imprintMatches && ts.tokenValid;
      if (!valid) f.add("ts.invalid", { effect: "indeterminate", sub: "SIG_CONSTRAINTS_FAILURE" }, { reason: ts.problems });
      else if (ts.signer?.signer) {
        // The time-stamp proves existence only if its authority is trusted at the time it states.
        const o = judgeChain(
          ts.signer.signer,
          ts.signer.certificates,
          new Date(ts.genTime),
          "tsa",
          withCmsRevocation(ctx.trust, ts.signedData, ts.signedData.signerInfos[0]),
        );
        if (o.trusted) out.proof = proved(new Date(ts.genTime), { kind: "signature-timestamp", tsa: ts.tsaName ?? null });
        else {
          valid = false;
          f.add("ts.untrusted", { effect: "warn" }, { reason: o.findings.phrases().slice(0, 2) });
        }
      }
      out.timestamp = { time: ts.genTime, valid, tsa: ts.tsaName };
    } catch (e) {
      if (!(e instanceof DerError)) throw e;
      f.add("ts.unreadable", { effect: "indeterminate", sub: "SIG_CONSTRAINTS_FAILURE" }, { error: e.message });
    }
  }
  return out;
}

/**
 * adbe.x509.rsa_sha1 (ISO 32000-1 §12.8.3.2): /Contents is a DER OCTET STRING holding a PKCS#1 v1.5 RSA
 * signature over the SHA-1 digest of the signed bytes, and /Cert the signer's certificate (a string, or
 * an array whose first string is the signer's and the rest its chain). No signed attributes, no
 * time-stamp: the signature value itself reveals the digest it signed, which tells tampering (digest
 * differs) apart from a wrong key or value.
 */
function verifyX509RsaSha1(d: import("../pdf/objects.js").PdfDict, contents: Uint8Array, ranges: Ranges, ctx: SignatureContext, f: Findings) {
  const out = {
    facts: null as SignerFacts | null,
    integrity: "unknown" as SignatureReport["integrity"],
    cryptographic: "unsupported" as SignatureReport["cryptographic"],
  };
  let value: Uint8Array;
  try {
    const t = readTlv(contents, 0);
    if (t.tag !== 0x04) throw new DerError("not an OCTET STRING", 0);
    value = octets(contents, t);
  } catch {
    f.add("format.x509Value", FAIL_FORMAT);
    return out;
  }
  const r = ctx.doc.at(ctx.doc.revisionCount);
  const certObj = r.resolve(d.get("Cert"));
  const strings = (Array.isArray(certObj) ? certObj.map((x) => r.resolve(x)) : [certObj]).filter((x): x is PdfString => x instanceof PdfString);
  const certificates: Certificate[] = [];
  for (const c of strings) {
    try {
      certificates.push(parseCertificate(c.bytes));
    } catch {
      /* an unreadable chain certificate only weakens path building */
    }
  }
  const signer = strings.length && certificates[0] && Buffer.from(certificates[0].der).equals(Buffer.from(strings[0]!.bytes)) ? certificates[0] : null;
  const facts = signerFacts({
    signer,
    certificates,
    digestHash: "sha1",
    notes: [],
    signatureAlgorithm: "sha1WithRSAEncryption",
    scheme: "rsa",
    signatureValue: value,
  });
  out.facts = facts;
  if (!signer) {
    // /Cert is required and signed: missing or damaged, the dictionary is not a readable signature
    f.add("format.x509Cert", FAIL_FORMAT);
    return out;
  }
  // DigestInfo ::= SEQUENCE { AlgorithmIdentifier sha1, OCTET STRING digest } (35 bytes for SHA-1): a
  // genuine signature by this key over some SHA-1 digest, which is then compared with the signed bytes'
  const digestInfo = rsaRecoveredDigestInfo(signer, value);
  const ok = digestInfo !== null && digestInfo.length === 35 && digestInfo.subarray(0, 15).equals(SHA1_DIGEST_INFO_PREFIX);
  facts.signatureValid = ok;
  facts.messageDigestMatches = ok ? digestInfo.subarray(15).equals(Buffer.from(ctx.digester.digest(ranges, "sha1"))) : null;
  const judged = judgeSigner(f, facts);
  out.integrity = judged.integrity;
  out.cryptographic = judged.cryptographic;
  return out;
}

/** Findings about one signer's facts (used for signatures and time-stamp tokens alike). */
function judgeSigner(f: Findings, facts: SignerFacts | null): { integrity: SignatureReport["integrity"]; cryptographic: SignatureReport["cryptographic"] } {
  if (!facts) return { integrity: "unknown", cryptographic: "unsupported" };
  for (const note of facts.notes) f.add("cms.note", "info", { note });
  if (facts.signedAttrsDerOrder === false) f.add("cms.attrsOrder", { effect: "warn" });
  if (!facts.digestHash) f.add("crypto.digestUnknown", { effect: "indeterminate", sub: "CRYPTO_CONSTRAINTS_FAILURE" }, { oid: "?" });
  if (facts.digestHash === "md5") f.add("crypto.md5", { effect: "indeterminate", sub: "CRYPTO_CONSTRAINTS_FAILURE_NO_POE" });
  if (facts.digestHash === "sha1" || /^SHA1with/.test(facts.signatureAlgorithm)) f.add("crypto.sha1", { effect: "warn" });
  if (facts.digestInfo?.encoding === "no-null-params") f.add("crypto.digestInfoNoNull", { effect: "warn" }, { hash: facts.digestInfo.hash });
  if (facts.digestInfo && facts.digestInfo.hash !== facts.digestInfo.named)
    f.add("crypto.hashMismatch", { effect: "warn" }, { named: facts.digestInfo.named, used: facts.digestInfo.hash });
  if (facts.scheme === "ed448" && facts.digestHash !== "shake256")
    f.add("crypto.eddsaHash", { effect: "indeterminate", sub: "CRYPTO_CONSTRAINTS_FAILURE" }, { alg: "Ed448", want: "SHAKE256", got: facts.digestHash ?? "?" });
  if (facts.scheme === "ed25519" && facts.digestHash !== "sha512")
    f.add(
      "crypto.eddsaHash",
      { effect: "indeterminate", sub: "CRYPTO_CONSTRAINTS_FAILURE" },
      { alg: "Ed25519", want: "SHA-512", got: facts.digestHash ?? "?" },
    );
  let integrity: SignatureReport["integrity"] = "unknown";
  if (facts.messageDigestMatches === false) {
    f.add("hash.mismatch", { effect: "fail", sub: "HASH_FAILURE" });
    integrity = "broken";
  } else if (facts.messageDigestMatches === true) integrity = "intact";
  if (facts.contentTypeOk === false) f.add("format.contentType", FAIL_FORMAT);
  if (!facts.signer) {
    f.add("signer.notFound", { effect: "indeterminate", sub: "NO_SIGNING_CERTIFICATE_FOUND" });
    return { integrity, cryptographic: "unsupported" };
  }
  if (facts.ess === "mismatch") f.add("signer.ess", { effect: "indeterminate", sub: "NO_SIGNING_CERTIFICATE_FOUND" });
  let cryptographic: SignatureReport["cryptographic"] = "unsupported";
  if (facts.signatureValid === true) {
    cryptographic = "valid";
    if (facts.messageDigestMatches === null) integrity = "intact"; // the signature covers the content itself
  } else if (facts.signatureValid === false) {
    cryptographic = "invalid";
    if (integrity !== "broken") f.add("crypto.invalid", { effect: "fail", sub: "SIG_CRYPTO_FAILURE" });
  } else f.add("crypto.unsupported", { effect: "indeterminate", sub: "CRYPTO_CONSTRAINTS_FAILURE" }, { alg: facts.signatureAlgorithm });
  return { integrity, cryptographic };
}

function rsaSignedDigestMatches(facts: SignerFacts, content: Content): "intact" | "broken" | null {
  const digestInfo = facts.signer && facts.digestHash ? rsaRecoveredDigestInfo(facts.signer, facts.signatureValue) : null;
  if (!digestInfo || !facts.digestHash) return null;
  const want = content.digest(facts.digestHash);
  return Buffer.from(digestInfo.subarray(digestInfo.length - want.length)).equals(want) ? "intact" : "broken";
}

const SHA1_DIGEST_INFO_PREFIX = Buffer.from("3021300906052b0e03021a05000414", "hex");

/** What an RSA PKCS#1 v1.5 signature value recovers with the signer's key (the DigestInfo), or null. */
const rsaRecoveredDigestInfo = (signer: Certificate, value: Uint8Array): Buffer | null => recoveredDigestInfo(signer.publicKey(), value);

/**
 * Changes after signing. A forbidden change is TOTAL_FAILED / FORMAT_FAILURE: EN 319 102-1 has no
 * sub-indication of its own for it, HASH_FAILURE is kept for a signed digest that does not match, and the
 * delivered file is then not a conformant update of the signed one (EN 319 142-1); `modifications.level`
 * and the finding key say what changed. When a revision after a signature that does not cover the whole
 * file cannot be read strictly, the bytes a reader shows are not established to be the signed ones: that
 * fails too (level `unknown`); a signature over the whole file is only indeterminate about it.
 */
function judgeModifications(ctx: SignatureContext, revision: number, f: Findings): SignatureReport["modifications"] {
  const { doc } = ctx;
  const partial = revision !== doc.revisionCount;
  const unreadable = (key: "mod.repaired" | "mod.unknown", detail: Phrase): SignatureReport["modifications"] => {
    f.add(key, partial ? { effect: "fail", sub: "FORMAT_FAILURE" } : { effect: "indeterminate", sub: "FORMAT_FAILURE" });
    return { level: "unknown", details: [detailText(detail, "en")], phrases: [detail] };
  };
  if (doc.repaired) return unreadable("mod.repaired", changePhrase("change.xrefBroken"));
  if (revision === 0) return { level: "none", details: [] };
  let facts: ChangeFacts;
  try {
    facts = diffRevisions(doc, revision, doc.revisionCount, ctx.changePolicy);
  } catch (e) {
    return unreadable("mod.unknown", e instanceof PdfError ? e.phrase : readerPhrase("reader.text", { text: (e as Error).message }));
  }
  // each change with its level, as a phrase; `details` is their English
  const listed: Array<{ level: ChangeLevel | "unknown"; what: Phrase }> = facts.changes
    .filter((c) => c.level !== "none")
    .map((c) => ({ level: c.level, what: c.phrase }));
  // unrecognised changes (K15) are left to the policy; the changes rules do recognise are judged as ever
  const unrecognised = facts.changes.filter((c) => c.level === "unrecognised");
  let level: ChangeLevel = facts.changes.reduce<ChangeLevel>((l, c) => (c.level === "unrecognised" ? l : maxLevel(l, c.level)), "none");
  const trailing = trailingData(doc);
  if (trailing === "data") {
    level = "other";
    listed.push({ level: "other", what: changePhrase("change.trailing", { n: doc.trailingBytes }) });
  } else if (trailing === "white") f.add("mod.trailingWhite", { effect: "warn" }, { n: doc.trailingBytes });
  if (ctx.lockPIgnored) f.add("mod.lockPIgnored", { effect: "warn" }, { p: ctx.lockPIgnored, docmdp: ctx.permission ?? "?" });
  if (facts.unreadable && level !== "other") {
    unreadable("mod.unknown", changePhrase("change.unreadable"));
    listed.push({ level: "unknown", what: changePhrase("change.unreadable") });
    return { level: "unknown", ...detailsOf(listed) };
  }
  if (level === "other") {
    const other = listed.filter((x) => x.level === "other").slice(0, 5);
    f.add("mod.other", { effect: "fail", sub: "FORMAT_FAILURE" }, { details: other.map((x) => x.what) });
  } else if (ctx.permission !== null && levelRank(level) > levelRank(PERMISSION_LEVEL[ctx.permission] ?? "annotations")) {
    f.add("mod.notPermitted", { effect: "fail", sub: "FORMAT_FAILURE" }, { level: changePhrase(`level.${level}`), p: ctx.permission });
  } else if ((ctx.permission === 1 || ctx.permission === 2) && facts.emptySignatureFields > 0) {
    // K12: under P=2 a signature may be added in a field that exists, or in one it brings signed; an empty
    // one is a form change the certifier did not allow (iText's reading; pyHanko's for a signed field)
    f.add("mod.emptySigField", { effect: "fail", sub: "FORMAT_FAILURE" }, { p: ctx.permission });
  } else if (ctx.permission === 1 && facts.signaturesAdded > 0) {
    // P=1: no change at all, but for long-term validation data (DSS, document time-stamps)
    f.add("mod.notPermitted", { effect: "fail", sub: "FORMAT_FAILURE" }, { level: changePhrase("level.newSignature"), p: 1 });
  } else if (level !== "none") {
    f.add("mod.allowed", "info", { level: changePhrase(`level.${level}`) });
  }
  if (level !== "other" && unrecognised.length) {
    f.add("mod.unrecognised", { effect: "indeterminate", sub: "FORMAT_FAILURE" }, { details: unrecognised.slice(0, 5).map((c) => c.phrase) });
    if (levelRank(level) < levelRank("unrecognised")) level = "unrecognised";
  }
  for (const a of facts.annotationsAdded.slice(0, 20)) f.add("mod.annotation", "info", { subtype: a.subtype, page: a.page ?? "?" });
  const changes = facts.changes
    .filter((c) => c.level !== "none")
    .slice(0, 200)
    .map((c): ModificationChange => ({
      object: c.num,
      level: c.level,
      rule: c.rule ?? "K6",
      ...(c.use ? { use: c.use } : {}),
      what: c.what,
      phrase: c.phrase,
    }));
  if (trailing === "data") {
    const phrase = changePhrase("change.trailing", { n: doc.trailingBytes });
    changes.push({ object: null, level: "other", rule: "K5 bytes after the last revision", what: detailText(phrase, "en"), phrase });
  }
  return { level, ...detailsOf(listed), changes };
}

/** Changes listed as "level: what", in English and as phrases. */
function detailsOf(listed: ReadonlyArray<{ level: string; what: Phrase }>): { details: string[]; phrases: Phrase[] } {
  const phrases = listed.map((x) => changePhrase("change.levelled", { level: changePhrase(`level.${x.level}` as ChangeKey), what: x.what }));
  return { details: phrases.map((p) => detailText(p, "en")), phrases };
}

function trailingData(doc: PdfDocument): "none" | "white" | "data" {
  const n = doc.trailingBytes;
  if (n === 0) return "none";
  const tail = doc.buf.subarray(doc.buf.length - n);
  return tail.every((c) => c === 0 || c === 9 || c === 10 || c === 12 || c === 13 || c === 32) ? "white" : "data";
}

/** The signer's claimed time: the CMS signing-time when there is one, else /M; written in the offset the
 * PDF date /M states (VGCA writes +07'00'), since UTCTime carries none and the reader expects local time. */
function claimedTime(times: NonNullable<SignatureReport["claimedTimes"]>): string | null {
  const { pdfM } = times;
  const claimed = times.signingTime ?? pdfM;
  if (!claimed || !pdfM) return claimed;
  return inOffsetOf(claimed, pdfM);
}

const SEVEN_HOURS = 7 * 3600_000;
/** How far a signer's clock may sit from the time-stamp's and still be read as the 7-hour pattern. */
const LOCAL_AS_UTC_SLACK = 15 * 60_000;

/** The times a signature states, side by side, and whether signingTime is Vietnam wall time labelled UTC. */
function claimedTimes(
  d: import("../pdf/objects.js").PdfDict,
  facts: SignerFacts | null,
  ts: SignatureReport["timestamp"],
): NonNullable<SignatureReport["claimedTimes"]> {
  const m = d.get("M");
  const pdfM = m instanceof PdfString ? pdfDate(m.text()) : null;
  const signingTime = facts?.signingTime ?? null;
  const timestamp = ts?.time ?? null;
  const reference = timestamp ?? (pdfM && !/Z$/.test(pdfM) ? pdfM : null);
  const diff = signingTime && reference ? Date.parse(signingTime) - Date.parse(reference) : NaN;
  return { signingTime, pdfM, timestamp, localAsUtc: Math.abs(diff - SEVEN_HOURS) <= LOCAL_AS_UTC_SLACK };
}

/** `iso` as the same instant written in the offset of `model` (an ISO 8601 string with Z or ±HH:MM). */
export function inOffsetOf(iso: string, model: string): string {
  const z = /([+-])(\d\d):(\d\d)$/.exec(model);
  const t = Date.parse(iso);
  if (!z || Number.isNaN(t)) return iso;
  const minutes = (z[1] === "-" ? -1 : 1) * (Number(z[2]) * 60 + Number(z[3]));
  const local = new Date(t + minutes * 60_000).toISOString().slice(0, 19);
  return `${local}${z[0]}`;
}

/** PDF date `D:YYYYMMDDHHmmSSOHH'mm'` → ISO 8601. */
export function pdfDate(s: string): string | null {
  const m = /^D?:?(\d{4})(\d\d)?(\d\d)?(\d\d)?(\d\d)?(\d\d)?([Zz+-])?(\d\d)?'?(\d\d)?/.exec(s.trim());
  if (!m) return null;
  const zone = !m[7] || m[7] === "Z" || m[7] === "z" ? "Z" : `${m[7]}${m[8] ?? "00"}:${m[9] ?? "00"}`;
  const iso = `${m[1]}-${m[2] ?? "01"}-${m[3] ?? "01"}T${m[4] ?? "00"}:${m[5] ?? "00"}:${m[6] ?? "00"}${zone}`;
  return Number.isNaN(Date.parse(iso)) ? null : iso;
}

export function signerReport(c: Certificate): SignerReport {
  const reading = signerKind(c.subject, c.issuer);
  return {
    subject: subjectString(c),
    commonName: firstOf(c.subject, "CN"),
    organization: firstOf(c.subject, "O"),
    issuer: issuerString(c),
    serialNumber: serialHex(c),
    notBefore: c.notBefore,
    notAfter: c.notAfter,
    sha256: c.sha256,
    kind: reading.kind,
    kindRule: reading.rule,
    agency: signerAgency(c.subject, reading.kind),
  };
}

/** The earliest trusted document time-stamp over a later revision proves this signature existed then. */
function docTimestampProof(ctx: SignatureContext, revision: number): Proof | null {
  const later = ctx.docTimestamps.filter((t) => t.revision > revision).sort((a, b) => a.time.getTime() - b.time.getTime())[0];
  return later ? proved(later.time, { kind: "document-timestamp" }) : null;
}

/** The trust inputs plus the revocation data this CMS carries itself. */
function withCmsRevocation(t: TrustInputs, sd: SignedData, si: SignedData["signerInfos"][number] | undefined): TrustInputs {
  const r = revocationInfo(sd, si);
  if (r.crls.length === 0 && r.ocsps.length === 0) return t;
  const embedded = <T>(data: T) => ({ data, source: "embedded" as const });
  return { ...t, crls: [...t.crls, ...parseCrls(r.crls).map(embedded)], ocsps: [...t.ocsps, ...parseOcsps(r.ocsps).map(embedded)] };
}
