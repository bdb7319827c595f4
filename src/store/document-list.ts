// The documents list of the API (GET /api/v1/documents): filters, words in the number or subject, newest
// first along the (created_at, id) index, paged by a cursor that is the last row's created_at and id.
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

/** A page of documents, and the cursor of the next page (null at the end). */
export function listDocuments(db: Db, f: DocumentFilter, cursor: string | undefined, limit: number): { page: DocumentRow[]; next: string | null } {
  const where: string[] = [];
  const args: unknown[] = [];
  for (const [col, v] of [["status", f.status], ["category", f.category], ["verdict", f.verdict], ["sender", f.sender], ["agency", f.agency], ["held", f.held]] as const) if (v) (where.push(`${col} = ?`), args.push(v));
  if (f.recipient) (where.push("EXISTS (SELECT 1 FROM deliveries WHERE document_id = documents.id AND recipient = ?)"), args.push(f.recipient));
  if (f.binding) (where.push("signer_binding IS NOT NULL AND json_extract(signer_binding, '$.status') = ?"), args.push(f.binding));
  if (f.sealedBy) (where.push("signer_binding IS NOT NULL AND json_extract(signer_binding, '$.agency') = ?"), args.push(f.sealedBy));
  // every word must appear in the number or the subject (case-insensitive for Vietnamese too: both sides folded)
  for (const w of (f.q ?? "").normalize("NFC").toLocaleLowerCase("vi").split(/\s+/).filter(Boolean).slice(0, 8)) {
    where.push("(lower_vi(coalesce(number, '')) LIKE ? ESCAPE '\\' OR lower_vi(coalesce(subject, '')) LIKE ? ESCAPE '\\')");
    const like = `%${w.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    args.push(like, like);
  }
  if (f.from) (where.push("period_date >= ?"), args.push(f.from));
  if (f.to) (where.push("period_date <= ?"), args.push(f.to));
  if (cursor) {
    // the cursor is the last row's created_at (an ISO instant, 24 characters) followed by its id
    const c = Buffer.from(cursor, "base64url").toString();
    (where.push("(created_at, id) < (?, ?)"), args.push(c.slice(0, 24), c.slice(24)));
  }
  // newest first along the (created_at, id) index: a page costs its rows, not a sort of the table
  const rows = db.prepare(`SELECT * FROM documents ${where.length ? "WHERE " + where.join(" AND ") : ""} ORDER BY created_at DESC, id DESC LIMIT ?`).all(...args, limit + 1) as DocumentRow[];
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return { page, next: rows.length > limit && last ? Buffer.from(last.created_at + last.id).toString("base64url") : null };
}
