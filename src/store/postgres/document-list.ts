// The document list on PostgreSQL: the plan of store/document-list in PostgreSQL's words, so a page, its
// cursor and its total are those of the embedded store. Words through the trigram index of document_text
// (migration 0003: LIKE on kyso_fold, Unicode's lower case, as FTS5's trigram index folds); every order in
// "C", bytewise, as SQLite compares.
import type { DocumentRow } from "../rows.js";
import { listPlan, pageOf, type ListPlan } from "../document-list/plan.js";
import { COUNT_UP_TO, countedTotal, keptCountScope, type DocumentListQuery, type DocumentPage, type ListTotal } from "../document-list/query.js";
import { containsPattern } from "../document-list/text.js";
import { afterCondition, orderBy, sortKeys, takeKeys } from "./document-sorts.js";
import type { Pool } from "./db.js";

/** The statement's arguments as they are bound: `arg` gives each its placeholder. */
class Args {
  readonly values: unknown[] = [];
  arg = (v: unknown): string => (this.values.push(v), `$${this.values.length}`);
}

/** The filters' and the text query's conditions. */
function conditions(plan: ListPlan, a: Args): string[] {
  const f = plan.filter;
  const where: string[] = [];
  for (const [col, v] of [
    ["status", f.status],
    ["category", f.category],
    ["verdict", f.verdict],
    ["sender", f.sender],
    ["agency", f.agency],
    ["held", f.held],
  ] as const)
    if (v) where.push(`documents.${col} = ${a.arg(v)}`);
  if (f.senders?.length) where.push(`documents.sender = ANY(${a.arg([...f.senders])}::text[])`);
  if (f.recipient) where.push(`EXISTS (SELECT 1 FROM deliveries v WHERE v.document_id = documents.id AND v.recipient = ${a.arg(f.recipient)})`);
  if (f.binding) where.push(`documents.signer_binding IS NOT NULL AND (documents.signer_binding::jsonb ->> 'status') = ${a.arg(f.binding)}`);
  if (f.sealedBy) where.push(`documents.signer_binding IS NOT NULL AND (documents.signer_binding::jsonb ->> 'agency') = ${a.arg(f.sealedBy)}`);
  if (f.from) where.push(`documents.period_date COLLATE "C" >= ${a.arg(f.from)}`);
  if (f.to) where.push(`documents.period_date COLLATE "C" <= ${a.arg(f.to)}`);
  // a long word in any of its forms, through the trigram index; a short one in the composed text
  for (const forms of plan.text?.indexed ?? [])
    where.push(`(${forms.map((w) => `kyso_fold(t.text) LIKE ${a.arg(containsPattern(w))} ESCAPE '\\'`).join(" OR ")})`);
  for (const w of plan.text?.short ?? []) where.push(`kyso_lower_vi(t.text) LIKE ${a.arg(containsPattern(w))} ESCAPE '\\'`);
  return where;
}

const FROM_DOCUMENTS = "FROM documents";
const FROM_TEXT = "FROM document_text t JOIN documents ON documents.id = t.id";

function orderOf(plan: ListPlan): string {
  const o = plan.order;
  if (o.by === "sort") return orderBy(o.sort);
  if (o.by === "period") return 'ORDER BY documents.period_date COLLATE "C" DESC, documents.created_at COLLATE "C" DESC, documents.id COLLATE "C" DESC';
  if (o.by === "recorded") return 'ORDER BY documents.created_at COLLATE "C" DESC, documents.id COLLATE "C" DESC';
  return "ORDER BY t.n DESC";
}

function afterOf(plan: ListPlan, a: Args): string | null {
  const x = plan.after;
  if (!x) return null;
  if (x.by === "sort" && plan.order.by === "sort") return afterCondition(plan.order.sort, x.keys, a.arg);
  if (x.by === "period")
    return `(documents.period_date COLLATE "C", documents.created_at COLLATE "C", documents.id COLLATE "C") < (${a.arg(x.periodDate)}, ${a.arg(x.createdAt)}, ${a.arg(x.id)})`;
  if (x.by === "text") return `t.n < ${a.arg(x.n)}`;
  if (x.by === "recorded") return `(documents.created_at COLLATE "C", documents.id COLLATE "C") < (${a.arg(x.createdAt)}, ${a.arg(x.id)})`;
  return null;
}

export async function listDocuments(pool: Pool, q: DocumentListQuery): Promise<DocumentPage> {
  const plan = listPlan(q.filter, q.cursor, q.sort);
  const from = plan.text ? FROM_TEXT : FROM_DOCUMENTS;
  const a = new Args();
  const where = conditions(plan, a);
  const after = afterOf(plan, a);
  const all = [...where, ...(after ? [after] : [])];
  const keyed = plan.order.by === "sort" ? plan.order.sort : null;
  const cols = (plan.text ? "documents.*, t.n AS text_n" : "documents.*") + (keyed ? ", " + sortKeys(keyed) : "");
  const sql = `SELECT ${cols} ${from}${all.length ? " WHERE " + all.join(" AND ") : ""} ${orderOf(plan)} LIMIT ${a.arg(q.limit + 1)}`;
  const rows = (await pool.query<Record<string, unknown>>(sql, a.values)).rows;
  const listed = rows.map(({ text_n, ...row }) => ({
    textN: text_n as number | undefined,
    sortKeys: keyed ? takeKeys(keyed, row) : undefined,
    row: row as unknown as DocumentRow,
  }));
  const { page, next } = pageOf(plan, listed, q.limit);
  return { page, next, total: plan.first ? await totalOf(pool, plan, from, q.countUpTo ?? COUNT_UP_TO) : null };
}

/** The first page's total: from the counts kept by triggers when it can, else counted up to `countUpTo`. */
async function totalOf(pool: Pool, plan: ListPlan, from: string, countUpTo: number): Promise<ListTotal> {
  const scope = keptCountScope(plan.filter, plan.text !== null);
  const a = new Args();
  if (scope) {
    const conds = [...(scope.status ? [`status = ${a.arg(scope.status)}`] : []), ...(scope.category ? [`bucket = ${a.arg(scope.category)}`] : [])];
    const sql = `SELECT coalesce(sum(n), 0)::int AS n FROM document_counts${conds.length ? " WHERE " + conds.join(" AND ") : ""}`;
    return { count: (await pool.query<{ n: number }>(sql, a.values)).rows[0]!.n, exact: true };
  }
  const where = conditions(plan, a);
  const sql = `SELECT count(*)::int AS n FROM (SELECT 1 ${from}${where.length ? " WHERE " + where.join(" AND ") : ""} LIMIT ${a.arg(countUpTo + 1)}) x`;
  return countedTotal((await pool.query<{ n: number }>(sql, a.values)).rows[0]!.n, countUpTo);
}
