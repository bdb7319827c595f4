// The document list's sort keys (store/document-list/sorts.ts) in SQLite's words: the expressions are those
// of the indexes of migrations 18 and 23, letter for letter, so the planner walks them and a page costs its
// rows, not a sort of the table. CAST(text AS INTEGER) takes the leading integer: the number's order.
import { isIntegerKey, type KeyedSort, type SortKey, sortSpec } from "../document-list/sorts.js";

const EXPR: Record<SortKey, string> = {
  received: "documents.received_at",
  numberLead: "CAST(coalesce(documents.number, '') AS INTEGER)",
  number: "coalesce(documents.number, '')",
  sender: "documents.sender",
  category: "coalesce(documents.category, '')",
  id: "documents.id",
};

/** Each order's index (migration 23): its keys, the id last, then the document's period_date. */
const ORDER_INDEX: Record<string, string> = {
  received: "documents_received_order",
  number: "documents_number_order",
  sender: "documents_sender_order",
  category: "documents_category_order",
};

/** The index whose entries are in the sort's order, either way, each with its document's period_date. */
export function orderIndex(sort: KeyedSort): string {
  const index = ORDER_INDEX[sort.split("-")[0]!];
  if (!index) throw new Error(`no index for the sort ${sort}`);
  return index;
}

/** ORDER BY of the sort. */
export function orderBy(sort: KeyedSort): string {
  const { keys, desc } = sortSpec(sort);
  return "ORDER BY " + keys.map((k) => `${EXPR[k]} ${desc ? "DESC" : "ASC"}`).join(", ");
}

/** The sort's keys selected beside a row (sort_k0, sort_k1, …), an integer one as text, for the page's cursor. */
export function sortKeys(sort: KeyedSort): string {
  return sortSpec(sort)
    .keys.map((k, i) => `${isIntegerKey(k) ? `CAST(${EXPR[k]} AS TEXT)` : EXPR[k]} AS sort_k${i}`)
    .join(", ");
}

/**
 * The rows after the cursor's keys in the sort's order. SQLite seeks an index by a row value of its
 * columns but not of its expressions: when the first key is an expression (the number's, the category's)
 * it is bounded alone as well, so a next page starts at that key's value in the index, not at its start.
 */
export function afterCondition(sort: KeyedSort, values: readonly unknown[]): { sql: string; args: unknown[] } {
  const { keys, desc } = sortSpec(sort);
  const param = (k: SortKey) => (isIntegerKey(k) ? "CAST(? AS INTEGER)" : "?");
  const row = `(${keys.map((k) => EXPR[k]).join(", ")}) ${desc ? "<" : ">"} (${keys.map(param).join(", ")})`;
  const first = keys[0]!;
  if (/^documents\.\w+$/.test(EXPR[first])) return { sql: row, args: [...values] };
  return { sql: `${EXPR[first]} ${desc ? "<=" : ">="} ${param(first)} AND ${row}`, args: [values[0], ...values] };
}

/** The sort keys selected beside a row, in order (and taken off it). */
export function takeKeys(sort: KeyedSort, row: Record<string, unknown>): Array<string | number> {
  return sortSpec(sort).keys.map((_, i) => {
    const v = row[`sort_k${i}`] as string | number;
    delete row[`sort_k${i}`];
    return v;
  });
}
