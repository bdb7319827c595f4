// What the API reads of documents, on the embedded store: the list (document-list.ts) and one document's
// rows, answered at once.
import type { DocumentReads } from "../ports.js";
import type { Db } from "./db.js";
import { listDocuments } from "./document-list.js";
import { getDocument, latestAnalysis } from "./documents.js";
import { eventsOf } from "./lifecycle.js";

export function sqliteDocumentReads(db: Db): DocumentReads {
  return {
    list: async (q) => listDocuments(db, q.filter, q.cursor, q.limit, q.countUpTo, q.sort),
    document: async (id) => getDocument(db, id),
    events: async (id) => eventsOf(db, id).map((e) => ({ kind: e.kind, code: e.code, description: e.description, at: e.at, source: e.source })),
    latestAnalysis: async (id) => latestAnalysis(db, id),
  };
}
