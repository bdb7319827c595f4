// The stored files read back against their names: all, a sample kept while every name goes by (the full
// check), or a sample drawn by random seeks (the check since a head), which asks one name at a time and
// never pages through them all, and still names a swapped file.
import { randomUUID } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { BlobStore } from "../../../src/store/blobs.js";
import { checkBlobs, type FilePages } from "../../../src/store/check/blobs.js";
import { filesCursor, filesPage } from "../../../src/store/check/files-page.js";

/** A store's names as the check source pages them (documents by id, then messages by hash), with every page asked for recorded. */
function namesOf(documents: Array<{ id: string; sha256: string }>, messages: string[]) {
  const byId = [...documents].sort((a, b) => (a.id < b.id ? -1 : 1));
  const byHash = [...messages].sort();
  const asked: number[] = [];
  const pages: FilePages = async (after, limit) => {
    asked.push(limit);
    const at = filesCursor(after);
    const rows =
      at.table === "documents"
        ? byId
            .filter((d) => d.id > at.key)
            .slice(0, limit)
            .map((d) => ({ key: d.id, sha256: d.sha256 }))
        : byHash
            .filter((h) => h > at.key)
            .slice(0, limit)
            .map((h) => ({ key: h, sha256: h }));
    return filesPage(at, rows, limit);
  };
  return { pages, asked };
}

describe("the stored files checked", () => {
  const blobs = new BlobStore(mkdtempSync(join(tmpdir(), "kyso-blobs-check-")));
  const documents = Array.from({ length: 300 }, (_, i) => ({ id: randomUUID(), sha256: blobs.put(Buffer.from(`document ${i}`)) }));
  const messages = Array.from({ length: 5 }, (_, i) => blobs.put(Buffer.from(`message ${i}`)));

  it("draws the sample by seeks of one name each, never a walk over every name", async () => {
    const { pages, asked } = namesOf(documents, messages);
    const r = await checkBlobs(pages, blobs, { sample: 64, seek: true });
    expect(r).toMatchObject({ ok: true, total: null, sampled: true, broken: null });
    expect(r.checked).toBeGreaterThan(10);
    expect(r.checked).toBeLessThanOrEqual(64);
    expect(new Set(asked)).toEqual(new Set([1]));
    expect(asked.length).toBeLessThanOrEqual(128);
    // the sample kept while the names go by walks them all, in pages
    const walked = namesOf(documents, messages);
    expect(await checkBlobs(walked.pages, blobs, { sample: 64 })).toMatchObject({ ok: true, total: 305, checked: 64, sampled: true });
    expect(Math.max(...walked.asked)).toBe(5000);
  });

  it("names a swapped file the seeks land on", async () => {
    const one = [{ id: randomUUID(), sha256: blobs.put(Buffer.from("the only document")) }];
    writeFileSync(blobs.pathOf(one[0]!.sha256), "swapped");
    const r = await checkBlobs(namesOf(one, []).pages, blobs, { sample: 64, seek: true });
    expect(r).toMatchObject({ ok: false, checked: 1, broken: { owner: `document ${one[0]!.id}`, reason: expect.stringMatching(/now hashes to/) } });
  });
});
