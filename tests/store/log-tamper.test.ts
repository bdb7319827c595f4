// Every way of altering the verification log that the issue lists, each caught by the store check naming
// the entry, and each caught offline by a head kept outside the store (published heads + an export).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { openDb, type Db } from "../../src/store/sqlite/db.js";
import { appendAudit, canonicalJson, entryHash, exportAudit, verifyExport, type TrustedHistory } from "../../src/store/sqlite/audit.js";
import { verifyStoredChain } from "../../src/store/sqlite/check.js";
import { checkProof, keptHeadsIn, proveConsistency, proveInclusion, publishHead, sqliteHeads } from "../../src/store/sqlite/heads.js";
import { listAudit } from "../../src/store/sqlite/audit.js";
import { readLogKey } from "../../src/log/key.js";
import { resignLog, rewriteLog } from "../helpers/forge-log.js";

let root: string;
let data: string;
let heads: string;

const append = (db: Db, i: number) =>
  db.transaction(() => appendAudit(db, { actor: "test", action: "agencies-update", subject: `change ${i}`, details: { i } }))();

function copy(): { dir: string; db: Database.Database } {
  const dir = mkdtempSync(join(root, "copy-"));
  cpSync(data, dir, { recursive: true });
  return { dir, db: new Database(join(dir, "kyso.db")) };
}

const kept = (): TrustedHistory => ({ kept: keptHeadsIn([heads]) });

function exportOf(dir: string): string {
  const db = openDb(dir);
  try {
    return [...exportAudit(db)].join("");
  } finally {
    db.close();
  }
}

