// The document list on the embedded store (GET /api/v1/documents): the plan of store/document-list (the
// order, the cursor, what a text query matches) in SQLite's words. Words in the number or subject are found
// through the FTS5 trigram index (migration 14), walked backwards from its newest row; the plain list
// along the (created_at, id) index, a period's along (period_date, created_at, id) (migration 19), a sort
// order along its own (migrations 18 and 23), a period's too: a page costs its rows, not a sort of the table.
import type { Db } from "./db.js";
import type { DocumentRow } from "../rows.js";
import { listPlan, pageOf, type ListPlan } from "../document-list/plan.js";
import { COUNT_UP_TO, countedTotal, keptCountScope, onlyPeriod, type DocumentFilter, type DocumentPage, type ListTotal } from "../document-list/query.js";
import { containsPattern } from "../document-list/text.js";
import type { DocumentSort } from "../document-list/sorts.js";
import { afterCondition, orderBy, orderIndex, sortKeys, takeKeys } from "./document-sorts.js";

export { DOCUMENT_SORTS, type DocumentSort, SortCursorError } from "../document-list/sorts.js";
export type { DocumentFilter, ListTotal } from "../document-list/query.js";

type Clause = { sql: string; args: unknown[] };

/**
 * How the documents sent to a recipient are read: "walk", the list's order walked and each document's
 * deliveries looked up (a page costs its rows over the recipient's share of the store); "list", the
 * recipient's deliveries read by their index (migration 25) and those documents sorted (a page costs the
 * recipient's documents). kyso keeps no statistics for SQLite's planner, so the query's form says which.
 */
type RecipientForm = "walk" | "list";

/** The filters' conditions (the text query's apart). */
function filterWhere(f: DocumentFilter, recipient: RecipientForm = "walk"): { where: string[]; args: unknown[] } {
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
  if (f.recipient)
    (where.push(
      recipient === "walk"
        ? "EXISTS (SELECT 1 FROM deliveries WHERE document_id = documents.id AND recipient = ?)"
        : "documents.id IN (SELECT document_id FROM deliveries WHERE recipient = ?)",
    ),
      args.push(f.recipient));
  if (f.binding) (where.push("signer_binding IS NOT NULL AND json_extract(signer_binding, '$.status') = ?"), args.push(f.binding));
  if (f.sealedBy) (where.push("signer_binding IS NOT NULL AND json_extract(signer_binding, '$.agency') = ?"), args.push(f.sealedBy));
  if (f.from) (where.push("period_date >= ?"), args.push(f.from));
  if (f.to) (where.push("period_date <= ?"), args.push(f.to));
  return { where, args };
}

/** FROM … of the list, its first argument the FTS5 query when there is one, and the text's conditions added to `where`. */
function source(plan: ListPlan, where: string[], args: unknown[]): { from: string; head: unknown[] } {
  const text = plan.text;
  if (!text) return { from: "FROM documents", head: [] };
  // words of one or two letters have no trigram: looked for in the folded text of the documents found
  for (const w of text.short) (where.push("lower_vi(t.text) LIKE ? ESCAPE '\\'"), args.push(containsPattern(w)));
  if (!text.indexed.length) return { from: "FROM document_text t CROSS JOIN documents ON documents.id = t.id", head: [] };
  // the index walked backwards from its newest row, each match looked up by key, stopping at the page's end
  where.unshift("f.document_text_index MATCH ?");
  const phrase = (w: string) => `"${w.replace(/"/g, '""')}"`;
  const match = text.indexed.map((forms) => (forms.length === 1 ? phrase(forms[0]!) : `(${forms.map(phrase).join(" OR ")})`)).join(" AND ");
  return { from: "FROM document_text_index f JOIN document_text t ON t.n = f.rowid CROSS JOIN documents ON documents.id = t.id", head: [match] };
}

function orderOf(plan: ListPlan): string {
  const o = plan.order;
  if (o.by === "sort") return orderBy(o.sort);
  if (o.by === "period") return "ORDER BY period_date DESC, created_at DESC, id DESC";
  if (o.by === "recorded") return "ORDER BY created_at DESC, id DESC";
  return plan.text?.indexed.length ? "ORDER BY f.rowid DESC" : "ORDER BY t.n DESC";
}

function afterOf(plan: ListPlan): Clause | null {
  const a = plan.after;
  if (!a) return null;
  if (a.by === "sort" && plan.order.by === "sort") return afterCondition(plan.order.sort, a.keys);
  if (a.by === "period") return { sql: "(period_date, created_at, id) < (?, ?, ?)", args: [a.periodDate, a.createdAt, a.id] };
  if (a.by === "text") return { sql: "t.n < ?", args: [a.n] };
  if (a.by === "recorded") return { sql: `(created_at, ${plan.text ? "documents.id" : "id"}) < (?, ?)`, args: [a.createdAt, a.id] };
  return null;
}

/** A period of more than this many documents for each row of a page is walked in a sort's order (periodIndex). */
export const PERIOD_SORTED_PER_ROW = 32;

