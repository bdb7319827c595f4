// The embedded default runner: queued documents (persisted in the store, so a restart resumes them) are
// analyzed on a pool of isolated worker threads. Crashes and time-outs are retried; a document that fails
// every attempt is recorded `failed` with the reason (counted as unreadable), never dropped.
import { now } from "../clock.js";
import type { CompliancePolicy } from "../compliance/index.js";
import type { BlobStore } from "../store/blobs.js";
import type { Db } from "../store/sqlite/db.js";
import { existenceOf, queueDepth, requeue, requeueInterrupted, type DocumentRow } from "../store/sqlite/documents.js";
import { claim, settle } from "../lifecycle/index.js";
import type { JobOptions } from "./analyze-worker.js";
import { IsolatedAnalyzer, unfinishedReason, type FileOutcome } from "./isolated-analyzer.js";
import { storageProblem } from "../store/storage-errors.js";

export interface RunnerOptions {
  /** parallel analyses (worker threads); default 2 */
  concurrency: number;
  /** attempts per document before it is recorded failed; default 3 */
  maxAttempts: number;
  /** per-document time limit in ms; default 10 000 */
  timeoutMs: number;
  policy: CompliancePolicy;
  /** analysis options shared by every job (trust folders, revocation policy…) */
  analysis: Omit<JobOptions, "now" | "receivedAt">;
}

interface Finished {
  id: string;
  out: FileOutcome;
  ms: number;
}

/** who the verification log names for analyses run in this process */
const ACTOR = "embedded-runner";

export class EmbeddedRunner {
  private running = false;
  private wake: (() => void) | null = null;
  private loops: Array<Promise<void>> = [];
  private inFlight = 0;
  /** after the store refused for lack of space or permission: no claim before this time */
  private pausedUntil = 0;
  private backoffMs = 0;
  private idleWaiters: Array<() => void> = [];
  readonly durations: number[] = [];

