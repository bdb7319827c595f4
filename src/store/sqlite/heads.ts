// Tree heads leave the store: the server publishes its signed head at intervals to a file or a URL
// outside the database (a line `{"signedHead": …}` each time the log grew), and proofs are made on
// request: that an entry is in the tree of a head, that a later head extends an earlier one. Whoever kept
// a head (a witness, a cron job copying the file to another machine, an auditor's note) can then check
// offline that the log was neither rewritten, cut, reordered nor forked since.
import type { HeadSource } from "../head-publisher.js";
import { closeSync, existsSync, fstatSync, openSync, readFileSync, readSync } from "node:fs";
import { headLine, publishLine } from "../publish-head.js";
import { auditHead, entryHash, signedHead, type AuditEntry } from "./audit.js";
import { flushed, type Db } from "./db.js";
import { ProofError, type ConsistencyProof, type EntryProofs, type InclusionProof } from "../../log/proof.js";
export { ProofError, type ConsistencyProof, type InclusionProof } from "../../log/proof.js";
import { readKeptHeads, type KeptHead } from "../../log/signed-history.js";
import { headMessage, verifySignature } from "../../log/key.js";
import { storePaths } from "../paths.js";
import {
  consistencyProofFrom,
  Frontier,
  inclusionProofFrom,
  leafHash,
  nodeHash,
  rootFrom,
  verifyConsistency,
  verifyInclusion,
  type Hash,
  type Subtrees,
} from "../../log/merkle.js";

/** The signed head of the log now, with the public key that verifies it; null for an empty log. */
export function currentHead(db: Db): Required<Pick<KeptHead, "size" | "root" | "keyId" | "sig" | "publicKey" | "at">> | null {
  const h = signedHead(db, auditHead(db).seq);
  if (!h) return null;
  return { size: h.size, root: h.root, keyId: h.keyId, sig: h.sig, publicKey: publicKeyOf(db, h.keyId) ?? "", at: h.at! };
}

/** The public key a log-key entry recorded for this key id. */
export function publicKeyOf(db: Db, keyId: string): string | null {
  const r = db.prepare("SELECT details FROM audit_log WHERE action = 'log-key' AND json_extract(details, '$.keyId') = ? ORDER BY seq LIMIT 1").get(keyId) as
    { details: string } | undefined;
  return r ? ((JSON.parse(r.details) as { publicKey?: string }).publicKey ?? null) : null;
}

/** Where heads are published by default: heads.jsonl in the data folder (copy it elsewhere: README). */
export const defaultHeadsFile = (dataDir: string): string => storePaths(dataDir).heads;

/** Where heads are published as KYSO_PUBLISH_HEADS says: a file or a URL, the default file, or null (off). */
export const headsTargetFromEnv = (env: Record<string, string | undefined>, dataDir: string): string | null =>
  env.KYSO_PUBLISH_HEADS === "off" ? null : (env.KYSO_PUBLISH_HEADS ?? defaultHeadsFile(dataDir));

export { headLine, isUrl } from "../publish-head.js";

/** Publishes the current head to a file (appended, fsync'd) or an http(s) URL (POSTed as JSON). */
export async function publishHead(db: Db, target: string): Promise<ReturnType<typeof currentHead>> {
  // a published head must never cover an entry a power cut could still take back (analysis results are
  // committed without waiting for the disk): the head is read, then the WAL flushed from the thread pool
  // (what was committed before the flush began is on disk after it), then published. A durable commit on
  // the event loop did it before: its fsync held /healthz over a second while a backup loaded the disk.
  const h = currentHead(db);
  if (!db.readonly) await flushed(db);
  if (h) await publishLine(headLine(h), target);
  return h;
}

/** Heads kept in files (published heads, exports); missing files are an error, a default one is skipped. */
export function keptHeadsIn(files: readonly string[]): KeptHead[] {
  return files.flatMap((f) => readKeptHeads(readFileSync(f, "utf8"), f));
}

/**
 * The newest head of a heads file, read from its end: a file published to every few minutes for years is
 * not read whole at start (the full check reads it whole). Null when it holds no head.
 */
