import { describe, expect, it } from "vitest";
import { createHash } from "node:crypto";
import {
  consistencyProof,
  EMPTY_ROOT,
  Frontier,
  inclusionProof,
  leafHash,
  nodeHash,
  rootOf,
  verifyConsistency,
  verifyInclusion,
} from "../../src/log/merkle.js";

const leaves = (n: number) => Array.from({ length: n }, (_, i) => leafHash(createHash("sha256").update(`entry ${i}`).digest("hex")));
const flip = (b: Buffer, bit = 0) => {
  const c = Buffer.from(b);
  c[bit >> 3]! ^= 1 << (bit & 7);
  return c;
};

describe("Merkle tree (RFC 9162)", () => {
  it("roots follow the RFC's definition: split at the largest power of two below n", () => {
    const l = leaves(3);
    expect(rootOf([])).toEqual(EMPTY_ROOT);
    expect(rootOf(l.slice(0, 1))).toEqual(l[0]);
    expect(rootOf(l)).toEqual(nodeHash(nodeHash(l[0]!, l[1]!), l[2]!));
    // leaf and node hashes are domain-separated: a node is not a leaf of its children's bytes
    expect(leafHash("00".repeat(32))).not.toEqual(nodeHash(Buffer.alloc(16), Buffer.alloc(16)));
  });

  it("the frontier gives the same root as the full computation at every size", () => {
    const l = leaves(70);
    const f = new Frontier();
    for (let n = 1; n <= l.length; n++) {
      f.append(l[n - 1]!);
      expect(f.root().toString("hex"), `size ${n}`).toBe(rootOf(l, 0, n).toString("hex"));
      const again = Frontier.parse(f.serialize(), f.size);
      expect(again.root()).toEqual(f.root());
    }
  });

  it("inclusion proofs verify for every leaf and fail on a one-bit change", () => {
    const l = leaves(13);
    for (let n = 1; n <= l.length; n++) {
      const root = rootOf(l, 0, n);
      for (let m = 0; m < n; m++) {
        const p = inclusionProof(l, m, n);
        expect(verifyInclusion(l[m]!, m, n, p, root), `${m} in ${n}`).toBe(true);
        expect(verifyInclusion(flip(l[m]!), m, n, p, root)).toBe(false);
        expect(verifyInclusion(l[m]!, m, n, p, flip(root, 255))).toBe(false);
        if (p.length) expect(verifyInclusion(l[m]!, m, n, [flip(p[0]!, 7), ...p.slice(1)], root)).toBe(false);
        if (n > 1) expect(verifyInclusion(l[m]!, (m + 1) % n, n, p, root)).toBe(false);
      }
    }
  });

  it("inclusion proofs sharing one memo are the proofs made alone, for every leaf, in any order", () => {
    for (const n of [1, 2, 3, 7, 8, 13, 33]) {
      const L = leaves(n);
      const memo = new Map<string, Buffer>();
      const order = [...Array(n).keys()].sort((a, b) => ((a * 7919) % n) - ((b * 7919) % n));
      for (const m of order) {
        const shared = inclusionProof(L, m, n, memo);
        expect(shared).toEqual(inclusionProof(L, m, n));
        expect(verifyInclusion(L[m]!, m, n, shared, rootOf(L, 0, n))).toBe(true);
      }
      // a memo is for one tree: the same leaves under a smaller head give that head's proofs
      if (n > 2) expect(inclusionProof(L, 0, n - 1, new Map())).toEqual(inclusionProof(L, 0, n - 1));
    }
  });

  it("consistency proofs verify between every pair of sizes and fail on a one-bit change", () => {
    const l = leaves(17);
    for (let n = 1; n <= l.length; n++) {
      for (let m = 1; m <= n; m++) {
        const p = consistencyProof(l, m, n);
        const a = rootOf(l, 0, m);
        const b = rootOf(l, 0, n);
        expect(verifyConsistency(m, n, a, b, p), `${m} → ${n}`).toBe(true);
        expect(verifyConsistency(m, n, flip(a), b, p)).toBe(false);
        expect(verifyConsistency(m, n, a, flip(b, 100), p)).toBe(false);
        if (p.length) expect(verifyConsistency(m, n, a, b, [...p.slice(0, -1), flip(p[p.length - 1]!, 3)])).toBe(false);
      }
    }
  });

  it("a rewritten history is not consistent with a head of the original", () => {
    const l = leaves(9);
    const forged = [...l];
    forged[2] = leafHash("ff".repeat(32));
    const kept = rootOf(l, 0, 5);
    expect(verifyConsistency(5, 9, kept, rootOf(forged), consistencyProof(forged, 5, 9))).toBe(false);
  });
});
