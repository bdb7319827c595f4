// `kyso backup DEST` when the store is PostgreSQL: the database as its administrators copy it (pg_dump's
// custom format, one snapshot; restored with pg_restore), then the data folder's stored files, log key and
// published heads as for the embedded store. The dump is read back by pg_restore; the files are hashed and
// every document's PDF looked for. The figures' full check runs on a restored database (kyso audit verify).
import { existsSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { createLogKey } from "../log/key.js";
import { makeFolder } from "../store/folders.js";
import { logKeyPath, storePaths } from "../store/paths.js";
import { documentsAsOfNow, dumpDatabase, dumpedTables } from "../store/postgres/backup.js";
import { openPool, safeUrl } from "../store/postgres/db.js";
import { postgresLog } from "../store/postgres/log-port.js";
import { ENGINE_VERSION } from "../version.js";
import { checkStoredFiles, copyStoredFiles, headsBeforeSnapshot } from "./backup-files.js";

/** The dump's file in DEST. */
export const DUMP_FILE = "database.pgdump";

export async function backupPostgres(
  url: string,
  dataDir: string,
  dest: string,
  earlier: boolean,
  out: NodeJS.WritableStream,
  err: NodeJS.WritableStream,
): Promise<number> {
  const from = storePaths(dataDir);
  const to = storePaths(dest);
  makeFolder(to.blobs, "backup folder");
  // the new dump beside the earlier one, then put in its place (the earlier copy stays whole until then)
  const dump = join(dest, DUMP_FILE);
  const heads = headsBeforeSnapshot(from);
  rmSync(`${dump}.new`, { force: true });
  dumpDatabase(url, `${dump}.new`);
  renameSync(`${dump}.new`, dump);
  const pool = openPool(url, 2);
  const problems: string[] = [];
  let documents = 0;
  let head: { seq: number; hash: string } | undefined;
  try {
    // the documents as of now, before the files are listed: every one's PDF is among them
    const snapshot = await documentsAsOfNow(pool);
    try {
      const files = copyStoredFiles(from, to, err, heads);
      const read = dumpedTables(dump);
      if (!read.ok) problems.push(`the database dump cannot be read back: ${read.said}`);
      else for (const t of ["documents", "audit_log", "analyses"]) if (!read.tables.includes(t)) problems.push(`the database dump holds no ${t} table`);
      documents = await checkStoredFiles(to, files, snapshot.documents, err, problems);
      head = existsSync(from.key) ? await postgresLog(pool, createLogKey(logKeyPath(from.db))).head() : undefined;
      const summary = {
        createdAt: new Date().toISOString(),
        from: { database: safeUrl(url), dataDir },
        database: DUMP_FILE,
        engine: ENGINE_VERSION,
        documentsWithFiles: documents,
        blobs: files.blobs.length,
        copiedNow: files.missing.length,
        alreadyThere: files.blobs.length - files.missing.length,
        blobBytes: files.bytes,
        auditHead: head ?? null,
        checked: problems.length === 0,
        problems,
      };
      writeFileSync(join(dest, "BACKUP.json"), JSON.stringify(summary, null, 2) + "\n");
      if (problems.length) {
        out.write(`kyso backup: the copy in ${dest} does NOT check out:\n${problems.map((p) => `  ${p}\n`).join("")}`);
        return 1;
      }
      out.write(
        `kyso backup: ${dest} holds the database ${safeUrl(url)} as ${DUMP_FILE} (pg_dump, restore with pg_restore${head ? `; log head entry ${head.seq}` : ""}) and ${files.blobs.length} stored files (${files.missing.length} copied now${earlier ? `, ${files.blobs.length - files.missing.length} already there from the earlier backup` : ""}); checked: the dump reads back, ${earlier ? "the SHA-256 of every file copied now and of a sample of the others" : "every file's SHA-256"}, ${documents} documents' PDFs\n`,
      );
      return 0;
    } finally {
      await snapshot.end();
    }
  } finally {
    await pool.end();
  }
}
