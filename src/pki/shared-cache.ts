// Work shared across documents: a province's documents carry a handful of certificates, so parsing them,
// building their paths and validating those paths is done once and reused (issue 14). Every cache is
// keyed by content (DER bytes, certificate fingerprints, the trust store's identity) and, where time
// matters, by which side of each validity boundary the time falls on, so a reused result is exactly the
// result the work would give again; bounded (oldest entries go first). `sharedCaches(false)` turns them
// off, for the test that proves reports identical either way.

const all: Array<BoundedCache<unknown, unknown>> = [];
let enabled = true;

export class BoundedCache<K, V> {
  private readonly map = new Map<K, V>();

  constructor(private readonly max: number) {
    all.push(this as BoundedCache<unknown, unknown>);
  }

  /** The cached value, or `make()` remembered (when caches are on). */
  get(key: K, make: () => V): V {
    if (!enabled) return make();
    const hit = this.map.get(key);
    if (hit !== undefined) return hit;
    const v = make();
    if (this.map.size >= this.max) this.map.delete(this.map.keys().next().value as K);
    this.map.set(key, v);
    return v;
  }

  get size(): number {
    return this.map.size;
  }

  clear(): void {
    this.map.clear();
  }
}

/** Turns the shared caches on or off (emptying them either way). */
export function sharedCaches(on: boolean): void {
  enabled = on;
  for (const c of all) c.clear();
}
