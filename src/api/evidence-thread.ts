// Worker-thread side of GET /api/v1/documents/:id/evidence: the archive is made here from what the route
// read from the store through its ports (evidence.ts buildEvidence), off the HTTP event loop: the PDF read,
// hashed and zipped. No store is opened here, whichever backend the server runs on.
import { parentPort } from "node:worker_threads";
import type { ThreadAnswer } from "../ingest/parse-thread.js";
import { buildEvidence, type EvidenceJob } from "./evidence.js";

parentPort?.on("message", (job: EvidenceJob & { id: number }) => {
  try {
    const zip = buildEvidence(job);
    parentPort!.postMessage({ id: job.id, ok: true, result: zip } satisfies ThreadAnswer<Uint8Array>, [zip.buffer as ArrayBuffer]);
  } catch (e) {
    parentPort!.postMessage({ id: job.id, ok: false, tooLarge: false, message: (e as Error).message } satisfies ThreadAnswer<Uint8Array>);
  }
});
