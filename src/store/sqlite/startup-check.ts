// The start-up check (issue 27): what `kyso serve` verifies before it says ready, in a time that does not
// grow with the log. A pass over every stored hash took ~4 s per million entries (half reading rows, half
// hashing the tree), so only the newest entries are read whole; the older ones are checked through the
// stored Merkle subtrees against signed roots: the log must extend the head the last full check verified
// and the newest published head (consistency proofs), and entries at random must re-hash, link and be in
// the newest head's tree (inclusion proofs). What only a pass over every entry shows (an old entry edited
// or deleted without its subtrees, an older published head) is the full check's, run after start.
import { randomInt } from "node:crypto";
import { auditHead, entriesAfter, entryAt, entryHash, GENESIS, type AuditEntry } from "./audit.js";
import type { Db } from "./db.js";
import { edgeAt, storedSubtrees } from "./heads.js";
import { keptVerifiedHead } from "./verified-head.js";
import { SignedLogCheck, type KeptHead, type KeyDetails } from "../../log/signed-history.js";
import { headMessage, readLogKey, verifySignature } from "../../log/key.js";
import { consistencyProofFrom, Frontier, inclusionProofFrom, leafHash, verifyConsistency, verifyInclusion, type Hash } from "../../log/merkle.js";
import { logKeyPath } from "../paths.js";
import { WHOLE, type StartupCheck } from "../startup-coverage.js";

export type { StartupCheck };

export interface StartupCheckOptions {
  /** older entries checked at random (default 64) */
  sample?: number;
  /** the key this instance signs with; null when it has none yet (default: the key file beside the database) */
  instanceKeyId?: string | null;
  /** how many of the newest entries are read whole (default 20,000, a few days of a province: under a second from a cold disk) */
  whole?: number;
  /** the head the last full check verified (default: the one kept in the store) */
  verified?: KeptHead | null;
}

