// The log port on PostgreSQL. An append locks the head row (SELECT … FOR UPDATE) in its transaction, so
// appends from several nodes queue there and the log stays one chain: each reads the head the one
// before it committed. The entry itself is decided by src/log (nextEntry); this file only stores it.
// Every perfect subtree is stored as it completes, from entry 1, so proofs read stored hashes only.
import type { AuditEntry } from "../../log/entry.js";
import { AUDIT_COLUMNS, entryOfRow as fromRow, entryRowValues, type AuditRow as Row } from "../../log/entry-row.js";
import type { AuditInput } from "../../log/input.js";
import type { LogKey } from "../../log/key.js";
import { Frontier, inclusionProofFrom, consistencyProofFrom, leafHash, rootFrom, type Hash, type Subtrees } from "../../log/merkle.js";
import { keyEntry, nextEntry } from "../../log/next-entry.js";
import { ProofError, type InclusionProof } from "../../log/proof.js";
import type { KeptHead } from "../../log/signed-history.js";
import type { LogPort, LogReads } from "../ports.js";
import { inTransaction, type Client, type Pool } from "./db.js";
import { before } from "../../log/filter.js";

interface HeadRow {
  seq: string;
  hash: string;
  frontier: string | null;
  key_id: string | null;
}

/**
 * Appends in the caller's transaction (a change and its entries commit together): the head row locked,
 * then each entry decided and stored. A key the log does not know yet is first recorded by a `log-key`
 * entry, as on the embedded store.
 */
export async function appendIn(c: Client, key: LogKey, inputs: readonly AuditInput[], at: Date = new Date()): Promise<AuditEntry[]> {
  const h = (await c.query<HeadRow>("SELECT seq, hash, frontier, key_id FROM audit_head WHERE one = 1 FOR UPDATE")).rows[0];
  if (!h) throw new Error("the log's head row is missing: the database was not migrated (kyso migrate)");
  let head = { seq: Number(h.seq), hash: h.hash };
  const frontier = Frontier.parse(h.frontier, head.seq);
  const write = async (input: AuditInput): Promise<AuditEntry> => {
    const { entry, detailsText, subtrees } = nextEntry(head.seq ? head : undefined, frontier, key, input, at);
    await c.query(
      `INSERT INTO audit_log (${AUDIT_COLUMNS}) VALUES (${AUDIT_COLUMNS.split(",")
        .map((_, i) => `$${i + 1}`)
        .join(", ")})`,
      entryRowValues(entry, detailsText),
    );
    for (const n of subtrees) await c.query("INSERT INTO audit_tree (height, lo, hash) VALUES ($1, $2, $3)", [n.height, n.lo, n.hash.toString("hex")]);
    head = { seq: entry.seq, hash: entry.hash };
    return entry;
  };
  const out: AuditEntry[] = [];
  if (h.key_id !== key.keyId) await write(keyEntry(key, h.key_id));
  for (const input of inputs) out.push(await write(input));
  await c.query("UPDATE audit_head SET seq = $1, hash = $2, frontier = $3, key_id = $4, tree_size = $1 WHERE one = 1", [
    head.seq,
    head.hash,
    frontier.serialize(),
    key.keyId,
  ]);
  return out;
}

const hex = (h: Hash): string => h.toString("hex");

/**
 * The subtrees a proof over the first `size` entries reads, fetched in one query: the proof's walk depends
 * on the numbers only, so a first walk over placeholders names every subtree it needs.
 */
async function subtreesFor(pool: Pool, size: number, walk: (t: Subtrees) => unknown): Promise<Subtrees> {
  const wanted = new Map<string, [number, number]>();
  const zero = Buffer.alloc(32);
  walk({
    perfect: (lo, height) => {
      wanted.set(`${height}:${lo}`, [height, lo]);
      return zero;
    },
  });
  const leaves = [...wanted.values()].filter(([h]) => h === 0).map(([, lo]) => lo + 1);
  const nodes = [...wanted.values()].filter(([h]) => h > 0);
  const got = new Map<string, Hash>();
  if (leaves.length)
    for (const r of (await pool.query<{ seq: string; hash: string }>("SELECT seq, hash FROM audit_log WHERE seq = ANY($1::bigint[])", [leaves])).rows)
      got.set(`0:${Number(r.seq) - 1}`, leafHash(r.hash));
  if (nodes.length)
    for (const r of (
      await pool.query<{ height: number; lo: string; hash: string }>(
        "SELECT t.height, t.lo, t.hash FROM audit_tree t JOIN unnest($1::int[], $2::bigint[]) AS w(height, lo) ON t.height = w.height AND t.lo = w.lo",
        [nodes.map(([h]) => h), nodes.map(([, lo]) => lo)],
      )
    ).rows)
      got.set(`${r.height}:${Number(r.lo)}`, Buffer.from(r.hash, "hex"));
  return {
    perfect: (lo, height) => {
      const v = got.get(`${height}:${lo}`);
      if (!v) throw new ProofError(height === 0 ? `the log has no entry ${lo + 1} (it should have ${size})` : `the log's subtree ${height}:${lo} is missing`);
      return v;
    },
  };
}

