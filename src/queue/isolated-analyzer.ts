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

export type FileOutcome = { ok: true; report: DocumentReport } | { ok: false; message: string };

function workerPath(): string {
  const here = fileURLToPath(import.meta.url);
  if (here.endsWith(".js")) return join(dirname(here), "analyze-worker.js");
  // Running from TypeScript sources (tests): use the compiled worker.
  const built = join(dirname(here), "..", "..", "dist", "queue", "analyze-worker.js");
  if (!existsSync(built)) throw new Error(`compiled worker not found at ${built}: run 'npm run build' first`);
  return built;
}

export class IsolatedAnalyzer {
  private worker: Worker | null = null;
  /** the current thread has finished a job: it is loaded, and jobs need no start acknowledgement */
  private warm = false;
  private nextId = 1;
  private readonly limits: IsolationLimits;
  /** one job at a time on the thread: a job that overruns ends the thread, and must not take another with it */
  private chain: Promise<unknown> = Promise.resolve();

  constructor(limits: Partial<IsolationLimits> = {}) {
    this.limits = { ...DEFAULT_LIMITS, ...limits };
  }

  private spawn(): Worker {
    this.warm = false;
    const w = new Worker(workerPath(), { resourceLimits: { maxOldGenerationSizeMb: this.limits.maxHeapMb } });
    w.unref();
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
    const p = this.chain.then(() => this.once(source, options, timeoutMs));
    this.chain = p.catch(() => undefined);
    return p;
  }

  private once(source: Source, options: JobOptions, timeoutMs: number): Promise<FileOutcome> {
    const worker = (this.worker ??= this.spawn());
    const id = this.nextId++;
    return new Promise((resolve) => {
      const done = (o: FileOutcome, restart: boolean): void => {
        clearTimeout(timer);
        worker.off("message", onMessage);
        worker.off("error", onError);
        worker.off("exit", onExit);
        if (restart) {
          void worker.terminate();
          if (this.worker === worker) this.worker = null;
        } else if (this.worker === worker) this.warm = true;
        resolve(o);
      };
      const onMessage = (m: AnalyzeResult): void => {
        if (m.id !== id) return;
        if ("started" in m) {
          clearTimeout(timer);
          timer = setTimeout(onTimeout, timeoutMs);
          return;
        }
        if (m.ok) return done({ ok: true, report: m.report }, false);
        if (m.kind === "fs") return done({ ok: false, message: m.message }, false);
        done({ ok: true, report: errorReport(source, this.limits.maxBytes, options, m.kind === "too-large" ? "TOO_LARGE" : "UNREADABLE", m.kind === "crash" ? `internal error while reading: ${m.message}` : m.message) }, false);
      };
      const onError = (e: Error): void => done({ ok: true, report: errorReport(source, this.limits.maxBytes, options, "UNREADABLE", `the analysis stopped: ${e.message}`) }, true);
      const onExit = (): void => done({ ok: true, report: errorReport(source, this.limits.maxBytes, options, "UNREADABLE", "the analysis stopped unexpectedly") }, true);
      const onTimeout = (): void => done({ ok: true, report: errorReport(source, this.limits.maxBytes, options, "TIMEOUT", `analysis took longer than ${timeoutMs / 1000} s`) }, true);
      // a fresh thread: allow for its start-up until it says the job started
      const ack = !this.warm;
      let timer = setTimeout(onTimeout, ack ? timeoutMs + STARTUP_MS : timeoutMs);
      worker.on("message", onMessage);
      worker.on("error", onError);
      worker.on("exit", onExit);
      if ("path" in source) worker.postMessage({ id, path: source.path, options, maxBytes: this.limits.maxBytes, ack } satisfies AnalyzeJob);
      else {
        // a private copy when the bytes share a buffer (a Buffer from the pool) that cannot be moved whole
        const own = source.bytes.byteOffset === 0 && source.bytes.byteLength === source.bytes.buffer.byteLength ? source.bytes : source.bytes.slice();
        worker.postMessage({ id, bytes: own, options, maxBytes: this.limits.maxBytes, ack } satisfies AnalyzeJob, [own.buffer as ArrayBuffer]);
      }
    });
  }

  async close(): Promise<void> {
    const w = this.worker;
    this.worker = null;
    if (w) await w.terminate();
  }
}

type Source = { path: string } | { bytes: Uint8Array; sha256: string; size: number };

/**
 * Why an analysis did not finish (its time ran out, or its thread died: the reports errorReport makes
 * for onTimeout, onError and onExit), or null when the report is the document's own. Runners try these
 * again; every other report, errors about the PDF included, is the answer.
 */
export function unfinishedReason(report: DocumentReport): string | null {
  const err = report.error;
  return err && (err.code === "TIMEOUT" || (err.code === "UNREADABLE" && /stopped/.test(err.message))) ? `${err.code}: ${err.message}` : null;
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
  const head = { sha256, bytes, engine: { name: "kyso" as const, version: ENGINE_VERSION, trustStore: loadTrustStore(options.trustDirs).id }, validationTime: validationTime(options) };
  return unreadableReport(head, code, message);
}
