// The server's checkpoints of the embedded store, off the HTTP event loop. SQLite copies the write-ahead
// log into the database file in the connection whose commit passes 1,000 pages, within that commit: the
// pages written back and the database file flushed (fsync) while the event loop waits, every few
// megabytes written. The server's connection leaves that to a thread of its own instead (wal_autocheckpoint
// 0), which checkpoints every `everyMs` without taking a lock a writer would wait for. If the thread ends,
// the connection checkpoints itself again, so the log never grows without bound.
import { Worker } from "node:worker_threads";
import { threadPath } from "../../threads.js";
import type { Db } from "./db.js";

/** SQLite's own threshold (pages), restored if the thread ends. */
const AUTO = 1000;

export interface Checkpoints {
  /** the last checkpoint's report: the WAL's frames and how many are in the database file */
  last: { log: number; checkpointed: number } | null;
  stop(): Promise<void>;
}

export function checkpointsApart(db: Db, everyMs = 500): Checkpoints {
  db.pragma("wal_autocheckpoint = 0");
  const worker = new Worker(threadPath("checkpoint-thread", "store/sqlite"), { workerData: { file: db.name, everyMs } });
  worker.unref();
  let stopping = false;
  const out: Checkpoints = {
    last: null,
    async stop() {
      stopping = true;
      worker.postMessage("stop");
      await new Promise<void>((done) => {
        worker.once("exit", () => done());
        setTimeout(() => void worker.terminate().then(() => done()), 2000).unref();
      });
      if (db.open) db.pragma(`wal_autocheckpoint = ${AUTO}`);
    },
  };
  // a failure said once, not at every turn while it lasts (twice a second)
  let failing: string | null = null;
  worker.on("message", (m: { log?: number; checkpointed?: number; error?: string }) => {
    if (m.error && m.error !== failing) process.stderr.write(`kyso: a checkpoint of the store failed: ${m.error} (tried again)\n`);
    failing = m.error ?? null;
    if (!m.error) out.last = { log: m.log ?? 0, checkpointed: m.checkpointed ?? 0 };
  });
  const fallBack = (why: string) => {
    if (stopping || !db.open) return;
    stopping = true;
    db.pragma(`wal_autocheckpoint = ${AUTO}`);
    process.stderr.write(`kyso: the store's checkpoint thread ended (${why}): the server's connection checkpoints itself again\n`);
  };
  worker.on("error", (e) => fallBack(e.message));
  worker.on("exit", (code) => fallBack(`exit code ${code}`));
  return out;
}
