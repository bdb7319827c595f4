// The data folder of a command: --data, else KYSO_DATA_DIR, else ./data.
import { existsSync } from "node:fs";
import { openDb, type Db } from "../store/sqlite/db.js";
import { storePaths } from "../store/paths.js";
import { UsageError } from "./usage.js";

export function dataDirOf(flag: string | undefined): string {
  return flag ?? process.env.KYSO_DATA_DIR ?? "./data";
}

/** Opens the store of a folder that must already hold one (commands that only read or audit it). */
export function openExistingStore(dataDir: string): Db {
  if (!existsSync(storePaths(dataDir).db)) throw new UsageError(`no kyso store in '${dataDir}' (run kyso serve or kyso scan first, or pass --data)`);
  return openDb(dataDir);
}
