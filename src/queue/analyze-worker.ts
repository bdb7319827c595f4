// Worker-thread side of the isolated analyzer: reads one file, analyzes it, posts the report. Runs in its
// own thread so the parent can end it on timeout or memory exhaustion without losing the process.
import { readFileSync, statSync } from "node:fs";
import { parentPort } from "node:worker_threads";
import { analyze, type AnalyzeOptions } from "../analyze.js";
import { loadCrlCache, loadTrustStore } from "../config.js";

/** What crosses the thread boundary: plain data (the worker loads the trust store itself, once). */
export type JobOptions = Omit<AnalyzeOptions, "trust" | "crlCache"> & { trustDirs: string[]; crlDir?: string };

export interface AnalyzeJob {
  id: number;
  /** the file to read, or the bytes themselves (transferred: the sender no longer has them) */
  path?: string;
  bytes?: Uint8Array;
  options: JobOptions;
  maxBytes: number;
}

export type AnalyzeResult =
  | { id: number; started: true }
  | { id: number; ok: true; report: Awaited<ReturnType<typeof analyze>> }
  | { id: number; ok: false; kind: "fs" | "too-large" | "crash"; message: string };

// one job at a time, in the order they come: the parent may hand the next one before this one ends
let queue: Promise<void> = Promise.resolve();
parentPort?.on("message", (job: AnalyzeJob) => {
  queue = queue.then(() => handle(job));
});

async function handle(job: AnalyzeJob): Promise<void> {
  // the time limit runs from here, not from thread start-up
  // the parent times each job from its start: a thread's start-up, or the job before it, does not count
  parentPort!.postMessage({ id: job.id, started: true } satisfies AnalyzeResult);
  let result: AnalyzeResult;
  try {
    const size = job.bytes ? job.bytes.length : statSync(job.path!).size;
    if (size > job.maxBytes) {
      result = { id: job.id, ok: false, kind: "too-large", message: `${size} bytes is more than the limit of ${job.maxBytes}` };
    } else {
      let bytes: Uint8Array;
      try {
        if (job.bytes) bytes = job.bytes;
        else {
          const b = readFileSync(job.path!);
          bytes = new Uint8Array(b.buffer, b.byteOffset, b.length);
        }
      } catch (e) {
        throw Object.assign(new Error((e as Error).message), { fs: true });
      }
      const { trustDirs, crlDir, ...rest } = job.options;
      const options: AnalyzeOptions = { ...rest, trust: loadTrustStore(trustDirs), ...(crlDir ? { crlCache: loadCrlCache(crlDir) } : {}) };
      result = { id: job.id, ok: true, report: await analyze(bytes, options) };
    }
  } catch (e) {
    const err = e as Error & { code?: string; fs?: boolean };
    result = { id: job.id, ok: false, kind: err.fs || err.code ? "fs" : "crash", message: err.message };
  }
  parentPort!.postMessage(result);
}
