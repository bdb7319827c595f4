// The hand-overs without a claim on PostgreSQL: documents given to another queue (BullMQ), taken with
// SKIP LOCKED so two nodes handing out at once never give the same document, and the documents a
// claimless process left `processing`; and who holds the claims.
import type { LifecycleStore } from "../ports.js";
import type { DocumentRow } from "../rows.js";
import { retrying, type Pool } from "./db.js";
import { byNode } from "../claim-holders.js";

const UNCLAIMED = "status = 'processing' AND NOT EXISTS (SELECT 1 FROM claims c WHERE c.document_id = documents.id)";
const ORDER = 'created_at COLLATE "C", id COLLATE "C"';

export function postgresHandOut(pool: Pool): Pick<LifecycleStore, "handOut" | "unclaimed" | "requeueUnclaimed" | "holders"> {
  return {
    async handOut() {
      const r = await retrying(() =>
        pool.query<DocumentRow>(
          `WITH picked AS (SELECT id FROM documents WHERE status = 'queued' ORDER BY ${ORDER} FOR UPDATE SKIP LOCKED),
           taken AS (UPDATE documents d SET status = 'processing' FROM picked WHERE d.id = picked.id RETURNING d.*)
           SELECT * FROM taken ORDER BY ${ORDER}`,
        ),
      );
      return r.rows;
    },
    unclaimed: async () => (await pool.query<{ id: string }>(`SELECT id FROM documents WHERE ${UNCLAIMED} ORDER BY ${ORDER}`)).rows.map((r) => r.id),
    // a document claimed meanwhile was queued in this statement's snapshot, so it is not touched
    requeueUnclaimed: async () => (await retrying(() => pool.query(`UPDATE documents SET status = 'queued' WHERE ${UNCLAIMED}`))).rowCount ?? 0,
    holders: async () =>
      byNode(
        (await pool.query<{ node: string; document_id: string }>('SELECT node, document_id FROM claims ORDER BY node COLLATE "C", document_id COLLATE "C"'))
          .rows,
      ),
  };
}
