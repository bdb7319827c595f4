// The documents list of the API (GET /api/v1/documents): filters, words in the number or subject (through
// the trigram text index, migration 14), newest recorded first along the (created_at, id) index or in a
// sort order of its own (sorts.ts: each along an index of migration 18), paged by a cursor that is the last
// row's keys in that order.
import type { Db } from "./db.js";
import type { DocumentRow } from "../rows.js";
import { afterCondition, cursorOf, type DocumentSort, orderBy, readCursor, sortKeys, SortCursorError } from "./document-sorts.js";

export { DOCUMENT_SORTS, type DocumentSort, SortCursorError } from "./document-sorts.js";

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
  /** words that must all appear in the number or the subject */
  q?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
}

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

/** A trigram index finds substrings of three characters or more. */
const TRIGRAM = 3;

/** The words of a search, composed (NFC) and in Vietnamese lower case; at most eight. */
export function searchWords(q: string | undefined): string[] {
  return (q ?? "").normalize("NFC").toLocaleLowerCase("vi").split(/\s+/).filter(Boolean).slice(0, 8);
}

/** Counted up to this many, the total of a filtered list is exact; beyond, it says "more than". */
const COUNT_UP_TO = 10_000;

/** How many documents the list holds: exact, or at least `count` when counting stopped there. */
export interface ListTotal {
  count: number;
  exact: boolean;
}

/**
 * A page of documents, the cursor of the next page (null at the end), and on the first page (no cursor)
 * the total: from the kept counts when it can, else counted up to `countUpTo` ("more than" beyond).
 */
export function listDocuments(
  db: Db,
  f: DocumentFilter,
  cursor: string | undefined,
  limit: number,
  countUpTo = COUNT_UP_TO,
  sort: DocumentSort = "recorded",
): { page: DocumentRow[]; next: string | null; total: ListTotal | null } {
  const where: string[] = [];
  const args: unknown[] = [];
  for (const [col, v] of [
    ["status", f.status],
    ["category", f.category],
    ["verdict", f.verdict],
    ["sender", f.sender],
    ["agency", f.agency],
    ["held", f.held],
  ] as const)
    if (v) (where.push(`${col} = ?`), args.push(v));
  if (f.senders?.length) (where.push(`sender IN (${f.senders.map(() => "?").join(", ")})`), args.push(...f.senders));
  if (f.recipient) (where.push("EXISTS (SELECT 1 FROM deliveries WHERE document_id = documents.id AND recipient = ?)"), args.push(f.recipient));
  if (f.binding) (where.push("signer_binding IS NOT NULL AND json_extract(signer_binding, '$.status') = ?"), args.push(f.binding));
  if (f.sealedBy) (where.push("signer_binding IS NOT NULL AND json_extract(signer_binding, '$.agency') = ?"), args.push(f.sealedBy));
  if (f.from) (where.push("period_date >= ?"), args.push(f.from));
  if (f.to) (where.push("period_date <= ?"), args.push(f.to));
  const words = searchWords(f.q);
  // a cursor of another sort order is refused (SortCursorError) rather than read as this one's
  const keyed = sort === "recorded" ? null : { keys: cursor ? readCursor(cursor, sort) : null };
  const c = cursor && !keyed ? Buffer.from(cursor, "base64url").toString() : null;
  // FROM … WHERE … of the list (its first argument the text query, if any), the order it is read in, and
  // the cursor's condition
  let from: string;
  let order: string;
  let after: { sql: string; args: unknown[] } | null = null;
  let head: unknown[] = [];
  // a period's list: newest by the document's date, then as recorded, along (period_date, created_at, id)
  // from the period's last day (migration 19); sorting a year of documents for each page grew with the year
  const byPeriod = words.length === 0 && !keyed && Boolean(f.from || f.to);
  if (byPeriod) {
    from = "FROM documents";
    order = "ORDER BY period_date DESC, created_at DESC, id DESC";
    // its cursor: "@", the last row's period date (10 characters), created_at (24), then its id
    if (c?.startsWith("@")) after = { sql: "(period_date, created_at, id) < (?, ?, ?)", args: [c.slice(1, 11), c.slice(11, 35), c.slice(35)] };
    else if (c) throw new SortCursorError("the cursor is not one of this period's list: ask the first page again");
  } else if (words.length === 0) {
    from = "FROM documents";
    // newest first along the (created_at, id) index: a page costs its rows, not a sort of the table
    order = "ORDER BY created_at DESC, id DESC";
    // the cursor is the last row's created_at (an ISO instant, 24 characters) followed by its id
    if (c) after = { sql: "(created_at, id) < (?, ?)", args: [c.slice(0, 24), c.slice(24)] };
  } else {
    // words of one or two letters have no trigram: looked for in the folded text of the documents found
    for (const w of words.filter((x) => [...x].length < TRIGRAM))
      (where.push("lower_vi(t.text) LIKE ? ESCAPE '\\'"), args.push(`%${w.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`));
    const indexed = words.filter((w) => [...w].length >= TRIGRAM);
    if (indexed.length) {
      // the index walked backwards from its newest row, each match looked up by key, stopping at the page's end
      from = "FROM document_text_index f JOIN document_text t ON t.n = f.rowid CROSS JOIN documents ON documents.id = t.id";
      where.unshift("f.document_text_index MATCH ?");
      // the tokenizer folds case but not Unicode forms: a word is looked for as composed and as decomposed
      const phrase = (w: string) => `"${w.replace(/"/g, '""')}"`;
      head = [indexed.map((w) => (w.normalize("NFD") === w ? phrase(w) : `(${phrase(w)} OR ${phrase(w.normalize("NFD"))})`)).join(" AND ")];
      order = "ORDER BY f.rowid DESC";
    } else {
      from = "FROM document_text t CROSS JOIN documents ON documents.id = t.id";
      order = "ORDER BY t.n DESC";
    }
    // a search's cursor is "#" and the text row's key: its pages follow the order documents were recorded
    if (keyed) order = "";
    else if (c?.startsWith("#")) after = { sql: "t.n < ?", args: [Number(c.slice(1)) || 0] };
    else if (c) after = { sql: "(created_at, documents.id) < (?, ?)", args: [c.slice(0, 24), c.slice(24)] };
  }
  if (keyed) {
    // the sort's own order, along its index where the filters leave one to walk; the cursor is its keys
    order = orderBy(sort);
    if (keyed.keys) after = afterCondition(sort, keyed.keys);
  }
  const all = [...where, ...(after ? [after.sql] : [])];
  const cols = (words.length ? "documents.*, t.n AS text_n" : "documents.*") + (keyed ? ", " + sortKeys(sort) : "");
  const rows = db
    .prepare(`SELECT ${cols} ${from}${all.length ? " WHERE " + all.join(" AND ") : ""} ${order} LIMIT ?`)
    .all(...head, ...args, ...(after?.args ?? []), limit + 1) as (DocumentRow & { text_n?: number } & Record<string, unknown>)[];
  const page = rows.slice(0, limit).map(({ text_n, ...row }) => (void text_n, withoutKeys(row) as unknown as DocumentRow));
  const last = rows[limit - 1];
  let next: string | null = null;
  if (rows.length > limit && last)
    next = keyed
      ? cursorOf(sort, last)
      : Buffer.from(
          last.text_n !== undefined ? `#${last.text_n}` : byPeriod ? `@${last.period_date}${last.created_at}${last.id}` : last.created_at + last.id,
        ).toString("base64url");
  const first = !c && !keyed?.keys;
  return { page, next, total: first ? totalOf(db, f, words.length > 0, from, where, head, args, countUpTo) : null };
}

