// A backup into the folder of an earlier one (issue 27, point 4): only the stored files it lacks are
// copied (content addressing makes that safe), the database is a new snapshot, what was copied is read
// back; a file swapped in the store among the new ones fails the check; any other non-empty folder is refused.
import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { beforeAll, describe, expect, it } from "vitest";
import { AGENCIES_CSV, generateSample, SAMPLE_TRUST } from "../../fixtures/sample/generate.js";
import { BlobStore } from "../../src/store/blobs.js";
import { storePaths } from "../../src/store/paths.js";
import { ROOT } from "../helpers/paths.js";
import { rewriteLog } from "../helpers/forge-log.js";
import { writeRegister } from "../helpers/register.js";

let root: string;
let data: string;
let dest: string;
const kyso = (...args: string[]) => spawnSync(process.execPath, [join(ROOT, "bin", "kyso.js"), ...args], { encoding: "utf8", timeout: 120_000 });
const scan = (name: string, n: number, seed: number) => {
  const dir = join(root, name);
  const items = generateSample(dir, { documents: n, seed }).map((i) => ({ ...i, meta: { ...i.meta, number: `${name}-${i.meta.number}` } }));
  const r = kyso("scan", dir, "--register", writeRegister(dir, items), "--agencies", AGENCIES_CSV, "--data", data, "--trust", SAMPLE_TRUST);
  expect(r.status, r.stderr).toBe(0);
};
const stored = () =>
  (
    new Database(storePaths(data).db, { readonly: true }).prepare("SELECT count(DISTINCT sha256) n FROM documents WHERE sha256 IS NOT NULL").get() as {
      n: number;
    }
  ).n;

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), "kyso-backup-inc-"));
  data = join(root, "data");
  dest = join(root, "backup");
  scan("first", 10, 51);
}, 120_000);

describe("kyso backup into an earlier backup", () => {
  it("copies only the files the earlier backup lacks, and checks what it copied", () => {
    const first = kyso("backup", dest, "--data", data);
    expect(first.status, first.stdout + first.stderr).toBe(0);
    const before = JSON.parse(readFileSync(join(dest, "BACKUP.json"), "utf8")) as { blobs: number };
    scan("second", 8, 52);
    const again = kyso("backup", dest, "--data", data);
    expect(again.status, again.stdout + again.stderr).toBe(0);
    const after = JSON.parse(readFileSync(join(dest, "BACKUP.json"), "utf8")) as {
      blobs: number;
      copiedNow: number;
      alreadyThere: number;
      checked: boolean;
      checkedSince: number | null;
    };
    expect(after.copiedNow).toBe(after.blobs - before.blobs);
    expect(after.copiedNow).toBeGreaterThan(0);
    expect(after.alreadyThere).toBe(before.blobs);
    expect(again.stdout).toMatch(
      new RegExp(
        `${after.copiedNow} copied now, .*; ${before.blobs} already there from the earlier backup\\); checked: .*the SHA-256 of every file copied now`,
      ),
    );
    // checked from the head the first backup's full check verified: the entries since, not the whole log
    const firstHead = (JSON.parse(readFileSync(join(dest, "BACKUP.json"), "utf8")) as { verified: { size: number } }).verified;
    expect(before).toMatchObject({ checkedSince: null, verified: { size: expect.any(Number), sig: expect.any(String) } });
    expect(after).toMatchObject({ checkedSince: (before as unknown as { verified: { size: number } }).verified.size });
    expect(firstHead.size).toBeGreaterThan(after.checkedSince!);
    expect(again.stdout).toMatch(new RegExp(`the log since the earlier backup's verified head \\(entry ${after.checkedSince}: .* the \\d+ entries since`));
    // the copy is a store of its own, up to date
    expect(kyso("audit", "verify", "--data", dest).status).toBe(0);
    expect(
      (
        new Database(join(dest, "kyso.db"), { readonly: true }).prepare("SELECT count(DISTINCT sha256) n FROM documents WHERE sha256 IS NOT NULL").get() as {
          n: number;
        }
      ).n,
    ).toBe(stored());
  });

  it("fails when an entry the earlier backup verified was rewritten since, every later hash recomputed; --full checks it all", () => {
    // copies of the store and of the backup, so the other cases keep theirs
    const [src, bak] = [join(root, "forged-data"), join(root, "forged-backup")];
    cpSync(data, src, { recursive: true });
    cpSync(dest, bak, { recursive: true });
    const verified = (JSON.parse(readFileSync(join(bak, "BACKUP.json"), "utf8")) as { verified: { size: number } }).verified;
    const db = new Database(storePaths(src).db);
    rewriteLog(db, verified.size - 1, (d) => ({ ...d, forged: true }));
    db.close();
    const r = kyso("backup", bak, "--data", src);
    expect(r.status, r.stdout + r.stderr).toBe(1);
    expect(r.stdout).toMatch(/does NOT check out:\n {2}the copy does not check out: the verification log is broken/);
    // found by the check since the verified head, not by a full one
    expect(JSON.parse(readFileSync(join(bak, "BACKUP.json"), "utf8"))).toMatchObject({ checked: false, checkedSince: verified.size });
    const full = kyso("backup", bak, "--data", src, "--full");
    expect(full.status, full.stdout).toBe(1);
    expect(JSON.parse(readFileSync(join(bak, "BACKUP.json"), "utf8"))).toMatchObject({ checked: false, checkedSince: null });
  });

  it("fails when a file among the new ones was swapped in the store", () => {
    scan("third", 6, 53);
    const copy = new Database(join(dest, "kyso.db"), { readonly: true });
    const had = new Set((copy.prepare("SELECT sha256 FROM documents WHERE sha256 IS NOT NULL").all() as Array<{ sha256: string }>).map((r) => r.sha256));
    copy.close();
    const src = new Database(storePaths(data).db, { readonly: true });
    const fresh = (src.prepare("SELECT sha256 FROM documents WHERE sha256 IS NOT NULL").all() as Array<{ sha256: string }>)
      .map((r) => r.sha256)
      .find((s) => !had.has(s))!;
    src.close();
    writeFileSync(new BlobStore(storePaths(data).blobs).pathOf(fresh), "%PDF-1.7 swapped\n");
    const r = kyso("backup", dest, "--data", data);
    expect(r.status, r.stdout).toBe(1);
    expect(r.stdout).toContain(fresh.slice(0, 2) + "/" + fresh);
    expect(r.stdout).toMatch(/the file was replaced or damaged/);
  });

  it("refuses a folder that holds something other than an earlier backup", () => {
    const other = join(root, "other");
    mkdirSync(other);
    writeFileSync(join(other, "notes.txt"), "mine");
    const r = kyso("backup", other, "--data", data);
    expect([r.status, r.stderr]).toEqual([2, expect.stringMatching(/neither empty nor an earlier kyso backup/)]);
  });
});
