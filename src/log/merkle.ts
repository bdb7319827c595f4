// The verification log as a Merkle tree in the manner of RFC 9162 (Certificate Transparency 2.0): leaf
// hashes SHA-256(0x00 || leaf), node hashes SHA-256(0x01 || left || right), the tree over n leaves split
// at the largest power of two below n. A signed root then fixes every entry before it: inclusion proofs
// show one entry is in a tree, consistency proofs that a later tree extends an earlier one unchanged, so a
// head anyone kept catches rewriting, truncation, reordering and forks. Pure: no store, no clock.
import { createHash, hash } from "node:crypto";

export type Hash = Buffer;

const sha = (...parts: Uint8Array[]): Hash => {
  const h = createHash("sha256");
  for (const p of parts) h.update(p);
  return h.digest();
};

// one-shot hashing of one buffer: about half the cost of a Hash object per node (start-up hashes millions)
const sha1shot = (bytes: Buffer): Hash => hash("sha256", bytes, "buffer") as unknown as Hash;

/** The leaf hash of a log entry: its entry hash (hex) as the leaf's bytes. */
export const leafHash = (entryHashHex: string): Hash => {
  const b = Buffer.allocUnsafe(33);
  b[0] = 0;
  // a stored hash that is not 64 hex digits (edited) hashes as the bytes it decodes to, as before
  if (b.write(entryHashHex, 1, 32, "hex") !== 32 || entryHashHex.length !== 64) return sha(Buffer.from([0]), Buffer.from(entryHashHex, "hex"));
  return sha1shot(b);
};
export const nodeHash = (left: Hash, right: Hash): Hash => {
  const b = Buffer.allocUnsafe(65);
  b[0] = 1;
  left.copy(b, 1);
  right.copy(b, 33);
  return sha1shot(b);
};
export const EMPTY_ROOT: Hash = sha();

