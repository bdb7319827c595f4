// The document list's sort keys (store/document-list/sorts.ts) in PostgreSQL's words: text compared in
// "C" (bytewise, as SQLite's BINARY), the number's leading integer as SQLite's CAST reads it
// (kyso_leading_integer), each the expression of an index of migration 0003 so a page walks it.
import { isIntegerKey, type KeyedSort, type SortKey, sortSpec } from "../document-list/sorts.js";

const EXPR: Record<SortKey, string> = {
  received: 'documents.received_at COLLATE "C"',
  numberLead: "kyso_leading_integer(documents.number)",
  number: `coalesce(documents.number, '') COLLATE "C"`,
  sender: 'documents.sender COLLATE "C"',
  category: `coalesce(documents.category, '') COLLATE "C"`,
  id: 'documents.id COLLATE "C"',
};

export function orderBy(sort: KeyedSort): string {
  const { keys, desc } = sortSpec(sort);
  return "ORDER BY " + keys.map((k) => `${EXPR[k]} ${desc ? "DESC" : "ASC"}`).join(", ");
}

/** The sort's keys selected beside a row (sort_k0, …), an integer one as text so it keeps every digit. */
export function sortKeys(sort: KeyedSort): string {
  return sortSpec(sort)
    .keys.map((k, i) => `${isIntegerKey(k) ? `${EXPR[k]}::text` : EXPR[k]} AS sort_k${i}`)
    .join(", ");
}

/** The rows after the cursor's keys in the sort's order; `arg` binds a value and gives its placeholder. */
export function afterCondition(sort: KeyedSort, values: readonly unknown[], arg: (v: unknown) => string): string {
  const { keys, desc } = sortSpec(sort);
  return `(${keys.map((k) => EXPR[k]).join(", ")}) ${desc ? "<" : ">"} (${keys.map((k, i) => (isIntegerKey(k) ? `${arg(String(values[i]))}::bigint` : arg(values[i]))).join(", ")})`;
}

/** The sort keys selected beside a row, in order (and taken off it). */
export function takeKeys(sort: KeyedSort, row: Record<string, unknown>): Array<string | number> {
  return sortSpec(sort).keys.map((_, i) => {
    const v = row[`sort_k${i}`] as string | number;
    delete row[`sort_k${i}`];
    return v;
  });
}
