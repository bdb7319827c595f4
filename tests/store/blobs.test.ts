// The blob folder: a PDF is stored under blobs/ab/<sha256>, written whole or not at all; blobs of stores
// made with the earlier two-level layout (blobs/ab/cd/<sha256>) are found where they are and never
// written a second time; a name that is not a SHA-256 is refused before it becomes a path.
import { createHash, randomBytes } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { BlobStore } from "../../src/store/blobs.js";

const sha = (b: Uint8Array) => createHash("sha256").update(b).digest("hex");

describe("BlobStore", () => {
  it("stores a PDF under ab/<sha256>, leaving nothing in its temporary folder", async () => {
    const dir = mkdtempSync(join(tmpdir(), "kyso-blobs-"));
    const store = new BlobStore(dir);
    const small = new Uint8Array(randomBytes(5000));
    const large = new Uint8Array(randomBytes((1 << 20) + 10)); // above the synchronous-write size
    expect(store.put(small)).toBe(sha(small));
    expect(await store.putAsync(large)).toBe(sha(large));
    for (const b of [small, large]) {
      const h = sha(b);
      expect(store.pathOf(h)).toBe(join(dir, h.slice(0, 2), h));
      expect(readFileSync(store.pathOf(h)).equals(Buffer.from(b))).toBe(true);
    }
    expect(readdirSync(join(dir, "tmp"))).toEqual([]);
  });

  it("finds blobs of the earlier two-level layout, and does not store them again", async () => {
    const dir = mkdtempSync(join(tmpdir(), "kyso-blobs-legacy-"));
    const bytes = new Uint8Array(randomBytes(3000));
    const h = sha(bytes);
    const legacy = join(dir, h.slice(0, 2), h.slice(2, 4), h);
    mkdirSync(join(dir, h.slice(0, 2), h.slice(2, 4)), { recursive: true });
    writeFileSync(legacy, bytes);
    const store = new BlobStore(dir);
    expect(store.has(h)).toBe(true);
    expect(store.pathOf(h)).toBe(legacy);
    store.put(bytes);
    await store.putAsync(bytes);
    expect(existsSync(join(dir, h.slice(0, 2), h))).toBe(false);
  });

  it("refuses a name that is not a SHA-256", () => {
    const store = new BlobStore(mkdtempSync(join(tmpdir(), "kyso-blobs-bad-")));
    for (const bad of ["../../etc/passwd", "AB".repeat(32), "ab", ""]) expect(() => store.pathOf(bad)).toThrow(/not a sha256/);
  });
});
