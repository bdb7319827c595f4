// The life-cycle store's queue on the embedded store: the same claims with a lease as PostgreSQL's, each
// step one immediate transaction (one writer at a time: claims never collide).
import type { DocumentRow } from "../rows.js";
import type { LifecycleStore } from "../ports.js";
import { flushed, redoable, type Db } from "./db.js";
import { claimNext, queueDepth } from "./documents.js";
import { analysisFactsOf, commitChange } from "./analysis.js";
import { runOn } from "./document-tx.js";
import { sqliteHandOut } from "./hand-out.js";

export function sqliteLifecycle(db: Db): LifecycleStore {
  const hold = db.prepare(
    "INSERT INTO claims (document_id, node, until) VALUES (?, ?, ?) ON CONFLICT (document_id) DO UPDATE SET node = excluded.node, until = excluded.until",
  );
  const back = db.prepare("UPDATE documents SET status = 'queued' WHERE id = ? AND status = 'processing'");
  const release = db.prepare("DELETE FROM claims WHERE document_id = ?");
  const holds = db.prepare("SELECT 1 FROM claims WHERE document_id = ? AND node = ?");
  const ended = db.prepare("DELETE FROM claims WHERE until < ? RETURNING document_id");
  return {
    // a claim and a settled step are redoable (a power cut that loses them leaves the document queued or
    // processing in the durable state, analysed again): committed without waiting for the disk, as the
    // embedded runner's own claim and settle are
    claim: async (node, leaseMs, now = new Date()) =>
      redoable(db, () =>
        db
          .transaction((): DocumentRow | undefined => {
            const row = claimNext(db);
            if (row) hold.run(row.id, node, new Date(now.getTime() + leaseMs).toISOString());
            return row;
          })
          .immediate(),
      ),
    requeue: async (ids, node) =>
      db
        .transaction(() => {
          for (const id of ids) if (node === undefined || holds.get(id, node)) (back.run(id), release.run(id));
        })
        .immediate(),
    reclaimExpired: async (now = new Date()) =>
      db
        .transaction(() => {
          let n = 0;
          for (const r of ended.all(now.toISOString()) as Array<{ document_id: string }>) n += back.run(r.document_id).changes;
          return n;
        })
        .immediate(),
    queueDepth: async () => queueDepth(db),
    analysisFacts: async (id, policy) => analysisFactsOf(db, id, policy),
    commit: async (change, by) => redoable(db, () => db.transaction(() => commitChange(db, change, by)).immediate()),
    // a step's script runs whole in one immediate transaction (nothing else writes meanwhile), durable when
    // it resolves: committed without waiting for the disk, then one flush shared with concurrent steps
    async run(script) {
      const out = redoable(db, () => db.transaction(() => runOn(db, script())).immediate());
      await flushed(db);
      return out;
    },
    ...sqliteHandOut(db),
    close: async () => void db.close(),
  };
}
