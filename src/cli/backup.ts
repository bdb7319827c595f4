// `kyso backup DEST`: a consistent copy of a data folder, safe while `kyso serve` runs. The database is
// copied first as a snapshot in one read transaction (VACUUM INTO: writes going on do not restart it), then the blobs: they
// are written before the rows that name them and never change, so every PDF the snapshot names is there.
// The copy is then checked as a restore would use it: the database's integrity, the full check of kyso audit
// verify (the log, the figures replayed from it), and
// every stored document's PDF present under its hash. Restoring is pointing KYSO_DATA_DIR at the copy.
import { existsSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { auditHead } from "../store/sqlite/audit.js";
import { threadedHeads } from "../store/check/head-threads.js";
import type { KeptHead } from "../log/signed-history.js";
import { checkStoreSnapshot, describeBroken, type StoreCheck } from "../store/sqlite/check.js";
import { keptHeadsIn } from "../store/sqlite/heads.js";
import { openDb, snapshotTo } from "../store/sqlite/db.js";
import { documentsWithFiles } from "../store/sqlite/documents.js";
import { makeFolder } from "../store/folders.js";
import { storePaths } from "../store/paths.js";
import { ENGINE_VERSION } from "../version.js";
import { dataDirOf, openExistingStore } from "./data-dir.js";
import { checkStoredFiles, copyStoredFiles, headsBeforeSnapshot } from "./backup-files.js";
import { isPostgresUrl } from "../store/postgres/db.js";
import { UsageError } from "./usage.js";

export const BACKUP_HELP = `Usage: kyso backup DEST [--data DIR]

Copies the data folder (default ./data, or KYSO_DATA_DIR) into DEST, which must not exist, be empty, or hold
an earlier kyso backup (its BACKUP.json): that one is brought up to date, copying only the stored files
it lacks (they never change once written) and a new snapshot of the database, checked from the head the
earlier backup's check verified (as kyso audit verify --since: the log must still extend it, then the
entries since and the figures of the documents they name; --full checks the whole copy).
Safe while kyso serve runs: the database is copied as a consistent snapshot (VACUUM INTO, which uploads
arriving meanwhile neither stop nor restart),
then the stored PDFs, which never change once written, the log key (log-key.pem, mode 0600: keep the
backup as safe as the server) and the published heads. The copy is then checked: the database's
integrity, the verification log's hash chain and signed heads, the figures replayed from the log (as
kyso audit verify does: analyses, signature rows, document facts, categories, rollups), and every stored file read back and
hashed: each must be the SHA-256 it is stored under, and every document's PDF must be there. DEST/BACKUP.json
records what was copied. To restore, stop kyso and point KYSO_DATA_DIR (or --data) at DEST.
With KYSO_DATABASE_URL (postgres://…) the database is PostgreSQL's: it is copied with pg_dump (custom
format, one consistent snapshot while documents keep arriving) into DEST/database.pgdump, read back with
pg_restore --list, and the data folder's stored files, log key and heads are copied and checked as above
(every document's PDF, as of the dump, must be there). To restore: pg_restore --dbname URL
DEST/database.pgdump into an empty database, point KYSO_DATA_DIR at DEST, then run kyso audit verify.
Exit code 0 when the copy checks out, 1 when it does not, 2 for a usage error.
  --data DIR   the data folder to copy [KYSO_DATA_DIR]
  --full       check the whole copy even into an earlier backup`;

export async function backupCommand(argv: string[], out: NodeJS.WritableStream, err: NodeJS.WritableStream): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { data: { type: "string" }, full: { type: "boolean", default: false }, help: { type: "boolean", short: "h", default: false } },
  });
  if (values.help) {
    out.write(BACKUP_HELP + "\n");
    return 0;
  }
  if (positionals.length !== 1) throw new UsageError("kyso backup takes one DEST folder");
  const dest = positionals[0]!;
  // a folder holding an earlier backup is brought up to date: a new snapshot of the database, and only the
  // stored files it lacks (content-addressed: a file there under its hash is that file); anything else
  // that is not empty is refused, never overwritten
  const earlier = existsSync(join(dest, "BACKUP.json"));
  if (existsSync(dest) && (!statSync(dest).isDirectory() || (readdirSync(dest).length > 0 && !earlier)))
    throw new UsageError(`'${dest}' exists and is neither empty nor an earlier kyso backup (it has no BACKUP.json): a backup never overwrites`);
  // the head the earlier backup's check verified: this one checks what came since (--full: everything)
  const prior = earlier ? (JSON.parse(readFileSync(join(dest, "BACKUP.json"), "utf8")) as { checked?: boolean; verified?: KeptHead | null }) : null;
  const since = !values.full && prior?.checked && prior.verified ? prior.verified : undefined;
  const dataDir = dataDirOf(values.data);
  const url = process.env.KYSO_DATABASE_URL?.trim();
  if (url) {
    if (!isPostgresUrl(url)) throw new UsageError("KYSO_DATABASE_URL must be a postgres:// URL (or unset, for the embedded store)");
    const { backupPostgres } = await import("./backup-postgres.js");
    return backupPostgres(url, dataDir, dest, earlier, out, err);
  }
  const from = storePaths(dataDir);
  const to = storePaths(dest);
  const db = openExistingStore(dataDir);
  makeFolder(to.blobs, "backup folder");
  const heads = headsBeforeSnapshot(from);
  try {
    // the new snapshot beside the earlier one, then put in its place (the earlier copy stays whole until then)
    const fresh = `${to.db}.new`;
    rmSync(fresh, { force: true });
    snapshotTo(db, fresh);
    for (const f of [`${to.db}-wal`, `${to.db}-shm`]) rmSync(f, { force: true });
    renameSync(fresh, to.db);
  } finally {
    db.close();
  }
  const copied = copyStoredFiles(from, to, err, heads);
  const { blobs, missing, bytes } = copied;

  // the copy as a restore would see it
  const copy = openDb(dest);
  const problems: string[] = [];
  let head;
  let check: StoreCheck | undefined;
  let documents = 0;
  try {
    const integrity = copy.pragma("integrity_check", { simple: true });
    if (integrity !== "ok") problems.push(`the database copy is damaged: ${String(integrity)}`);
    // the same full check as kyso audit verify: the log, then the figures replayed from it (an edited
    // category, analysis, signature row, rollup or sender in the source shows here, in the copy); into an
    // earlier backup, as kyso audit verify --since its verified head: the log still extends that head,
    // and the entries since and the documents they name are checked
    const heads = threadedHeads();
    try {
      check = checkStoreSnapshot(copy, existsSync(to.heads) ? { kept: keptHeadsIn([to.heads]) } : {}, since ? { since } : { heads });
    } finally {
      await heads.close();
    }
    if (!check.ok) problems.push(`the copy does not check out: ${describeBroken(check)}`);
    head = auditHead(copy);
    documents = await checkStoredFiles(to, copied, documentsWithFiles(copy), err, problems);
  } finally {
    copy.close();
  }
  const summary = {
    createdAt: new Date().toISOString(),
    from: dataDir,
    engine: ENGINE_VERSION,
    documentsWithFiles: documents,
    blobs: blobs.length,
    copiedNow: missing.length,
    alreadyThere: blobs.length - missing.length,
    blobBytes: bytes,
    auditHead: head,
    checked: problems.length === 0,
    // the signed head the check verified (the next backup into this folder checks from it), and from where
    verified: check?.verified ?? null,
    checkedSince: since?.size ?? null,
    problems,
  };
  writeFileSync(join(dest, "BACKUP.json"), JSON.stringify(summary, null, 2) + "\n");
  if (problems.length) {
    out.write(`kyso backup: the copy in ${dest} does NOT check out:\n${problems.map((p) => `  ${p}\n`).join("")}`);
    return 1;
  }
  const files = earlier
    ? `${blobs.length} stored files (${missing.length} copied now, ${(bytes / 1e6).toFixed(1)} MB; ${blobs.length - missing.length} already there from the earlier backup)`
    : `${blobs.length} stored files (${(bytes / 1e6).toFixed(1)} MB)`;
  out.write(
    `kyso backup: ${dest} holds the database (log head entry ${head!.seq}) and ${files}; checked: integrity, ${since ? `the log since the earlier backup's verified head (entry ${since.size}: the log still extends it, and the ${check!.entries} entries since and the figures of the documents they name; --full checks everything)` : "log chain and signed heads, the figures replayed from the log"}, ${earlier ? "the SHA-256 of every file copied now and of a sample of the others" : "every file's SHA-256"}, ${documents} documents' PDFs\n`,
  );
  return 0;
}
