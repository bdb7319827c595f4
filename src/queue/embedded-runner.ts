// The embedded default runner: queued documents (persisted in the store, so a restart resumes them) are
// analyzed on a pool of isolated worker threads. Crashes and time-outs are retried; a document that fails
// every attempt is recorded `failed` with the reason (counted as unreadable), never dropped. Documents are
// claimed through the life-cycle store's port under this process's node name and a lease, so several
// nodes can share one store (PostgreSQL): a node that dies leaves claims that come back when their lease
// ends.
import { now } from "../clock.js";
import type { CompliancePolicy } from "../compliance/index.js";
import type { BlobPort } from "../store/ports.js";
import type { LifecycleStore } from "../store/ports.js";
import type { DocumentRow } from "../store/rows.js";
import { existenceOf } from "../store/existence.js";
import { settleAnalysis, settleFailure, type AnalysisOutcome, type FailureOutcome, type SettleBy } from "../lifecycle/settle.js";
import { goneFromThisHost, nodeId } from "./node-id.js";
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
  /** how long a claim is held before another node may take it back; default 3 × timeoutMs, at least a minute */
  leaseMs?: number;
  /** the name claims are held under; default host:pid:random */
  node?: string;
}

interface Finished {
  id: string;
  /** the attempt claimed: the commit checks the claim is still this one */
  attempts: number;
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
  readonly node: string;
  /**
   * A claim covers the analysis (at most timeoutMs, then the thread is ended) and the recording after it,
   * with room for a busy event loop; a shorter lease would let another node take a document still being
   * analysed here, a longer one delays a dead node's documents.
   */
  readonly leaseMs: number;
  /** claims that ended are taken back this often (by every node: whichever asks first takes them) */
  private readonly reclaimEveryMs: number;
  private nextReclaim = 0;
  /** documents whose putting back the store refused: tried again before the next claim and at stop */
  private unreturned = new Set<string>();

  constructor(
    private readonly store: LifecycleStore,
    private readonly blobs: BlobPort,
    private readonly opts: RunnerOptions,
  ) {
    this.node = opts.node ?? nodeId();
    this.leaseMs = opts.leaseMs ?? Math.max(60_000, 3 * opts.timeoutMs);
    this.reclaimEveryMs = Math.max(1000, Math.min(30_000, this.leaseMs / 4));
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    // the loops claim only once what a stopped process left is back in the queue (or the store refused it)
    const ready = (this.starting = this.requeueInterrupted());
    for (let i = 0; i < this.opts.concurrency; i++) this.loops.push(ready.then(() => this.loop(new IsolatedAnalyzer({ timeoutMs: this.opts.timeoutMs }))));
  }

  /**
   * Documents a stopped process left `processing` are queued again: those no claim holds (a process from
   * before claims, or a runner that handed them to BullMQ) and those of this host's processes that are
   * gone (a crash, a restart) at once, other claims when their lease ends. A
   * store that refuses (a full disk, a database not answering) does not stop the start: the server
   * answers (507s, /readyz not ready), and this is tried again before each claim until it succeeds.
   */
  private async requeueInterrupted(): Promise<boolean> {
    try {
      await this.store.requeueUnclaimed();
      // only what that node still holds goes back: a claim another node took meanwhile stays
      for (const h of await this.store.holders()) if (goneFromThisHost(h.node, this.node)) await this.store.requeue(h.ids, h.node);
      await this.store.reclaimExpired();
      this.nextReclaim = Date.now() + this.reclaimEveryMs;
      this.interruptedLeft = false;
    } catch (e) {
      // any refusal, not only a full disk: a database across the network may not answer yet
      if (!this.interruptedLeft)
        this.complain(
          `putting back the documents a stopped process left unfinished failed (${(e as Error).message}); trying again once the store takes writes`,
        );
      this.interruptedLeft = true;
    }
    return !this.interruptedLeft;
  }
  private interruptedLeft = false;
  /** the start's putting back, which a stop waits for (with no loop to wait on, the store may be closed next) */
  private starting: Promise<boolean> = Promise.resolve(true);

  /** New work was queued. */
  notify(): void {
    const w = this.wake;
    this.wake = null;
    w?.();
  }

