// The life-cycle store on PostgreSQL, its queue: a claim takes the oldest queued document with FOR UPDATE
// SKIP LOCKED, so nodes asking at once each get another document and none waits on another's claim; the
// claim is held in `claims` with its node and a lease, so a node's death shows as a lease that ended.
import type { DocumentRow } from "../rows.js";
import type { LifecycleStore } from "../ports.js";
import { inTransaction, type Pool } from "./db.js";

export function postgresLifecycle(pool: Pool): LifecycleStore {
  return {
    async claim(node, leaseMs, now = new Date()) {
      const r = await pool.query<DocumentRow>(
        `WITH picked AS (SELECT id FROM documents WHERE status = 'queued' ORDER BY created_at, id LIMIT 1 FOR UPDATE SKIP LOCKED),
           taken AS (UPDATE documents d SET status = 'processing', attempts = d.attempts + 1 FROM picked WHERE d.id = picked.id RETURNING d.*),
           held AS (INSERT INTO claims (document_id, node, until) SELECT id, $1, $2 FROM taken
             ON CONFLICT (document_id) DO UPDATE SET node = excluded.node, until = excluded.until)
         SELECT * FROM taken`,
        [node, new Date(now.getTime() + leaseMs).toISOString()],
      );
      return r.rows[0];
    },
    async requeue(ids) {
      if (!ids.length) return;
      await inTransaction(pool, async (c) => {
        await c.query("UPDATE documents SET status = 'queued' WHERE id = ANY($1::text[]) AND status = 'processing'", [[...ids]]);
        await c.query("DELETE FROM claims WHERE document_id = ANY($1::text[])", [[...ids]]);
      });
    },
    async reclaimExpired(now = new Date()) {
      const r = await pool.query(
        `WITH ended AS (DELETE FROM claims WHERE until < $1 RETURNING document_id)
         UPDATE documents SET status = 'queued' WHERE id IN (SELECT document_id FROM ended) AND status = 'processing'`,
        [now.toISOString()],
      );
      return r.rowCount ?? 0;
    },
    queueDepth: async () => (await pool.query<{ n: number }>("SELECT count(*)::int n FROM documents WHERE status IN ('queued', 'processing')")).rows[0]!.n,
    close: () => pool.end(),
  };
}
