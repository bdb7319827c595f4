// The document list's sort orders besides the default (newest recorded first): each a list of keys and a
// direction, the document's id last so that every row has one place. Text keys compare bytewise (UTF-8),
// as SQLite's BINARY collation and PostgreSQL's "C" do; each backend walks them along an index of the same
// expressions. A page's cursor is its last row's keys, named with the order they belong to.

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
export type KeyedSort = Exclude<DocumentSort, "recorded">;

/** A cursor made for another order (or not made by kyso): refused, as a 400 at the API. */
export class SortCursorError extends Error {}

/**
 * A sort key, named by meaning; each backend gives its expression. numberLead: the number's leading integer
 * (optional blanks, a sign, digits; 0 without one; clamped to 64 bits), so "2/UBND" comes before
 * "10/UBND"; number, category: the text, "" when missing; id: the document's.
 */
export type SortKey = "received" | "numberLead" | "number" | "sender" | "category" | "id";

const KEYS: Record<string, readonly SortKey[]> = {
  received: ["received"],
  number: ["numberLead", "number"],
  sender: ["sender"],
  category: ["category"],
};

/** The sort's keys, the id last, and its direction. */
export function sortSpec(sort: KeyedSort): { keys: readonly SortKey[]; desc: boolean } {
  const [col = "", dir] = sort.split("-");
  const keys = KEYS[col];
  if (!keys) throw new Error(`no keys for the sort ${sort}`);
  return { keys: [...keys, "id"], desc: dir === "desc" };
}

/** An integer key travels in the cursor as text, so a number past 2^53 keeps every digit. */
export const isIntegerKey = (k: SortKey): boolean => k === "numberLead";

/** The cursor after a row whose keys (in the sort's order) are `keys`. */
export function cursorOf(sort: KeyedSort, keys: readonly unknown[]): string {
  return Buffer.from(JSON.stringify({ s: sort, k: keys })).toString("base64url");
}

/** The keys a cursor of this sort holds; a cursor of another order, or not one of these, is refused. */
export function readCursor(cursor: string, sort: KeyedSort): Array<string | number> {
  let c: { s?: unknown; k?: unknown };
  try {
    c = JSON.parse(Buffer.from(cursor, "base64url").toString()) as { s?: unknown; k?: unknown };
  } catch {
    throw new SortCursorError(`the cursor is not one of the sort ${sort}: ask the first page again`);
  }
  const n = sortSpec(sort).keys.length;
  if (c?.s !== sort || !Array.isArray(c.k) || c.k.length !== n || !c.k.every((v) => typeof v === "string" || typeof v === "number"))
    throw new SortCursorError(`the cursor is not one of the sort ${sort}: ask the first page again`);
  return c.k as Array<string | number>;
}
