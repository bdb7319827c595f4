// Analyzes files in a worker thread with a per-document time limit and memory limit: a hostile PDF that
// loops or balloons costs its own report (TIMEOUT / UNREADABLE), never the process.
import { createHash } from "node:crypto";
import { existsSync, readFileSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import { unreadableReport, validationTime } from "../analyze.js";
import { loadTrustStore } from "../config.js";
import type { DocumentReport } from "../verify/report.js";
import { ENGINE_VERSION } from "../version.js";
import type { AnalyzeJob, AnalyzeResult, JobOptions } from "./analyze-worker.js";

export interface IsolationLimits {
  /** per-document time limit in milliseconds (default 10 000) */
  timeoutMs: number;
  /** largest file accepted, in bytes (default 1 GiB) */
  maxBytes: number;
  /** V8 heap limit of the worker in MB (default 2048); file bytes live outside it */
  maxHeapMb: number;
}

const STARTUP_MS = 30_000;

export const DEFAULT_LIMITS: IsolationLimits = { timeoutMs: 10_000, maxBytes: 1 << 30, maxHeapMb: 2048 };

/**
 * What an analysis gave: the document's report, or why the file could not be read. `unfinished` says the
 * analysis itself did not finish (its time ran out, or its thread died): the report then describes that,
 * and runners try again (a type, never a message matched as text).
 */
export type FileOutcome = { ok: true; report: DocumentReport; unfinished?: "timeout" | "thread-stopped" } | { ok: false; message: string };

function workerPath(): string {
  const here = fileURLToPath(import.meta.url);
  if (here.endsWith(".js")) return join(dirname(here), "analyze-worker.js");
  // Running from TypeScript sources (tests): use the compiled worker.
  const built = join(dirname(here), "..", "..", "dist", "queue", "analyze-worker.js");
  if (!existsSync(built)) throw new Error(`compiled worker not found at ${built}: run 'npm run build' first`);
  return built;
}

/** One job: what to analyze, and where its outcome goes. */
interface Job {
  id: number;
  source: Source;
  options: JobOptions;
  timeoutMs: number;
  resolve: (o: FileOutcome) => void;
  /** the thread said it began this job (its time limit runs from then) */
  started: boolean;
  timer: NodeJS.Timeout | null;
}

/** Jobs handed to the thread at once: the next file is read while one is analyzed, never more. */
const AHEAD = 2;

export class IsolatedAnalyzer {
  private worker: Worker | null = null;
  private nextId = 1;
  private readonly limits: IsolationLimits;
  /** jobs not yet handed to the thread, in order */
  private waiting: Job[] = [];
  /**
   * Jobs handed to the current thread, in order; it runs them one at a time, so only the first can have
   * started. A job that overruns ends the thread: the one behind it, never started, goes back to wait for
   * the next thread instead of sharing its fate.
   */
  private handed: Job[] = [];

  constructor(limits: Partial<IsolationLimits> = {}) {
    this.limits = { ...DEFAULT_LIMITS, ...limits };
  }

  private spawn(): Worker {
    const w = new Worker(workerPath(), { resourceLimits: { maxOldGenerationSizeMb: this.limits.maxHeapMb } });
    w.unref();
    w.on("message", (m: AnalyzeResult) => this.onMessage(w, m));
    w.on("error", (e: Error) => this.onDeath(w, `the analysis stopped: ${e.message}`));
    w.on("exit", () => this.onDeath(w, "the analysis stopped unexpectedly"));
    return w;
  }

  /** Analyzes one file; fs errors come back as { ok: false }, everything about the PDF as a report. */
  analyzeFile(path: string, options: JobOptions, timeoutMs: number = this.limits.timeoutMs): Promise<FileOutcome> {
    return this.run({ path }, options, timeoutMs);
  }

  /** Analyzes bytes already in memory; they are moved to the thread (the caller's copy is emptied). */
  analyzeBytes(bytes: Uint8Array, options: JobOptions, timeoutMs: number = this.limits.timeoutMs): Promise<FileOutcome> {
    const sha256 = createHash("sha256").update(bytes).digest("hex");
    return this.run({ bytes, sha256, size: bytes.length }, options, timeoutMs);
  }

  private run(source: Source, options: JobOptions, timeoutMs: number): Promise<FileOutcome> {
    return new Promise((resolve) => {
      this.waiting.push({ id: this.nextId++, source, options, timeoutMs, resolve, started: false, timer: null });
      this.pump();
    });
  }

  /**
   * Hands waiting jobs to the thread, up to AHEAD at once. Bytes are moved to the thread when handed, so a
   * job with bytes is handed only to an idle thread: one queued behind a job that kills the thread would
   * lose them.
   */
  private pump(): void {
    while (this.waiting.length && this.handed.length < AHEAD) {
      const job = this.waiting[0]!;
      if ("bytes" in job.source && this.handed.length > 0) return;
      this.waiting.shift();
      const worker = (this.worker ??= this.spawn());
      this.handed.push(job);
      // a job first on the thread is timed from now, with room for a fresh thread's start-up; one behind
      // another is timed from when it starts
      if (this.handed.length === 1) job.timer = setTimeout(() => this.onTimeout(worker, job), job.timeoutMs + STARTUP_MS);
      const msg = { id: job.id, options: job.options, maxBytes: this.limits.maxBytes };
      if ("path" in job.source) worker.postMessage({ ...msg, path: job.source.path } satisfies AnalyzeJob);
      else {
        // a private copy when the bytes share a buffer (a Buffer from the pool) that cannot be moved whole
        const b = job.source.bytes;
        const own = b.byteOffset === 0 && b.byteLength === b.buffer.byteLength ? b : b.slice();
        worker.postMessage({ ...msg, bytes: own } satisfies AnalyzeJob, [own.buffer as ArrayBuffer]);
      }
    }
  }

  private onMessage(worker: Worker, m: AnalyzeResult): void {
    if (worker !== this.worker) return;
    const job = this.handed.find((j) => j.id === m.id);
    if (!job) return;
    if ("started" in m) {
      job.started = true;
      if (job.timer) clearTimeout(job.timer);
      job.timer = setTimeout(() => this.onTimeout(worker, job), job.timeoutMs);
      return;
    }
    let outcome: FileOutcome;
    if (m.ok) outcome = { ok: true, report: m.report };
    else if (m.kind === "fs") outcome = { ok: false, message: m.message };
    else
      outcome = {
        ok: true,
        report: errorReport(
          job.source,
          this.limits.maxBytes,
          job.options,
          m.kind === "too-large" ? "TOO_LARGE" : "UNREADABLE",
          m.kind === "crash" ? `internal error while reading: ${m.message}` : m.message,
        ),
      };
    this.finish(job, outcome);
    this.pump();
  }

  private finish(job: Job, outcome: FileOutcome): void {
    if (job.timer) clearTimeout(job.timer);
    this.handed = this.handed.filter((j) => j !== job);
    job.resolve(outcome);
  }

  private onTimeout(worker: Worker, job: Job): void {
    if (worker !== this.worker || !this.handed.includes(job)) return;
    this.end(worker, job, {
      ok: true,
      report: errorReport(job.source, this.limits.maxBytes, job.options, "TIMEOUT", `analysis took longer than ${job.timeoutMs / 1000} s`),
      unfinished: "timeout",
    });
  }

  /** The thread died: the job it was running gets the report of that; the ones behind it wait again. */
  private onDeath(worker: Worker, message: string): void {
    if (worker !== this.worker) return;
    const running = this.handed.find((j) => j.started) ?? this.handed[0];
    if (running)
      this.end(worker, running, {
        ok: true,
        report: errorReport(running.source, this.limits.maxBytes, running.options, "UNREADABLE", message),
        unfinished: "thread-stopped",
      });
    else this.worker = null;
  }

  /** Ends the thread for `job` (its outcome given), and hands the jobs behind it to a new one. */
  private end(worker: Worker, job: Job, outcome: FileOutcome): void {
    this.worker = null;
    void worker.terminate();
    const behind = this.handed.filter((j) => j !== job);
    for (const j of behind) {
      if (j.timer) clearTimeout(j.timer);
      j.timer = null;
      j.started = false;
    }
    this.finish(job, outcome);
    this.handed = [];
    this.waiting.unshift(...behind);
    this.pump();
  }

  async close(): Promise<void> {
    const w = this.worker;
    this.worker = null;
    if (w) await w.terminate();
  }
}

type Source = { path: string } | { bytes: Uint8Array; sha256: string; size: number };

/**
 * Why an analysis did not finish (its time ran out, or its thread died: onTimeout and onDeath mark the
 * outcome), or null when the report is the document's own. Runners try these again; every other report,
 * errors about the PDF included, is the answer.
 */
export function unfinishedReason(out: Extract<FileOutcome, { ok: true }>): string | null {
  if (!out.unfinished) return null;
  const err = out.report.error;
  return `${err?.code ?? out.unfinished}: ${err?.message ?? out.unfinished}`;
}

/** A report for a document whose analysis did not finish; identified by its hash when it can be read. */
function errorReport(source: Source, maxBytes: number, options: JobOptions, code: "TIMEOUT" | "UNREADABLE" | "TOO_LARGE", message: string): DocumentReport {
  let sha256 = "";
  let bytes = 0;
  if ("path" in source) {
    try {
      bytes = statSync(source.path).size;
      if (bytes <= maxBytes) sha256 = createHash("sha256").update(readFileSync(source.path)).digest("hex");
    } catch {
      // the file went away: the report still says what happened
    }
  } else ({ sha256, size: bytes } = source);
  const head = {
    sha256,
    bytes,
    engine: { name: "kyso" as const, version: ENGINE_VERSION, trustStore: loadTrustStore(options.trustDirs).id },
    validationTime: validationTime(options),
  };
  return unreadableReport(head, code, message);
}
