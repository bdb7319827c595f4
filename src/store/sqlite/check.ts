// The store checked as a whole: the log (chain, signed heads, heads kept outside) and the figures
// replayed from it. `kyso audit verify` and GET /api/v1/audit/verify run the full check; the server runs
// the start-up one (every stored hash, the keys, a sample re-hashed) and reports a failure on /readyz, then
// the full check in the background.
import { randomInt } from "node:crypto";
import { auditHead, entryAt, entryHash, firstEdited, GENESIS, verifyStoredChain, type ChainCheck, type TrustedHistory } from "./audit.js";
import type { Db } from "./db.js";
import { SignedLogCheck, type KeptHead, type KeyDetails } from "../../log/signed-history.js";
import { headMessage, readLogKey, verifySignature } from "../../log/key.js";
import { logKeyPath } from "../paths.js";
import { Frontier, leafHash } from "../../log/merkle.js";
import { replayFigures, type FigureCheck } from "./replay.js";
import type { BlobCheck } from "./blob-check.js";
import { currentHead } from "./heads.js";
import { checkStoreSince } from "./since-check.js";

export interface StoreCheck extends ChainCheck {
  /** the figures replayed (absent when the log itself is broken: nothing built on it is checked) */
  figures?: FigureCheck;
  /** the stored files read back (when the caller checked them) */
  blobs?: BlobCheck;
  /** checked from this head on (the size of a head verified before), when the check was incremental */
  since?: number;
  /** the newest signed head the check covered, when it held: the next check can start from it */
  verified?: KeptHead | null;
}

export function checkStore(db: Db, trusted: TrustedHistory = {}): StoreCheck {
  const log = verifyStoredChain(db, trusted);
  if (!log.ok) return log;
  const figures = replayFigures(db);
  return { ...log, ok: figures.ok, figures };
}

/**
 * The full check (or, given a head verified before, the check since it) in one read transaction: the log, the analyses, the documents and the rollups as of one
 * moment, while a server goes on writing (otherwise an analysis committed mid-check looks inserted by hand).
 */
export function checkStoreSnapshot(db: Db, trusted: TrustedHistory = {}, since?: KeptHead): StoreCheck {
  db.exec("BEGIN");
  try {
    // from a head verified before: its consistency with the log now, then only the entries since (issue 27)
    const r: StoreCheck = since ? checkStoreSince(db, since, trusted) : checkStore(db, trusted);
    return { ...r, verified: r.ok ? currentHead(db) : null };
  } finally {
    db.exec("COMMIT");
  }
}

/** One line for people: what failed, where. */
export function describeBroken(r: StoreCheck): string | null {
  if (r.broken) return `the verification log is broken at entry ${r.broken.seq}: ${r.broken.reason}`;
  if (r.figures?.broken) return `the figures do not follow from the log: ${r.figures.broken.table} ${r.figures.broken.row}: ${r.figures.broken.reason}`;
  if (r.blobs?.broken) return `a stored file is not what the store says: ${r.blobs.broken.owner} (${r.blobs.broken.sha256}): ${r.blobs.broken.reason}`;
  return null;
}

/** What the start-up check may be told: the instance's key id (default: the key file beside the database). */
export interface StartupCheckOptions {
  /** entries re-hashed from their content, at random (the newest always) */
  sample?: number;
  /** the key this instance signs with; null when it has none yet */
  instanceKeyId?: string | null;
}

/**
 * At start, in one pass over the log's stored hashes (no entry's content is parsed): seq runs 1..n with
 * no gap, each entry links to the one before, the recorded head is the last entry, every log key was
 * endorsed by the key before it, the tree root recomputed over every stored hash is the one the newest
 * signed head signs (so a rewrite with later hashes recomputed shows without the key), the instance's key
 * is the log's current key or one it endorsed, every entry (a log of up to 50,000) or a random sample and
 * the newest re-hash from their content,
 * the newest analysis has its entry, and the published heads are heads of this log. Null when all holds, else the first failure.
 * The full replay (every entry's content, the figures) runs after start on its own thread.
 */
