// What the API reads of documents, on the embedded store: the list (document-list.ts) and one document's
// rows, answered at once.
import type { DocumentReads, StoredAnalysis } from "../ports.js";
import type { Db } from "./db.js";
import { listDocuments } from "./document-list.js";
import { eventsOf, recipientsOf } from "./lifecycle.js";
import { sqliteDocumentTx } from "./document-tx.js";

export function sqliteDocumentReads(db: Db): DocumentReads {
  return {
    list: async (q) => listDocuments(db, q.filter, q.cursor, q.limit, q.countUpTo, q.sort),
    async document(id) {
      const row = sqliteDocumentTx(db).documentRow(id);
      return row && { ...row, recipients: recipientsOf(db, id) };
    },
    events: async (id) => eventsOf(db, id).map((e) => ({ kind: e.kind, code: e.code, description: e.description, at: e.at, source: e.source })),
    async latestAnalysis(id) {
      const r = db.prepare("SELECT id, report, created_at FROM analyses WHERE document_id = ? ORDER BY id DESC LIMIT 1").get(id) as
        { id: number; report: string; created_at: string } | undefined;
      return r && ({ id: r.id, reportJson: r.report, createdAt: r.created_at } satisfies StoredAnalysis);
    },
  };
}
