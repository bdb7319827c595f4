// The life-cycle store on PostgreSQL, its queue: a claim takes the oldest queued document with FOR UPDATE
// SKIP LOCKED, so nodes asking at once each get another document and none waits on another's claim; the
// claim is held in `claims` with its node and a lease, so a node's death shows as a lease that ended.
import { DEFAULT_POLICY, type CompliancePolicy } from "../../compliance/index.js";
import type { LogKey } from "../../log/key.js";
import type { DocumentRow } from "../rows.js";
import type { LifecycleStore } from "../ports.js";
import { directoryFrom } from "../read-model/figures.js";
import { inTransaction, retrying, type Client, type Pool } from "./db.js";
import { mayCommit, settledColumns } from "../row-facts.js";
import { appendIn } from "./log-port.js";
import { runIn } from "./document-tx.js";
import { postgresReadModel } from "./read-model.js";
import { postgresHandOut } from "./hand-out.js";

/** A document's recipients in bytewise order, as the embedded store lists them (its facts' digest covers them). */
async function recipientsOf(q: Pool | Client, id: string): Promise<string[]> {
  return (await q.query<{ recipient: string }>('SELECT recipient FROM deliveries WHERE document_id = $1 ORDER BY recipient COLLATE "C"', [id])).rows.map(
    (r) => r.recipient,
  );
}

export function postgresLifecycle(pool: Pool, logKey: LogKey): LifecycleStore {
  const figures = postgresReadModel(pool);
  const storedPolicy = async (): Promise<CompliancePolicy> => {
    const r = (await pool.query<{ value: string }>("SELECT value FROM settings WHERE key = 'policy'")).rows[0];
    return r ? { ...DEFAULT_POLICY, ...(JSON.parse(r.value) as Partial<CompliancePolicy>) } : DEFAULT_POLICY;
  };
  return {
    async claim(node, leaseMs, now = new Date()) {
      const r = await retrying(() =>
        pool.query<DocumentRow>(
          `WITH picked AS (SELECT id FROM documents WHERE status = 'queued' ORDER BY created_at COLLATE "C", id COLLATE "C" LIMIT 1 FOR UPDATE SKIP LOCKED),
           taken AS (UPDATE documents d SET status = 'processing', attempts = d.attempts + 1 FROM picked WHERE d.id = picked.id RETURNING d.*),
           held AS (INSERT INTO claims (document_id, node, until) SELECT id, $1, $2 FROM taken
             ON CONFLICT (document_id) DO UPDATE SET node = excluded.node, until = excluded.until)
         SELECT * FROM taken`,
          [node, new Date(now.getTime() + leaseMs).toISOString()],
        ),
      );
      return r.rows[0];
    },
    async requeue(ids, node) {
      if (!ids.length) return;
      await inTransaction(pool, async (c) => {
        // with a node: only the documents it still holds (another may have taken one whose lease ended)
        const mine =
          node === undefined
            ? [...ids]
            : (
                await c.query<{ document_id: string }>("DELETE FROM claims WHERE document_id = ANY($1::text[]) AND node = $2 RETURNING document_id", [
                  [...ids],
                  node,
                ])
              ).rows.map((r) => r.document_id);
        if (node === undefined) await c.query("DELETE FROM claims WHERE document_id = ANY($1::text[])", [mine]);
        await c.query("UPDATE documents SET status = 'queued' WHERE id = ANY($1::text[]) AND status = 'processing'", [mine]);
      });
    },
    async reclaimExpired(now = new Date()) {
      const r = await retrying(() =>
        pool.query(
          `WITH ended AS (DELETE FROM claims WHERE until < $1 RETURNING document_id)
         UPDATE documents SET status = 'queued' WHERE id IN (SELECT document_id FROM ended) AND status = 'processing'`,
          [now.toISOString()],
        ),
      );
      return r.rowCount ?? 0;
    },
    async analysisFacts(id, policy) {
      const row = (await pool.query<DocumentRow>("SELECT * FROM documents WHERE id = $1", [id])).rows[0];
      if (!row) return undefined;
      const [recipients, before, agencies] = await Promise.all([
        recipientsOf(pool, id),
        pool.query("SELECT 1 FROM analyses WHERE document_id = $1 LIMIT 1", [id]),
        figures.agencies(),
      ]);
      return {
        row,
        recipients,
        analysedBefore: (before.rowCount ?? 0) > 0,
        directory: directoryFrom(agencies),
        policy: policy ?? (await storedPolicy()),
      };
    },
    commit: (c, by) =>
      inTransaction(pool, async (t) => {
        // the row locked as it is checked: a node settling the same document waits, then finds it moved
        const now = (await t.query<DocumentRow>("SELECT * FROM documents WHERE id = $1 FOR UPDATE", [c.id])).rows[0];
        const holds = by !== undefined && ((await t.query("SELECT 1 FROM claims WHERE document_id = $1 AND node = $2", [c.id, by.node])).rowCount ?? 0) > 0;
        if (!now || !mayCommit(c, now, await recipientsOf(t, c.id), by, holds)) return false;
        const set = settledColumns(c.columns);
        const a = c.analysis;
        let analysisId: number | null = null;
        if (a) {
          analysisId = (
            await t.query<{ id: number }>(
              "INSERT INTO analyses (document_id, engine, trust_store, validation_time, duration_ms, report, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
              [c.id, a.engine, a.trustStore, a.validationTime, a.durationMs, a.report, a.createdAt],
            )
          ).rows[0]!.id;
          for (const s of a.signatures)
            await t.query(
              "INSERT INTO signatures (analysis_id, idx, kind, indication, sub_indication, signer_subject, signer_kind) VALUES ($1, $2, $3, $4, $5, $6, $7)",
              [analysisId, s.idx, s.kind, s.indication, s.subIndication, s.signerSubject, s.signerKind],
            );
        }
        if (set.length)
          await t.query(`UPDATE documents SET ${set.map((k, i) => `${k} = $${i + 2}`).join(", ")} WHERE id = $1`, [c.id, ...set.map((k) => c.columns[k])]);
        await t.query("DELETE FROM claims WHERE document_id = $1", [c.id]);
        await appendIn(t, logKey, [...c.entries, ...(a ? [{ ...a.entry, details: { ...a.entry.details, analysisId } }] : [])]);
        return true;
      }),
    queueDepth: async () => (await pool.query<{ n: number }>("SELECT count(*)::int n FROM documents WHERE status IN ('queued', 'processing')")).rows[0]!.n,
    // one transaction per step, run again from its start when PostgreSQL ends it in a deadlock (hence a
    // script factory); steps on the same document wait for each other (./document-tx.ts)
    run: (script) => inTransaction(pool, (t) => runIn(t, logKey, script())),
    ...postgresHandOut(pool),
    close: () => pool.end(),
  };
}
