// The compliance core: categories, the KPI, its gap and trend, per agency. Pure functions over records.
export {
  CATEGORIES,
  categorize,
  derivesAlike,
  HELD,
  heldReason,
  POLICY_CATEGORIES,
  underPolicy,
  type Category,
  type Classification,
  type ExchangeFacts,
  type Held,
  type Judged,
} from "./category.js";
export { placeOf, type Place, type RecordedFacts } from "./derivation.js";
export { figure, gapOf, monthly, monthsBetween, perAgency, trendOf, type AgencyFigure, type Counted, type Figure, type MonthPoint } from "./kpi.js";
export { conventionOf, DEFAULT_POLICY, parsePolicy, type CompliancePolicy } from "./policy.js";
export {
  monthBounds,
  monthOf,
  monthsIn,
  namedPeriod,
  parseConvention,
  periodOf,
  previousOf,
  PERIOD_CONVENTIONS,
  type Bounds,
  type NamedPeriod,
  type PeriodConvention,
  type PeriodKind,
} from "./periods.js";
export { agencyGroup, agencyTier, type Group, type Tier } from "./agency-tier.js";
export { ACTIONABLE, nextSteps, type NextInput, type NextStep } from "./next-steps.js";
export { addMonths, linearTrend, type Trend } from "./trend.js";
export { BINDING_STATUSES, bindSigner, sealsOf, type BindingStatus, type Seal, type SignerBinding } from "./signer-binding.js";
