// Worker-thread side of GET /api/v1/audit/verify and the background full check: the full check reads every
// log entry, report and document (the check since a verified head, a day's worth), so it runs here, off the
// HTTP event loop, on a connection of its own to the store the job names (either backend: store/check
// decides the same way over its CheckSource).
import { parentPort } from "node:worker_threads";
import type { ThreadAnswer } from "../ingest/parse-thread.js";
import type { TrustedHistory } from "../log/export-check.js";
import type { KeptHead } from "../log/signed-history.js";
import { runCheckAsync } from "../store/check/script.js";
import { threadedHeads } from "../store/check/head-threads.js";
import { sharedProgress } from "../store/check/progress.js";
import { checkAndHead, type StoreCheck } from "../store/check/store-check.js";
import { openCheckSourceAt, type StoreLocation } from "../store/location.js";

export interface StoreCheckJob {
  id: number;
  store: StoreLocation;
  trusted: TrustedHistory;
  /** a head verified before: only what the log added since is checked */
  since?: KeptHead;
  /** where a full check says how far it has gone (store/check/progress.ts) */
  progress?: SharedArrayBuffer;
}

parentPort?.on("message", (job: StoreCheckJob) => {
  void (async () => {
    const source = await openCheckSourceAt(job.store);
    try {
      // one moment of the store: an analysis committed mid-check would otherwise look inserted by hand
      // the full check's signed heads verified on the other cores while this thread replays the figures
      const heads = threadedHeads();
      try {
        return await source.snapshot((s) =>
          runCheckAsync(
            s,
            checkAndHead(job.trusted, job.since ? { since: job.since } : { heads, ...(job.progress ? { progress: sharedProgress(job.progress).report } : {}) }),
          ),
        );
      } finally {
        await heads.close();
      }
    } finally {
      await source.close();
    }
  })().then(
    (result) => parentPort!.postMessage({ id: job.id, ok: true, result } satisfies ThreadAnswer<StoreCheck>),
    (e: Error) => parentPort!.postMessage({ id: job.id, ok: false, tooLarge: false, message: e.message } satisfies ThreadAnswer<StoreCheck>),
  );
});