export function newestKeptHeadIn(file: string): KeptHead | null {
  const fd = openSync(file, "r");
  try {
    const size = fstatSync(fd).size;
    for (let span = 64 * 1024; ; span *= 4) {
      const from = Math.max(0, size - span);
      const bytes = Buffer.alloc(size - from);
      readSync(fd, bytes, 0, bytes.length, from);
      let text = bytes.toString("utf8");
      // the first line read may be cut: it starts after the first line break (none yet: read more)
      if (from > 0) {
        const cut = text.indexOf("\n");
        if (cut < 0) continue;
        text = text.slice(cut + 1);
      }
      const heads = readKeptHeads(text, file);
      if (heads.length || from === 0) {
        const newest = heads.reduce<KeptHead | null>((a, h) => (!a || h.size >= a.size ? h : a), null);
        return newest && { ...newest, source: `${file} (its newest head)` };
      }
    }
  } finally {
    closeSync(fd);
  }
}

export const existingFiles = (files: readonly string[]): string[] => files.filter((f) => existsSync(f));

const hex = (h: Hash) => h.toString("hex");

/**
 * The log's subtrees for proofs over its first `size` entries: those audit_tree holds (covering the log
 * up to its tree_size), the others hashed from the entries. A stored hash that was edited only makes a
 * proof that does not verify against the signed head: the proof is checked, not trusted.
 */
export function storedSubtrees(db: Db, size: number): Subtrees {
  let covered = 0;
  let node: { get(height: number, lo: number): unknown } = { get: () => undefined };
  try {
    const row = db.prepare("SELECT tree_size FROM audit_head WHERE one = 1").get() as { tree_size: number | null } | undefined;
    covered = Math.min(row?.tree_size ?? 0, size);
    node = db.prepare("SELECT hash FROM audit_tree WHERE height = ? AND lo = ?");
  } catch {
    // a store opened read-only before its upgrade has no audit_tree: every subtree is hashed from the log
  }
  const entry = db.prepare("SELECT hash FROM audit_log WHERE seq = ?");
  const perfect = (lo: number, height: number): Hash => {
    if (height === 0) {
      const e = entry.get(lo + 1) as { hash: string } | undefined;
      if (!e) throw new ProofError(`the log has no entry ${lo + 1} (it should have ${size})`);
      return leafHash(e.hash);
    }
    if (lo + 2 ** height <= covered) {
      const n = node.get(height, lo) as { hash: string } | undefined;
      if (n) return Buffer.from(n.hash, "hex");
    }
    const half = 2 ** (height - 1);
    return nodeHash(perfect(lo, height - 1), perfect(lo + half, height - 1));
  };
  return { perfect };
}

/** The tree's right edge after its first `size` entries: the perfect subtrees of size's binary form. */
export function edgeAt(db: Db, size: number): Frontier {
  const tree = storedSubtrees(db, size);
  const nodes: Array<[number, Hash]> = [];
  let lo = 0;
  for (let h = Math.floor(Math.log2(Math.max(size, 1))); h >= 0; h--) {
    if (size - lo >= 2 ** h) {
      nodes.push([h, tree.perfect(lo, h)]);
      lo += 2 ** h;
    }
  }
  return new Frontier(size, nodes);
}

function headAt(db: Db, size: number): KeptHead & { publicKey: string } {
  const h = signedHead(db, size);
  if (!h) throw new ProofError(`entry ${size} has no signed head`);
  return { ...h, publicKey: publicKeyOf(db, h.keyId) ?? "" };
}

/** Inclusion proofs of several entries against one head (the evidence archive's). */
export function proveEntries(db: Db, seqs: readonly number[], size = auditHead(db).seq): EntryProofs {
  const tree = storedSubtrees(db, size);
  const memo = new Map<string, Hash>();
  return {
    head: headAt(db, size),
    proofs: seqs.filter((s) => s >= 1 && s <= size).map((seq) => ({ seq, path: inclusionProofFrom(tree, seq - 1, size, memo).map(hex) })),
  };
}