/** The largest power of two strictly below n (n ≥ 2). */
function split(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/**
 * Where the hashes of perfect subtrees come from: `perfect(lo, height)` is MTH(D[lo : lo + 2^height]),
 * lo a multiple of 2^height. Every left part of the tree's split is such a subtree, so a source that keeps
 * them (the store's audit_tree) answers roots and proofs in O(log² n) reads instead of hashing the log.
 */
export interface Subtrees {
  perfect(lo: number, height: number): Hash;
}

/** Subtrees computed from the leaf hashes (every hash computed again). */
export const fromLeaves = (leaves: readonly Hash[]): Subtrees => ({
  perfect: (lo, height) => (height === 0 ? leaves[lo]! : rootOf(leaves, lo, lo + 2 ** height)),
});

const log2 = (k: number): number => Math.round(Math.log2(k));

/** MTH(D[lo:hi]) from a subtree source: the perfect left part, then the rest split again. */
export function rootFrom(t: Subtrees, lo: number, hi: number): Hash {
  const n = hi - lo;
  if (n === 0) return EMPTY_ROOT;
  if ((n & (n - 1)) === 0 && lo % n === 0) return t.perfect(lo, log2(n));
  const k = split(n);
  return nodeHash(t.perfect(lo, log2(k)), rootFrom(t, lo + k, hi));
}

/** MTH(D[lo:hi]) over leaf hashes. */
export function rootOf(leaves: readonly Hash[], lo = 0, hi = leaves.length): Hash {
  const n = hi - lo;
  if (n === 0) return EMPTY_ROOT;
  if (n === 1) return leaves[lo]!;
  const k = split(n);
  return nodeHash(rootOf(leaves, lo, lo + k), rootOf(leaves, lo + k, hi));
}

/**
 * The audit path of leaf m in the tree of the first n leaves (RFC 9162 §2.1.3.1). Proofs of several leaves
 * of one tree share their larger subtrees: pass one `memo` to all of them and each subtree is computed
 * (or read) once.
 */
export function inclusionProof(leaves: readonly Hash[], m: number, n = leaves.length, memo?: Map<string, Hash>): Hash[] {
  if (!(n <= leaves.length)) throw new RangeError(`no leaf ${m} in a tree of ${n}`);
  return inclusionProofFrom(fromLeaves(leaves), m, n, memo);
}

/** inclusionProof from a subtree source. */
export function inclusionProofFrom(t: Subtrees, m: number, n: number, memo?: Map<string, Hash>): Hash[] {
  if (!(m >= 0 && m < n)) throw new RangeError(`no leaf ${m} in a tree of ${n}`);
  const sibling = (lo: number, hi: number): Hash => {
    if (!memo) return rootFrom(t, lo, hi);
    const key = `${lo}:${hi}`;
    let h = memo.get(key);
    if (!h) memo.set(key, (h = rootFrom(t, lo, hi)));
    return h;
  };
  const path = (m: number, lo: number, hi: number): Hash[] => {
    if (hi - lo === 1) return [];
    const k = split(hi - lo);
    return m < k ? [...path(m, lo, lo + k), sibling(lo + k, hi)] : [...path(m - k, lo + k, hi), sibling(lo, lo + k)];
  };
  return path(m, 0, n);
}

/** Checks an audit path (RFC 9162 §2.1.3.2). */
export function verifyInclusion(leaf: Hash, index: number, size: number, proof: readonly Hash[], root: Hash): boolean {
  if (!(index >= 0 && index < size)) return false;
  let fn = index;
  let sn = size - 1;
  let r = leaf;
  for (const p of proof) {
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      r = nodeHash(p, r);
      if (fn % 2 === 0) while (fn % 2 === 0 && fn !== 0) ((fn = Math.floor(fn / 2)), (sn = Math.floor(sn / 2)));
    } else r = nodeHash(r, p);
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 && r.equals(root);
}

/** The consistency proof between the trees of the first m and the first n leaves (RFC 9162 §2.1.4.1). */
export function consistencyProof(leaves: readonly Hash[], m: number, n = leaves.length): Hash[] {
  if (!(n <= leaves.length)) throw new RangeError(`no consistency proof from ${m} to ${n}`);
  return consistencyProofFrom(fromLeaves(leaves), m, n);
}

/** consistencyProof from a subtree source. */
export function consistencyProofFrom(t: Subtrees, m: number, n: number): Hash[] {
  if (!(m >= 1 && m <= n)) throw new RangeError(`no consistency proof from ${m} to ${n}`);
  const sub = (m: number, lo: number, hi: number, complete: boolean): Hash[] => {
    if (m === hi - lo) return complete ? [] : [rootFrom(t, lo, hi)];
    const k = split(hi - lo);
    return m <= k ? [...sub(m, lo, lo + k, complete), rootFrom(t, lo + k, hi)] : [...sub(m - k, lo + k, hi, false), rootFrom(t, lo, lo + k)];
  };
  return sub(m, 0, n, true);
}

/** Checks a consistency proof (RFC 9162 §2.1.4.2): the tree of size `second` extends the one of size `first`. */
export function verifyConsistency(first: number, second: number, firstRoot: Hash, secondRoot: Hash, proof: readonly Hash[]): boolean {
  if (!(first >= 1 && first <= second)) return false;
  if (first === second) return proof.length === 0 && firstRoot.equals(secondRoot);
  const path = (first & (first - 1)) === 0 ? [firstRoot, ...proof] : [...proof];
  if (path.length === 0) return false;
  let fn = first - 1;
  let sn = second - 1;
  while (fn % 2 === 1) ((fn = Math.floor(fn / 2)), (sn = Math.floor(sn / 2)));
  let fr = path[0]!;
  let sr = path[0]!;
  for (const c of path.slice(1)) {
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      fr = nodeHash(c, fr);
      sr = nodeHash(c, sr);
      if (fn % 2 === 0) while (fn % 2 === 0 && fn !== 0) ((fn = Math.floor(fn / 2)), (sn = Math.floor(sn / 2)));
    } else sr = nodeHash(sr, c);
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return fr.equals(firstRoot) && sr.equals(secondRoot) && sn === 0;
}

/**
 * The right edge of a growing tree: the roots of its perfect subtrees, largest first (one per bit of the
 * size). Appending costs O(log n) hashes and the root is their fold from the right, so each new entry's
 * tree head is known without reading the log.
 */
export class Frontier {
  constructor(
    public size = 0,
    /** [height, hash] per perfect subtree, left to right */
    private readonly nodes: Array<[number, Hash]> = [],
  ) {}

  static parse(text: string | null, size: number): Frontier {
    if (!text) return new Frontier(size);
    const nodes = (JSON.parse(text) as Array<[number, string]>).map(([h, x]) => [h, Buffer.from(x, "hex")] as [number, Hash]);
    return new Frontier(size, nodes);
  }

  serialize(): string {
    return JSON.stringify(this.nodes.map(([h, x]) => [h, x.toString("hex")]));
  }

  /** Adds a leaf; returns the perfect subtrees it completed (height ≥ 1, with their first leaf). */
  append(leaf: Hash): Array<{ lo: number; height: number; hash: Hash }> {
    const made: Array<{ lo: number; height: number; hash: Hash }> = [];
    let node: [number, Hash] = [0, leaf];
    while (this.nodes.length && this.nodes[this.nodes.length - 1]![0] === node[0]) {
      const [h, left] = this.nodes.pop()!;
      node = [h + 1, nodeHash(left, node[1])];
      made.push({ lo: this.size + 1 - 2 ** node[0], height: node[0], hash: node[1] });
    }
    this.nodes.push(node);
    this.size++;
    return made;
  }

  root(): Hash {
    if (!this.nodes.length) return EMPTY_ROOT;
    let r = this.nodes[this.nodes.length - 1]![1];
    for (let i = this.nodes.length - 2; i >= 0; i--) r = nodeHash(this.nodes[i]![1], r);
    return r;
  }
}
