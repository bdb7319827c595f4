// The stored files of a backup, whichever backend holds the rows: copied when the backup lacks them (they
// are content-addressed and never change once written, so a file there under its hash is that file), then
// read back and hashed, and every document's PDF looked for.
import { randomInt } from "node:crypto";
import { chmodSync, copyFileSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { basename, join, relative, sep } from "node:path";
import { BlobStore } from "../store/blobs.js";
import { fileSha256 } from "../store/check/blobs.js";
import type { StorePaths } from "../store/paths.js";
import { filesUnder } from "./files.js";
import { Progress } from "./progress.js";

export interface CopiedFiles {
  /** every stored file of the source, relative to its blob folder */
  blobs: string[];
  /** those copied now (the backup lacked them) */
  missing: string[];
  bytes: number;
}

/**
 * The published heads as they stand now, read before the database is copied: each covers entries the copy
 * then holds. Read after it (a server publishing meanwhile), a head could cover entries the copy lacks,
 * and the copy's check would take it for a log cut short.
 */
export function headsBeforeSnapshot(from: StorePaths): string | null {
  return existsSync(from.heads) ? readFileSync(from.heads, "utf8") : null;
}

/** Copies the stored files the backup lacks, then the instance key (mode 0600) and the heads read before the snapshot. */
export function copyStoredFiles(from: StorePaths, to: StorePaths, err: NodeJS.WritableStream, heads: string | null): CopiedFiles {
  // every stored file, not the unfinished writes in blobs/tmp
  const blobs = existsSync(from.blobs)
    ? filesUnder(from.blobs)
        .map((p) => relative(from.blobs, p))
        .filter((f) => !f.startsWith(`tmp${sep}`))
    : [];
  const missing = blobs.filter((f) => !existsSync(join(to.blobs, f)));
  const progress = new Progress(err, "copying  ", missing.length);
  let bytes = 0;
  for (const f of missing) {
    const copied = join(to.blobs, f);
    mkdirSync(join(copied, ".."), { recursive: true });
    copyFileSync(join(from.blobs, f), copied);
    bytes += statSync(copied).size;
    progress.tick();
  }
  progress.done();
  // the instance key and the published heads: a restore without the key would sign with a new one that
  // nothing endorsed (kyso audit verify says so)
  if (existsSync(from.key)) {
    copyFileSync(from.key, to.key);
    chmodSync(to.key, 0o600);
  }
  if (heads !== null) writeFileSync(to.heads, heads);
  return { blobs, missing, bytes };
}

/**
 * Reads back every file copied now and a sample of those an earlier backup had (a swapped, emptied or
 * damaged PDF is not its name's hash), then looks for every document's PDF; problems found, at most 20.
 */
export async function checkStoredFiles(
  to: StorePaths,
  c: CopiedFiles,
  documents: Iterable<{ id: string; sha256: string }> | AsyncIterable<{ id: string; sha256: string }>,
  err: NodeJS.WritableStream,
  problems: string[],
): Promise<number> {
  const copiedNow = new Set(c.missing);
  const older = c.blobs.filter((f) => !copiedNow.has(f));
  const sample = older.length <= 64 ? older : Array.from({ length: 64 }, () => older[randomInt(older.length)]!);
  const reread = [...c.missing, ...sample];
  const reading = new Progress(err, "checking ", reread.length);
  for (const f of reread) {
    const name = basename(f);
    const sha = fileSha256(join(to.blobs, f));
    if (/^[0-9a-f]{64}$/.test(name) && sha !== name && problems.length < 20)
      problems.push(`stored file ${f}: its content's SHA-256 is ${sha}: the file was replaced or damaged`);
    reading.tick();
  }
  reading.done();
  const store = new BlobStore(to.blobs);
  let n = 0;
  for await (const r of documents) {
    n++;
    if (!store.has(r.sha256) && problems.length < 20) problems.push(`document ${r.id}: its PDF (${r.sha256}) is not in the copy`);
  }
  return n;
}
