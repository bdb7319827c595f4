// Digests of ByteRange contents. Signatures in successive revisions share most of their signed bytes, so
// the file is hashed once per algorithm, forking the running hash (hash.copy()) at each signature's gap.
import { createHash, type Hash } from "node:crypto";
import { hashOptions } from "../asn1/oids.js";

export interface Ranges {
  /** [a, b, c, d]: bytes [a, a+b) and [c, c+d) */
  readonly a: number;
  readonly b: number;
  readonly c: number;
  readonly d: number;
}

export class Digester {
  private readonly memo = new Map<string, Uint8Array>();
  private readonly planned: Ranges[] = [];
  private readonly passes = new Set<string>();

  constructor(private readonly buf: Uint8Array) {}

  /** Registers every ByteRange that will be asked for, so one pass can serve them all. */
  plan(r: Ranges): void {
    this.planned.push(r);
  }

  digest(r: Ranges, hash: string): Uint8Array {
    const key = keyOf(hash, r);
    const hit = this.memo.get(key);
    if (hit) return hit;
    this.pass(hash);
    return this.memo.get(key) ?? this.single(r, hash, key);
  }

  /** The digest of the whole file, from the same pass that serves the ByteRanges. */
  fileDigest(hash: string): Uint8Array {
    this.pass(hash);
    return this.memo.get(`${hash}:file`)!;
  }

  private single(r: Ranges, hash: string, key: string): Uint8Array {
    const h = createHash(hash, hashOptions(hash));
    h.update(this.buf.subarray(r.a, r.a + r.b));
    h.update(this.buf.subarray(r.c, r.c + r.d));
    const out = h.digest();
    this.memo.set(key, out);
    return out;
  }

  /**
   * One pass over the file for `hash`: the running hash covers [0, at) and is forked at each planned
   * gap start b (prefix [0, b)) to finish that ByteRange with its tail; at the end it is the file digest.
   */
  private pass(hash: string): void {
    if (this.passes.has(hash)) return;
    this.passes.add(hash);
    const todo = this.planned.filter((r) => r.a === 0 && r.b <= this.buf.length).sort((x, y) => x.b - y.b);
    const h: Hash = createHash(hash, hashOptions(hash));
    let at = 0;
    for (const r of todo) {
      if (r.b < at) continue;
      h.update(this.buf.subarray(at, r.b));
      at = r.b;
      const fork = h.copy(hashOptions(hash));
      fork.update(this.buf.subarray(r.c, r.c + r.d));
      this.memo.set(keyOf(hash, r), fork.digest());
    }
    h.update(this.buf.subarray(at));
    this.memo.set(`${hash}:file`, h.digest());
  }

  /** The signed bytes in pieces (for signatures made without signed attributes). */
  parts(r: Ranges): Uint8Array[] {
    return [this.buf.subarray(r.a, r.a + r.b), this.buf.subarray(r.c, r.c + r.d)];
  }
}

function keyOf(hash: string, r: Ranges): string {
  return `${hash}:${r.a}:${r.b}:${r.c}:${r.d}`;
}
