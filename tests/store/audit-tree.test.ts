// The log's perfect subtrees kept as they complete (audit_tree): proofs read O(log² n) stored hashes
// instead of hashing the whole log, give the same paths as proofs computed from every entry, and a log
// from before the table (or with the table gone) gets its subtrees once when the store is opened.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { appendAudit, listAudit } from "../../src/store/sqlite/audit.js";
import { openDb, type Db } from "../../src/store/sqlite/db.js";
import { checkProof, proveConsistency, proveEntries, proveInclusion } from "../../src/store/sqlite/heads.js";
import { consistencyProof, inclusionProof, leafHash } from "../../src/log/merkle.js";

const append = (db: Db, i: number) =>
  db.transaction(() => appendAudit(db, { actor: "test", action: "agencies-update", subject: `change ${i}`, details: { i } }))();
const leaves = (db: Db, n: number) =>
  (db.prepare("SELECT hash FROM audit_log WHERE seq <= ? ORDER BY seq").all(n) as Array<{ hash: string }>).map((r) => leafHash(r.hash));
const entry = (db: Db, seq: number) => listAudit(db, {}, seq - 1, 1).entries[0]!;

describe("the log's stored subtrees", () => {
  const dir = mkdtempSync(join(tmpdir(), "kyso-tree-"));
  const db = openDb(dir);
  for (let i = 1; i <= 76; i++) append(db, i);
  // the store's first entry records the log key: 77 in all
  const n = (db.prepare("SELECT seq FROM audit_head").get() as { seq: number }).seq;

  it("give the proofs computed from every entry, for every entry and head size", () => {
    expect(n).toBe(77);
    expect((db.prepare("SELECT tree_size t FROM audit_head").get() as { t: number }).t).toBe(77);
    for (const size of [1, 2, 5, 32, 33, 64, 77]) {
      const L = leaves(db, size);
      for (let seq = 1; seq <= size; seq++)
        expect(proveInclusion(db, seq, entry(db, seq), size).inclusion.path, `${seq} of ${size}`).toEqual(
          inclusionProof(L, seq - 1).map((h) => h.toString("hex")),
        );
      for (let first = 1; first <= size; first += 7)
        expect(proveConsistency(db, first, size).consistency.path).toEqual(consistencyProof(L, first).map((h) => h.toString("hex")));
    }
    const all = proveEntries(db, [1, 40, 77]);
    const L = leaves(db, 77);
    expect(all.proofs.map((p) => p.path)).toEqual([1, 40, 77].map((s) => inclusionProof(L, s - 1).map((h) => h.toString("hex"))));
    // the one-bit checks of proofs hold for these as for the others
    expect(checkProof(proveInclusion(db, 9, entry(db, 9))).every((c) => c.ok)).toBe(true);
  });

  it("are what a proof reads: old entries are not hashed again", () => {
    const copy = mkdtempSync(join(tmpdir(), "kyso-tree-"));
    const d = openDb(copy);
    for (let i = 1; i <= 63; i++) append(d, i);
    const newest = entry(d, 64);
    // the first 32 entries' hashes spoiled after their subtree was stored: a proof of the newest entry
    // that hashed the log again would no longer reach the signed root
    d.prepare("UPDATE audit_log SET hash = ? WHERE seq <= 32").run("0".repeat(64));
    expect(checkProof(proveInclusion(d, 64, newest)).every((c) => c.ok)).toBe(true);
    d.close();
  });

  it("are stored once for a log from before them, when the store is opened", () => {
    db.prepare("DELETE FROM audit_tree").run();
    db.prepare("UPDATE audit_head SET tree_size = NULL").run();
    db.close();
    const again = openDb(dir);
    expect((again.prepare("SELECT tree_size t FROM audit_head").get() as { t: number }).t).toBe(77);
    // perfect subtrees of height 1 and more in a tree of 77 leaves: 38 + 19 + 9 + 4 + 2 + 1
    expect((again.prepare("SELECT count(*) n FROM audit_tree").get() as { n: number }).n).toBe(73);
    const L = leaves(again, 77);
    expect(proveInclusion(again, 50, entry(again, 50)).inclusion.path).toEqual(inclusionProof(L, 49).map((h) => h.toString("hex")));
    // and the log grows on from there with its subtrees
    append(again, 78);
    expect((again.prepare("SELECT tree_size t FROM audit_head").get() as { t: number }).t).toBe(78);
    expect(proveInclusion(again, 78, entry(again, 78)).inclusion.path).toEqual(inclusionProof(leaves(again, 78), 77).map((h) => h.toString("hex")));
    again.close();
  });
});