/** The store check (with and without the kept heads) and the offline check of an export. */
function checks(dir: string) {
  const db = openDb(dir);
  try {
    return { alone: verifyStoredChain(db), withHeads: verifyStoredChain(db, kept()), offline: verifyExport(exportOf(dir), kept()) };
  } finally {
    db.close();
  }
}

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), "kyso-log-"));
  data = join(root, "data");
  heads = join(root, "witness-heads.jsonl");
  const db = openDb(data);
  for (let i = 1; i <= 9; i++) append(db, i);
  await publishHead(db, heads); // size 10: the log-key entry and nine changes
  for (let i = 10; i <= 19; i++) append(db, i);
  await publishHead(db, heads); // size 20
  db.close();
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe("the log's signed history", () => {
  it("is intact as written, against the heads published on the way", () => {
    const c = checks(data);
    expect(c.alone).toMatchObject({ ok: true, entries: 20, signed: 20 });
    expect(c.withHeads).toMatchObject({ ok: true, keptHeads: 2 });
    expect(c.offline).toMatchObject({ ok: true, signed: 20, keptHeads: 2 });
  });

  it("names an entry rewritten with every later hash recomputed (its signed head no longer verifies)", () => {
    const { dir, db } = copy();
    rewriteLog(db, 7, (d) => ({ ...d, i: 700 }));
    db.close();
    const c = checks(dir);
    expect(c.alone.broken?.seq).toBe(7);
    expect(c.alone.broken?.reason).toMatch(/tree root|signature of its tree head/);
    expect(c.offline.ok).toBe(false);
    expect(c.offline.broken?.seq).toBe(7);
  });

  it("catches a rewrite re-signed with the instance key, by the heads kept outside", () => {
    const { dir, db } = copy();
    rewriteLog(db, 7, (d) => ({ ...d, i: 700 }));
    resignLog(db, readLogKey(join(dir, "log-key.pem"))!);
    db.close();
    const c = checks(dir);
    expect(c.alone.ok).toBe(true); // with the key, the store alone cannot tell
    expect(c.withHeads.ok).toBe(false);
    expect(c.withHeads.broken).toMatchObject({ seq: 10 });
    expect(c.withHeads.broken?.reason).toMatch(/first 10 entries no longer give the root of the head kept in .*witness-heads.jsonl:1.*rewritten/);
    expect(c.offline.broken?.seq).toBe(10);
  });

  it("catches rows cut from the tail with the head moved back, by the heads kept outside", () => {
    const { dir, db } = copy();
    db.exec("DELETE FROM audit_log WHERE seq > 15");
    const h = db.prepare("SELECT hash FROM audit_log WHERE seq = 15").get() as { hash: string };
    db.prepare("UPDATE audit_head SET seq = 15, hash = ?, frontier = NULL").run(h.hash);
    db.close();
    const c = checks(dir);
    expect(c.alone.ok).toBe(true); // a consistent shorter log: only a kept head knows it was longer
    expect(c.withHeads.broken?.seq).toBe(16);
    expect(c.withHeads.broken?.reason).toMatch(/entry 16 is missing: the log ends at entry 15, but the head kept in .*covers 20 entries/);
    expect(c.offline.broken?.seq).toBe(16);
  });

  it("names an entry appended by hand (it has no signed head)", () => {
    const { dir, db } = copy();
    const last = db.prepare("SELECT * FROM audit_log WHERE seq = 20").get() as { hash: string; root: string; key_id: string; sig: string };
    const body = {
      seq: 21,
      at: new Date().toISOString(),
      actor: "admin",
      action: "policy-change",
      subject: "compliance policy",
      documentId: null,
      agency: null,
      engine: null,
      trustStore: null,
      details: { target: 0.5 },
      prev: last.hash,
    };
    const hash = entryHash(body);
    // with the last genuine head copied onto it, and without
    for (const [root, sig] of [
      [last.root, last.sig],
      [null, null],
    ] as const) {
      db.prepare("DELETE FROM audit_log WHERE seq = 21").run();
      db.prepare(
        "INSERT INTO audit_log (seq, at, actor, action, subject, details, prev_hash, hash, root, key_id, sig) VALUES (21, ?, 'admin', 'policy-change', 'compliance policy', ?, ?, ?, ?, ?, ?)",
      ).run(body.at, canonicalJson(body.details), last.hash, hash, root, root ? last.key_id : null, sig);
      db.prepare("UPDATE audit_head SET seq = 21, hash = ?").run(hash);
      const c = checks(dir);
      expect(c.alone.broken?.seq, String(root)).toBe(21);
      expect(c.offline.broken?.seq).toBe(21);
    }
    db.close();
  });

  it("names a fork: two signed heads for one size", async () => {
    const a = copy();
    const b = copy();
    a.db.close();
    b.db.close();
    const forkHeads = join(root, "fork-heads.jsonl");
    writeFileSync(forkHeads, readFileSync(heads));
    for (const [dir, i] of [
      [a.dir, 100],
      [b.dir, 200],
    ] as const) {
      const db = openDb(dir);
      append(db, i);
      await publishHead(db, forkHeads);
      db.close();
    }
    const db = openDb(a.dir);
    const r = verifyStoredChain(db, { kept: keptHeadsIn([forkHeads]) });
    db.close();
    expect(r.broken?.seq).toBe(21);
    expect(r.broken?.reason).toMatch(/two signed heads for size 21 with different roots.*forked/);
    expect(verifyExport(exportOf(b.dir), { kept: keptHeadsIn([forkHeads]) }).broken?.seq).toBe(21);
  });

  it("refuses a head that another key signed, and a pinned key that is not the log's", () => {
    const db = openDb(data);
    try {
      const other = keptHeadsIn([heads]).map((h) => ({ ...h, keyId: "0123456789abcdef" }));
      expect(verifyStoredChain(db, { kept: other }).broken?.reason).toMatch(/signed by key 0123456789abcdef, which this log never held/);
      const forged = keptHeadsIn([heads]).map((h) => ({ ...h, root: h.root.replace(/^./, (c) => (c === "0" ? "1" : "0")) }));
      expect(verifyStoredChain(db, { kept: forged }).broken?.reason).toMatch(/does not verify with key/);
      const stranger = readLogKey(join(data, "log-key.pem"))!.publicKey.replace(/^./, (c) => (c === "A" ? "B" : "A"));
      expect(verifyStoredChain(db, { pinned: [stranger] }).broken).toMatchObject({ seq: 1 });
    } finally {
      db.close();
    }
  });

  it("gives inclusion and consistency proofs that check offline and fail on a one-bit change", () => {
    const db = openDb(data);
    const entry = listAudit(db, {}, 6, 1).entries[0]!;
    const inc = proveInclusion(db, 7, entry, 20);
    const con = proveConsistency(db, 10, 20);
    const pk = readLogKey(join(data, "log-key.pem"))!.publicKey;
    db.close();
    expect(checkProof(inc, [pk]).every((c) => c.ok)).toBe(true);
    expect(checkProof(con, [pk]).every((c) => c.ok)).toBe(true);
    const bit = (h: string) => (parseInt(h[0]!, 16) ^ 1).toString(16) + h.slice(1);
    const badPath = structuredClone(inc);
    badPath.inclusion.path[1] = bit(badPath.inclusion.path[1]!);
    expect(checkProof(badPath).some((c) => !c.ok)).toBe(true);
    const badEntry = structuredClone(inc);
    (badEntry.inclusion.entry.details as { i: number }).i = 8;
    expect(checkProof(badEntry).some((c) => !c.ok)).toBe(true);
    const badCon = structuredClone(con);
    badCon.consistency.path[0] = bit(badCon.consistency.path[0]!);
    expect(checkProof(badCon).some((c) => !c.ok)).toBe(true);
    const badHead = structuredClone(con);
    badHead.consistency.first.root = bit(badHead.consistency.first.root);
    expect(checkProof(badHead).some((c) => !c.ok)).toBe(true);
    // a head signed by a key that is not the pinned one
    expect(checkProof(inc, [pk.replace(/^./, (c) => (c === "A" ? "B" : "A"))]).some((c) => !c.ok)).toBe(true);
  });

  it("publishes heads to a witness's URL (POSTed as JSON), which then catch what the store alone cannot", async () => {
    const { createServer } = await import("node:http");
    const received: string[] = [];
    const witness = createServer((req, res) => {
      let body = "";
      req.on("data", (d) => (body += String(d)));
      req.on("end", () => {
        received.push(body);
        res.writeHead(req.headers["content-type"] === "application/json" ? 204 : 415).end();
      });
    });
    await new Promise<void>((r) => witness.listen(0, "127.0.0.1", r));
    const url = `http://127.0.0.1:${(witness.address() as { port: number }).port}/heads`;
    const { HeadPublisher } = await import("../../src/store/head-publisher.js");
    const { dir } = (() => {
      const c = copy();
      c.db.close();
      return c;
    })();
    const db = openDb(dir);
    const p = new HeadPublisher(sqliteHeads(db), url, 60_000);
    await p.tick();
    append(db, 400);
    await p.tick();
    await p.tick(); // nothing new: nothing sent
    db.close();
    witness.close();
    expect(received).toHaveLength(2);
    expect(p.error).toBeNull();
    const keptFile = join(root, "witness-url.jsonl");
    writeFileSync(keptFile, received.join(""));
    const heads2 = keptHeadsIn([keptFile]);
    expect(heads2.map((h) => h.size)).toEqual([20, 21]);
    // the witness's heads catch a cut the store alone cannot
    const cut = new Database(join(dir, "kyso.db"));
    cut.exec("DELETE FROM audit_log WHERE seq = 21");
    cut.prepare("UPDATE audit_head SET seq = 20, hash = (SELECT hash FROM audit_log WHERE seq = 20), frontier = NULL").run();
    cut.close();
    const again = openDb(dir);
    expect(verifyStoredChain(again).ok).toBe(true);
    expect(verifyStoredChain(again, { kept: heads2 }).broken?.seq).toBe(21);
    again.close();
  });

  it("accepts a rotated key endorsed by the old one, and names a key file replaced by hand", async () => {
    const { rotateLogKey } = await import("../../src/store/sqlite/audit.js");
    const { createLogKey } = await import("../../src/log/key.js");
    const a = copy();
    a.db.close();
    let db = openDb(a.dir);
    rotateLogKey(db, createLogKey(join(a.dir, "next.pem")), "test");
    append(db, 300);
    expect(verifyStoredChain(db, kept())).toMatchObject({ ok: true, entries: 22 });
    db.close();
    // the key file replaced without rotation: the new key is recorded, but nothing trusted endorsed it
    rmSync(join(a.dir, "log-key.pem"));
    db = openDb(a.dir);
    append(db, 301);
    const r = verifyStoredChain(db);
    db.close();
    expect(r.broken?.seq).toBe(23);
    expect(r.broken?.reason).toMatch(/introduces log key \w+, which no trusted key endorsed/);
  });
});

