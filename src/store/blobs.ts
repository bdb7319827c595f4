// Original PDFs, content-addressed: blobs/ab/cd/<sha256>. Written to a temporary file and renamed, so a
// crash never leaves a half-written blob under its final name.
import { createHash, randomBytes } from "node:crypto";
import { existsSync, mkdirSync, renameSync, writeFileSync } from "node:fs";
import { access, mkdir, rename, writeFile } from "node:fs/promises";
import { join } from "node:path";

export class BlobStore {
  private readonly made = new Set<string>();

  constructor(readonly dir: string) {
    mkdirSync(join(dir, "tmp"), { recursive: true });
  }

  pathOf(sha256: string): string {
    if (!/^[0-9a-f]{64}$/.test(sha256)) throw new Error(`not a sha256: ${sha256}`);
    return join(this.dir, sha256.slice(0, 2), sha256.slice(2, 4), sha256);
  }

  /** Stores the bytes and returns their sha256 (an existing blob is left as it is). */
  put(bytes: Uint8Array): string {
    const sha256 = createHash("sha256").update(bytes).digest("hex");
    const path = this.pathOf(sha256);
    if (existsSync(path)) return sha256;
    const sub = join(this.dir, sha256.slice(0, 2), sha256.slice(2, 4));
    if (!this.made.has(sub)) {
      mkdirSync(sub, { recursive: true });
      this.made.add(sub);
    }
    const tmp = join(this.dir, "tmp", `${sha256}.${randomBytes(6).toString("hex")}`);
    writeFileSync(tmp, bytes, { flag: "wx" });
    renameSync(tmp, path);
    return sha256;
  }

  /** put() with the file system work done off the event loop (the API node's uploads). */
  async putAsync(bytes: Uint8Array): Promise<string> {
    const sha256 = createHash("sha256").update(bytes).digest("hex");
    const path = this.pathOf(sha256);
    if (await access(path).then(() => true, () => false)) return sha256;
    const sub = join(this.dir, sha256.slice(0, 2), sha256.slice(2, 4));
    if (!this.made.has(sub)) {
      await mkdir(sub, { recursive: true });
      this.made.add(sub);
    }
    const tmp = join(this.dir, "tmp", `${sha256}.${randomBytes(6).toString("hex")}`);
    await writeFile(tmp, bytes, { flag: "wx" });
    await rename(tmp, path);
    return sha256;
  }

  has(sha256: string): boolean {
    return existsSync(this.pathOf(sha256));
  }
}
