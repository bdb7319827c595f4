// Worker-thread side of GET /api/v1/documents/:id/evidence: the archive is made here from what the route
// read from the store (evidence.ts buildEvidence) and the log's proofs on a read-only connection, off the
// HTTP event loop.
import { parentPort } from "node:worker_threads";
import type { ThreadAnswer } from "../ingest/parse-thread.js";
import { openReadOnly, type Db } from "../store/sqlite/db.js";
import { buildEvidence, type EvidenceJob } from "./evidence.js";

// one read-only connection per store, kept between archives
const stores = new Map<string, Db>();

parentPort?.on("message", (job: EvidenceJob & { id: number }) => {
  try {
    let db = stores.get(job.dbFile);
    if (!db) stores.set(job.dbFile, (db = openReadOnly(job.dbFile)));
    const zip = buildEvidence(job, db);
    parentPort!.postMessage({ id: job.id, ok: true, result: zip } satisfies ThreadAnswer<Uint8Array>, [zip.buffer as ArrayBuffer]);
  } catch (e) {
    parentPort!.postMessage({ id: job.id, ok: false, tooLarge: false, message: (e as Error).message } satisfies ThreadAnswer<Uint8Array>);
  }
});
