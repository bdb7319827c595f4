// RFC 3161 time-stamp tokens: a SignedData whose content is a TSTInfo. The token's own signature is
// checked, and its messageImprint compared with the data it claims to stamp (a copied token fails there).
import type { Phrase } from "../words/phrase.js";
import { cmsPhrase } from "./cms-words.js";
import { createHash } from "node:crypto";
import { children, DerError, expectTag, octets, readTlv, timeAt, value } from "../asn1/der.js";
import { DIGESTS, hashOptions, OID } from "../asn1/oids.js";
import { parseAlgorithm, parseSignedData, type SignedData } from "./signed-data.js";
import { checkSigner, contentOf, type SignerFacts } from "./verify-signer.js";
import { nameToString, parseName } from "../pki/names.js";

export interface TimestampFacts {
  genTime: string;
  imprintHash: string | null;
  /** messageImprint equals the digest of the stamped data */
  imprintMatches: boolean;
  /** the token's signature and messageDigest verify */
  tokenValid: boolean;
  signer: SignerFacts | null;
  tsaName: string | null;
  problems: Phrase[];
  signedData: SignedData;
}

export function checkTimestampToken(token: Uint8Array, stamped: { digest(hash: string): Uint8Array }): TimestampFacts {
  const problems: Phrase[] = [];
  const sd = parseSignedData(token);
  if (sd.eContentType !== OID.tstInfo || !sd.eContent) throw new DerError("time-stamp token does not hold a TSTInfo", 0);
  const tst = sd.eContent;
  const f = children(tst, expectTag(readTlv(tst, 0), 0x30, "a TSTInfo"));
  const [algT, hashedT] = children(tst, expectTag(f[2], 0x30, "messageImprint"));
  const imprintHash = DIGESTS[parseAlgorithm(tst, algT!).oid] ?? null;
  const imprint = Buffer.from(octets(tst, hashedT!));
  const genTime = timeAt(tst, expectTag(f[4], 0x18, "genTime"));
  let tsaName: string | null = null;
  const tsaT = f.find((t) => t.tag === 0xa0);
  if (tsaT) {
    // GeneralName: directoryName [4]
    const gn = children(tst, tsaT)[0];
    if (gn?.tag === 0xa4) tsaName = nameToString(parseName(tst, children(tst, gn)[0]!));
  }
  const imprintMatches = imprintHash !== null && imprint.equals(stamped.digest(imprintHash));
  if (!imprintMatches) problems.push(cmsPhrase("cms.imprintMismatch"));
  const si = sd.signerInfos[0];
  let signer: SignerFacts | null = null;
  let tokenValid = false;
  if (!si) problems.push(cmsPhrase("cms.tokenNoSignerInfo"));
  else {
    signer = checkSigner(sd, si, contentOf(tst));
    tokenValid = signer.signatureValid === true && signer.messageDigestMatches === true && signer.signer !== null;
    if (!tokenValid) problems.push(cmsPhrase("cms.tokenSignature"));
    if (tsaName === null && signer.signer) tsaName = nameToString(signer.signer.subject);
  }
  return { genTime, imprintHash, imprintMatches, tokenValid, signer, tsaName, problems, signedData: sd };
}

/** Digest helper for stamping a signature value (signature time-stamps: RFC 3161 over SignerInfo.signature). */
export function digestsOf(bytes: Uint8Array): { digest(hash: string): Uint8Array } {
  return { digest: (h) => createHash(h, hashOptions(h)).update(bytes).digest() };
}

export { value };
