// The verification log: an append-only hash chain. Each entry's hash covers its own fields and the
// previous entry's hash, so editing, deleting or reordering a row breaks the chain at that row; the head
// (last seq and hash) is kept in its own table, so removing the newest rows shows too. Entries are appended
// inside the transaction of the change they record. Someone able to rewrite the whole file and recompute
// every hash is caught only by comparing with an export's head kept elsewhere (DESIGN: exports carry it).
import type { Db } from "./db.js";
import { createLogKey, endorsementMessage, readLogKey, type LogKey } from "../../log/key.js";
import { logKeyPath } from "../paths.js";
import { Frontier, leafHash } from "../../log/merkle.js";
import type { KeptHead } from "../../log/signed-history.js";
import type { AuditEntry } from "../../log/entry.js";
import { AUDIT_COLUMNS, entryOfRow as fromRow, entryRowValues, type AuditRow } from "../../log/entry-row.js";
import { GENESIS } from "../../log/chain.js";
import type { AuditInput } from "../../log/input.js";
import { keyEntry, nextEntry } from "../../log/next-entry.js";
import { storeSubtree } from "./audit-tree.js";
import { before, type AuditFilter, type LogPage } from "../../log/filter.js";
import { EXPORT_PAGE, exportScript } from "../../log/export-script.js";

export type { AuditEntry } from "../../log/entry.js";
// the log's own rules live in src/log; these names stay importable from here for the store's callers
export { AUDIT_ACTIONS, type AuditAction, type AuditInput } from "../../log/input.js";
export { GENESIS, auditLine, canonicalJson, entryHash } from "../../log/chain.js";
export type { AuditFilter } from "../../log/filter.js";
export { exportHead, verifyExport, type ChainCheck, type TrustedHistory } from "../../log/export-check.js";

/** The key that signs this store's tree heads, read once per connection. */
const signers = new WeakMap<Db, LogKey>();

function signerOf(db: Db): LogKey {
  let k = signers.get(db);
  if (!k) {
    const path = logKeyPath(db.name);
    k = readLogKey(path) ?? createLogKey(path);
    signers.set(db, k);
  }
  return k;
}

interface HeadRow {
  seq: number;
  hash: string;
  frontier: string | null;
  key_id: string | null;
  /** entries whose completed subtrees audit_tree holds (null: none yet) */
  tree_size: number | null;
}

/**
 * Appends an entry. It must run inside the transaction of the change it records (so the change and its
 * entry are stored together or not at all): outside one it throws. The entry's tree head is signed with
 * the instance key; a key the log does not know yet is first recorded by a `log-key` entry.
 */
export function appendAudit(db: Db, input: AuditInput, at: Date = new Date()): AuditEntry {
  if (!db.inTransaction) throw new Error("appendAudit must run inside the transaction of the change it records");
  const key = signerOf(db);
  return append(db, key, keyRecorded(db, key, at), input, at);
}

const readHead = (db: Db) => db.prepare("SELECT seq, hash, frontier, key_id, tree_size FROM audit_head WHERE one = 1").get() as HeadRow | undefined;

/** The head, after a `log-key` entry when the key is not the log's yet (a first key, or a key file
 * replaced without `kyso audit rotate-key`: recorded, but not endorsed by the key before it). */
function keyRecorded(db: Db, key: LogKey, at?: Date): HeadRow | undefined {
  const head = readHead(db);
  if ((head?.key_id ?? null) === key.keyId) return head;
  append(db, key, head, keyEntry(key, head?.key_id ?? null), at);
  return readHead(db);
}

/**
 * Replaces the instance key: the new key is recorded in a `log-key` entry endorsed (and signed) by the
 * old one, so a verifier that trusts the old key trusts the new one. The caller stores the new key where
 * the old one was.
 */
export function rotateLogKey(db: Db, next: LogKey, actor: string): AuditEntry {
  const old = signerOf(db);
  return db
    .transaction(() => {
      const head = keyRecorded(db, old);
      const e = append(db, old, head, {
        actor,
        action: "log-key",
        subject: `log key ${next.keyId}`,
        details: { keyId: next.keyId, publicKey: next.publicKey, previous: old.keyId, endorsement: old.sign(endorsementMessage(next.publicKey)) },
      });
      db.prepare("UPDATE audit_head SET key_id = ? WHERE one = 1").run(next.keyId);
      signers.set(db, next);
      return e;
    })
    .immediate();
}

