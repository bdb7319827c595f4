// What the API reads of documents, on PostgreSQL: the list (document-list.ts) and one document's rows.
import type { DocumentRow } from "../rows.js";
import type { DocumentEvent, DocumentReads, StoredAnalysis } from "../ports.js";
import type { Pool } from "./db.js";
import { listDocuments } from "./document-list.js";

export function postgresDocumentReads(pool: Pool): DocumentReads {
  return {
    list: (q) => listDocuments(pool, q),
    async document(id) {
      // its recipients in bytewise order, as the embedded store lists them
      const r = await pool.query<DocumentRow & { recipients: string[] }>(
        `SELECT d.*, coalesce((SELECT array_agg(v.recipient ORDER BY v.recipient COLLATE "C") FROM deliveries v WHERE v.document_id = d.id), '{}') recipients
           FROM documents d WHERE d.id = $1`,
        [id],
      );
      return r.rows[0];
    },
    events: async (id) =>
      (await pool.query<DocumentEvent>("SELECT kind, code, description, at, source FROM document_events WHERE document_id = $1 ORDER BY seq", [id])).rows,
    latestAnalysis: async (id) =>
      (
        await pool.query<StoredAnalysis>(
          'SELECT id, report "reportJson", created_at "createdAt" FROM analyses WHERE document_id = $1 ORDER BY id DESC LIMIT 1',
          [id],
        )
      ).rows[0],
  };
}
