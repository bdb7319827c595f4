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
/** Up to this many documents with the words, the list reads them from the text index and sorts them. */
const FEW = 2000;

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
  const words = searchWords(f.q);
  const indexed = words.filter((w) => [...w].length >= TRIGRAM);
  // words of one or two letters have no trigram: looked for in the folded text of the documents found
  for (const w of words.filter((x) => [...x].length < TRIGRAM)) (where.push("(SELECT text FROM document_text WHERE id = documents.id) LIKE ? ESCAPE '\\'"), args.push(`%${w.replace(/[\\%_]/g, (c) => `\\${c}`)}%`));
  if (f.from) (where.push("period_date >= ?"), args.push(f.from));
  if (f.to) (where.push("period_date <= ?"), args.push(f.to));
  if (cursor) {
    // the cursor is the last row's created_at (an ISO instant, 24 characters) followed by its id
    const c = Buffer.from(cursor, "base64url").toString();
    (where.push("(created_at, id) < (?, ?)"), args.push(c.slice(0, 24), c.slice(24)));
  }
  let rows: DocumentRow[];
  if (indexed.length === 0) {
    // newest first along the (created_at, id) index: a page costs its rows, not a sort of the table
    rows = db.prepare(`SELECT * FROM documents ${where.length ? "WHERE " + where.join(" AND ") : ""} ORDER BY created_at DESC, id DESC LIMIT ?`).all(...args, limit + 1) as DocumentRow[];
  } else {
    const match = indexed.map((w) => `"${w.replace(/"/g, '""')}"`).join(" AND ");
    const found = db.prepare("SELECT count(*) AS n FROM (SELECT rowid FROM document_text_index WHERE document_text_index MATCH ? LIMIT ?)").get(match, FEW + 1) as { n: number };
    if (found.n <= FEW) {
      // few documents have these words: they are read from the index and sorted (at most FEW rows)
      // (CROSS JOIN keeps that order: the planner may not walk the whole table and probe the matches instead)
      rows = db.prepare(`SELECT documents.* FROM (SELECT t.id AS doc FROM document_text_index f JOIN document_text t ON t.n = f.rowid WHERE f.document_text_index MATCH ?) m CROSS JOIN documents ON documents.id = m.doc${where.length ? " WHERE " + where.join(" AND ") : ""} ORDER BY created_at DESC, id DESC LIMIT ?`).all(match, ...args, limit + 1) as DocumentRow[];
    } else {
      // many have them: the newest are found soon along the (created_at, id) index, each looked up in the text index by its key
      where.push("EXISTS (SELECT 1 FROM document_text t JOIN document_text_index f ON f.rowid = t.n WHERE t.id = documents.id AND f.document_text_index MATCH ?)");
      rows = db.prepare(`SELECT * FROM documents WHERE ${where.join(" AND ")} ORDER BY created_at DESC, id DESC LIMIT ?`).all(...args, match, limit + 1) as DocumentRow[];
    }
  }
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return { page, next: rows.length > limit && last ? Buffer.from(last.created_at + last.id).toString("base64url") : null };
}
