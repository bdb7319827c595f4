// `kyso backup` on a PostgreSQL store, through the real command (bin/kyso.js, built): the database dumped
// with pg_dump and restorable with pg_restore (the same rows come back), the stored files copied and
// checked; a document whose PDF is not in the data folder fails the check by name; a second backup into
// the same folder copies no file again; the password never printed.
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ROOT } from "../helpers/paths.js";
import { hasPostgres, startCluster, type Cluster } from "../helpers/postgres.js";
import { BlobStore } from "../../src/store/blobs.js";
import { storePaths } from "../../src/store/paths.js";

const BIN = join(ROOT, "bin", "kyso.js");
const kyso = (url: string, ...args: string[]) =>
  spawnSync(process.execPath, [BIN, ...args], { encoding: "utf8", timeout: 120_000, env: { ...process.env, KYSO_DATABASE_URL: url } });

const ROW = `INSERT INTO documents (id, sha256, bytes, sender, received_at, channel, status, between_admin, period_date, created_at, agency, source, file_kind)
  VALUES ($1, $2, $3, '000.00.01.H01', '2026-03-02T08:00:00.000Z', 'electronic', 'queued', 1, '2026-03-02', '2026-03-02T08:00:00.000Z', '000.00.01.H01', 'upload', 'pdf')`;

describe.skipIf(!hasPostgres)("kyso backup on PostgreSQL", () => {
  let cluster: Cluster;
  let url: string;
  let data: string;
  beforeAll(async () => {
    cluster = await startCluster();
    url = cluster.database().replace("kyso@", "kyso:secret-word@");
    expect(kyso(url, "migrate").status).toBe(0);
    data = mkdtempSync(join(tmpdir(), "kyso-pgbackup-"));
    const blobs = new BlobStore(storePaths(data).blobs);
    const pool = new pg.Pool({ connectionString: url, max: 1 });
    for (let i = 0; i < 5; i++) {
      const bytes = Buffer.from(`%PDF-1.7 document ${i}\n%%EOF\n`);
      const sha = createHash("sha256").update(bytes).digest("hex");
      blobs.put(bytes);
      await pool.query(ROW, [`doc-${i}`, sha, bytes.length]);
    }
    await pool.end();
  }, 120_000);
  afterAll(() => cluster?.stop());

  it("dumps a database pg_restore brings back whole, copies and checks the files, and a second backup copies none again", async () => {
    const dest = join(mkdtempSync(join(tmpdir(), "kyso-pgbackup-dest-")), "copy");
    const first = kyso(url, "backup", dest, "--data", data);
    expect(first.status, first.stderr + first.stdout).toBe(0);
    expect(first.stdout).toContain("5 stored files (5 copied now)");
    expect(first.stdout).toContain("5 documents' PDFs");
    expect(first.stdout + first.stderr).not.toContain("secret-word");
    const summary = JSON.parse(readFileSync(join(dest, "BACKUP.json"), "utf8"));
    expect(summary).toMatchObject({ checked: true, documentsWithFiles: 5, copiedNow: 5, database: "database.pgdump" });

    // restored into an empty database, the rows are the same
    const target = cluster.database();
    const restore = spawnSync("pg_restore", ["--no-owner", "--dbname", target, join(dest, "database.pgdump")], { encoding: "utf8" });
    expect(restore.status, restore.stderr).toBe(0);
    const pool = new pg.Pool({ connectionString: target, max: 1 });
    const ids = (await pool.query<{ id: string }>("SELECT id FROM documents ORDER BY id")).rows.map((r) => r.id);
    await pool.end();
    expect(ids).toEqual(["doc-0", "doc-1", "doc-2", "doc-3", "doc-4"]);

    const again = kyso(url, "backup", dest, "--data", data);
    expect(again.status, again.stderr).toBe(0);
    expect(again.stdout).toContain("0 copied now, 5 already there from the earlier backup");
  });

  it("fails its check, naming the document, when a document's PDF is not in the data folder", async () => {
    const pool = new pg.Pool({ connectionString: url, max: 1 });
    await pool.query(ROW, ["doc-lost", "f".repeat(64), 10]);
    await pool.end();
    const dest = join(mkdtempSync(join(tmpdir(), "kyso-pgbackup-dest-")), "copy");
    const r = kyso(url, "backup", dest, "--data", data);
    expect(r.status).toBe(1);
    expect(r.stdout).toContain(`document doc-lost: its PDF (${"f".repeat(64)}) is not in the copy`);
    expect(existsSync(join(dest, "database.pgdump"))).toBe(true);
  });
});
