// What leadership's monthly, quarterly or yearly report says, from the same rollups as every figure: the
// province's rate, target and gap, the change against the period before, twelve months of history ending
// with the period, the agencies ranked with their reasons (what the documents that do not count are),
// and the province's reasons, and the validly signed documents their sender did not seal with who did
// (issue 24). Rendered as PDF and XLSX (src/api/exports).
import {
  addMonths,
  CATEGORIES,
  conventionOf,
  monthBounds,
  monthOf,
  namedPeriod,
  previousOf,
  type Category,
  type CompliancePolicy,
  type NamedPeriod,
  type PeriodConvention,
} from "../../compliance/index.js";
import type { NextStep } from "../../compliance/next-steps.js";
import { BINDING_STATUSES, type BindingStatus, type SignerBinding } from "../../compliance/signer-binding.js";
import type { ReadModel } from "../ports.js";
import { agencies, nextStepsOf, summary, timeseries, type AgencyFigures, type Period, type Summary, type Timeseries } from "./figures.js";

export type PeriodKind = NamedPeriod["kind"];

export interface ReportPeriod extends Period {
  kind: PeriodKind;
  /** as written in the request: 2024-11, 2024-Q4, 2024 */
  key: string;
  /** in Vietnamese: tháng 11/2024, quý IV/2024, năm 2024 */
  label: string;
  /** the convention its days follow (KYSO_REPORTING_PERIODS): under nd09 the year 2024 is 15/12/2023–14/12/2024 */
  periods: PeriodConvention;
}

const ROMAN = ["I", "II", "III", "IV"];

function labelOf(n: NamedPeriod): string {
  if (n.kind === "month") return `tháng ${n.key.slice(5, 7)}/${n.key.slice(0, 4)}`;
  if (n.kind === "quarter") return `quý ${ROMAN[Number(n.key.slice(6)) - 1]}/${n.key.slice(0, 4)}`;
  return `năm ${n.key}`;
}

function asReportPeriod(n: NamedPeriod): ReportPeriod {
  return { kind: n.kind, key: n.key, from: n.from, to: n.to, label: labelOf(n), periods: n.convention };
}

/** 2024-11, 2024-Q4 or 2024 as a period under a convention; null for anything else. */
export function reportPeriod(key: string, c: PeriodConvention = "calendar"): ReportPeriod | null {
  const n = namedPeriod(key, c);
  return n ? asReportPeriod(n) : null;
}

/** The period of the same kind just before. */
export function previousPeriod(p: ReportPeriod): ReportPeriod {
  return asReportPeriod(previousOf({ kind: p.kind, key: p.key, from: p.from, to: p.to, convention: p.periods }));
}

export interface LeadershipReport {
  period: ReportPeriod;
  province: Summary;
  previous: { period: ReportPeriod; rate: number | null; denominator: number };
  /** the twelve months ending with the period's last (reporting months under nd09) */
  months: Timeseries["series"];
  agencies: AgencyFigures["agencies"];
  /** categories that do not count, most documents first (the province's reasons) */
  reasons: Array<{ category: Category; documents: number }>;
  /** what to do next (compliance/next-steps.ts, the dashboard's too) */
  next: NextStep[];
  /** the validly signed documents of the period their sender did not seal: signedValid − bySender of the province's sealedBySender */
  notSealedBySender: NotSealedBySender[];
  generatedAt: string;
}

/** A validly signed document whose sender's own organisation signature is not on it, and who sealed it. */
export interface NotSealedBySender {
  id: string;
  number: string | null;
  /** the day it counts on (issued, else received) */
  date: string;
  sender: string;
  /** the sender's name in the directory */
  senderName: string;
  status: Exclude<BindingStatus, "sender">;
  /** the sealing agency's code and its name in the directory (another-agency) */
  sealedBy?: string;
  sealedByName?: string;
  /** the name as the certificate gives it (an official's unit and body with no organisation signature) */
  certificateName: string;
  /** a name that fits several agencies (not-matched) */
  candidates?: string[];
}

/** Categories that stand for a document not counted as signed-electronic. */
export const REASONS: readonly Category[] = CATEGORIES.filter((c) => c !== "signed-valid" && c !== "excluded");

export async function leadershipReport(rm: ReadModel, p: ReportPeriod, policy: CompliancePolicy, now = new Date()): Promise<LeadershipReport> {
  const province = await summary(rm, p, policy);
  const before = previousPeriod(p);
  const prev = await summary(rm, before, policy);
  const c = conventionOf(policy);
  const lastMonth = monthOf(p.to, c);
  const months = (await timeseries(rm, { from: monthBounds(addMonths(lastMonth, -11), c).from, to: p.to }, policy)).series;
  const ranked = (await agencies(rm, p, policy)).agencies;
  return {
    period: p,
    province,
    previous: { period: before, rate: prev.rate, denominator: prev.denominator },
    months,
    agencies: ranked,
    reasons: REASONS.map((category) => ({ category, documents: province.byCategory[category] }))
      .filter((r) => r.documents > 0)
      .sort((a, b) => b.documents - a.documents),
    next: (await nextStepsOf(rm, p, policy, { province, agencies: ranked })).steps,
    notSealedBySender: await notSealedBySender(rm, p),
    generatedAt: now.toISOString(),
  };
}

/**
 * The period's documents counted as validly signed (signed-valid, or signed-valid-not-sender under the
 * policy) that their sender did not seal: the same documents the rollups leave out of sealedBySender's
 * bySender, so the list's length is signedValid − bySender. Grouped by how they were sealed, then by who
 * sealed them, so leadership sees whose token signs for others.
 */
export async function notSealedBySender(rm: ReadModel, p: { from: string; to: string }): Promise<NotSealedBySender[]> {
  const names = new Map((await rm.agencies()).map((a) => [a.code, a.name]));
  const rows = await rm.notSealed(p);
  const list = rows.map((r): NotSealedBySender => {
    // a valid signature always leaves a binding; none would be a store derived before bindings existed
    const b: SignerBinding = r.signerBinding ? JSON.parse(r.signerBinding) : { status: "not-matched", name: "", rule: "" };
    const status = b.status === "sender" ? "not-matched" : b.status;
    return {
      id: r.id,
      number: r.number,
      date: r.periodDate,
      sender: r.sender,
      senderName: names.get(r.sender) ?? r.sender,
      status,
      ...(status === "another-agency" && b.agency ? { sealedBy: b.agency, sealedByName: names.get(b.agency) ?? b.name } : {}),
      certificateName: b.name,
      ...(b.candidates?.length ? { candidates: b.candidates } : {}),
    };
  });
  const who = (x: NotSealedBySender) => x.sealedByName ?? x.certificateName;
  return list.sort(
    (a, b) =>
      BINDING_STATUSES.indexOf(a.status) - BINDING_STATUSES.indexOf(b.status) ||
      who(a).localeCompare(who(b), "vi") ||
      a.senderName.localeCompare(b.senderName, "vi") ||
      a.date.localeCompare(b.date) ||
      (a.number ?? "").localeCompare(b.number ?? "", "vi", { numeric: true }),
  );
}
