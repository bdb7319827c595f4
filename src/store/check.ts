// The store checked as a whole: the log (chain, signed heads, heads kept outside) and the figures
// replayed from it. `kyso audit verify` and GET /api/v1/audit/verify run the full check; the server runs
// the quick one at start (the head, the newest entries and a sample) and reports a failure on /readyz.
import { randomInt } from "node:crypto";
import { auditHead, entryHash, GENESIS, listAudit, verifyStoredChain, type ChainCheck, type TrustedHistory } from "./audit.js";
import type { Db } from "./db.js";
import type { KeptHead } from "./log-check.js";
import { headMessage, verifySignature } from "./log-key.js";
import { Frontier } from "./merkle.js";
import { publicKeyOf } from "./heads.js";
import { replayFigures, type FigureCheck } from "./replay.js";

export interface StoreCheck extends ChainCheck {
  /** the figures replayed (absent when the log itself is broken: nothing built on it is checked) */
  figures?: FigureCheck;
}

export function checkStore(db: Db, trusted: TrustedHistory = {}): StoreCheck {
  const log = verifyStoredChain(db, trusted);
  if (!log.ok) return log;
  const figures = replayFigures(db);
  return { ...log, ok: figures.ok, figures };
}

/** One line for people: what failed, where. */
export function describeBroken(r: StoreCheck): string | null {
  if (r.broken) return `the verification log is broken at entry ${r.broken.seq}: ${r.broken.reason}`;
  if (r.figures?.broken) return `the figures do not follow from the log: ${r.figures.broken.table} ${r.figures.broken.row}: ${r.figures.broken.reason}`;
  return null;
}

/**
 * At start: the recorded head is the last entry, the newest entries chain and their signed heads verify
 * (the last one against the tree's right edge), a random sample of older entries match their hashes,
 * and the newest published head is a head of this log. Null when all holds, else why not.
 */
export function quickCheck(db: Db, kept: readonly KeptHead[] = [], sample = 64): string | null {
  const head = auditHead(db);
  if (head.seq === 0) return null;
  const newest = listAudit(db, {}, Math.max(0, head.seq - sample), sample).entries;
  const last = newest[newest.length - 1];
  if (!last || last.seq !== head.seq || last.hash !== head.hash) return `the log's recorded head (entry ${head.seq}) is not its last entry (${last?.seq ?? "none"}): entries were removed or added by hand`;
  let prev: string | null = newest[0]!.seq === 1 ? GENESIS : null;
  const keys = new Map<string, string | null>();
  // entries older than signed heads (a store from before them) are unsigned; none may follow a signed one
  let signedSeen = false;
  for (const e of newest) {
    if (entryHash(e) !== e.hash) return `entry ${e.seq} does not match its hash (edited)`;
    if (prev !== null && e.prev !== prev) return `entry ${e.seq} does not link to the entry before it`;
    prev = e.hash;
    if (e.sig) {
      signedSeen = true;
      if (!keys.has(e.keyId!)) keys.set(e.keyId!, publicKeyOf(db, e.keyId!));
      const key = keys.get(e.keyId!);
      if (!key || !verifySignature(key, headMessage(e.seq, e.root!), e.sig)) return `the signed tree head of entry ${e.seq} does not verify: the log was rewritten`;
    } else if (signedSeen) return `entry ${e.seq} carries no signed tree head (appended by hand?)`;
  }
  const frontier = db.prepare("SELECT frontier FROM audit_head WHERE one = 1").get() as { frontier: string | null };
  if (last.root && frontier.frontier && Frontier.parse(frontier.frontier, head.seq).root().toString("hex") !== last.root) return `the tree's recorded right edge does not give the root of entry ${head.seq}`;
  for (let i = 0; i < Math.min(sample, head.seq); i++) {
    const seq = randomInt(1, head.seq + 1);
    const e = listAudit(db, {}, seq - 1, 1).entries[0];
    if (!e) return `entry ${seq} is missing`;
    if (entryHash(e) !== e.hash) return `entry ${seq} does not match its hash (edited)`;
  }
  const published = [...kept].sort((a, b) => b.size - a.size)[0];
  if (published) {
    if (published.size > head.seq) return `the log ends at entry ${head.seq}, but the head published in ${published.source ?? "the heads file"} covers ${published.size} entries: entries were removed`;
    const at = listAudit(db, {}, published.size - 1, 1).entries[0];
    if (at?.root !== published.root) return `entry ${published.size}'s tree root is not the one published in ${published.source ?? "the heads file"}: the log was rewritten`;
  }
  return null;
}
