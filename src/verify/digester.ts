// Digests of ByteRange contents. Signatures in successive revisions share most of their signed bytes, so
// the file is hashed once per algorithm, forking the running hash (hash.copy()) at each signature's gap.
import { createHash, type Hash } from "node:crypto";
import { hashOptions } from "../cms/oids.js";

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

  constructor(private readonly buf: Uint8Array) {}

  /** Registers every ByteRange that will be asked for, so one pass can serve them all. */
  plan(r: Ranges): void {
    this.planned.push(r);
  }

  digest(r: Ranges, hash: string): Uint8Array {
    const key = `${hash}:${r.a}:${r.b}:${r.c}:${r.d}`;
    const hit = this.memo.get(key);
    if (hit) return hit;
    this.runPlan(hash);
    return this.memo.get(key) ?? this.single(r, hash, key);
  }

  private single(r: Ranges, hash: string, key: string): Uint8Array {
    const h = createHash(hash, hashOptions(hash));
    h.update(this.buf.subarray(r.a, r.a + r.b));
    h.update(this.buf.subarray(r.c, r.c + r.d));
    const out = h.digest();
    this.memo.set(key, out);
    return out;
  }

  /** One pass over the file for `hash`: prefixes [0, b) in increasing order, each forked for its tail. */
  private runPlan(hash: string): void {
    const todo = this.planned
      .filter((r) => r.a === 0 && !this.memo.has(`${hash}:${r.a}:${r.b}:${r.c}:${r.d}`))
      .sort((x, y) => x.b - y.b);
    if (todo.length < 2) return;
    let h: Hash = createHash(hash, hashOptions(hash));
    let at = 0;
    for (const r of todo) {
      if (r.b < at) continue;
      h.update(this.buf.subarray(at, r.b));
      at = r.b;
      const fork = h.copy();
      fork.update(this.buf.subarray(r.c, r.c + r.d));
      this.memo.set(`${hash}:${r.a}:${r.b}:${r.c}:${r.d}`, fork.digest());
    }
    void h;
  }

  /** The signed bytes in pieces (for signatures made without signed attributes). */
  parts(r: Ranges): Uint8Array[] {
    return [this.buf.subarray(r.a, r.a + r.b), this.buf.subarray(r.c, r.c + r.d)];
  }
}