  /** Resolves when nothing is queued or in flight. */
  async idle(): Promise<void> {
    // waiting before asking: a loop that finds the queue empty meanwhile releases this waiter too
    const idle = new Promise<void>((resolve) => this.idleWaiters.push(resolve));
    if (await this.isIdleSafe()) this.idleWaiters.splice(0).forEach((r) => r());
    await idle;
  }

  private async isIdle(): Promise<boolean> {
    if (this.inFlight > 0) return false;
    return (await this.store.queueDepth()) === 0;
  }

  /** Finishes what is in flight, then stops (SIGTERM). Unstarted documents stay queued for next time. */
  async stop(): Promise<void> {
    this.running = false;
    this.notify();
    for (let i = 0; i < this.loops.length; i++) this.notify();
    await Promise.all(this.loops);
    await this.starting;
    this.loops = [];
    await this.putBack();
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
        const doc = wait > 0 ? undefined : await this.claim();
        let started: Promise<Finished> | null = null;
        if (doc) {
          this.inFlight++;
          const t0 = performance.now();
          started = analyzer
            .analyzeFile(this.blobs.pathOf(doc.sha256!), { ...this.opts.analysis, now: now().toISOString(), ...existenceOf(doc) })
            .then((out) => ({ id: doc.id, attempts: doc.attempts, out, ms: performance.now() - t0 }));
        }
        if (finished) await this.finish(finished);
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
        if (await this.isIdleSafe()) this.idleWaiters.splice(0).forEach((r) => r());
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
      if (finished) await this.finish(finished);
      await analyzer.close();
    }
  }

  /** The next queued document; undefined when there is none, null when the store refused. */
  private async claim(): Promise<DocumentRow | undefined | null> {
    if (this.interruptedLeft && !(await this.requeueInterrupted())) return null;
    try {
      if (this.unreturned.size) await this.putBack();
      if (Date.now() >= this.nextReclaim) {
        // set first: the other loops do not ask too while this one waits for the answer
        this.nextReclaim = Date.now() + this.reclaimEveryMs;
        await this.store.reclaimExpired();
      }
      return await this.store.claim(this.node, this.leaseMs);
    } catch (e) {
      this.complain(`taking the next document from the store failed (${(e as Error).message})`);
      return null;
    }
  }

  private async isIdleSafe(): Promise<boolean> {
    try {
      return await this.isIdle();
    } catch {
      return false;
    }
  }

  private complain(what: string): void {
    process.stderr.write(`kyso: ${what}\n`);
  }

  /**
   * Records what became of one document. If the store refuses, the document is put back in the queue
   * (or, if even that fails, left `processing`: put back before the next claim, at stop, or by any node
   * when its lease ends): never lost, and the loop goes on.
   */
  private async finish(f: Finished): Promise<void> {
    try {
      await this.record(f);
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
      this.unreturned.add(f.id);
      await this.putBack();
    } finally {
      this.inFlight--;
    }
  }

  /** Documents this node holds and could not record go back to the queue (unless its claim ended meanwhile). */
  private async putBack(): Promise<void> {
    if (!this.unreturned.size) return;
    const ids = [...this.unreturned];
    try {
      await this.store.requeue(ids, this.node);
      for (const id of ids) this.unreturned.delete(id);
    } catch {
      // still `processing`: tried again before the next claim; its lease ending puts it back otherwise
    }
  }

  private async record(f: Finished): Promise<void> {
    const outcome = await this.settle(f);
    this.backoffMs = 0;
    if (outcome === "lost")
      this.complain(
        `document ${f.id} was taken back before its result was recorded here (its claim of ${this.leaseMs / 1000} s ended): the node that took it records it`,
      );
  }

  private async settle({ id, attempts, out, ms }: Finished): Promise<AnalysisOutcome | FailureOutcome> {
    const by: SettleBy = { policy: this.opts.policy, actor: ACTOR, holder: { node: this.node, attempts } };
    if (!out.ok) return settleFailure(this.store, id, `the stored file cannot be read: ${out.message}`, 0, by);
    const unfinished = unfinishedReason(out);
    // the analysis did not finish (time limit, crashed worker): try again, then record it failed
    if (unfinished) return settleFailure(this.store, id, unfinished, this.opts.maxAttempts, by);
    const outcome = await settleAnalysis(this.store, id, out.report, ms, by);
    if (outcome === "analysed" && this.durations.length < 100_000) this.durations.push(ms);
    return outcome;
  }
}
