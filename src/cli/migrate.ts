// `kyso migrate`: brings the store's schema to this kyso's version and says where it stands. The embedded
// store migrates itself when any command opens it; a PostgreSQL database is migrated here, once, before
// the nodes start (they migrate too, under an advisory lock, but an administrator wants it said).
import { parseArgs } from "node:util";
import { databaseUrl } from "../config.js";
import { dataDirOf } from "./data-dir.js";

export const MIGRATE_HELP = `Usage: kyso migrate [--data DIR]

Applies the store's schema steps this kyso has and the store has not, and prints the schema version.
The store is PostgreSQL when KYSO_DATABASE_URL is a postgres:// URL (postgres://USER:PASSWORD@HOST:PORT/DB;
the database must exist, and its user may create tables; the steps run in one transaction under an
advisory lock, so nodes starting at once migrate once), else the embedded SQLite store in the data folder.
A store newer than this kyso is refused (exit 1): upgrade kyso. Exit code 0 when the schema is current.
  --data DIR   the data folder of the embedded store (default ./data) [KYSO_DATA_DIR]`;

export async function migrateCommand(argv: string[], out: NodeJS.WritableStream, err: NodeJS.WritableStream): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { data: { type: "string" }, help: { type: "boolean", short: "h", default: false } } });
  if (values.help) return (out.write(MIGRATE_HELP + "\n"), 0);
  const url = databaseUrl();
  try {
    if (url) {
      const { migrate, openPool, safeUrl, schemaVersion } = await import("../store/postgres/db.js");
      const pool = openPool(url, 1);
      try {
        const applied = await migrate(pool);
        out.write(
          `PostgreSQL ${safeUrl(url)}: ${applied ? `${applied} step${applied === 1 ? "" : "s"} applied, ` : "already current, "}schema version ${await schemaVersion(pool)}\n`,
        );
      } finally {
        await pool.end();
      }
    } else {
      const dir = dataDirOf(values.data);
      const { migrateStore } = await import("../store/sqlite/db.js");
      const { from, to } = migrateStore(dir);
      out.write(
        `the embedded store in ${dir}: ${to > from ? `${to - from} step${to - from === 1 ? "" : "s"} applied, ` : "already current, "}schema version ${to}\n`,
      );
    }
    return 0;
  } catch (e) {
    if ((e as Error).name === "ConfigError") throw e;
    err.write(`kyso migrate: ${(e as Error).message}\n`);
    return 1;
  }
}
