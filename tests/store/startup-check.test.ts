// The start-up check in bounded time (issue 27): on a log longer than what it reads whole, it still catches
// a rewrite of old entries (through the newest signed root, a head published outside, the head the last
// full check verified) and an old entry it samples; what only a pass over every entry shows (an old entry
// edited or deleted in place) is left to the full check, which still catches it.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cpSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { openDb, type Db } from "../../src/store/sqlite/db.js";
import { appendAudit, canonicalJson, entryHash, signedHead } from "../../src/store/sqlite/audit.js";
import { checkStore, startupCheck, type StartupCheckOptions } from "../../src/store/sqlite/check.js";
import { newestKeptHeadIn, publishHead } from "../../src/store/sqlite/heads.js";
import { keepVerifiedHead } from "../../src/store/sqlite/verified-head.js";
import { readLogKey } from "../../src/log/key.js";
import { Frontier, leafHash } from "../../src/log/merkle.js";
import { resignLog, rewriteLog } from "../helpers/forge-log.js";

let root: string;
let data: string;
let heads: string;
const ENTRIES = 301; // the log-key entry and 300 changes
const WHOLE = 50;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), "kyso-startup-"));
  data = join(root, "data");
  heads = join(root, "heads.jsonl");
  const db = openDb(data);
  const append = (i: number) => appendAudit(db, { actor: "test", action: "agencies-update", subject: `change ${i}`, details: { i } });
  db.transaction(() => {
    for (let i = 1; i <= 100; i++) append(i);
  })();
  await publishHead(db, heads); // size 101, long before the entries read whole
  db.transaction(() => {
    for (let i = 101; i <= 300; i++) append(i);
  })();
  db.close();
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** A copy of the stopped store, altered on the raw database, then opened as kyso serve opens it. */
function altered(alter: (db: Database.Database, dir: string) => void = () => {}): string {
  const dir = mkdtempSync(join(root, "case-"));
  cpSync(data, dir, { recursive: true });
  const raw = new Database(join(dir, "kyso.db"));
  try {
    alter(raw, dir);
  } finally {
    raw.close();
  }
  return dir;
}

function check(dir: string, o: StartupCheckOptions & { published?: boolean } = {}) {
  const db = openDb(dir);
  try {
    const kept = o.published === false ? [] : [newestKeptHeadIn(heads)!];
    return { start: startupCheck(db, kept, { whole: WHOLE, ...o }), full: checkStore(db) };
  } finally {
    db.close();
  }
}

/** Every entry's tree head signed again and the stored subtrees rebuilt (openDb refills them): the store alone checks out. */
function resignedWithTree(db: Database.Database, dir: string): void {
  resignLog(db, readLogKey(join(dir, "log-key.pem"))!);
  db.prepare("DELETE FROM audit_tree").run();
  db.prepare("UPDATE audit_head SET tree_size = NULL").run();
}

