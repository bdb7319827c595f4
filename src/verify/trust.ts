// EN 319 102-1 §5.2.6 "X.509 certificate validation" and §5.2.5 (revocation freshness, simplified): the
// path facts of pki/ judged by the policy into findings with ETSI sub-indications, in one place.
import { type Certificate, issuerString, serialHex, subjectString } from "../pki/certificate.js";
import type { Crl } from "../pki/crl.js";
import { nameToString } from "../pki/names.js";
import type { OcspResponse } from "../pki/ocsp.js";
import { buildPaths } from "../pki/path.js";
import { checkRevocation, type Sourced } from "../pki/revocation.js";
import type { TrustStore } from "../pki/trust-store.js";
import { type PathProblem, type Purpose, validatePath } from "../pki/validate.js";
import { Findings } from "./findings.js";
import type { SeverityTable } from "./policy.js";
import type { PathCertificate, SignatureReport } from "./report.js";

/** A path's certificates as the report lists them. */
const described = (path: Certificate[]): PathCertificate[] =>
  path.map((c) => ({
    sha256: c.sha256,
    subject: subjectString(c),
    issuer: issuerString(c),
    serialNumber: serialHex(c),
    notBefore: c.notBefore,
    notAfter: c.notAfter,
  }));

export type RevocationMode = "strict" | "soft-fail" | "off";

export interface TrustInputs {
  store: TrustStore;
  /** certificates from the DSS dictionary */
  extraCerts: Certificate[];
  crls: Array<Sourced<Crl>>;
  ocsps: Array<Sourced<OcspResponse>>;
  revocation: RevocationMode;
  policy: SeverityTable;
  /** when given, signing certificates whose status could not be established are collected here, for
   * the caller to fetch revocation data online and judge again */
  needs?: RevocationNeed[];
}

export interface RevocationNeed {
  cert: Certificate;
  issuer: Certificate;
}

export interface ChainOutcome {
  chain: SignatureReport["chain"];
  revocation: SignatureReport["revocation"];
  /** anchored, and nothing blocks it at the time judged */
  trusted: boolean;
  findings: Findings;
}

const ORDER: PathProblem["code"][] = [
  "not-ca",
  "path-length",
  "ca-key-usage",
  "critical-extension",
  "signer-key-usage",
  "tsa-eku",
  "md5",
  "small-key",
  "expired",
  "not-yet-valid",
  "sha1",
  "weak-key",
];

const IND = (sub: NonNullable<SignatureReport["subIndication"]>) => ({ effect: "indeterminate", sub }) as const;
const FAIL = (sub: NonNullable<SignatureReport["subIndication"]>) => ({ effect: "fail", sub }) as const;

/**
 * What the time a path is judged at stands for (EN 319 102-1 §5.6.2): the signing time as the user
 * declared it (`--at`), or a proof that the signature existed by then (a trusted time-stamp, the time
 * received, now). Only a declared signing time can show a signature was made after its certificate
 * expired or was revoked (TOTAL_FAILED EXPIRED, REVOKED); a proof of existence cannot, so those stay
 * INDETERMINATE (OUT_OF_BOUNDS_NO_POE, REVOKED_NO_POE, REVOKED_CA_NO_POE). A signature proved to exist
 * before its certificate was issued is TOTAL_FAILED NOT_YET_VALID either way.
 */
export type TimeBasis = "declared" | "existence";