  constructor(
    private readonly db: Db,
    private readonly blobs: BlobStore,
    private readonly opts: RunnerOptions,
  ) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    this.requeueInterrupted();
    for (let i = 0; i < this.opts.concurrency; i++) this.loops.push(this.loop(new IsolatedAnalyzer({ timeoutMs: this.opts.timeoutMs })));
  }

  /**
   * Documents a stopped process left `processing` are queued again. A store that refuses (a full disk)
   * does not stop the start: the server answers (507s, /readyz not ready), and this is tried again
   * before each claim until it succeeds.
   */
  private requeueInterrupted(): boolean {
    try {
      requeueInterrupted(this.db);
      this.interruptedLeft = false;
    } catch (e) {
      if (!storageProblem(e)) throw e;
      if (!this.interruptedLeft)
        this.complain(
          `putting back the documents a stopped process left unfinished failed (${(e as Error).message}); trying again once the store takes writes`,
        );
      this.interruptedLeft = true;
    }
    return !this.interruptedLeft;
  }
  private interruptedLeft = false;

  /** New work was queued. */
  notify(): void {
    const w = this.wake;
    this.wake = null;
    w?.();
  }

  /** Resolves when nothing is queued or in flight. */
  async idle(): Promise<void> {
    if (this.isIdle()) return;
    await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
  }

  private isIdle(): boolean {
    if (this.inFlight > 0) return false;
    const q = { n: queueDepth(this.db) };
    return q.n === 0;
  }

  /** Finishes what is in flight, then stops (SIGTERM). Unstarted documents stay queued for next time. */
  async stop(): Promise<void> {
    this.running = false;
    this.notify();
    for (let i = 0; i < this.loops.length; i++) this.notify();
    await Promise.all(this.loops);
    this.loops = [];
  }

  /**
   * One thread's loop. The next document is handed to the thread before the previous result is recorded,
   * so the thread works while this (busy) event loop writes the store.
   */
  private async loop(analyzer: IsolatedAnalyzer): Promise<void> {
    let finished: Finished | null = null;
    try {
      while (this.running) {
        const wait = this.pausedUntil - Date.now();
        if (wait > 0 && !finished) {
          await new Promise((r) => setTimeout(r, Math.min(wait, 1000)));
          continue;
        }
        const doc = wait > 0 ? undefined : this.claim();
        let started: Promise<Finished> | null = null;
        if (doc) {
          this.inFlight++;
          const t0 = performance.now();
          started = analyzer
            .analyzeFile(this.blobs.pathOf(doc.sha256!), { ...this.opts.analysis, now: now().toISOString(), ...existenceOf(doc) })
            .then((out) => ({ id: doc.id, out, ms: performance.now() - t0 }));
        }
        if (finished) this.finish(finished);
        finished = null;
        if (started) {
          finished = await started;
          continue;
        }
        if (doc === null) {
          // the store refused (full disk, a lock held too long): wait, then try again; the loop lives on
          await new Promise((r) => setTimeout(r, 1000));
          continue;
        }
        if (this.isIdleSafe()) this.idleWaiters.splice(0).forEach((r) => r());
        await new Promise<void>((resolve) => {
          const prev = this.wake;
          this.wake = () => {
            prev?.();
            resolve();
          };
          setTimeout(resolve, 1000).unref();
        });
      }
    } finally {
      if (finished) this.finish(finished);
      await analyzer.close();
    }
  }

  /** The next queued document; undefined when there is none, null when the store refused. */
  private claim(): DocumentRow | undefined | null {
    if (this.interruptedLeft && !this.requeueInterrupted()) return null;
    try {
      return claim(this.db);
    } catch (e) {
      this.complain(`taking the next document from the store failed (${(e as Error).message})`);
      return null;
    }
  }

  private isIdleSafe(): boolean {
    try {
      return this.isIdle();
    } catch {
      return false;
    }
  }

  private complain(what: string): void {
    process.stderr.write(`kyso: ${what}\n`);
  }

  /**
   * Records what became of one document. If the store refuses, the document is put back in the queue
   * (or, if even that fails, left `processing`, which the next start puts back): never lost, and the
   * loop goes on.
   */
  private finish(f: Finished): void {
    try {
      this.record(f);
    } catch (e) {
      const storage = storageProblem(e);
      if (storage) {
        // a full or read-only store: wait (1 s, doubling to a minute) instead of analyzing again at once
        this.backoffMs = Math.min(60_000, Math.max(1000, this.backoffMs * 2));
        this.pausedUntil = Date.now() + this.backoffMs;
      }
      if (!storage || this.backoffMs <= 1000 || this.backoffMs === 60_000)
        this.complain(
          `recording document ${f.id} failed (${(e as Error).message}); it will be analyzed again${storage ? ` once the store takes writes (next try in ${this.backoffMs / 1000} s)` : ""}`,
        );
      try {
        requeue(this.db, [f.id]);
      } catch {
        // left `processing`: requeued at the next start
      }
    } finally {
      this.inFlight--;
    }
  }

  private record(f: Finished): void {
    this.settle(f);
    this.backoffMs = 0;
  }

  private settle({ id, out, ms }: Finished): void {
    if (!out.ok) {
      settle(this.db, id, { kind: "failure", reason: `the stored file cannot be read: ${out.message}`, maxAttempts: 0 }, this.opts.policy, ACTOR);
      return;
    }
    const unfinished = unfinishedReason(out);
    if (unfinished) {
      // the analysis did not finish (time limit, crashed worker): try again, then record it failed
      settle(this.db, id, { kind: "failure", reason: unfinished, maxAttempts: this.opts.maxAttempts }, this.opts.policy, ACTOR);
      return;
    }
    settle(this.db, id, { kind: "analysis", report: out.report, durationMs: ms }, this.opts.policy, ACTOR);
    if (this.durations.length < 100_000) this.durations.push(ms);
  }
}