/** quickCheck's answer with what it covered. `kept`: heads kept outside the store (the server gives the newest published). */
export function startupCheck(db: Db, kept: readonly KeptHead[] = [], o: StartupCheckOptions = {}): StartupCheck {
  const head = auditHead(db);
  const out: StartupCheck = { problem: null, entries: head.seq, whole: null, extends: [], sampled: 0 };
  const fail = (problem: string): StartupCheck => ({ ...out, problem });
  const max = (db.prepare("SELECT max(seq) n FROM audit_log").get() as { n: number | null }).n ?? 0;
  if (head.seq === 0) return max ? fail(`the log holds ${max} entries but its recorded head says it is empty: the head was reset by hand`) : out;
  if (max !== head.seq) return fail(`the log's recorded head (entry ${head.seq}) is not its last entry (${max}): entries were removed or added by hand`);

  // every key the log introduced, each endorsed by the one before (a handful of rows, found by their index)
  const keys = new SignedLogCheck();
  for (const r of db.prepare("SELECT seq, details FROM audit_log WHERE action = 'log-key' ORDER BY seq").all() as Array<{ seq: number; details: string }>) {
    let d: KeyDetails;
    try {
      d = JSON.parse(r.details) as KeyDetails;
    } catch {
      return fail(`entry ${r.seq} (a log key) cannot be read`);
    }
    const problem = keys.learnKey(d);
    if (problem) return fail(`entry ${r.seq}: ${problem}`);
  }

  const verified = o.verified === undefined ? keptVerifiedHead(db) : o.verified;
  const anchors = [...kept, ...(verified ? [verified] : [])];
  const walked = walk(db, head, Math.max(0, head.seq - (o.whole ?? WHOLE)), keys, new Set(anchors.map((h) => h.size)));
  if (typeof walked === "string") return fail(walked);
  const { from, newest, rootsAt } = walked;
  const last = head.seq;
  out.whole = { from: from + 1, to: last };
  const root = rootsAt.get(last)!;

  if (newest.sig) {
    // the stored subtrees up to the walk and the entries walked must give the root the newest head signs:
    // any entry walked that changed, or a rewrite reaching the walk with its hashes recomputed, shows
    if (newest.root !== root)
      return fail(
        `the tree root recomputed over the log's ${last} entries is not the one its newest head records (entries ${from + 1}–${last} read whole, the rest from the stored subtrees): an entry was changed, removed or moved`,
      );
    if (!verifySignature(keys.keys.get(newest.keyId!)!, headMessage(last, root), newest.sig))
      return fail(`the signed tree head of entry ${last} does not verify: the log was rewritten`);
    const stored = db.prepare("SELECT frontier FROM audit_head WHERE one = 1").get() as { frontier: string | null };
    if (stored.frontier && Frontier.parse(stored.frontier, last).root().toString("hex") !== root)
      return fail(`the tree's recorded right edge does not give the root of entry ${last}`);
    const instance = o.instanceKeyId === undefined ? instanceKeyIdOf(db) : o.instanceKeyId;
    const current = (db.prepare("SELECT key_id FROM audit_head WHERE one = 1").get() as { key_id: string | null }).key_id;
    if (instance !== null && !keys.keys.has(instance))
      return fail(
        `the instance's log key (${instance}) is not a key of this log (its current key is ${current ?? newest.keyId}): the key file was replaced; restore it, or rotate with kyso audit rotate-key`,
      );
    if (instance === null)
      return fail(
        `the log's key file is missing (the log is signed with key ${newest.keyId}): restore it from a backup before the server signs with a new one`,
      );
  } else if (keys.keys.size) return fail(`entry ${last} carries no signed tree head (appended by hand?)`);

  const tree = storedSubtrees(db, last);
  const rootBytes = Buffer.from(root, "hex");
  for (const h of anchors) {
    const where = h.source ?? "a kept head";
    if (h.size > last) return fail(`the log ends at entry ${last}, but the head kept in ${where} covers ${h.size} entries: entries were removed`);
    const key = keys.keys.get(h.keyId);
    if (!key || !verifySignature(key, headMessage(h.size, h.root), h.sig)) return fail(`the head kept in ${where} is not signed by a key of this log`);
    const problem = h.size > from ? (rootsAt.get(h.size) === h.root ? null : "rewritten") : olderHeadProblem(db, h, { size: last, root: rootBytes, tree });
    if (problem) return fail(`the first ${h.size} entries no longer give the root of the head kept in ${where}: the log was ${problem}`);
    out.extends.push({ size: h.size, source: where });
  }

  // older entries at random: each as written, linked to the one before, and a leaf of the newest head's tree
  const memo = new Map<string, Hash>();
  const picked = new Set<number>();
  for (let i = 0; from > 0 && i < (o.sample ?? 64); i++) picked.add(randomInt(1, from + 1));
  for (const seq of [...picked].sort((a, b) => a - b)) {
    const problem = sampleProblem(db, seq, keys, { size: last, root: rootBytes, tree }, memo);
    if (problem) return fail(problem);
    out.sampled++;
  }

  // rows cut from the log's end with its head moved back leave a consistent shorter log: the newest
  // analysis is still in the store, and its entry (written in the same transaction) must be in the log
  const analysis = db.prepare("SELECT id, document_id FROM analyses ORDER BY id DESC LIMIT 1").get() as { id: number; document_id: string } | undefined;
  if (analysis) {
    const logged = db
      .prepare("SELECT seq FROM audit_log WHERE document_id = ? AND action IN ('analysis', 'reanalysis') AND json_extract(details, '$.analysisId') = ?")
      .get(analysis.document_id, analysis.id);
    if (!logged)
      return fail(`the newest analysis (${analysis.id}, document ${analysis.document_id}) has no entry in the log: entries were cut from the log's end`);
  }
  return out;
}

/** The start-up check's failure, or null when it held. */
export const quickCheck = (db: Db, kept: readonly KeptHead[] = [], o: StartupCheckOptions = {}): string | null => startupCheck(db, kept, o).problem;

interface Walked {
  from: number;
  newest: AuditEntry;
  /** the tree's root at each size asked for, and at the log's end */
  rootsAt: Map<number, string>;
}