describe("the start-up check on a log longer than it reads whole", () => {
  it("reads the newest entries whole, proves the log extends the published head, and samples older entries", () => {
    const r = check(altered());
    expect(r.start).toMatchObject({ problem: null, entries: ENTRIES, whole: { from: ENTRIES - WHOLE + 1, to: ENTRIES } });
    expect(r.start.extends).toEqual([{ size: 101, source: `${heads} (its newest head)` }]);
    expect(r.start.sampled).toBeGreaterThan(0);
    expect(r.full.ok).toBe(true);
  });

  it("catches an old entry edited with every later hash recomputed: the newest signed root no longer follows", () => {
    const r = check(
      altered((db) => rewriteLog(db, 20, (d) => ({ ...d, edited: true }))),
      { published: false },
    );
    expect(r.start.problem).toMatch(new RegExp(`tree root recomputed over the log's ${ENTRIES} entries is not the one its newest head records`));
  });

  it("catches a forger holding the key (old entry rewritten, every head signed again, subtrees rebuilt) by the published head alone", () => {
    const dir = altered((db, d) => {
      rewriteLog(db, 20, (x) => ({ ...x, edited: true }));
      resignedWithTree(db, d);
    });
    expect(check(dir).start.problem).toMatch(
      /the first 101 entries no longer give the root of the head kept in .*heads\.jsonl \(its newest head\): the log was rewritten/,
    );
    // without a head kept outside, nothing in the store can tell (the full check neither): what publishing is for
    expect(check(dir, { published: false }).start.problem).toBeNull();
  });

  it("catches a stored subtree changed under the published head (the proofs it serves would not verify)", () => {
    // entries 129–256: in the consistency proof from the published head (101) to the newest, not in the
    // tree's edge where the entries read whole begin (251), nor in the published head's own tree
    const dir = altered((db) => db.prepare("UPDATE audit_tree SET hash = ? WHERE height = 7 AND lo = 128").run("0".repeat(64)));
    expect(check(dir, { sample: 0 }).start.problem).toMatch(/the first 101 entries no longer give the root of the head kept in .*heads\.jsonl/);
  });

  it("catches the log cut back below the head the last full check verified", () => {
    const dir = altered();
    let db: Db = openDb(dir);
    keepVerifiedHead(db, signedHead(db, ENTRIES), new Date("2026-03-01T00:00:00Z"));
    expect(startupCheck(db, [], { whole: WHOLE }).extends).toEqual([{ size: ENTRIES, source: "the store's last full check (2026-03-01T00:00:00.000Z)" }]);
    // the newest 20 entries removed, the head and its right edge set back, the subtrees refilled
    db.prepare("DELETE FROM audit_log WHERE seq > ?").run(ENTRIES - 20);
    const rows = db.prepare("SELECT hash FROM audit_log ORDER BY seq").all() as Array<{ hash: string }>;
    const f = new Frontier();
    for (const r of rows) f.append(leafHash(r.hash));
    db.prepare("UPDATE audit_head SET seq = ?, hash = ?, frontier = ?, tree_size = NULL").run(rows.length, rows.at(-1)!.hash, f.serialize());
    db.close();
    db = openDb(dir);
    try {
      expect(startupCheck(db, [], { whole: WHOLE }).problem).toMatch(
        new RegExp(
          `the log ends at entry ${ENTRIES - 20}, but the head kept in the store's last full check .* covers ${ENTRIES} entries: entries were removed`,
        ),
      );
    } finally {
      db.close();
    }
  });

  it("catches an old entry it samples: edited in place, or rewritten with its own hash and the next link", () => {
    const edited = altered((db) => db.prepare("UPDATE audit_log SET actor = 'someone else' WHERE seq = 30").run());
    // enough draws that entry 30 is among them (a miss has odds of about e^-20)
    expect(check(edited, { sample: 5000 }).start.problem).toBe("entry 30 does not match its hash (edited)");
    // entry 30 rewritten with a hash of its own and entry 31 linked to it: it re-hashes and links, but is
    // not the leaf the stored tree (and so the newest signed root) holds
    const relinked = altered((db) => {
      const r = db.prepare("SELECT * FROM audit_log WHERE seq = 30").get() as Record<string, string | number | null>;
      const details = { ...(JSON.parse(String(r.details)) as object), edited: true };
      const body = {
        ...{ seq: 30, at: r.at as string, actor: r.actor as string, action: r.action as string, subject: r.subject as string },
        ...{ documentId: null, agency: null, engine: null, trustStore: null, details, prev: r.prev_hash as string },
      };
      const hash = entryHash(body);
      db.prepare("UPDATE audit_log SET details = ?, hash = ? WHERE seq = 30").run(canonicalJson(details), hash);
      db.prepare("UPDATE audit_log SET prev_hash = ? WHERE seq = 31").run(hash);
    });
    // (entry 29's proof reads entry 30 as its neighbour leaf: either is named)
    expect(check(relinked, { sample: 5000 }).start.problem).toMatch(/^the tree of the log's newest signed head does not hold entry (29|30) as stored/);
  });

  it("leaves an old entry edited or deleted in place to the full check, which names it", () => {
    for (const [alter, reason] of [
      [
        (db: Database.Database) => db.prepare("UPDATE audit_log SET actor = 'someone else' WHERE seq = 30").run(),
        /entry 30: its content does not match its hash/,
      ],
      [(db: Database.Database) => db.prepare("DELETE FROM audit_log WHERE seq = 30").run(), /entry 30 is missing/],
    ] as const) {
      const r = check(altered(alter), { sample: 0 });
      expect(r.start.problem).toBeNull();
      expect(r.full.ok).toBe(false);
      expect(r.full.broken?.reason).toMatch(reason);
    }
  });
});

describe("the newest head of a heads file", () => {
  it("is read from the file's end, past a line cut by the read", () => {
    const dir = mkdtempSync(join(root, "heads-"));
    const line = (size: number) => JSON.stringify({ signedHead: { size, root: "ab".repeat(32), keyId: "k", sig: "s".repeat(88), publishedAt: "x" } });
    // ~4,000 lines (over 64 KiB), the newest last
    writeFileSync(join(dir, "h.jsonl"), Array.from({ length: 4000 }, (_, i) => line(i + 1)).join("\n") + "\n");
    expect(newestKeptHeadIn(join(dir, "h.jsonl"))).toMatchObject({ size: 4000, source: `${join(dir, "h.jsonl")} (its newest head)` });
    writeFileSync(join(dir, "empty.jsonl"), "");
    expect(newestKeptHeadIn(join(dir, "empty.jsonl"))).toBeNull();
  });
});
