// The stored files checked against the names they are stored under: each blob a document or an edXML
// message names is read back and hashed, so a PDF swapped in the blob folder (which the log cannot see:
// it records the hash, not the file) is named. All of them with --blobs; a random sample by default: kept
// while every name goes by (the full check walks the store anyway), or drawn by random seeks when only
// what came since a head is checked (a walk over every name was most of a day's check at 600,000 documents).
import { createHash, randomBytes, randomInt, randomUUID } from "node:crypto";
import { closeSync, existsSync, openSync, readSync } from "node:fs";
import type { BlobStore } from "../blobs.js";

export interface BlobCheck {
  ok: boolean;
  /** files read back and hashed */
  checked: number;
  /** files the store names; null when the sample was drawn by seeks, without counting them */
  total: number | null;
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

/** A page of the files the store names (CheckSource.namedFiles). */
export type FilePages = (after: string | null, limit: number) => Promise<{ files: Named[]; next: string | null }>;
type Named = { sha256: string; owner: string };

/** Names read at a time: what the check holds is a page (or the sample), whatever the store's size. */
const PAGE = 5000;

async function* walkFiles(pages: FilePages): AsyncGenerator<Named[]> {
  for (let after: string | null = null; ;) {
    const p = await pages(after, PAGE);
    if (p.files.length) yield p.files;
    if (p.next === null) return;
    after = p.next;
  }
}

/**
 * Reads back the files the store names (every one, or `sample` of them at random): each must be there
 * and hash to its name. `tick` is called once per file read (a progress bar).
 */
export async function checkBlobs(
  pages: FilePages,
  blobs: BlobStore,
  o: { sample?: number; seek?: boolean; tick?: (total: number) => void } = {},
): Promise<BlobCheck> {
  let total: number | null = 0;
  let pick: Named[] | null = null;
  if (o.sample !== undefined && o.seek) {
    pick = await seekSample(pages, o.sample);
    total = null;
  } else if (o.sample !== undefined) {
    // a uniform sample kept while the names go by (a reservoir): memory is the sample's
    const kept: Named[] = [];
    for await (const page of walkFiles(pages))
      for (const f of page) {
        total++;
        if (kept.length < o.sample) kept.push(f);
        else {
          const j = randomInt(total!);
          if (j < o.sample) kept[j] = f;
        }
      }
    pick = kept;
  } else for await (const page of walkFiles(pages)) total! += page.length; // counted first, for the progress bar
  let checked = 0;
  const out = (broken: BlobCheck["broken"]): BlobCheck => ({
    ok: broken === null,
    checked,
    total,
    sampled: pick !== null && (total === null || pick.length < total),
    broken,
  });
  const problem = (b: Named): BlobCheck["broken"] => {
    const path = blobs.pathOf(b.sha256);
    if (!existsSync(path)) return { ...b, reason: "its file is missing from the blob folder" };
    const sha = fileSha256(path);
    checked++;
    o.tick?.(pick?.length ?? total ?? 0);
    return sha === b.sha256 ? null : { ...b, reason: `its stored file now hashes to ${sha}: the file was replaced or damaged` };
  };
  if (pick) {
    for (const b of pick) {
      const broken = problem(b);
      if (broken) return out(broken);
    }
  } else
    for await (const page of walkFiles(pages))
      for (const b of page) {
        const broken = problem(b);
        if (broken) return out(broken);
      }
  return out(null);
}

/**
 * Up to `n` named files, each the first after a random point: of the documents' ids (random UUIDs) or of
 * the messages' hashes, either at even odds, from the start of that table when the point is past its end.
 * A file drawn twice is read once. The odds favour the fewer kind's files; it is a spot check of the old
 * files beside what came since, not an estimate.
 */
async function seekSample(pages: FilePages, n: number): Promise<Named[]> {
  const got = new Map<string, Named>();
  for (let i = 0; i < n; i++) {
    const documents = randomInt(2) === 0;
    const point = documents ? `d:${randomUUID()}` : `m:${randomBytes(32).toString("hex")}`;
    let f = (await pages(point, 1)).files[0];
    // past the table's end: its first file (the first page of the documents, or of the messages)
    f ??= (await pages(documents ? null : "m:", 1)).files[0];
    if (f) got.set(f.owner, f);
  }
  return [...got.values()];
}
