// The log's completed perfect subtrees (audit_tree), kept as they complete so proofs read O(log² n) stored
// hashes. Typed on the driver's connection, not on db.ts's Db, so openDb can fill them without a circle.
import type Database from "better-sqlite3";
import { Frontier, leafHash } from "../../log/merkle.js";

/** Keeps one completed subtree of the log's Merkle tree (proofs read them: heads.ts). */
export function storeSubtree(db: Database.Database, n: { lo: number; height: number; hash: Buffer }): void {
  db.prepare("INSERT OR REPLACE INTO audit_tree (height, lo, hash) VALUES (?, ?, ?)").run(n.height, n.lo, n.hash.toString("hex"));
}

/**
 * Stores the log's completed subtrees when they do not cover the log yet (a log from before audit_tree, or
 * one whose head was set back by hand): once, in one pass over the log. Returns the entries it covered.
 */
export function fillTree(db: Database.Database): number {
  const head = db.prepare("SELECT seq, tree_size FROM audit_head WHERE one = 1").get() as { seq: number; tree_size: number | null } | undefined;
  if (!head || (head.tree_size ?? 0) === head.seq) return 0;
  return db
    .transaction(() => {
      db.prepare("DELETE FROM audit_tree").run();
      const f = new Frontier();
      // in pages: a statement being iterated cannot share its connection with the inserts
      const page = db.prepare("SELECT seq, hash FROM audit_log WHERE seq > ? AND seq <= ? ORDER BY seq LIMIT 10000");
      for (let after = 0; ;) {
        const rows = page.all(after, head.seq) as Array<{ seq: number; hash: string }>;
        if (!rows.length) break;
        for (const r of rows) for (const n of f.append(leafHash(r.hash))) storeSubtree(db, n);
        after = rows[rows.length - 1]!.seq;
      }
      db.prepare("UPDATE audit_head SET tree_size = ? WHERE one = 1").run(f.size);
      return f.size;
    })
    .immediate();
}
