// A forger with write access to the database and the code: entry `seq` edited, then every hash after it and
// the kept head recomputed, so the chain checks out on its own. Only a head kept elsewhere can tell.
import type Database from "better-sqlite3";
import { canonicalJson, entryHash } from "../../src/store/sqlite/audit.js";
import { headMessage, type LogKey } from "../../src/log/key.js";
import { Frontier, leafHash } from "../../src/log/merkle.js";

export function rewriteLog(db: Database.Database, seq: number, edit: (details: Record<string, unknown>) => Record<string, unknown>): void {
  const rows = db.prepare("SELECT * FROM audit_log ORDER BY seq").all() as Array<Record<string, string | number | null>>;
  let prev = rows[0]!.prev_hash as string;
  for (const r of rows) {
    const original = JSON.parse(String(r.details)) as Record<string, unknown>;
    const details = r.seq === seq ? edit(original) : original;
    const body = {
      seq: r.seq as number,
      at: r.at as string,
      actor: r.actor as string,
      action: r.action as string,
      subject: r.subject as string,
      documentId: r.document_id as string | null,
      agency: r.agency as string | null,
      engine: r.engine as string | null,
      trustStore: r.trust_store as string | null,
      details,
      prev,
    };
    const hash = entryHash(body);
    db.prepare("UPDATE audit_log SET details = ?, prev_hash = ?, hash = ? WHERE seq = ?").run(canonicalJson(details), prev, hash, r.seq);
    prev = hash;
  }
  db.prepare("UPDATE audit_head SET hash = ?").run(prev);
}

/**
 * A forger who also holds the instance key: every entry's tree head recomputed and signed again after a
 * rewrite, so the store checks out on its own. Only a head kept outside it can tell.
 */
export function resignLog(db: Database.Database, key: LogKey): void {
  const rows = db.prepare("SELECT seq, hash FROM audit_log ORDER BY seq").all() as Array<{ seq: number; hash: string }>;
  const f = new Frontier();
  for (const r of rows) {
    f.append(leafHash(r.hash));
    const root = f.root().toString("hex");
    db.prepare("UPDATE audit_log SET root = ?, key_id = ?, sig = ? WHERE seq = ?").run(root, key.keyId, key.sign(headMessage(r.seq, root)), r.seq);
  }
  db.prepare("UPDATE audit_head SET frontier = ?").run(f.serialize());
}
