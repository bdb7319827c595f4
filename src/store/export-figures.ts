// The figures from a log export alone, for an auditor with no access to the server: each document's last
// recorded place in the figures (category, agency counted for, period, held or not, and the content and
// Nghị định 30 form its analysis found), the policy the log last recorded, and from those the province's
// rate and each agency's, recomputed here. `kyso audit figures EXPORT` prints them beside nothing else, so
// they can be set against the dashboard or `kyso stats` for the same period.
import {
  CATEGORIES,
  conventionOf,
  DEFAULT_POLICY,
  figure,
  perAgency,
  underPolicy,
  type Category,
  type CompliancePolicy,
  type Counted,
  type Figure,
  type PeriodConvention,
} from "../compliance/index.js";
import type { AuditEntry } from "./sqlite/audit.js";

interface DocState {
  category: Category | null;
  held: string | null;
  agency: string;
  periodDate: string | null;
  content: string | null;
  nd30: boolean;
  /** sealed by its sender, as the last entry placing it said (issue 24) */
  sealed: boolean;
}

export interface ExportFigures {
  period: { from: string; to: string };
  /** the convention of the server's periods, as the log's policy last recorded it (the days above are as asked) */
  periods: PeriodConvention;
  policy: CompliancePolicy;
  /** documents the export names */
  documents: number;
  province: Figure;
  agencies: Array<{ code: string; denominator: number; numerator: number; rate: number | null }>;
}

type Details = Record<string, unknown> & {
  category?: Category | null;
  to?: Category;
  held?: string | null;
  countedFor?: string;
  periodDate?: string;
  content?: string;
  nd30Complete?: boolean;
  sealedBySender?: boolean;
  facts?: { periodDate?: string };
  policy?: CompliancePolicy;
};

const isCategory = (c: unknown): c is Category => typeof c === "string" && (CATEGORIES as readonly string[]).includes(c);

/** Entries of an export (its head line left out), in order. */
export function exportEntries(text: string): AuditEntry[] {
  return text
    .split("\n")
    .filter((l) => l.trim() && !l.startsWith('{"head"'))
    .map((l) => JSON.parse(l) as AuditEntry);
}

/** The policy the log recorded last (its policy-change entries), as figuresFromEntries applies it. */
export function policyOfEntries(entries: Iterable<AuditEntry>): CompliancePolicy {
  let policy: CompliancePolicy = DEFAULT_POLICY;
  for (const e of entries) {
    const d = (e.details ?? {}) as Details;
    if (e.action === "policy-change" && d.policy) policy = { ...DEFAULT_POLICY, ...d.policy };
  }
  return policy;
}

export function figuresFromEntries(entries: Iterable<AuditEntry>, period: { from: string; to: string }): ExportFigures {
  const docs = new Map<string, DocState>();
  let policy: CompliancePolicy = DEFAULT_POLICY;
  for (const e of entries) {
    const d = (e.details ?? {}) as Details;
    if (e.action === "policy-change" && d.policy) policy = { ...DEFAULT_POLICY, ...d.policy };
    if (!e.documentId) continue;
    const s = docs.get(e.documentId) ?? { category: null, held: null, agency: e.agency ?? "", periodDate: null, content: null, nd30: false, sealed: false };
    const place = (category: unknown, held: unknown) => {
      s.category = isCategory(category) ? category : null;
      if (typeof d.sealedBySender === "boolean") s.sealed = d.sealedBySender;
      s.held = typeof held === "string" ? held : null;
      if (d.countedFor) s.agency = d.countedFor;
      if (d.periodDate) s.periodDate = d.periodDate;
    };
    switch (e.action) {
      case "analysis":
      case "reanalysis":
        place(d.category, null);
        s.content = d.content ?? null;
        s.nd30 = d.nd30Complete === true;
        break;
      case "analysis-failed":
        place(d.category, null);
        s.content = null;
        s.nd30 = false;
        break;
      case "document-facts":
        if (d.facts?.periodDate) s.periodDate = d.facts.periodDate;
        place(d.category, d.held);
        break;
      case "category-change":
        place(d.to, d.held ?? s.held);
        break;
      case "figures-change":
        place(d.category, d.held);
        break;
      case "file-attached":
        // the registered row leaves its category until the file's analysis
        s.category = null;
        break;
    }
    docs.set(e.documentId, s);
  }
  const items: Counted[] = [];
  for (const s of docs.values()) {
    if (!s.category || s.held || !s.periodDate || s.periodDate < period.from || s.periodDate > period.to) continue;
    // the last recorded category, under the policy the log recorded last (a policy change moves no entry),
    // by the rule the store's derivation uses (a category the seal rule gave is signed-valid before it)
    const base = s.category === "signed-valid-not-sender" ? "signed-valid" : s.category;
    const { category, counts } = underPolicy(base, { sealedBySender: s.sealed, content: s.content, nd30Complete: s.nd30 }, policy);
    items.push({ category: category!, counts, nd30Complete: s.nd30, date: s.periodDate, sender: s.agency });
  }
  return {
    period,
    periods: conventionOf(policy),
    policy,
    documents: docs.size,
    province: figure(items, policy),
    agencies: perAgency(items, [], policy).map((a) => ({ code: a.code, denominator: a.denominator, numerator: a.numerator, rate: a.rate })),
  };
}
