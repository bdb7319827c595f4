// `kyso audit verify --since HEADFILE` (issue 27, point 4): from a head verified before, only the entries
// since and the figures of their documents are checked; a rewritten old entry fails it through the tree
// (the log no longer extends the head given), whether or not the forger also rebuilt the stored subtrees.
import { spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { tmpdir } from "node:os";
import Database from "better-sqlite3";
import { beforeAll, describe, expect, it } from "vitest";
import { AGENCIES_CSV, generateSample, SAMPLE_TRUST } from "../../fixtures/sample/generate.js";
import { fillTree } from "../../src/store/sqlite/audit-tree.js";
import { readLogKey } from "../../src/log/key.js";
import { storePaths } from "../../src/store/paths.js";
import { resignLog, rewriteLog } from "../helpers/forge-log.js";
import { ROOT } from "../helpers/paths.js";
import { writeRegister } from "../helpers/register.js";

let root: string;
let data: string;
let headFile: string;
let sizeAtHead = 0;
const kyso = (...args: string[]) => spawnSync(process.execPath, [join(ROOT, "bin", "kyso.js"), ...args], { encoding: "utf8", timeout: 120_000 });

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), "kyso-since-"));
  data = join(root, "data");
  const first = join(root, "first");
  const items = generateSample(first, { documents: 10, seed: 41 });
  expect(kyso("scan", first, "--register", writeRegister(first, items), "--agencies", AGENCIES_CSV, "--data", data, "--trust", SAMPLE_TRUST).status).toBe(0);
  // the head an auditor verified yesterday
  const head = kyso("audit", "head", "--data", data);
  expect(head.status, head.stderr).toBe(0);
  headFile = join(root, "verified-head.json");
  writeFileSync(headFile, head.stdout);
  sizeAtHead = (JSON.parse(head.stdout) as { signedHead: { size: number } }).signedHead.size;
  // today's documents
  const second = join(root, "second");
  const more = generateSample(second, { documents: 8, seed: 42 }).map((i) => ({ ...i, meta: { ...i.meta, number: `S-${i.meta.number}` } }));
  expect(kyso("scan", second, "--register", writeRegister(second, more), "--data", data, "--trust", SAMPLE_TRUST).status).toBe(0);
}, 180_000);

function altered(alter: (db: Database.Database) => void): string {
  const dir = mkdtempSync(join(root, "copy-"));
  cpSync(data, dir, { recursive: true });
  const db = new Database(storePaths(dir).db);
  try {
    alter(db);
  } finally {
    db.close();
  }
  return dir;
}

describe("kyso audit verify --since", () => {
  it("checks only the entries since the head given, and their documents' figures", () => {
    const full = kyso("audit", "verify", "--json", "--data", data);
    const all = JSON.parse(full.stdout) as { entries: number; head: { seq: number } };
    const r = kyso("audit", "verify", "--since", headFile, "--json", "--data", data);
    expect(r.status, r.stdout + r.stderr).toBe(0);
    const since = JSON.parse(r.stdout) as { ok: boolean; entries: number; since: number; figures: { ok: boolean; documents: number } };
    expect(since).toMatchObject({ ok: true, since: sizeAtHead, entries: all.head.seq - sizeAtHead, figures: { ok: true } });
    expect(since.entries).toBeLessThan(all.entries);
    // the figures of today's documents only
    expect(since.figures.documents).toBeGreaterThan(0);
    expect(since.figures.documents).toBeLessThan(JSON.parse(full.stdout).figures.documents);
    // stored files drawn by seeks, not counted by a walk over every name (the full check counts them)
    expect(JSON.parse(r.stdout).blobs).toMatchObject({ ok: true, total: null, sampled: true });
    expect(JSON.parse(full.stdout).blobs.total).toBeGreaterThan(0);
  });

  it("fails on an old entry rewritten and every head re-signed with the instance key", () => {
    const dir = altered((db) => {
      rewriteLog(db, 3, (d) => ({ ...d, forged: true }));
      resignLog(db, readLogKey(join(data, "log-key.pem"))!);
    });
    const r = kyso("audit", "verify", "--since", headFile, "--data", dir);
    expect(r.status, r.stdout).toBe(1);
    expect(r.stdout).toMatch(/BROKEN at entry \d+: .*(grown from the head given|no longer give the root of the head given)/);
  });

  it("fails the same when the forger rebuilt the stored subtrees too", () => {
    const dir = altered((db) => {
      rewriteLog(db, 3, (d) => ({ ...d, forged: true }));
      resignLog(db, readLogKey(join(data, "log-key.pem"))!);
      db.prepare("UPDATE audit_head SET tree_size = NULL").run();
      fillTree(db);
    });
    const r = kyso("audit", "verify", "--since", headFile, "--data", dir);
    expect(r.status, r.stdout).toBe(1);
    expect(r.stdout).toMatch(new RegExp(`BROKEN at entry ${sizeAtHead}: the first ${sizeAtHead} entries no longer give the root of the head given`));
  });

  it("names an entry since the head edited, and a figure of today's documents edited", () => {
    const edited = altered((db) => db.prepare("UPDATE audit_log SET actor = 'someone' WHERE seq = ?").run(sizeAtHead + 2));
    const r = kyso("audit", "verify", "--since", headFile, "--data", edited);
    expect([r.status, r.stdout]).toEqual([
      1,
      expect.stringMatching(new RegExp(`BROKEN at entry ${sizeAtHead + 2}: entry ${sizeAtHead + 2} does not match its hash`)),
    ]);
    const figure = altered((db) =>
      db
        .prepare(
          "UPDATE documents SET category = 'paper' WHERE number LIKE 'S-%' AND category = 'signed-valid' AND id = (SELECT id FROM documents WHERE number LIKE 'S-%' AND category = 'signed-valid' LIMIT 1)",
        )
        .run(),
    );
    const f = kyso("audit", "verify", "--since", headFile, "--data", figure);
    expect(f.status, f.stdout).toBe(1);
    expect(f.stdout).toMatch(/the figures: WRONG: .*category is recorded as "paper"/);
  });

  it("fails on the log rewritten with its hashes recomputed but no head re-signed", () => {
    const dir = altered((db) => rewriteLog(db, 3, (d) => ({ ...d, forged: true })));
    const r = kyso("audit", "verify", "--since", headFile, "--data", dir);
    expect(r.status, r.stdout).toBe(1);
    expect(r.stdout).toMatch(
      new RegExp(
        `BROKEN at entry ${sizeAtHead}: (entry ${sizeAtHead} is not the entry the head given holds|the first ${sizeAtHead} entries no longer give the root of the head given)`,
      ),
    );
  });

  it("refuses a head another log signed", () => {
    const other = join(root, "other-head.json");
    writeFileSync(other, JSON.stringify({ signedHead: { size: 1, root: "00".repeat(32), keyId: "0123456789abcdef", sig: "AA==" } }) + "\n");
    const r = kyso("audit", "verify", "--since", other, "--data", data);
    expect([r.status, r.stdout]).toEqual([1, expect.stringMatching(/is not signed by a key of this log/)]);
  });
});
