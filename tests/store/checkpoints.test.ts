// The server's checkpoints run on a thread of their own: its connection no longer checkpoints within a
// commit (the database file's fsync on the event loop), and the write-ahead log still stays small while
// megabytes are written, because the thread copies it back; when the thread is stopped, the connection
// checkpoints itself again.
import { mkdtempSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { checkpointsApart } from "../../src/store/sqlite/checkpoints.js";
import { openDb, type Db } from "../../src/store/sqlite/db.js";

const MB = 1 << 20;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Writes `mb` megabytes in commits of 256 kB, pausing now and then as a server's loop does; the WAL's largest size. */
async function write(db: Db, mb: number): Promise<number> {
  db.exec("CREATE TABLE IF NOT EXISTS scratch (x BLOB)");
  const put = db.prepare("INSERT INTO scratch (x) VALUES (?)");
  let most = 0;
  for (let i = 0; i < mb * 4; i++) {
    put.run(Buffer.alloc(MB / 4, i % 251));
    most = Math.max(most, statSync(`${db.name}-wal`).size);
    if (i % 8 === 7) await sleep(50);
  }
  return most;
}

describe("checkpoints apart from the server's connection", () => {
  it("keeps the WAL small from its own thread while the connection never checkpoints in a commit", async () => {
    const db = openDb(mkdtempSync(join(tmpdir(), "kyso-checkpoints-")));
    const c = checkpointsApart(db, 40);
    try {
      expect(db.pragma("wal_autocheckpoint", { simple: true })).toBe(0);
      // the thread started (its first checkpoint reported), as a server's is long before its writes
      while (!c.last) await sleep(10);
      const most = await write(db, 40);
      // without any checkpoint the WAL would hold all 40 MB (the next test); the thread keeps it to a few
      expect(most).toBeLessThan(16 * MB);
    } finally {
      await c.stop();
    }
    expect(db.pragma("wal_autocheckpoint", { simple: true })).toBe(1000);
    db.close();
  }, 60_000);

  it("lets the WAL grow with no checkpoint at all (what the thread prevents)", async () => {
    const db = openDb(mkdtempSync(join(tmpdir(), "kyso-checkpoints-")));
    db.pragma("wal_autocheckpoint = 0");
    try {
      expect(await write(db, 12)).toBeGreaterThan(11 * MB);
    } finally {
      db.close();
    }
  }, 60_000);
});