/** The tree's right edge at the head (built from the log once, for a log older than signed heads). */
function frontierAt(db: Db, head: HeadRow | undefined): Frontier {
  if (!head || head.seq === 0) return new Frontier();
  if (head.frontier) return Frontier.parse(head.frontier, head.seq);
  const f = new Frontier();
  for (const r of db.prepare("SELECT hash FROM audit_log WHERE seq <= ? ORDER BY seq").iterate(head.seq) as IterableIterator<{ hash: string }>)
    f.append(leafHash(r.hash));
  return f;
}

function append(db: Db, key: LogKey, head: HeadRow | undefined, input: AuditInput, at: Date = new Date()): AuditEntry {
  const frontier = frontierAt(db, head);
  const { entry, detailsText, subtrees } = nextEntry(head, frontier, key, input, at);
  // the subtrees this entry completes, while the stored ones cover the log up to here (fillTree does the rest)
  const covered = (head?.tree_size ?? 0) === (head?.seq ?? 0);
  if (covered) for (const n of subtrees) storeSubtree(db, n);
  db.prepare(`INSERT INTO audit_log (${AUDIT_COLUMNS}) VALUES (${AUDIT_COLUMNS.split(",").fill("?").join(", ")})`).run(...entryRowValues(entry, detailsText));
  db.prepare(
    "INSERT INTO audit_head (one, seq, hash, frontier, key_id, tree_size) VALUES (1, ?, ?, ?, ?, ?) ON CONFLICT(one) DO UPDATE SET seq = excluded.seq, hash = excluded.hash, frontier = excluded.frontier, key_id = excluded.key_id, tree_size = excluded.tree_size",
  ).run(entry.seq, entry.hash, frontier.serialize(), key.keyId, covered ? entry.seq : (head?.tree_size ?? 0));
  return entry;
}

function where(f: AuditFilter, afterSeq = 0): { sql: string; args: unknown[] } {
  const w: string[] = ["seq > ?"];
  const args: unknown[] = [afterSeq];
  if (f.from) (w.push("at >= ?"), args.push(f.from));
  if (f.to) (w.push("at < ?"), args.push(before(f.to)));
  if (f.agency) (w.push("agency = ?"), args.push(f.agency));
  if (f.documentId) (w.push("document_id = ?"), args.push(f.documentId));
  if (f.action) (w.push("action = ?"), args.push(f.action));
  return { sql: w.join(" AND "), args };
}

/** A page of entries in log order, after the entry `afterSeq`. */
export function listAudit(db: Db, f: AuditFilter, afterSeq: number, limit: number): LogPage<AuditEntry> {
  const w = where(f, afterSeq);
  const rows = db.prepare(`SELECT * FROM audit_log WHERE ${w.sql} ORDER BY seq LIMIT ?`).all(...w.args, limit + 1) as AuditRow[];
  const page = rows.slice(0, limit).map(fromRow);
  return { entries: page, next: rows.length > limit ? page[page.length - 1]!.seq : null };
}

/** The entries after `afterSeq` in log order, read as they are iterated. */
export function* entriesAfter(db: Db, afterSeq: number): Generator<AuditEntry> {
  for (const r of db.prepare("SELECT * FROM audit_log WHERE seq > ? ORDER BY seq").iterate(afterSeq) as IterableIterator<AuditRow>) yield fromRow(r);
}

/** The entry numbered `seq`, or null when there is none (a gap shows as null, never as the next entry). */
export function entryAt(db: Db, seq: number): AuditEntry | null {
  const r = db.prepare("SELECT * FROM audit_log WHERE seq = ?").get(seq) as AuditRow | undefined;
  return r ? fromRow(r) : null;
}

export function auditHead(db: Db): { seq: number; hash: string } {
  return (db.prepare("SELECT seq, hash FROM audit_head WHERE one = 1").get() as { seq: number; hash: string } | undefined) ?? { seq: 0, hash: GENESIS };
}

/** The export (log/export-script.ts), read as it is iterated. */
export function* exportAudit(db: Db, f: AuditFilter = {}): Generator<string> {
  const head = auditHead(db);
  const signed = signedHead(db, head.seq);
  const script = exportScript({ ...head, ...(signed ?? {}) }, f);
  for (let step = script.next(); !step.done;) {
    if ("line" in step.value) {
      yield step.value.line;
      step = script.next();
    } else step = script.next(listAudit(db, f, step.value.after, EXPORT_PAGE));
  }
}

/** The signed tree head at an entry (the head of the log when it had `seq` entries), if it has one. */
export function signedHead(db: Db, seq: number): KeptHead | null {
  const r = db.prepare("SELECT seq, root, key_id, sig, at FROM audit_log WHERE seq = ?").get(seq) as
    { seq: number; root: string | null; key_id: string | null; sig: string | null; at: string } | undefined;
  return r?.sig ? { size: r.seq, root: r.root!, keyId: r.key_id!, sig: r.sig, at: r.at } : null;
}
