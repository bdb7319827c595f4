// What the document list is asked (filters, a text query, a sort, a cursor, a page size) and what it
// answers (a page, the next cursor, on the first page the total), the same on every backend.
import type { DocumentRow } from "../rows.js";
import type { DocumentSort } from "./sorts.js";

export interface DocumentFilter {
  status?: string | undefined;
  category?: string | undefined;
  verdict?: string | undefined;
  sender?: string | undefined;
  /** the agency a document counts for (its sender, or the successor after a reorganisation) */
  agency?: string | undefined;
  held?: string | undefined;
  recipient?: string | undefined;
  /** who sealed it: sender, another-agency, not-matched, no-organisation-signature */
  binding?: string | undefined;
  /** the agency whose seal it carries */
  sealedBy?: string | undefined;
  /** several senders' codes: any of them (a name typed on the auditors' page can match several agencies) */
  senders?: readonly string[] | undefined;
  /** words that must all appear in the number or the subject (text.ts) */
  q?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
}

export interface DocumentListQuery {
  filter: DocumentFilter;
  /** default: recorded (newest recorded first) */
  sort?: DocumentSort | undefined;
  /** the `next` of the page before; none for the first page */
  cursor?: string | undefined;
  limit: number;
  /** the first page's total is exact up to this many, else "at least" (default COUNT_UP_TO) */
  countUpTo?: number | undefined;
}

/** How many documents the list holds: exact, or at least `count` when counting stopped there. */
export interface ListTotal {
  count: number;
  exact: boolean;
}

export interface DocumentPage {
  page: DocumentRow[];
  /** the cursor of the next page; null at the end */
  next: string | null;
  /** on the first page only (no cursor) */
  total: ListTotal | null;
}

/** Counted up to this many, the total of a filtered list is exact; beyond, it says "at least". */
export const COUNT_UP_TO = 10_000;

const FILTERS = [
  "status",
  "category",
  "verdict",
  "sender",
  "senders",
  "agency",
  "held",
  "recipient",
  "binding",
  "sealedBy",
  "q",
  "from",
  "to",
] as const satisfies ReadonlyArray<keyof DocumentFilter>;

/** The filters a list is asked with (an empty value or list is none). */
const filtersSet = (f: DocumentFilter) => FILTERS.filter((k) => f[k] !== undefined && f[k] !== "" && !(Array.isArray(f[k]) && f[k].length === 0));

/** Whether the list is a period's (from, to or both) and nothing else is filtered: the auditors' page's list. */
export const onlyPeriod = (f: DocumentFilter): boolean => {
  const set = filtersSet(f);
  return set.length > 0 && set.every((k) => k === "from" || k === "to");
};

/**
 * When the total can be read from the counts kept by status and place in the figures (a status, a
 * category, both or neither, and no text query): which of those; null when the list must be counted.
 * The counts' "pending" and "held" places are documents without a category, which a category filter never lists.
 */
export function keptCountScope(f: DocumentFilter, searching: boolean): { status?: string; category?: string } | null {
  const set = filtersSet(f);
  if (searching || set.some((k) => k !== "status" && k !== "category") || f.category === "pending" || f.category === "held") return null;
  return { ...(f.status ? { status: f.status } : {}), ...(f.category ? { category: f.category } : {}) };
}

/** The total from a count that stopped after `countUpTo + 1` rows. */
export const countedTotal = (n: number, countUpTo: number): ListTotal => (n > countUpTo ? { count: countUpTo, exact: false } : { count: n, exact: true });
