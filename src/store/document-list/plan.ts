// How a page of the document list is read, decided once for every backend: the order (a period's list
// newest by the document's date; the whole list newest recorded; a text query's matches newest recorded,
// along the text index's own row numbers; or a sort order), where the cursor says to resume, and the next
// page's cursor. A backend only says it in its database's words.
import type { DocumentRow } from "../rows.js";
import type { DocumentFilter } from "./query.js";
import { cursorOf, type DocumentSort, type KeyedSort, readCursor, SortCursorError } from "./sorts.js";
import { textTerms, type TextTerms } from "./text.js";

/**
 * period: (period_date, created_at, id) descending; recorded: (created_at, id) descending; text: the text
 * row's number descending (text rows are numbered in the order documents are recorded); sort: its keys.
 */
export type ListOrder = { by: "period" } | { by: "recorded" } | { by: "text" } | { by: "sort"; sort: KeyedSort };

/** The last row of the page before, in the order's keys (strictly after it in that order). */
export type ListAfter =
  | { by: "period"; periodDate: string; createdAt: string; id: string }
  | { by: "recorded"; createdAt: string; id: string }
  | { by: "text"; n: number }
  | { by: "sort"; keys: Array<string | number> };

export interface ListPlan {
  filter: DocumentFilter;
  text: TextTerms | null;
  order: ListOrder;
  after: ListAfter | null;
  /** the first page (no cursor): it carries the total */
  first: boolean;
}

/** An ISO instant as kyso records it: 24 characters. */
const INSTANT = 24;
const DAY = 10;

export function listPlan(filter: DocumentFilter, cursor: string | undefined, sort: DocumentSort = "recorded"): ListPlan {
  const text = textTerms(filter.q);
  if (sort !== "recorded") {
    // a cursor of another sort order is refused (SortCursorError) rather than read as this one's
    const keys = cursor ? readCursor(cursor, sort) : null;
    return { filter, text, order: { by: "sort", sort }, after: keys ? { by: "sort", keys } : null, first: !cursor };
  }
  const c = cursor ? Buffer.from(cursor, "base64url").toString() : null;
  const recordedAfter = (s: string): ListAfter => ({ by: "recorded", createdAt: s.slice(0, INSTANT), id: s.slice(INSTANT) });
  if (text) {
    // a search's cursor is "#" and the text row's number; one of the plain list resumes at its row's time
    const after = c?.startsWith("#") ? { by: "text" as const, n: Number(c.slice(1)) || 0 } : c ? recordedAfter(c) : null;
    return { filter, text, order: { by: "text" }, after, first: !c };
  }
  if (filter.from || filter.to) {
    // a period's cursor: "@", the last row's period date, its created_at, then its id
    if (c && !c.startsWith("@")) throw new SortCursorError("the cursor is not one of this period's list: ask the first page again");
    const after: ListAfter | null = c
      ? { by: "period", periodDate: c.slice(1, 1 + DAY), createdAt: c.slice(1 + DAY, 1 + DAY + INSTANT), id: c.slice(1 + DAY + INSTANT) }
      : null;
    return { filter, text, order: { by: "period" }, after, first: !c };
  }
  // the plain list's cursor: the last row's created_at followed by its id
  return { filter, text, order: { by: "recorded" }, after: c ? recordedAfter(c) : null, first: !c };
}

/** A row as a backend read it: the document, and beside it the text row's number or the sort's keys. */
export interface ListedRow {
  row: DocumentRow;
  textN?: number | undefined;
  sortKeys?: Array<string | number> | undefined;
}

/** The page (`limit` rows of the `limit + 1` read) and the cursor after it, null when nothing follows. */
export function pageOf(plan: ListPlan, rows: readonly ListedRow[], limit: number): { page: DocumentRow[]; next: string | null } {
  const page = rows.slice(0, limit).map((r) => r.row);
  const last = rows[limit - 1];
  if (rows.length <= limit || !last) return { page, next: null };
  const o = plan.order;
  const r = last.row;
  const next =
    o.by === "sort"
      ? cursorOf(o.sort, last.sortKeys ?? [])
      : Buffer.from(o.by === "text" ? `#${last.textN}` : o.by === "period" ? `@${r.period_date}${r.created_at}${r.id}` : r.created_at + r.id).toString(
          "base64url",
        );
  return { page, next };
}