function addProblem(f: Findings, p: PathProblem, time: string, basis: TimeBasis): void {
  const params = { subject: p.subject, detail: p.detail, time };
  switch (p.code) {
    case "expired":
      return f.add("trust.expired", p.index === 0 && basis === "declared" ? FAIL("EXPIRED") : IND("OUT_OF_BOUNDS_NO_POE"), params);
    case "not-yet-valid":
      return f.add("trust.notYetValid", p.index === 0 ? FAIL("NOT_YET_VALID") : IND("OUT_OF_BOUNDS_NO_POE"), params);
    case "not-ca":
    case "path-length":
    case "ca-key-usage":
    case "critical-extension":
      return f.add("trust.chainGeneral", IND("CERTIFICATE_CHAIN_GENERAL_FAILURE"), params);
    case "signer-key-usage":
      return f.add("trust.keyUsage", IND("CHAIN_CONSTRAINTS_FAILURE"), params);
    case "tsa-eku":
      return f.add("trust.tsaEku", IND("CERTIFICATE_CHAIN_GENERAL_FAILURE"), params);
    case "md5":
      return f.add("trust.md5", IND("CRYPTO_CONSTRAINTS_FAILURE_NO_POE"), params);
    case "sha1":
      return f.add("trust.sha1", { effect: "warn" }, params);
    case "small-key":
      return f.add("trust.smallKey", IND("CRYPTO_CONSTRAINTS_FAILURE_NO_POE"), params);
    case "weak-key":
      return f.add("trust.weakKey", { effect: "warn" }, params);
  }
}

/** Builds the paths from `leaf`, judges the best one at `time` for `purpose`. */
export function judgeChain(
  leaf: Certificate,
  cmsCerts: Certificate[],
  time: Date,
  purpose: Purpose,
  inputs: TrustInputs,
  basis: TimeBasis = "existence",
): ChainOutcome {
  const iso = time.toISOString();
  const built = buildPaths(leaf, [...cmsCerts, ...inputs.extraCerts], inputs.store);
  let best: { path: Certificate[]; f: Findings } | null = null;
  for (const path of built.complete) {
    const f = new Findings(inputs.policy);
    // Structural faults first: a path that is wrong at any time outranks one judged at the wrong time.
    const problems = validatePath(path, time, purpose).sort((a, b) => ORDER.indexOf(a.code) - ORDER.indexOf(b.code));
    for (const p of problems) addProblem(f, p, iso, basis);
    if (!best || rank(f) < rank(best.f)) best = { path, f };
    if (rank(f) === 0) break;
  }
  if (!best) {
    const f = new Findings(inputs.policy);
    f.add("trust.noChain", IND("NO_CERTIFICATE_CHAIN_FOUND"), { subject: nameToString(built.partial[built.partial.length - 1]!.issuer) });
    return {
      chain: { trusted: false, anchor: null, path: built.partial.map((c) => c.sha256), certificates: described(built.partial) },
      revocation: { status: "unknown", checkedBy: "none" },
      trusted: false,
      findings: f,
    };
  }
  const { path, f } = best;
  const anchor = path[path.length - 1]!;
  let revocation: SignatureReport["revocation"] = { status: "unknown", checkedBy: "none" };
  if (inputs.revocation !== "off") {
    const r = checkRevocation(path, inputs.crls, inputs.ocsps, time);
    revocation = { status: r.status, checkedBy: r.checkedBy };
    if (r.revoked)
      f.add("trust.revoked", basis === "declared" ? FAIL("REVOKED") : IND(r.revoked.index === 0 ? "REVOKED_NO_POE" : "REVOKED_CA_NO_POE"), {
        subject: r.revoked.subject,
        at: r.revoked.at,
        time: iso,
      });
    for (const n of r.notes) f.add("trust.revokedLater", "info", { note: n });
    if (r.status === "unknown" && path.length > 1) {
      inputs.needs?.push({ cert: path[0]!, issuer: path[1]! });
      f.add("trust.noRevocation", inputs.revocation === "strict" ? IND("TRY_LATER") : { effect: "warn" });
    }
  }
  const trusted = !f.has("fail") && !f.has("indeterminate");
  f.add("trust.anchored", "info", { anchor: nameToString(anchor.subject) });
  return {
    chain: { trusted, anchor: nameToString(anchor.subject), path: path.map((c) => c.sha256), certificates: described(path) },
    revocation,
    trusted,
    findings: f,
  };
}

function rank(f: Findings): number {
  return f.has("fail") ? 3 : f.has("indeterminate") ? 2 : f.has("warn") ? 1 : 0;
}
