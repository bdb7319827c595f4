// Original PDFs, content-addressed: blobs/ab/<sha256> (256 folders: a province's few million documents
// are a few thousand per folder, and a new blob never needs a new folder once the 256 exist). Stores made
// before this layout hold blobs/ab/cd/<sha256>; those are found where they are. Written to a temporary
// file and renamed, so a crash never leaves a half-written blob under its final name.
import { createHash, randomBytes } from "node:crypto";
import { existsSync, mkdirSync, renameSync, writeFileSync } from "node:fs";
import { mkdir, rename, writeFile } from "node:fs/promises";
import { join } from "node:path";

/** Blobs up to this size are written synchronously by putAsync. */
const SYNC_WRITE_MAX = 1 << 20;

export class BlobStore {
  private readonly made = new Set<string>();

  constructor(readonly dir: string) {
    mkdirSync(join(dir, "tmp"), { recursive: true });
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

  /** Stores the bytes and returns their sha256 (an existing blob is left as it is). */
  put(bytes: Uint8Array): string {
    const w = this.plan(bytes);
    if (this.has(w.sha256)) return w.sha256;
    if (w.newDir) {
      mkdirSync(w.dir, { recursive: true });
      this.made.add(w.dir);
    }
    writeFileSync(w.tmp, bytes, { flag: "wx" });
    renameSync(w.tmp, w.path);
    return w.sha256;
  }

  /**
   * put() for the API node's uploads: large files are written off the event loop; small ones (most
   * documents) synchronously, since four round trips through the thread pool cost the event loop more
   * than writing a few hundred kilobytes into the page cache.
   */
  async putAsync(bytes: Uint8Array): Promise<string> {
    if (bytes.length <= SYNC_WRITE_MAX) return this.put(bytes);
    const w = this.plan(bytes);
    if (this.has(w.sha256)) return w.sha256;
    if (w.newDir) {
      await mkdir(w.dir, { recursive: true });
      this.made.add(w.dir);
    }
    await writeFile(w.tmp, bytes, { flag: "wx" });
    await rename(w.tmp, w.path);
    return w.sha256;
  }

  /** Where the bytes go: their name, their folder (and whether it may not exist yet), a temporary name. */
  private plan(bytes: Uint8Array): { sha256: string; path: string; dir: string; newDir: boolean; tmp: string } {
    const sha256 = createHash("sha256").update(bytes).digest("hex");
    const dir = join(this.dir, sha256.slice(0, 2));
    // remembered only once made, so a concurrent put into a folder being made makes it too (harmless)
    return { sha256, path: this.pathFor(sha256), dir, newDir: !this.made.has(dir), tmp: join(this.dir, "tmp", `${sha256}.${randomBytes(6).toString("hex")}`) };
  }

  has(sha256: string): boolean {
    return this.locate(sha256) !== null;
  }
}