/** That entry `seq` is in the tree of the log's first `size` entries (default: the whole log). */
export function proveInclusion(db: Db, seq: number, entry: AuditEntry, size = auditHead(db).seq): InclusionProof {
  if (!(seq >= 1 && seq <= size && size <= auditHead(db).seq)) throw new ProofError(`no entry ${seq} in a log of ${size} entries`);
  const tree = storedSubtrees(db, size);
  return {
    inclusion: { entry, index: seq - 1, size, root: hex(rootFrom(tree, 0, size)), path: inclusionProofFrom(tree, seq - 1, size).map(hex) },
    head: headAt(db, size),
  };
}

/** That the log's first `second` entries extend its first `first` unchanged. */
export function proveConsistency(db: Db, first: number, second = auditHead(db).seq): ConsistencyProof {
  if (!(first >= 1 && first <= second && second <= auditHead(db).seq))
    throw new ProofError(`no consistency proof from ${first} to ${second} entries in a log of ${auditHead(db).seq}`);
  return {
    consistency: { first: headAt(db, first), second: headAt(db, second), path: consistencyProofFrom(storedSubtrees(db, second), first, second).map(hex) },
  };
}

export interface ProofCheck {
  ok: boolean;
  what: string;
}

/**
 * Checks a proof offline. The heads' signatures are checked with the key they name, which must be one
 * of `pinned` when given (otherwise the check says the key was taken from the proof itself).
 */
export function checkProof(proof: unknown, pinned: readonly string[] = []): ProofCheck[] {
  const out: ProofCheck[] = [];
  const head = (h: KeptHead & { publicKey?: string }, name: string) => {
    const pk = h.publicKey ?? "";
    const trusted = pinned.length === 0 || pinned.includes(pk);
    const sigOk = !!pk && verifySignature(pk, headMessage(h.size, h.root), h.sig);
    out.push({
      ok: sigOk && trusted,
      what: !sigOk
        ? `${name} (size ${h.size}): its signature does not verify with key ${h.keyId}`
        : !trusted
          ? `${name} (size ${h.size}): signed by key ${h.keyId}, which is not among the pinned keys`
          : `${name} (size ${h.size}) is signed by key ${h.keyId}${pinned.length ? " (pinned)" : " (the key named in the proof: pin it with --key to trust it)"}`,
    });
  };
  const p = proof as Partial<InclusionProof & ConsistencyProof>;
  const bytes = (x: string[]) => x.map((s) => Buffer.from(s, "hex"));
  if (p.inclusion && p.head) {
    const i = p.inclusion;
    const hash = i.entry.hash;
    const own = entryHash(i.entry) === hash;
    out.push({ ok: own, what: own ? `entry ${i.entry.seq} matches its hash` : `entry ${i.entry.seq} does not match its hash (edited)` });
    const inTree =
      i.index === i.entry.seq - 1 &&
      i.root === p.head.root &&
      i.size === p.head.size &&
      verifyInclusion(leafHash(hash), i.index, i.size, bytes(i.path), Buffer.from(i.root, "hex"));
    out.push({
      ok: inTree,
      what: inTree
        ? `entry ${i.entry.seq} is in the tree of ${i.size} entries with root ${i.root.slice(0, 16)}…`
        : `the inclusion proof of entry ${i.entry.seq} does not verify against the head of size ${p.head.size}`,
    });
    head(p.head, "the head");
  } else if (p.consistency) {
    const c = p.consistency;
    const ok = verifyConsistency(c.first.size, c.second.size, Buffer.from(c.first.root, "hex"), Buffer.from(c.second.root, "hex"), bytes(c.path));
    out.push({
      ok,
      what: ok
        ? `the log of ${c.second.size} entries extends the log of ${c.first.size} entries unchanged`
        : `the consistency proof from ${c.first.size} to ${c.second.size} entries does not verify: the earlier log was changed`,
    });
    head(c.first, "the earlier head");
    head(c.second, "the later head");
  } else out.push({ ok: false, what: "not a kyso log proof (no inclusion or consistency part)" });
  return out;
}

/** The embedded store's heads for the server's publisher (store/head-publisher.ts). */
export const sqliteHeads = (db: Db): HeadSource => ({
  closed: () => !db.open,
  size: async () => auditHead(db).seq,
  publish: (target) => publishHead(db, target),
});