/** The newest entry's number and hash. */
async function headOf(pool: Pool): Promise<{ seq: number; hash: string }> {
  const r = (await pool.query<{ seq: string; hash: string }>("SELECT seq, hash FROM audit_head WHERE one = 1")).rows[0];
  return r ? { seq: Number(r.seq), hash: r.hash } : { seq: 0, hash: "0".repeat(64) };
}

/** The signed head at entry `size`, with the public key the log recorded for its key. */
async function signedHeadAt(pool: Pool, size: number): Promise<KeptHead & { publicKey: string }> {
  const r = (await pool.query<Row>("SELECT * FROM audit_log WHERE seq = $1", [size])).rows[0];
  if (!r?.sig) throw new ProofError(`entry ${size} has no signed head`);
  const k = (
    await pool.query<{ details: string }>("SELECT details FROM audit_log WHERE action = 'log-key' AND (details::jsonb ->> 'keyId') = $1 ORDER BY seq LIMIT 1", [
      r.key_id,
    ])
  ).rows[0];
  const publicKey = k ? String((JSON.parse(k.details) as { publicKey?: unknown }).publicKey ?? "") : "";
  return { size, root: r.root!, keyId: r.key_id!, sig: r.sig, at: r.at, publicKey };
}

export function postgresLog(pool: Pool, key: LogKey): LogPort {
  const head = () => headOf(pool);
  const headAt = (size: number) => signedHeadAt(pool, size);
  return {
    append: (inputs, at) => inTransaction(pool, (c) => appendIn(c, key, inputs, at)),
    head,
    entries: async (afterSeq, limit) =>
      (await pool.query<Row>("SELECT * FROM audit_log WHERE seq > $1 ORDER BY seq LIMIT $2", [afterSeq, limit])).rows.map(fromRow),
    async proveInclusion(seq, size): Promise<InclusionProof> {
      const n = size ?? (await head()).seq;
      if (!(seq >= 1 && seq <= n && n <= (await head()).seq)) throw new ProofError(`no entry ${seq} in a log of ${n} entries`);
      const row = (await pool.query<Row>("SELECT * FROM audit_log WHERE seq = $1", [seq])).rows[0];
      if (!row) throw new ProofError(`no entry ${seq} in the log`);
      const walk = (t: Subtrees) => ({ root: rootFrom(t, 0, n), path: inclusionProofFrom(t, seq - 1, n) });
      const { root, path } = walk(await subtreesFor(pool, n, walk));
      return { inclusion: { entry: fromRow(row), index: seq - 1, size: n, root: hex(root), path: path.map(hex) }, head: await headAt(n) };
    },
    async proveConsistency(first, second) {
      const all = (await head()).seq;
      const n = second ?? all;
      if (!(first >= 1 && first <= n && n <= all)) throw new ProofError(`no consistency proof from ${first} to ${n} entries in a log of ${all}`);
      const walk = (t: Subtrees) => consistencyProofFrom(t, first, n);
      const path = walk(await subtreesFor(pool, n, walk));
      return { consistency: { first: await headAt(first), second: await headAt(n), path: path.map(hex) } };
    },
    close: () => pool.end(),
  };
}

/**
 * The auditors' reads of the log on PostgreSQL. Times are ISO text compared bytewise (COLLATE "C"), as the
 * embedded store compares them, whatever the database's collation.
 */
export function postgresLogReads(pool: Pool): LogReads {
  return {
    head: () => headOf(pool),
    async page(f, afterSeq, limit) {
      const args: unknown[] = [afterSeq];
      const w = ["seq > $1"];
      const add = (sql: string, v: unknown) => (args.push(v), w.push(`${sql} $${args.length}`));
      if (f.from) add(`at COLLATE "C" >=`, f.from);
      if (f.to) add(`at COLLATE "C" <`, before(f.to));
      if (f.agency) add("agency =", f.agency);
      if (f.documentId) add("document_id =", f.documentId);
      if (f.action) add("action =", f.action);
      args.push(limit + 1);
      const rows = (await pool.query<Row>(`SELECT * FROM audit_log WHERE ${w.join(" AND ")} ORDER BY seq LIMIT $${args.length}`, args)).rows;
      const entries = rows.slice(0, limit).map(fromRow);
      return { entries, next: rows.length > limit ? entries[entries.length - 1]!.seq : null };
    },
    async proveEntries(seqs, size) {
      const within = seqs.filter((s) => s >= 1 && s <= size);
      // one walk over all the proofs names every subtree they read, fetched in one query (a memo per walk:
      // the placeholders' hashes must not reach the real one)
      const walk = (t: Subtrees) => {
        const memo = new Map<string, Hash>();
        return within.map((seq) => inclusionProofFrom(t, seq - 1, size, memo));
      };
      const paths = walk(await subtreesFor(pool, size, walk));
      return { head: await signedHeadAt(pool, size), proofs: within.map((seq, i) => ({ seq, path: paths[i]!.map(hex) })) };
    },
  };
}
