// What counts toward the province's figure (DESIGN.md §4.3): configuration, stated in every figure.

export interface CompliancePolicy {
  /** the share of documents that must be electronic and validly signed (Decision 490/QĐ-UBND: 0.9) */
  target: number;
  /** a scan signed by the agency is a legal electronic copy (Nghị định 30/2020): counts by default */
  signedScansCount: boolean;
  /** require the full Nghị định 30 form (personal then organisation signature) to count */
  requireNd30: boolean;
  /** require the sender's own organisation signature (its seal) to count (issue 24); absent in policies recorded before it: false */
  requireSenderSeal?: boolean;
}

export const DEFAULT_POLICY: CompliancePolicy = { target: 0.9, signedScansCount: true, requireNd30: false, requireSenderSeal: false };

export function parsePolicy(env: Record<string, string | undefined>): CompliancePolicy {
  const target = env.KYSO_TARGET === undefined ? DEFAULT_POLICY.target : Number(env.KYSO_TARGET);
  if (!(target > 0 && target <= 1)) throw new Error(`KYSO_TARGET must be a fraction in (0, 1], not '${env.KYSO_TARGET}'`);
  const flag = (v: string | undefined, dflt: boolean): boolean => (v === undefined ? dflt : /^(1|true|yes)$/i.test(v));
  return { target, signedScansCount: flag(env.KYSO_SIGNED_SCANS_COUNT, DEFAULT_POLICY.signedScansCount), requireNd30: flag(env.KYSO_REQUIRE_ND30, DEFAULT_POLICY.requireNd30), requireSenderSeal: flag(env.KYSO_REQUIRE_SENDER_SEAL, false) };
}
