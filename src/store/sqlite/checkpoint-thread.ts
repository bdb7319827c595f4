// Worker-thread side of the server's checkpoints (checkpoints.ts): its own connection to the store's file,
// copying the write-ahead log into the database now and then (PASSIVE: no lock taken, no writer waits),
// with the database file's fsync here rather than on the HTTP event loop.
import Database from "better-sqlite3";
import { parentPort, workerData } from "node:worker_threads";

const { file, everyMs } = workerData as { file: string; everyMs: number };
const db = new Database(file, { fileMustExist: true });
// FULL: the database file is flushed after each checkpoint, so the WAL may be reused safely
db.pragma("synchronous = FULL");
// PASSIVE takes no lock it would wait for; a busy store is checkpointed at the next turn
db.pragma("busy_timeout = 0");

const timer = setInterval(() => {
  try {
    const [r] = db.pragma("wal_checkpoint(PASSIVE)") as Array<{ busy: number; log: number; checkpointed: number }>;
    parentPort?.postMessage({ log: r?.log ?? 0, checkpointed: r?.checkpointed ?? 0 });
  } catch (e) {
    parentPort?.postMessage({ error: (e as Error).message });
  }
}, everyMs);

parentPort?.on("message", (m: unknown) => {
  if (m !== "stop") return;
  clearInterval(timer);
  db.close();
  parentPort?.close();
});