export function quickCheck(db: Db, kept: readonly KeptHead[] = [], o: StartupCheckOptions = {}): string | null {
  const head = auditHead(db);
  const sample = o.sample ?? 64;
  if (head.seq === 0) {
    const any = db.prepare("SELECT max(seq) n FROM audit_log").get() as { n: number | null };
    return any.n ? `the log holds ${any.n} entries but its recorded head says it is empty: the head was reset by hand` : null;
  }
  const picked = new Set<number>([head.seq]);
  for (let i = 0; i < Math.min(sample, head.seq); i++) picked.add(randomInt(1, head.seq + 1));
  const publishedNewest = [...kept].sort((a, b) => b.size - a.size)[0];
  const keptAt = new Map<number, KeptHead[]>();
  for (const h of kept) keptAt.set(h.size, [...(keptAt.get(h.size) ?? []), h]);
  const keys = new SignedLogCheck();
  const keyDetails = db.prepare("SELECT details FROM audit_log WHERE seq = ?").pluck();
  const frontier = new Frontier();
  const rootsAt = new Map<number, string>();
  let prev = GENESIS;
  let expected = 1;
  let signedSeen = false;
  let lastSignedSeq = 0;
  let lastKeyId: string | null = null;
  // only what the pass needs, as numbers where it can: a million rows are read here at every start
  const rows = db.prepare("SELECT seq, hash, prev_hash, action = 'log-key', key_id FROM audit_log ORDER BY seq").raw().iterate() as IterableIterator<
    [number, string, string, number, string | null]
  >;
  for (const [seq, hash, prevHash, isKey, keyId] of rows) {
    if (seq !== expected) return `entry ${expected} is missing (entry ${expected - 1} is followed by entry ${seq}): entries were deleted`;
    if (prevHash !== prev) return `entry ${seq} does not link to the entry before it`;
    frontier.append(leafHash(hash));
    if (picked.has(seq) || keptAt.has(seq)) rootsAt.set(seq, frontier.root().toString("hex"));
    if (isKey) {
      let d: KeyDetails;
      try {
        d = JSON.parse(keyDetails.get(seq) as string) as KeyDetails;
      } catch {
        return `entry ${seq} (a log key) cannot be read`;
      }
      const problem = keys.learnKey(d);
      if (problem) return `entry ${seq}: ${problem}`;
    }
    if (keyId !== null) {
      signedSeen = true;
      if (keyId !== lastKeyId && !keys.keys.has(keyId))
        return `entry ${seq}'s tree head is signed by key ${keyId}, which the log does not trust (the key file was replaced?)`;
      lastSignedSeq = seq;
      lastKeyId = keyId;
    } else if (signedSeen) return `entry ${seq} carries no signed tree head (appended by hand?)`;
    prev = hash;
    expected++;
  }
  const last = expected - 1;
  if (last !== head.seq || prev !== head.hash)
    return `the log's recorded head (entry ${head.seq}) is not its last entry (${last || "none"}): entries were removed or added by hand`;
  if (lastKeyId !== null) {
    const newest = entryAt(db, lastSignedSeq)!;
    if (!newest.sig || !newest.root) return `entry ${lastSignedSeq} carries no signed tree head (appended by hand?)`;
    const signed = { seq: lastSignedSeq, keyId: lastKeyId, root: newest.root, sig: newest.sig };
    // the root over every stored hash against the newest signed head: any stored hash changed since shows
    if (signed.seq === last && signed.root !== frontier.root().toString("hex"))
      return `the tree root recomputed over the log's ${last} entries is not the one its newest head records: an entry was changed, removed or moved`;
    const key = keys.keys.get(signed.keyId)!;
    if (!verifySignature(key, headMessage(signed.seq, signed.root), signed.sig))
      return `the signed tree head of entry ${signed.seq} does not verify: the log was rewritten`;
    const stored = db.prepare("SELECT frontier FROM audit_head WHERE one = 1").get() as { frontier: string | null };
    if (stored.frontier && signed.seq === last && Frontier.parse(stored.frontier, head.seq).root().toString("hex") !== signed.root)
      return `the tree's recorded right edge does not give the root of entry ${head.seq}`;
    const current = (db.prepare("SELECT key_id FROM audit_head WHERE one = 1").get() as { key_id: string | null }).key_id;
    const instance = o.instanceKeyId === undefined ? instanceKeyIdOf(db) : o.instanceKeyId;
    if (instance !== null && !keys.keys.has(instance))
      return `the instance's log key (${instance}) is not a key of this log (its current key is ${current ?? signed.keyId}): the key file was replaced; restore it, or rotate with kyso audit rotate-key`;
    if (instance === null)
      return `the log's key file is missing (the log is signed with key ${signed.keyId}): restore it from a backup before the server signs with a new one`;
  }
  // a small log is re-hashed whole (under a second); a large one in its sample, the rest by the full check
  const rehashedAll = last <= REHASH_ALL_UP_TO;
  if (rehashedAll) {
    const edited = firstEdited(db, 1, last);
    if (edited !== null) return `entry ${edited} does not match its hash (edited)`;
  }
  for (const seq of [...picked].sort((a, b) => a - b)) {
    const e = entryAt(db, seq);
    if (!e) return `entry ${seq} is missing`;
    if (!rehashedAll && entryHash(e) !== e.hash) return `entry ${seq} does not match its hash (edited)`;
    if (e.sig) {
      if (e.root !== rootsAt.get(seq)) return `entry ${seq}'s recorded tree root is not the root of the entries up to it: an entry up to ${seq} was changed`;
      if (!verifySignature(keys.keys.get(e.keyId!)!, headMessage(e.seq, e.root!), e.sig))
        return `the signed tree head of entry ${seq} does not verify: the log was rewritten`;
    }
  }
  for (const [size, hs] of keptAt) {
    if (size > last)
      return `the log ends at entry ${last}, but the head published in ${hs[0]!.source ?? "the heads file"} covers ${size} entries: entries were removed`;
    for (const h of hs)
      if (h.root !== rootsAt.get(size))
        return `the first ${size} entries no longer give the root published in ${h.source ?? "the heads file"}: the log was rewritten`;
  }
  // rows cut from the log's end with its head moved back leave a consistent shorter log: the newest
  // analysis is still in the store, and its entry (written in the same transaction) must be in the log
  const newest = db.prepare("SELECT id, document_id FROM analyses ORDER BY id DESC LIMIT 1").get() as { id: number; document_id: string } | undefined;
  if (newest) {
    const logged = db
      .prepare("SELECT seq FROM audit_log WHERE document_id = ? AND action IN ('analysis', 'reanalysis') AND json_extract(details, '$.analysisId') = ?")
      .get(newest.document_id, newest.id);
    if (!logged) return `the newest analysis (${newest.id}, document ${newest.document_id}) has no entry in the log: entries were cut from the log's end`;
  }
  if (publishedNewest) {
    const key = keys.keys.get(publishedNewest.keyId);
    if (!key || !verifySignature(key, headMessage(publishedNewest.size, publishedNewest.root), publishedNewest.sig))
      return `the newest head published in ${publishedNewest.source ?? "the heads file"} is not signed by a key of this log`;
  }
  return null;
}

/** Logs up to this many entries are re-hashed whole at start. */
const REHASH_ALL_UP_TO = 50_000;

/** The key id of the key file beside the database, or null when there is none. */
function instanceKeyIdOf(db: Db): string | null {
  if (db.memory) return null;
  return readLogKey(logKeyPath(db.name))?.keyId ?? null;
}
