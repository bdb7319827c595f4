// Original PDFs, content-addressed: blobs/ab/<sha256> (256 folders: a province's few million documents
// are a few thousand per folder, and a new blob never needs a new folder once the 256 exist). Stores made
// before this layout hold blobs/ab/cd/<sha256>; those are found where they are. Written to a temporary
// file, flushed to disk (fsync), renamed, and the folder flushed too, so a blob acknowledged to a client
// survives a crash or a power cut, and a crash never leaves a half-written blob under its final name.
// Temporary files of processes that are gone are removed when a store is opened.
import { createHash, randomBytes } from "node:crypto";
import { closeSync, existsSync, fsync, fsyncSync, mkdirSync, openSync, readdirSync, renameSync, rmSync, statSync, writeSync } from "node:fs";
import { promisify } from "node:util";
import type { BlobPort } from "./ports.js";
import { mkdir, open, rename } from "node:fs/promises";
import { join } from "node:path";
import { makeFolder } from "./folders.js";

/** Blobs up to this size are written synchronously by putAsync. */
const SYNC_WRITE_MAX = 1 << 20;

/** A temporary file's name: the blob's hash, the writing process, a random part. */
const TMP_NAME = /^[0-9a-f]{64}\.(\d+)\.[0-9a-f]+$/;

function fsyncFolder(dir: string): void {
  const fd = openSync(dir, "r");
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

const fsyncAsync = promisify(fsync);

/** The bytes in a new temporary file, left open for its flush; a failed write leaves no file. */
function writeTemporary(tmp: string, bytes: Uint8Array): number {
  const fd = openSync(tmp, "wx");
  try {
    for (let off = 0; off < bytes.length;) off += writeSync(fd, bytes, off);
  } catch (e) {
    closeOrDiscard(fd, tmp, e);
  }
  return fd;
}

/** Closes a temporary file; after a failure it is removed and the failure thrown (a full disk: 507). */
function closeOrDiscard(fd: number, tmp: string, failed: unknown): void {
  closeSync(fd);
  if (failed === null) return;
  rmSync(tmp, { force: true });
  throw failed;
}

async function fsyncFolderAsync(dir: string): Promise<void> {
  const fh = await open(dir, "r");
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

export class BlobStore implements BlobPort {
  private readonly made = new Set<string>();

  constructor(readonly dir: string) {
    makeFolder(join(dir, "tmp"), "blob folder");
    this.removeStaleTemporaries();
  }

  /** Removes what writers that are gone left in tmp/ (a crash between write and rename). */
  removeStaleTemporaries(): number {
    let n = 0;
    for (const f of readdirSync(join(this.dir, "tmp"))) {
      const m = TMP_NAME.exec(f);
      // a file of another layout is removed once it is an hour old; one of a live writer is left alone
      const stale = m ? Number(m[1]) !== process.pid && !alive(Number(m[1])) : Date.now() - statSync(join(this.dir, "tmp", f)).mtimeMs > 3_600_000;
      if (stale) {
        rmSync(join(this.dir, "tmp", f), { force: true });
        n++;
      }
    }
    return n;
  }

  /** Where the blob is (or would be written): its path in this layout, else in the earlier one if it is there. */
  pathOf(sha256: string): string {
    return this.locate(sha256) ?? this.pathFor(sha256);
  }

  /** The stored blob's path, in this layout or the earlier one; null when it is not stored. */
  private locate(sha256: string): string | null {
    const path = this.pathFor(sha256);
    if (existsSync(path)) return path;
    const legacy = join(this.dir, sha256.slice(0, 2), sha256.slice(2, 4), sha256);
    return existsSync(legacy) ? legacy : null;
  }

  /** The path a blob is written to. */
  private pathFor(sha256: string): string {
    if (!/^[0-9a-f]{64}$/.test(sha256)) throw new Error(`not a sha256: ${sha256}`);
    return join(this.dir, sha256.slice(0, 2), sha256);
  }

  /** Stores the bytes durably and returns their sha256 (an existing blob is left as it is). */
  put(bytes: Uint8Array): string {
    const w = this.plan(bytes);
    if (this.has(w.sha256)) return w.sha256;
    if (w.newDir) this.makeFolder(w.dir);
    const fd = writeTemporary(w.tmp, bytes);
    let failed: unknown = null;
    try {
      fsyncSync(fd);
    } catch (e) {
      failed = e;
    }
    closeOrDiscard(fd, w.tmp, failed);
    renameSync(w.tmp, w.path);
    fsyncFolder(w.dir);
    return w.sha256;
  }

  /**
   * put() for the API node's uploads. Small files (most documents) are written here, into the page
   * cache, and only their flushes (the file's, then its folder's) wait in the thread pool: two round
   * trips instead of one per step (the pool also serves the analysis threads' reads), and no event-loop
   * time spent waiting for the disk (bench/pipeline). Large files are written off the event loop too.
   */
  async putAsync(bytes: Uint8Array): Promise<string> {
    if (bytes.length <= SYNC_WRITE_MAX) return this.putFlushedAsync(bytes);
    const w = this.plan(bytes);
    if (this.has(w.sha256)) return w.sha256;
    if (w.newDir) {
      if (!existsSync(w.dir)) {
        await mkdir(w.dir, { recursive: true });
        await fsyncFolderAsync(this.dir);
      }
      this.made.add(w.dir);
    }
    const fh = await open(w.tmp, "wx");
    try {
      await fh.writeFile(bytes);
      await fh.sync();
    } catch (e) {
      await fh.close();
      rmSync(w.tmp, { force: true });
      throw e;
    }
    await fh.close();
    await rename(w.tmp, w.path);
    await fsyncFolderAsync(w.dir);
    return w.sha256;
  }

  private async putFlushedAsync(bytes: Uint8Array): Promise<string> {
    const w = this.plan(bytes);
    if (this.has(w.sha256)) return w.sha256;
    if (w.newDir) {
      if (!existsSync(w.dir)) {
        mkdirSync(w.dir, { recursive: true });
        await fsyncFolderAsync(this.dir);
      }
      this.made.add(w.dir);
    }
    const fd = writeTemporary(w.tmp, bytes);
    let failed: unknown = null;
    try {
      await fsyncAsync(fd);
    } catch (e) {
      failed = e;
    }
    closeOrDiscard(fd, w.tmp, failed);
    renameSync(w.tmp, w.path);
    const dir = openSync(w.dir, "r");
    try {
      await fsyncAsync(dir);
    } finally {
      closeSync(dir);
    }
    return w.sha256;
  }

  /** A shard folder, flushed into its parent so the blob's name survives with it. */
  private makeFolder(dir: string): void {
    if (!existsSync(dir)) {
      mkdirSync(dir, { recursive: true });
      fsyncFolder(this.dir);
    }
    this.made.add(dir);
  }

  /** Where the bytes go: their name, their folder (and whether it may not exist yet), a temporary name. */
  private plan(bytes: Uint8Array): { sha256: string; path: string; dir: string; newDir: boolean; tmp: string } {
    const sha256 = createHash("sha256").update(bytes).digest("hex");
    const dir = join(this.dir, sha256.slice(0, 2));
    // remembered only once made, so a concurrent put into a folder being made makes it too (harmless)
    return {
      sha256,
      path: this.pathFor(sha256),
      dir,
      newDir: !this.made.has(dir),
      tmp: join(this.dir, "tmp", `${sha256}.${process.pid}.${randomBytes(6).toString("hex")}`),
    };
  }

  has(sha256: string): boolean {
    return this.locate(sha256) !== null;
  }
}