describe("the head publication's settings", () => {
  it("default to DATA/heads.jsonl every 5 minutes, and refuse an interval that is not a number of seconds", async () => {
    const { serverOptionsFromEnv } = await import("../../src/server.js");
    const { defaultHeadsFile } = await import("../../src/store/sqlite/heads.js");
    const o = serverOptionsFromEnv({ KYSO_DATA_DIR: "/srv/kyso" });
    // unset, the heads file is resolved by startServer from the data folder finally chosen (kyso serve --data)
    expect([o.publishHeads, o.publishHeads ?? defaultHeadsFile(o.dataDir), o.publishIntervalMs]).toEqual([undefined, "/srv/kyso/heads.jsonl", 300_000]);
    expect(serverOptionsFromEnv({ KYSO_PUBLISH_HEADS: "/var/heads.jsonl" }).publishHeads).toBe("/var/heads.jsonl");
    expect(serverOptionsFromEnv({ KYSO_PUBLISH_HEADS: "off" }).publishHeads).toBeNull();
    for (const bad of ["abc", "0", "-5"])
      expect(() => serverOptionsFromEnv({ KYSO_PUBLISH_INTERVAL: bad })).toThrow(/KYSO_PUBLISH_INTERVAL must be a number of seconds/);
  });
});

describe("a log from before signed heads", () => {
  it("keeps its unsigned entries valid once signing starts: the start-up check and the full check agree", async () => {
    const { quickCheck } = await import("../../src/store/sqlite/check.js");
    const dir = mkdtempSync(join(tmpdir(), "kyso-legacy-log-"));
    let db = openDb(dir);
    // three entries as an older kyso wrote them: chained, no tree head, no key
    let prev = "0".repeat(64);
    for (let seq = 1; seq <= 3; seq++) {
      const body = {
        seq,
        at: "2026-01-0" + seq + "T00:00:00.000Z",
        actor: "system",
        action: "agencies-update",
        subject: `change ${seq}`,
        documentId: null,
        agency: null,
        engine: null,
        trustStore: null,
        details: { seq },
        prev,
      };
      const hash = entryHash(body);
      db.prepare("INSERT INTO audit_log (seq, at, actor, action, subject, details, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)").run(
        seq,
        body.at,
        body.actor,
        body.action,
        body.subject,
        canonicalJson(body.details),
        prev,
        hash,
      );
      prev = hash;
    }
    db.prepare("INSERT INTO audit_head (one, seq, hash) VALUES (1, 3, ?)").run(prev);
    expect(quickCheck(db)).toBeNull();
    append(db, 4); // the instance key is recorded, then the entry: both signed
    db.close();
    db = openDb(dir);
    expect(quickCheck(db)).toBeNull();
    expect(verifyStoredChain(db)).toMatchObject({ ok: true, entries: 5, signed: 2 });
    // an unsigned entry after a signed one is still named
    const last = db.prepare("SELECT hash FROM audit_log WHERE seq = 5").get() as { hash: string };
    const body = {
      seq: 6,
      at: new Date().toISOString(),
      actor: "admin",
      action: "policy-change",
      subject: "x",
      documentId: null,
      agency: null,
      engine: null,
      trustStore: null,
      details: {},
      prev: last.hash,
    };
    db.prepare(
      "INSERT INTO audit_log (seq, at, actor, action, subject, details, prev_hash, hash) VALUES (6, ?, 'admin', 'policy-change', 'x', '{}', ?, ?)",
    ).run(body.at, last.hash, entryHash(body));
    db.prepare("UPDATE audit_head SET seq = 6, hash = ?").run(entryHash(body));
    expect(quickCheck(db)).toMatch(/entry 6 carries no signed tree head/);
    db.close();
  });
});
