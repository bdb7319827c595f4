// Validation of one certification path at one time (RFC 5280 §6, the parts that matter for signatures):
// validity periods, CA rights and path length, key usage for the purpose, unknown critical extensions,
// and the algorithm facts the policy judges. Facts in pki's own words; verify/ maps them to ETSI terms.
import type { Phrase } from "../words/phrase.js";
import { pathPhrase } from "./path-words.js";
import { type Certificate } from "./certificate.js";
import { certificateHash } from "./cert-signature.js";
import { basicConstraints, EKU, extendedKeyUsage, KEY_USAGE, keyBits, keyUsage, KNOWN_EXTENSIONS } from "./extensions.js";
import { nameToString } from "./names.js";
import { BoundedCache } from "./shared-cache.js";

export type Purpose = "signer" | "tsa" | "ocsp";

export type PathProblemCode =
  | "expired"
  | "not-yet-valid"
  | "not-ca"
  | "path-length"
  | "ca-key-usage"
  | "signer-key-usage"
  | "tsa-eku"
  | "critical-extension"
  | "md5"
  | "sha1"
  | "small-key"
  | "weak-key";

export interface PathProblem {
  code: PathProblemCode;
  /** position in the path, 0 = the end-entity */
  index: number;
  subject: string;
  detail: Phrase;
}

/**
 * Validations, by path, purpose and time window: the time enters only through the validity periods, so
 * two times on the same side of every notBefore and notAfter of the path give the same problems.
 */
const VALIDATED = new BoundedCache<string, readonly PathProblem[]>(8192);

/** Problems of `path` (leaf first, anchor last) at `time`; an empty list is a valid path. */
export function validatePath(path: Certificate[], time: Date, purpose: Purpose): PathProblem[] {
  const t = time.getTime();
  let window = "";
  for (let i = 0; i < path.length - 1; i++) window += `${t > Date.parse(path[i]!.notAfter) ? 1 : 0}${t < Date.parse(path[i]!.notBefore) ? 1 : 0}`;
  return [...VALIDATED.get(`${path.map((c) => c.sha256).join(",")}|${purpose}|${window}`, () => validate(path, time, purpose))];
}

function validate(path: Certificate[], time: Date, purpose: Purpose): PathProblem[] {
  const out: PathProblem[] = [];
  const t = time.getTime();
  const add = (code: PathProblemCode, i: number, detail: Phrase): void => {
    out.push({ code, index: i, subject: nameToString(path[i]!.subject), detail });
  };
  // The anchor is trusted as configured: its own validity and extensions are not judged (RFC 5280 §6.1).
  const last = path.length - 1;
  for (let i = 0; i < last; i++) {
    const c = path[i]!;
    if (t > Date.parse(c.notAfter)) add("expired", i, pathPhrase("path.validUntil", { time: c.notAfter }));
    if (t < Date.parse(c.notBefore)) add("not-yet-valid", i, pathPhrase("path.validFrom", { time: c.notBefore }));
    for (const [oid, e] of c.extensions)
      if (e.critical && !KNOWN_EXTENSIONS.has(oid)) add("critical-extension", i, pathPhrase("path.criticalExtension", { oid }));
    const hash = certificateHash(c);
    if (hash === "md5") add("md5", i, pathPhrase("path.signedWith", { hash: "MD5" }));
    if (hash === "sha1") add("sha1", i, pathPhrase("path.signedWith", { hash: "SHA-1" }));
    if (i > 0) {
      // an issuer in the path: must be a CA allowed to sign certificates, within its path length
      const bc = basicConstraints(c);
      if (!bc?.ca) add("not-ca", i, pathPhrase("path.notCa"));
      else if (bc.pathLen !== null && i - 1 > bc.pathLen) add("path-length", i, pathPhrase("path.length", { length: i - 1, max: bc.pathLen }));
      const ku = keyUsage(c);
      if (ku && !ku.has(KEY_USAGE.keyCertSign)) add("ca-key-usage", i, pathPhrase("path.caKeyUsage"));
    }
  }
  const anchor = path[last]!;
  if (last > 0) {
    const bc = basicConstraints(anchor);
    // An anchor that is a CA certificate must allow the path below it.
    if (bc && !bc.ca) add("not-ca", last, pathPhrase("path.anchorNotCa"));
  }
  for (let i = 0; i <= last; i++) {
    const bits = keyBits(path[i]!);
    const type = path[i]!.publicKey().asymmetricKeyType;
    if (type === "rsa" && bits > 0 && bits < 1024) add("small-key", i, pathPhrase("path.rsaBits", { bits }));
    else if (type === "rsa" && bits > 0 && bits < 2048) add("weak-key", i, pathPhrase("path.rsaBits", { bits }));
  }
  const leaf = path[0]!;
  if (purpose === "signer") {
    const ku = keyUsage(leaf);
    if (ku && !ku.has(KEY_USAGE.digitalSignature) && !ku.has(KEY_USAGE.nonRepudiation)) add("signer-key-usage", 0, pathPhrase("path.signerKeyUsage"));
  } else if (purpose === "tsa") {
    const eku = extendedKeyUsage(leaf);
    if (!eku || !eku.has(EKU.timeStamping)) add("tsa-eku", 0, pathPhrase("path.noTimeStamping"));
  }
  return out;
}
