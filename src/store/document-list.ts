// The documents list of the API (GET /api/v1/documents): filters, words in the number or subject (through
// the trigram text index, migration 14), newest first along the (created_at, id) index, paged by a cursor
// that is the last row's created_at and id.
import type { Db } from "./db.js";
import type { DocumentRow } from "./rows.js";

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
  /** words that must all appear in the number or the subject */
  q?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
}

/** A trigram index finds substrings of three characters or more. */
const TRIGRAM = 3;

/** The words of a search, folded as the text index is (NFC, Vietnamese lower case); at most eight. */
export function searchWords(q: string | undefined): string[] {
  return (q ?? "").normalize("NFC").toLocaleLowerCase("vi").split(/\s+/).filter(Boolean).slice(0, 8);
}

/** A page of documents, and the cursor of the next page (null at the end). */
export function listDocuments(db: Db, f: DocumentFilter, cursor: string | undefined, limit: number): { page: DocumentRow[]; next: string | null } {
  const where: string[] = [];
  const args: unknown[] = [];
  for (const [col, v] of [["status", f.status], ["category", f.category], ["verdict", f.verdict], ["sender", f.sender], ["agency", f.agency], ["held", f.held]] as const) if (v) (where.push(`${col} = ?`), args.push(v));
  if (f.recipient) (where.push("EXISTS (SELECT 1 FROM deliveries WHERE document_id = documents.id AND recipient = ?)"), args.push(f.recipient));
  if (f.binding) (where.push("signer_binding IS NOT NULL AND json_extract(signer_binding, '$.status') = ?"), args.push(f.binding));
  if (f.sealedBy) (where.push("signer_binding IS NOT NULL AND json_extract(signer_binding, '$.agency') = ?"), args.push(f.sealedBy));
  if (f.from) (where.push("period_date >= ?"), args.push(f.from));
  if (f.to) (where.push("period_date <= ?"), args.push(f.to));
  const words = searchWords(f.q);
  const c = cursor ? Buffer.from(cursor, "base64url").toString() : null;
  let rows: (DocumentRow & { text_n?: number })[];
  if (words.length === 0) {
    if (c) {
      // the cursor is the last row's created_at (an ISO instant, 24 characters) followed by its id
      (where.push("(created_at, id) < (?, ?)"), args.push(c.slice(0, 24), c.slice(24)));
    }
    // newest first along the (created_at, id) index: a page costs its rows, not a sort of the table
    rows = db.prepare(`SELECT * FROM documents ${where.length ? "WHERE " + where.join(" AND ") : ""} ORDER BY created_at DESC, id DESC LIMIT ?`).all(...args, limit + 1) as DocumentRow[];
  } else {
    // words of one or two letters have no trigram: looked for in the folded text of the documents found
    for (const w of words.filter((x) => [...x].length < TRIGRAM)) (where.push("t.text LIKE ? ESCAPE '\\'"), args.push(`%${w.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`));
    const indexed = words.filter((w) => [...w].length >= TRIGRAM);
    // a search's cursor is "#" and the text row's key: its pages follow the order documents were recorded
    if (c?.startsWith("#")) (where.push("t.n < ?"), args.push(Number(c.slice(1)) || 0));
    else if (c) (where.push("(created_at, documents.id) < (?, ?)"), args.push(c.slice(0, 24), c.slice(24)));
    const cols = "documents.*, t.n AS text_n";
    rows = (
      indexed.length
        ? // the index walked backwards from its newest row, each match looked up by key, stopping at the page's end
          db.prepare(`SELECT ${cols} FROM document_text_index f JOIN document_text t ON t.n = f.rowid CROSS JOIN documents ON documents.id = t.id WHERE f.document_text_index MATCH ?${where.length ? " AND " + where.join(" AND ") : ""} ORDER BY f.rowid DESC LIMIT ?`).all(indexed.map((w) => `"${w.replace(/"/g, '""')}"`).join(" AND "), ...args, limit + 1)
        : db.prepare(`SELECT ${cols} FROM document_text t CROSS JOIN documents ON documents.id = t.id${where.length ? " WHERE " + where.join(" AND ") : ""} ORDER BY t.n DESC LIMIT ?`).all(...args, limit + 1)
    ) as (DocumentRow & { text_n: number })[];
  }
  const page = rows.slice(0, limit).map(({ text_n, ...row }) => (void text_n, row as DocumentRow));
  const last = rows[limit - 1];
  const next = rows.length > limit && last ? (last.text_n !== undefined ? `#${last.text_n}` : last.created_at + last.id) : null;
  return { page, next: next === null ? null : Buffer.from(next).toString("base64url") };
}
