// `kyso backup DEST`: a consistent copy of a data folder, safe while `kyso serve` runs. The database is
// copied first as a snapshot in one read transaction (VACUUM INTO: writes going on do not restart it), then the blobs: they
// are written before the rows that name them and never change, so every PDF the snapshot names is there.
// The copy is then checked as a restore would use it: the database's integrity, the full check of kyso audit
// verify (the log, the figures replayed from it), and
// every stored document's PDF present under its hash. Restoring is pointing KYSO_DATA_DIR at the copy.
import { randomInt } from "node:crypto";
import { chmodSync, copyFileSync, existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { basename, join, relative, sep } from "node:path";
import { parseArgs } from "node:util";
import { auditHead } from "../store/sqlite/audit.js";
import { checkStore, describeBroken } from "../store/sqlite/check.js";
import { fileSha256 } from "../store/check/blobs.js";
import { keptHeadsIn } from "../store/sqlite/heads.js";
import { BlobStore } from "../store/blobs.js";
import { openDb, snapshotTo } from "../store/sqlite/db.js";
import { documentsWithFiles } from "../store/sqlite/documents.js";
import { makeFolder } from "../store/folders.js";
import { storePaths } from "../store/paths.js";
import { ENGINE_VERSION } from "../version.js";
import { dataDirOf, openExistingStore } from "./data-dir.js";
import { filesUnder } from "./files.js";
import { Progress } from "./progress.js";
import { UsageError } from "./usage.js";

export const BACKUP_HELP = `Usage: kyso backup DEST [--data DIR]

Copies the data folder (default ./data, or KYSO_DATA_DIR) into DEST, which must not exist, be empty, or hold
an earlier kyso backup (its BACKUP.json): that one is brought up to date, copying only the stored files
it lacks (they never change once written) and a new snapshot of the database.
Safe while kyso serve runs: the database is copied as a consistent snapshot (VACUUM INTO, which uploads
arriving meanwhile neither stop nor restart),
then the stored PDFs, which never change once written, the log key (log-key.pem, mode 0600: keep the
backup as safe as the server) and the published heads. The copy is then checked: the database's
integrity, the verification log's hash chain and signed heads, the figures replayed from the log (as
kyso audit verify does: analyses, signature rows, document facts, categories, rollups), and every stored file read back and
hashed: each must be the SHA-256 it is stored under, and every document's PDF must be there. DEST/BACKUP.json
records what was copied. To restore, stop kyso and point KYSO_DATA_DIR (or --data) at DEST.
Exit code 0 when the copy checks out, 1 when it does not, 2 for a usage error.
  --data DIR   the data folder to copy [KYSO_DATA_DIR]`;

export async function backupCommand(argv: string[], out: NodeJS.WritableStream, err: NodeJS.WritableStream): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { data: { type: "string" }, help: { type: "boolean", short: "h", default: false } },
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
  const dataDir = dataDirOf(values.data);
  const from = storePaths(dataDir);
  const to = storePaths(dest);
  const db = openExistingStore(dataDir);
  makeFolder(to.blobs, "backup folder");
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
  // every stored file, not the unfinished writes in blobs/tmp
  const blobs = existsSync(from.blobs)
    ? filesUnder(from.blobs)
        .map((p) => relative(from.blobs, p))
        .filter((f) => !f.startsWith(`tmp${sep}`))
    : [];
  const missing = blobs.filter((f) => !existsSync(join(to.blobs, f)));
  const progress = new Progress(err, "copying  ", missing.length);
  let bytes = 0;
  for (const f of missing) {
    const copied = join(to.blobs, f);
    mkdirSync(join(copied, ".."), { recursive: true });
    copyFileSync(join(from.blobs, f), copied);
    bytes += statSync(copied).size;
    progress.tick();
  }
  progress.done();
  // the instance key and the published heads: a restore without the key would sign with a new one that
  // nothing endorsed (kyso audit verify says so)
  for (const f of ["key", "heads"] as const) {
    if (!existsSync(from[f])) continue;
    copyFileSync(from[f], to[f]);
    if (f === "key") chmodSync(to[f], 0o600);
  }

  // the copy as a restore would see it
  const copy = openDb(dest);
  const problems: string[] = [];
  let head;
  let documents = 0;
  try {
    const integrity = copy.pragma("integrity_check", { simple: true });
    if (integrity !== "ok") problems.push(`the database copy is damaged: ${String(integrity)}`);
    // the same full check as kyso audit verify: the log, then the figures replayed from it (an edited
    // category, analysis, signature row, rollup or sender in the source shows here, in the copy)
    const full = checkStore(copy, existsSync(to.heads) ? { kept: keptHeadsIn([to.heads]) } : {});
    if (!full.ok) problems.push(`the copy does not check out: ${describeBroken(full)}`);
    head = auditHead(copy);
    const store = new BlobStore(to.blobs);
    // every file copied now read back (and, when bringing an earlier backup up to date, a sample of those
    // it had): a swapped, emptied or damaged PDF is not its name's hash
    const copiedNow = new Set(missing);
    const older = blobs.filter((f) => !copiedNow.has(f));
    const sample = older.length <= 64 ? older : Array.from({ length: 64 }, () => older[randomInt(older.length)]!);
    const reread = [...missing, ...sample];
    const reading = new Progress(err, "checking ", reread.length);
    for (const f of reread) {
      const name = basename(f);
      const sha = fileSha256(join(to.blobs, f));
      if (/^[0-9a-f]{64}$/.test(name) && sha !== name && problems.length < 20)
        problems.push(`stored file ${f}: its content's SHA-256 is ${sha}: the file was replaced or damaged`);
      reading.tick();
    }
    reading.done();
    for (const r of documentsWithFiles(copy)) {
      documents++;
      if (!store.has(r.sha256) && problems.length < 20) problems.push(`document ${r.id}: its PDF (${r.sha256}) is not in the copy`);
    }
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
    `kyso backup: ${dest} holds the database (log head entry ${head!.seq}) and ${files}; checked: integrity, log chain and signed heads, the figures replayed from the log, ${earlier ? "the SHA-256 of every file copied now and of a sample of the others" : "every file's SHA-256"}, ${documents} documents' PDFs\n`,
  );
  return 0;
}
