// The store a command works on through its ports: PostgreSQL when KYSO_DATABASE_URL names one (migrated
// on opening, as the server does), else the embedded store in the data folder (one that must already
// exist, for a command that only reads or changes what is there).
import { existsSync } from "node:fs";
import { openStore, type StoreHandle } from "../store/open-store.js";
import { storePaths } from "../store/paths.js";
import { isPostgresUrl } from "../store/postgres/db.js";
import { UsageError } from "./usage.js";

export function databaseUrlOf(env: Record<string, string | undefined> = process.env): string | undefined {
  const url = env.KYSO_DATABASE_URL?.trim();
  if (!url) return undefined;
  if (!isPostgresUrl(url)) throw new UsageError("KYSO_DATABASE_URL must be a postgres:// URL (or unset, for the embedded store)");
  return url;
}

export async function openCommandStore(dataDir: string, o: { existing: boolean }): Promise<StoreHandle> {
  const url = databaseUrlOf();
  if (!url && o.existing && !existsSync(storePaths(dataDir).db))
    throw new UsageError(`no kyso store in '${dataDir}' (run kyso serve or kyso scan first, or pass --data)`);
  return openStore(dataDir, url);
}
