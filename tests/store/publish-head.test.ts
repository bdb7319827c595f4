// Publishing the log's head never waits for the disk on the caller's event loop, and never covers an
// entry that was not on disk: the head is read first, the write-ahead log flushed from the thread pool,
// then the head published. An entry committed while the flush runs is left to the next publication.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it, vi } from "vitest";
import { submit } from "../../src/lifecycle/index.js";
import { auditHead } from "../../src/store/sqlite/audit.js";
import { openDb } from "../../src/store/sqlite/db.js";
import { keptHeadsIn, publishHead } from "../../src/store/sqlite/heads.js";
import { paperRow } from "../helpers/paper-row.js";

describe("publishing the log's head", () => {
  it("publishes the head as it was before the flush, with no durable commit on the event loop", async () => {
    const dir = mkdtempSync(join(tmpdir(), "kyso-publish-"));
    const db = openDb(join(dir, "data"));
    try {
      for (let i = 0; i < 3; i++) submit(db, paperRow({ number: `${i}/P` }), "test");
      const before = auditHead(db).seq;
      const prepare = vi.spyOn(db, "prepare");
      const file = join(dir, "heads.jsonl");
      const publishing = publishHead(db, file);
      // committed while the flush is under way: not covered by this publication
      submit(db, paperRow({ number: "late/P" }), "test");
      const h = await publishing;
      expect(h?.size).toBe(before);
      expect(keptHeadsIn([file]).map((k) => k.size)).toEqual([before]);
      expect(auditHead(db).seq).toBeGreaterThan(before);
      // no commit of its own to make the store durable (an fsync on this thread)
      expect(prepare.mock.calls.filter(([sql]) => /'durable'/.test(String(sql)))).toEqual([]);
    } finally {
      db.close();
    }
  });
});
