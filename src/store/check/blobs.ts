// The stored files checked against the names they are stored under: each blob a document or an edXML
// message names is read back and hashed, so a PDF swapped in the blob folder (which the log cannot see:
// it records the hash, not the file) is named. All of them with --blobs; a random sample by default.
import { createHash, randomInt } from "node:crypto";
import { closeSync, existsSync, openSync, readSync } from "node:fs";
import type { BlobStore } from "../blobs.js";

export interface BlobCheck {
  ok: boolean;
  /** files read back and hashed */
  checked: number;
  /** files the store names */
  total: number;
  /** true when only a sample was read */
  sampled: boolean;
  /** the first file found wrong */
  broken: null | { sha256: string; owner: string; reason: string };
}

/** The SHA-256 of a file, read in 1 MB pieces (a stored PDF may be large). */
export function fileSha256(path: string): string {
  const h = createHash("sha256");
  const buf = Buffer.allocUnsafe(1 << 20);
  const fd = openSync(path, "r");
  try {
    for (let n; (n = readSync(fd, buf, 0, buf.length, null)) > 0;) h.update(buf.subarray(0, n));
  } finally {
    closeSync(fd);
  }
  return h.digest("hex");
}

/**
 * Reads back the files the store names (every one, or `sample` of them at random): each must be there
 * and hash to its name. `tick` is called once per file read (a progress bar).
 */
export function checkBlobs(
  named: ReadonlyArray<{ sha256: string; owner: string }>,
  blobs: BlobStore,
  o: { sample?: number; tick?: (total: number) => void } = {},
): BlobCheck {
  let pick = named;
  if (o.sample !== undefined && o.sample < named.length) {
    const at = new Set<number>();
    while (at.size < o.sample) at.add(randomInt(named.length));
    pick = [...at].map((i) => named[i]!);
  }
  let checked = 0;
  const out = (broken: BlobCheck["broken"]): BlobCheck => ({ ok: broken === null, checked, total: named.length, sampled: pick.length < named.length, broken });
  for (const b of pick) {
    const path = blobs.pathOf(b.sha256);
    if (!existsSync(path)) return out({ ...b, reason: "its file is missing from the blob folder" });
    const sha = fileSha256(path);
    checked++;
    o.tick?.(pick.length);
    if (sha !== b.sha256) return out({ ...b, reason: `its stored file now hashes to ${sha}: the file was replaced or damaged` });
  }
  return out(null);
}