/** A row without the sort keys selected beside it. */
function withoutKeys(row: Record<string, unknown>): Record<string, unknown> {
  for (const k of Object.keys(row)) if (k.startsWith("sort_k")) delete row[k];
  return row;
}

/** The first page's total: from the kept counts when it can, else counted up to `countUpTo`. */
function totalOf(db: Db, f: DocumentFilter, searching: boolean, from: string, where: string[], head: unknown[], args: unknown[], countUpTo: number): ListTotal {
  const kept = keptCount(db, f, searching);
  if (kept !== null) return { count: kept, exact: true };
  const n = (
    db
      .prepare(`SELECT count(*) AS n FROM (SELECT 1 ${from}${where.length ? " WHERE " + where.join(" AND ") : ""} LIMIT ?)`)
      .get(...head, ...args, countUpTo + 1) as { n: number }
  ).n;
  return n > countUpTo ? { count: countUpTo, exact: false } : { count: n, exact: true };
}

/**
 * The total from the counts the store keeps by triggers (migration 12: documents by status and category),
 * when the filter is none, a status or a category alone; null when it must be counted.
 */
function keptCount(db: Db, f: DocumentFilter, searching: boolean): number | null {
  const set = FILTERS.filter((k) => f[k] !== undefined && f[k] !== "" && !(Array.isArray(f[k]) && f[k].length === 0));
  // the counts' "pending" and "held" buckets are documents without a category, which category = ? never lists
  if (searching || set.some((k) => k !== "status" && k !== "category") || f.category === "pending" || f.category === "held") return null;
  const conds: string[] = [];
  const args: string[] = [];
  if (f.status) (conds.push("status = ?"), args.push(f.status));
  if (f.category) (conds.push("bucket = ?"), args.push(f.category));
  return (
    db.prepare(`SELECT coalesce(sum(n), 0) AS n FROM document_counts${conds.length ? " WHERE " + conds.join(" AND ") : ""}`).get(...args) as { n: number }
  ).n;
}