/** The entries after `from`, read whole, the tree grown over them from the stored subtrees at `from`. */
function walk(db: Db, head: { seq: number; hash: string }, from: number, keys: SignedLogCheck, want: ReadonlySet<number>): Walked | string {
  const before =
    from > 0 ? (db.prepare("SELECT hash, key_id FROM audit_log WHERE seq = ?").get(from) as { hash: string; key_id: string | null } | undefined) : null;
  if (from > 0 && !before) return `entry ${from} is missing: entries were deleted`;
  const edge = edgeAt(db, from);
  const rootsAt = new Map<number, string>();
  let prev = before?.hash ?? GENESIS;
  let signedSeen = !!before?.key_id;
  let expected = from + 1;
  let newest: AuditEntry | null = null;
  for (const e of entriesAfter(db, from)) {
    if (e.seq !== expected) return `entry ${expected} is missing (entry ${expected - 1} is followed by entry ${e.seq}): entries were deleted`;
    if (e.prev !== prev) return `entry ${e.seq} does not link to the entry before it`;
    if (entryHash(e) !== e.hash) return `entry ${e.seq} does not match its hash (edited)`;
    edge.append(leafHash(e.hash));
    if (e.keyId) {
      signedSeen = true;
      if (!keys.keys.has(e.keyId)) return `entry ${e.seq}'s tree head is signed by key ${e.keyId}, which the log does not trust (the key file was replaced?)`;
    } else if (signedSeen) return `entry ${e.seq} carries no signed tree head (appended by hand?)`;
    if (want.has(e.seq) || e.seq === head.seq) rootsAt.set(e.seq, edge.root().toString("hex"));
    prev = e.hash;
    newest = e;
    expected++;
  }
  if (!newest || newest.seq !== head.seq || prev !== head.hash)
    return `the log's recorded head (entry ${head.seq}) is not its last entry (${expected - 1 || "none"}): entries were removed or added by hand`;
  return { from, newest, rootsAt };
}

interface NewestTree {
  size: number;
  root: Buffer;
  tree: ReturnType<typeof storedSubtrees>;
}

/** A head older than the walk: the newest head's tree extends it, and its last entry is its own last leaf. */
function olderHeadProblem(db: Db, h: KeptHead, newest: NewestTree): string | null {
  const first = Buffer.from(h.root, "hex");
  if (!verifyConsistency(h.size, newest.size, first, newest.root, consistencyProofFrom(newest.tree, h.size, newest.size))) return "rewritten";
  // a rewrite with every later hash recomputed changes this leaf, even with the stored subtrees left alone
  const e = entryAt(db, h.size);
  if (!e || entryHash(e) !== e.hash) return `rewritten (entry ${h.size} ${e ? "does not match its hash" : "is missing"})`;
  const path = inclusionProofFrom(storedSubtrees(db, h.size), h.size - 1, h.size);
  return verifyInclusion(leafHash(e.hash), h.size - 1, h.size, path, first) ? null : `rewritten (entry ${h.size} is not the leaf that head holds)`;
}

/** One older entry: as written, linked, in the newest head's tree, and its own signed head consistent with it. */
function sampleProblem(db: Db, seq: number, keys: SignedLogCheck, newest: NewestTree, memo: Map<string, Hash>): string | null {
  const e = entryAt(db, seq);
  if (!e) return `entry ${seq} is missing: entries were deleted`;
  if (entryHash(e) !== e.hash) return `entry ${seq} does not match its hash (edited)`;
  const prev = seq === 1 ? GENESIS : (db.prepare("SELECT hash FROM audit_log WHERE seq = ?").get(seq - 1) as { hash: string } | undefined)?.hash;
  if (e.prev !== prev) return `entry ${seq} does not link to the entry before it`;
  if (!verifyInclusion(leafHash(e.hash), seq - 1, newest.size, inclusionProofFrom(newest.tree, seq - 1, newest.size, memo), newest.root))
    return `the tree of the log's newest signed head does not hold entry ${seq} as stored: it, the entry beside it in the tree, or the stored subtrees were changed`;
  if (!e.sig) return null;
  const key = keys.keys.get(e.keyId!);
  if (!key) return `entry ${seq}'s tree head is signed by key ${e.keyId}, which the log does not trust (the key file was replaced?)`;
  if (!verifySignature(key, headMessage(seq, e.root!), e.sig)) return `the signed tree head of entry ${seq} does not verify: the log was rewritten`;
  if (!verifyConsistency(seq, newest.size, Buffer.from(e.root!, "hex"), newest.root, consistencyProofFrom(newest.tree, seq, newest.size)))
    return `entry ${seq}'s recorded tree root is not the root of the entries up to it: an entry up to ${seq} was changed`;
  return null;
}

/** The key id of the key file beside the database, or null when there is none. */
function instanceKeyIdOf(db: Db): string | null {
  if (db.memory) return null;
  return readLogKey(logKeyPath(db.name))?.keyId ?? null;
}
