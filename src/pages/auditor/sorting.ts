// The list's sort (no DOM): a column's header asks the server for that order (GET /api/v1/documents?sort=),
// so the order holds across every page, not only the rows loaded. The received column starts newest first.
import type { SortState } from "../shared/sort.js";

/** The sort orders of the API (src/store/document-list/sorts.ts) the page asks for. */
export type ServerSort = "received-desc" | "received-asc" | "number" | "number-desc" | "sender" | "sender-desc" | "category" | "category-desc";

/** The table's columns the server sorts by (received, number, sender, category); subject and status are not. */
const COLUMNS: Record<number, "received" | "number" | "sender" | "category"> = { 0: "received", 1: "number", 3: "sender", 4: "category" };

/** The order the list opens in: received, newest first. */
export const OPENING_SORT: SortState = { col: 0, dir: -1 };

/** The received time sorts newest first at its first click; the others A to Z. */
export const firstDescending = (col: number): boolean => col === 0;

/** Whether the column's header sorts. */
export const sortsBy = (col: number): boolean => col in COLUMNS;

/** The API's sort for a column and direction. */
export function serverSort(s: SortState): ServerSort {
  const name = COLUMNS[s.col] ?? "received";
  if (name === "received") return s.dir < 0 || !(s.col in COLUMNS) ? "received-desc" : "received-asc";
  return (s.dir < 0 ? `${name}-desc` : name) as ServerSort;
}
