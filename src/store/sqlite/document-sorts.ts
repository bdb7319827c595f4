// The document list's sort orders besides the default (newest recorded first): each is a list of key
// expressions and a direction, the document's id last so that every row has one place; each is walked along
// an index of the same expressions (migration 18), so a page costs its rows, not a sort of the table. A page's
// cursor is its last row's keys, named with the order they belong to.

/** recorded: newest recorded first (the default); the others by the received time, the number, the sender's code or the category, either way. */
export const DOCUMENT_SORTS = [
  "recorded",
  "received-desc",
  "received-asc",
  "number",
  "number-desc",
  "sender",
  "sender-desc",
  "category",
  "category-desc",
] as const;
export type DocumentSort = (typeof DOCUMENT_SORTS)[number];

/** A cursor made for another order (or not made by kyso): refused, as a 400 at the API. */
export class SortCursorError extends Error {}

// The expressions are those of the indexes, letter for letter, so the planner can walk them. A number sorts
// by its leading figure first ("2/UBND" before "10/UBND"), then as text; a missing number or category as "".
const KEYS: Record<string, readonly string[]> = {
  received: ["documents.received_at"],
  number: ["CAST(coalesce(documents.number, '') AS INTEGER)", "coalesce(documents.number, '')"],
  sender: ["documents.sender"],
  category: ["coalesce(documents.category, '')"],
};

function spec(sort: DocumentSort): { keys: readonly string[]; desc: boolean } {
  const [col = "", dir] = sort.split("-");
  const keys = KEYS[col];
  if (!keys) throw new Error(`no keys for the sort ${sort}`);
  return { keys: [...keys, "documents.id"], desc: dir === "desc" };
}

/** ORDER BY of the sort. */
export function orderBy(sort: DocumentSort): string {
  const { keys, desc } = spec(sort);
  return "ORDER BY " + keys.map((k) => `${k} ${desc ? "DESC" : "ASC"}`).join(", ");
}

/** An integer key: read into the cursor as text and given back as an integer, so a number past 2^53 keeps every digit. */
const isInteger = (k: string) => /^CAST\(.*AS INTEGER\)$/.test(k);

/** The sort's keys selected beside a row (sort_k0, sort_k1, …), for the page's cursor. */
export function sortKeys(sort: DocumentSort): string {
  return spec(sort)
    .keys.map((k, i) => `${isInteger(k) ? `CAST(${k} AS TEXT)` : k} AS sort_k${i}`)
    .join(", ");
}

/** The rows after the cursor's keys in the sort's order. */
export function afterCondition(sort: DocumentSort, values: readonly unknown[]): { sql: string; args: unknown[] } {
  const { keys, desc } = spec(sort);
  return { sql: `(${keys.join(", ")}) ${desc ? "<" : ">"} (${keys.map((k) => (isInteger(k) ? "CAST(? AS INTEGER)" : "?")).join(", ")})`, args: [...values] };
}

/** The cursor after this row: the sort's name and the row's keys. */
export function cursorOf(sort: DocumentSort, row: Record<string, unknown>): string {
  const n = spec(sort).keys.length;
  return Buffer.from(JSON.stringify({ s: sort, k: Array.from({ length: n }, (_, i) => row[`sort_k${i}`]) })).toString("base64url");
}

/** The keys a cursor of this sort holds; a cursor of another order, or not one of these, is refused. */
export function readCursor(cursor: string, sort: DocumentSort): unknown[] {
  let c: { s?: unknown; k?: unknown };
  try {
    c = JSON.parse(Buffer.from(cursor, "base64url").toString()) as { s?: unknown; k?: unknown };
  } catch {
    throw new SortCursorError(`the cursor is not one of the sort ${sort}: ask the first page again`);
  }
  const n = spec(sort).keys.length;
  if (c?.s !== sort || !Array.isArray(c.k) || c.k.length !== n || !c.k.every((v) => typeof v === "string" || typeof v === "number"))
    throw new SortCursorError(`the cursor is not one of the sort ${sort}: ask the first page again`);
  return c.k;
}
