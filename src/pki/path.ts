// Certification path building (RFC 4158, simplified): from the signer's certificate up to a trust anchor,
// through the certificates the signature carries, the DSS dictionary and the trust store. Issuers are
// matched by name and key identifier and each link's signature is checked; several candidate paths are
// tried, bounded in depth and count.
import { type Certificate } from "./certificate.js";
import { issuedBy } from "./cert-signature.js";
import { nameKey } from "./names.js";
import type { TrustStore } from "./trust-store.js";
import { BoundedCache } from "./shared-cache.js";

export interface BuiltPaths {
  /** complete paths, leaf first, ending with a trust anchor */
  complete: Certificate[][];
  /** the longest path found when none reaches an anchor */
  partial: Certificate[];
}

const MAX_DEPTH = 10;
const MAX_PATHS = 4;

/** Paths built, by leaf, pool and trust store (time plays no part in building): shared, never changed. */
const BUILT = new BoundedCache<string, BuiltPaths>(4096);

export function buildPaths(leaf: Certificate, pool: Certificate[], store: TrustStore): BuiltPaths {
  const key = `${leaf.sha256}|${store.id}|${[...new Set(pool.map((c) => c.sha256))].sort().join(",")}`;
  return BUILT.get(key, () => build(leaf, pool, store));
}

function build(leaf: Certificate, pool: Certificate[], store: TrustStore): BuiltPaths {
  const byName = new Map<string, Certificate[]>();
  for (const c of pool) {
    const k = nameKey(c.subject);
    byName.set(k, [...(byName.get(k) ?? []), c]);
  }
  const complete: Certificate[][] = [];
  let partial: Certificate[] = [leaf];
  let steps = 0;
  const walk = (path: Certificate[]): void => {
    if (complete.length >= MAX_PATHS || ++steps > 500) return;
    const cur = path[path.length - 1]!;
    if (store.isAnchor(cur)) {
      complete.push(path);
      return;
    }
    if (path.length > partial.length) partial = path;
    if (path.length >= MAX_DEPTH) return;
    const candidates = [...(byName.get(nameKey(cur.issuer)) ?? []), ...store.issuersOf(cur)];
    const seen = new Set<string>();
    for (const cand of candidates) {
      if (seen.has(cand.sha256) || path.some((p) => p.sha256 === cand.sha256)) continue;
      seen.add(cand.sha256);
      if (cur.aki && cand.ski && !Buffer.from(cur.aki).equals(cand.ski)) continue;
      if (!issuedBy(cur, cand)) continue;
      walk([...path, cand]);
    }
  };
  walk([leaf]);
  return { complete, partial };
}
