// Every file of a store, named from the data folder a command was given, here and nowhere else. A path
// fixed apart from the folder (./data/heads.jsonl, chosen before --data applied) once made two stores run
// from one working directory share, and break, one heads file (issue 28, points 2 and 3).
import { dirname, join } from "node:path";

export interface StorePaths {
  /** the data folder itself */
  dir: string;
  /** the SQLite database (SQLite keeps its -wal and -shm files beside it) */
  db: string;
  /** the content-addressed PDFs (unfinished writes in blobs/tmp) */
  blobs: string;
  /** the instance's log key, unless KYSO_LOG_KEY names another file (logKeyPath) */
  key: string;
  /** the signed heads, unless KYSO_PUBLISH_HEADS names another target (headsTargetFromEnv) */
  heads: string;
}

export function storePaths(dataDir: string): StorePaths {
  return { dir: dataDir, db: join(dataDir, "kyso.db"), blobs: join(dataDir, "blobs"), key: join(dataDir, "log-key.pem"), heads: join(dataDir, "heads.jsonl") };
}

/** The key file of a store: KYSO_LOG_KEY, else the key file of the data folder that holds the database. */
export function logKeyPath(dbFile: string, env: Record<string, string | undefined> = process.env): string {
  return env.KYSO_LOG_KEY || storePaths(dirname(dbFile)).key;
}
