// Every fact behind a page is in the log (issue 28, point 2): a subject, a number or a signature row edited
// in the database is named by `kyso audit verify`; a swapped PDF by `audit verify --blobs` and by `kyso
// backup`; and `kyso backup` replays the figures on its copy, so an edited category, analysis, rollup or
// sender fails it too.
import { spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { beforeAll, describe, expect, it } from "vitest";
import { AGENCIES_CSV, generateSample, SAMPLE_TRUST } from "../../fixtures/sample/generate.js";
import { ROOT } from "../helpers/paths.js";
import { writeRegister } from "../helpers/register.js";
import { storePaths } from "../../src/store/paths.js";
import { BlobStore } from "../../src/store/blobs.js";

let root: string;
let data: string;
const kyso = (...args: string[]) => spawnSync(process.execPath, [join(ROOT, "bin", "kyso.js"), ...args], { encoding: "utf8", timeout: 120_000 });

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), "kyso-audit-facts-"));
  const dir = join(root, "export");
  data = join(root, "data");
  const items = generateSample(dir, { documents: 12, seed: 33 });
  const scan = kyso("scan", dir, "--register", writeRegister(dir, items), "--agencies", AGENCIES_CSV, "--data", data, "--trust", SAMPLE_TRUST);
  expect(scan.status, scan.stderr).toBe(0);
}, 120_000);

/** A copy of the store altered directly in its files, as someone with file access would. */
function altered(alter: (db: Database.Database, dir: string) => void): string {
  const copy = mkdtempSync(join(root, "copy-"));
  cpSync(data, copy, { recursive: true });
  const db = new Database(storePaths(copy).db);
  try {
    alter(db, copy);
  } finally {
    db.close();
  }
  return copy;
}

const analyzed = (db: Database.Database) =>
  db.prepare("SELECT id, sha256 FROM documents WHERE status = 'done' AND category = 'signed-valid' ORDER BY id LIMIT 1").get() as {
    id: string;
    sha256: string;
  };

describe("kyso audit verify names an edit of what the pages show", () => {
  it("finds the untouched store intact, its stored files read back", () => {
    const r = kyso("audit", "verify", "--blobs", "--data", data);
    expect(r.status, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(/the figures: replayed from the log, they agree/);
    expect(r.stdout).toMatch(/the stored files: all \d+ stored files hash to their names/);
  });

  const edits: Array<[string, string, RegExp]> = [
    [
      "a subject",
      "UPDATE documents SET subject = 'Về việc khác' WHERE id = (SELECT id FROM documents WHERE category = 'signed-valid' ORDER BY id LIMIT 1)",
      /documents document \S+.*its facts \(number, date, subject, .*are not those the log recorded at entry \d+/,
    ],
    [
      "a number",
      "UPDATE documents SET number = '999/QĐ-UBND' WHERE id = (SELECT id FROM documents WHERE category = 'signed-valid' ORDER BY id LIMIT 1)",
      /documents document \S+ \(999\/QĐ-UBND\).*are not those the log recorded/,
    ],
    [
      "a signature row",
      "UPDATE signatures SET signer_subject = 'CN=Someone else' WHERE rowid = (SELECT min(rowid) FROM signatures)",
      /signatures analysis \d+ \(document \S+\), signature \d+: signer_subject is "CN=Someone else", but the report the log recorded says/,
    ],
    [
      "a count /metrics reads",
      "UPDATE document_counts SET n = n + 3 WHERE (status, bucket) = (SELECT status, bucket FROM document_counts WHERE n > 0 LIMIT 1)",
      /document_counts \(\w+, [\w-]+\): it holds \d+ documents, but the documents give \d+/,
    ],
    [
      "a signature row's verdict",
      "UPDATE signatures SET indication = 'TOTAL_PASSED', sub_indication = NULL WHERE indication <> 'TOTAL_PASSED' AND rowid = (SELECT min(rowid) FROM signatures WHERE indication <> 'TOTAL_PASSED')",
      /signatures analysis \d+ .*indication is "TOTAL_PASSED", but the report the log recorded says "(TOTAL_FAILED|INDETERMINATE)"/,
    ],
  ];
  for (const [what, sql, named] of edits) {
    it(`names ${what} edited in the database`, () => {
      const copy = altered((db) => expect(db.prepare(sql).run().changes).toBe(1));
      const r = kyso("audit", "verify", "--data", copy);
      expect(r.status, r.stdout + r.stderr).toBe(1);
      expect(r.stdout).toMatch(named);
    });
  }

  it("names a swapped PDF with --blobs, which the log alone cannot see", () => {
    let doc = { id: "", sha256: "" };
    const copy = altered((db, dir) => {
      doc = analyzed(db);
      const other = db.prepare("SELECT sha256 FROM documents WHERE sha256 IS NOT NULL AND sha256 <> ? LIMIT 1").get(doc.sha256) as { sha256: string };
      const blobs = new BlobStore(storePaths(dir).blobs);
      writeFileSync(blobs.pathOf(doc.sha256), readFileSync(blobs.pathOf(other.sha256)));
    });
    const r = kyso("audit", "verify", "--blobs", "--data", copy);
    expect(r.status, r.stdout + r.stderr).toBe(1);
    expect(r.stdout).toContain(`the stored files: WRONG: document ${doc.id}: its stored file now hashes to`);
    const b = kyso("backup", join(copy, "..", `backup-of-${readdirSync(root).length}`), "--data", copy);
    expect(b.status, b.stdout + b.stderr).toBe(1);
    expect(b.stdout).toMatch(/does NOT check out/);
  });
});

describe("kyso backup replays the figures on its copy", () => {
  const edits: Array<[string, (db: Database.Database) => void, RegExp]> = [
    ["a category", (db) => db.prepare("UPDATE documents SET category = 'paper' WHERE id = ?").run(analyzed(db).id), /category is recorded as "paper"/],
    [
      "an analysis",
      (db) =>
        db
          .prepare(
            'UPDATE analyses SET report = replace(report, \'"verdict":"signed-valid"\', \'"verdict":"unsigned"\') WHERE id = (SELECT max(id) FROM analyses WHERE report LIKE \'%"verdict":"signed-valid"%\')',
          )
          .run(),
      /its report is not the one the log recorded/,
    ],
    [
      "a rollup",
      (db) =>
        db
          .prepare(
            "UPDATE rollup_monthly SET n_counts = n_counts + 5 WHERE (month, sender, category) = (SELECT month, sender, category FROM rollup_monthly WHERE n_counts > 0 LIMIT 1)",
          )
          .run(),
      /rollup_monthly .*it holds \d+ documents, \d+ counted, \d+ sealed by their sender, but the documents give/,
    ],
    ["a sender", (db) => db.prepare("UPDATE documents SET sender = 'H53.99' WHERE id = ?").run(analyzed(db).id), /are not those the log recorded/],
  ];
  it("copies the untouched store and checks it out, figures included", () => {
    const r = kyso("backup", join(root, "backup-clean"), "--data", data);
    expect(r.status, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(/the figures replayed from the log/);
  });
  for (const [what, alter, named] of edits) {
    it(`fails on ${what} edited in the source`, () => {
      const copy = altered(alter);
      const r = kyso("backup", join(root, `backup-${what.replace(/\W/g, "")}`), "--data", copy);
      expect(r.status, r.stdout + r.stderr).toBe(1);
      expect(r.stdout).toMatch(/does NOT check out:\n {2}the copy does not check out: the figures do not follow from the log/);
      expect(r.stdout).toMatch(named);
    });
  }
});
