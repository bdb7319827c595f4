// What counts toward the province's figure (DESIGN.md §4.3), and how its periods are bounded:
// configuration, stated in every figure.
import { parseConvention, type PeriodConvention } from "./periods.js";

export interface CompliancePolicy {
  /** the share of documents that must be electronic and validly signed (Decision 490/QĐ-UBND: 0.9) */
  target: number;
  /** a scan signed by the agency is a legal electronic copy (Nghị định 30/2020): counts by default */
  signedScansCount: boolean;
  /** require the full Nghị định 30 form (personal then organisation signature) to count */
  requireNd30: boolean;
  /** require the sender's own organisation signature (its seal) to count (issue 24); absent in policies recorded before it: false */
  requireSenderSeal?: boolean;
  /** the reporting periods (periods.ts): absent is calendar, so policies recorded before it read unchanged */
  periods?: PeriodConvention;
}

/** The convention a policy bounds its periods by. */
export const conventionOf = (p: CompliancePolicy): PeriodConvention => p.periods ?? "calendar";

export const DEFAULT_POLICY: CompliancePolicy = { target: 0.9, signedScansCount: true, requireNd30: false, requireSenderSeal: false };

export function parsePolicy(env: Record<string, string | undefined>): CompliancePolicy {
  const target = env.KYSO_TARGET === undefined ? DEFAULT_POLICY.target : Number(env.KYSO_TARGET);
  if (!(target > 0 && target <= 1)) throw new Error(`KYSO_TARGET must be a fraction in (0, 1], not '${env.KYSO_TARGET}'`);
  const flag = (v: string | undefined, dflt: boolean): boolean => (v === undefined ? dflt : /^(1|true|yes)$/i.test(v));
  return {
    target,
    signedScansCount: flag(env.KYSO_SIGNED_SCANS_COUNT, DEFAULT_POLICY.signedScansCount),
    requireNd30: flag(env.KYSO_REQUIRE_ND30, DEFAULT_POLICY.requireNd30),
    requireSenderSeal: flag(env.KYSO_REQUIRE_SENDER_SEAL, false),
    ...reportingPeriods(env),
  };
}

/** KYSO_REPORTING_PERIODS, written into the policy only when it is not the calendar (a store's recorded policy stays as it was). */
function reportingPeriods(env: Record<string, string | undefined>): Pick<CompliancePolicy, "periods"> {
  const c = parseConvention(env.KYSO_REPORTING_PERIODS);
  return c === "calendar" ? {} : { periods: c };
}
