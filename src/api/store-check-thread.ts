// Worker-thread side of GET /api/v1/audit/verify and the background full check: the full check reads every
// log entry, report and document (the check since a verified head, a day's worth), so it runs on its own
// read-only connection, off the HTTP event loop.
import { parentPort } from "node:worker_threads";
import type { ThreadAnswer } from "../ingest/parse-thread.js";
import type { TrustedHistory } from "../store/sqlite/audit.js";
import type { KeptHead } from "../log/signed-history.js";
import { checkStoreSnapshot, type StoreCheck } from "../store/sqlite/check.js";
import { openReadOnly } from "../store/sqlite/db.js";

export interface StoreCheckJob {
  id: number;
  dbFile: string;
  trusted: TrustedHistory;
  /** a head verified before: only what the log added since is checked */
  since?: KeptHead;
}

parentPort?.on("message", (job: StoreCheckJob) => {
  let db;
  try {
    db = openReadOnly(job.dbFile);
    const result = checkStoreSnapshot(db, job.trusted, job.since);
    parentPort!.postMessage({ id: job.id, ok: true, result } satisfies ThreadAnswer<StoreCheck>);
  } catch (e) {
    parentPort!.postMessage({ id: job.id, ok: false, tooLarge: false, message: (e as Error).message } satisfies ThreadAnswer<StoreCheck>);
  } finally {
    db?.close();
  }
});
