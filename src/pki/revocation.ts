// Revocation status of a certification path at a time, from the CRLs and OCSP responses at hand
// (embedded in the signature or the DSS dictionary). Facts only: the policy (strict, soft-fail, off) is
// applied in verify/.
import type { Phrase } from "../words/phrase.js";
import { pathPhrase } from "./path-words.js";
import type { Certificate } from "./certificate.js";
import { crlSignedBy, serialKey, type Crl } from "./crl.js";
import { nameToString } from "./names.js";
import { findResponse, ocspSignedFor, type OcspResponse } from "./ocsp.js";

export type RevocationSource = "embedded" | "cache" | "online";

export interface Sourced<T> {
  data: T;
  source: RevocationSource;
}

export interface RevocationFacts {
  status: "good" | "revoked" | "unknown";
  checkedBy: RevocationSource | "none";
  /** the certificate found revoked, and when */
  revoked?: { subject: string; at: string; index: number };
  notes: Phrase[];
}

/** Is `data` usable as evidence about time `t`: issued after t, or still current at t. */
function covers(thisUpdate: string, nextUpdate: string | null, t: number): boolean {
  return Date.parse(thisUpdate) >= t || nextUpdate === null || Date.parse(nextUpdate) >= t;
}

export function checkRevocation(path: Certificate[], crls: Array<Sourced<Crl>>, ocsps: Array<Sourced<OcspResponse>>, time: Date): RevocationFacts {
  const t = time.getTime();
  const notes: Phrase[] = [];
  let allGood = path.length > 1;
  let used: RevocationSource | null = null;
  for (let i = 0; i < path.length - 1; i++) {
    const cert = path[i]!;
    const issuer = path[i + 1]!;
    const serial = serialKey(cert.serial);
    let known: "good" | "revoked" | null = null;
    let revokedAt: string | null = null;
    let source: RevocationSource | null = null;
    for (const { data: r, source: src } of ocsps) {
      const sr = findResponse(r, cert, issuer);
      if (!sr || !ocspSignedFor(r, issuer, path)) continue;
      if (sr.status === "revoked") {
        known = "revoked";
        revokedAt = sr.revocationTime;
        source = src;
        break;
      }
      if (sr.status === "good" && covers(sr.thisUpdate, sr.nextUpdate, t)) {
        known = "good";
        source ??= src;
      }
    }
    if (known !== "revoked") {
      for (const { data: crl, source: src } of crls) {
        if (!crlSignedBy(crl, issuer)) continue;
        const at = crl.revokedAt(serial);
        if (at) {
          known = "revoked";
          revokedAt = at;
          source = src;
          break;
        }
        if (covers(crl.thisUpdate, crl.nextUpdate, t)) {
          known = "good";
          source ??= src;
        }
      }
    }
    if (known && i === 0) used = source;
    else if (known) used ??= source;
    if (known === "revoked" && revokedAt) {
      if (Date.parse(revokedAt) <= t) {
        return { status: "revoked", checkedBy: source ?? "embedded", revoked: { subject: nameToString(cert.subject), at: revokedAt, index: i }, notes };
      }
      notes.push(pathPhrase("path.revokedLater", { subject: nameToString(cert.subject), at: revokedAt }));
      continue;
    }
    // The status reported is the signing certificate's; CA certificates count when data about them exists.
    if (i === 0 && known !== "good") allGood = false;
  }
  return { status: allGood ? "good" : "unknown", checkedBy: used ?? "none", notes };
}