/**
 * The index a period's page in a sort order is read by (nothing else filtered), said in the query. kyso
 * keeps no statistics for SQLite's planner (it never runs ANALYZE), which then takes any period for a 64th
 * of the table and sorts it: a year of 2.5 million documents, half a million rows, for every page. A
 * period of more than PERIOD_SORTED_PER_ROW documents a row of the page is walked along its order's index
 * (migration 23), the period tested on each entry, so a page costs its rows and the entries between them
 * (fewer than the table's 32nd); a smaller one (a day, a week) is read by its period's index and sorted,
 * a few thousand rows at most, where a walk would pass every other day's entries. The period is counted up
 * to that bound along its index first, as many entries read.
 */
function periodIndex(db: Db, plan: ListPlan, where: readonly string[], args: readonly unknown[], limit: number): string {
  const o = plan.order;
  if (o.by !== "sort" || plan.text || !onlyPeriod(plan.filter)) return "";
  const upTo = PERIOD_SORTED_PER_ROW * (limit + 1);
  const n = (
    db
      .prepare(`SELECT count(*) AS n FROM (SELECT 1 FROM documents INDEXED BY documents_period_recorded WHERE ${where.join(" AND ")} LIMIT ?)`)
      .get(...args, upTo + 1) as { n: number }
  ).n;
  return ` INDEXED BY ${n > upTo ? orderIndex(o.sort) : "documents_period_recorded"}`;
}

/**
 * A page of documents, the cursor of the next page (null at the end), and on the first page (no cursor)
 * the total: from the kept counts when it can, else counted up to `countUpTo` ("at least" beyond).
 */
export function listDocuments(
  db: Db,
  f: DocumentFilter,
  cursor: string | undefined,
  limit: number,
  countUpTo = COUNT_UP_TO,
  sort: DocumentSort = "recorded",
): DocumentPage {
  const plan = listPlan(f, cursor, sort);
  const { where, args } = filterWhere(f, f.recipient && !plan.text ? recipientForm(db, f.recipient, limit) : "walk");
  const { from, head } = source(plan, where, args);
  const read = from + periodIndex(db, plan, where, args, limit);
  const after = afterOf(plan);
  const all = [...where, ...(after ? [after.sql] : [])];
  const keyed = plan.order.by === "sort" ? plan.order.sort : null;
  const cols = (plan.text ? "documents.*, t.n AS text_n" : "documents.*") + (keyed ? ", " + sortKeys(keyed) : "");
  const rows = db
    .prepare(`SELECT ${cols} ${read}${all.length ? " WHERE " + all.join(" AND ") : ""} ${orderOf(plan)} LIMIT ?`)
    .all(...head, ...args, ...(after?.args ?? []), limit + 1) as Array<Record<string, unknown>>;
  const listed = rows.map(({ text_n, ...row }) => ({
    textN: text_n as number | undefined,
    sortKeys: keyed ? takeKeys(keyed, row) : undefined,
    row: row as unknown as DocumentRow,
  }));
  const { page, next } = pageOf(plan, listed, limit);
  // the total counted through the recipient's deliveries: as many lookups as it counts, not the whole store
  const counted = f.recipient && !plan.text ? filterWhere(f, "list") : null;
  return {
    page,
    next,
    total: plan.first ? totalOf(db, plan, from, counted?.where ?? where, head, counted?.args ?? args, countUpTo) : null,
  };
}

/**
 * Walk or list (RecipientForm): the walk's page reads about limit ÷ share documents, the list sorts the
 * recipient's m documents; they cost alike at m² = limit × N (an index probe and a sorted row costing about
 * the same), so the recipient's deliveries are counted up to √(limit × N) along their index, and listed when
 * they are no more (at 2.5 million documents and 100 a page: 15,800, a page ~80 ms at worst either way).
 */
function recipientForm(db: Db, recipient: string, limit: number): RecipientForm {
  const n = (db.prepare("SELECT coalesce(sum(n), 0) AS n FROM document_counts").get() as { n: number }).n;
  const bound = Math.ceil(Math.sqrt((limit + 1) * Math.max(n, 1)));
  const m = (
    db
      .prepare("SELECT count(*) AS n FROM (SELECT 1 FROM deliveries INDEXED BY deliveries_recipient WHERE recipient = ? LIMIT ?)")
      .get(recipient, bound + 1) as {
      n: number;
    }
  ).n;
  return m > bound ? "walk" : "list";
}

/** The first page's total: from the kept counts when it can, else counted up to `countUpTo`. */
function totalOf(db: Db, plan: ListPlan, from: string, where: string[], head: unknown[], args: unknown[], countUpTo: number): ListTotal {
  const scope = keptCountScope(plan.filter, plan.text !== null);
  if (scope) {
    // the counts the store keeps by triggers (migration 12: documents by status and place in the figures)
    const conds = [...(scope.status ? ["status = ?"] : []), ...(scope.category ? ["bucket = ?"] : [])];
    const kept = db
      .prepare(`SELECT coalesce(sum(n), 0) AS n FROM document_counts${conds.length ? " WHERE " + conds.join(" AND ") : ""}`)
      .get(...[scope.status, scope.category].filter(Boolean)) as { n: number };
    return { count: kept.n, exact: true };
  }
  const n = (
    db
      .prepare(`SELECT count(*) AS n FROM (SELECT 1 ${from}${where.length ? " WHERE " + where.join(" AND ") : ""} LIMIT ?)`)
      .get(...head, ...args, countUpTo + 1) as { n: number }
  ).n;
  return countedTotal(n, countUpTo);
}
