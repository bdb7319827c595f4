// The embedded store's hand-overs without a claim: documents given to another queue (BullMQ) and the
// documents a claimless process left `processing`; and who holds the claims.
import type { LifecycleStore } from "../ports.js";
import type { DocumentRow } from "../rows.js";
import { redoable, type Db } from "./db.js";
import { byNode } from "../claim-holders.js";

const UNCLAIMED = "status = 'processing' AND NOT EXISTS (SELECT 1 FROM claims c WHERE c.document_id = documents.id)";

export function sqliteHandOut(db: Db): Pick<LifecycleStore, "handOut" | "unclaimed" | "requeueUnclaimed" | "holders"> {
  const waiting = db.prepare("SELECT 1 FROM documents WHERE status = 'queued' LIMIT 1");
  const take = db.prepare("UPDATE documents SET status = 'processing' WHERE status = 'queued' RETURNING *");
  const unclaimed = db.prepare(`SELECT id FROM documents WHERE ${UNCLAIMED} ORDER BY created_at, id`);
  const back = db.prepare(`UPDATE documents SET status = 'queued' WHERE ${UNCLAIMED}`);
  const held = db.prepare("SELECT node, document_id FROM claims ORDER BY node, document_id");
  return {
    async handOut() {
      // read first: the write lock is taken only when something waits (the BullMQ runner asks every sweep)
      if (waiting.get() === undefined) return [];
      // redoable: a hand-over a power cut loses leaves the documents queued, offered again
      const rows = redoable(db, () => db.transaction(() => take.all() as DocumentRow[]).immediate());
      return rows.sort((a, b) => (a.created_at < b.created_at ? -1 : a.created_at > b.created_at ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    },
    unclaimed: async () => (unclaimed.all() as Array<{ id: string }>).map((r) => r.id),
    requeueUnclaimed: async () => db.transaction(() => back.run().changes).immediate(),
    holders: async () => byNode(held.all() as Array<{ node: string; document_id: string }>),
  };
}
