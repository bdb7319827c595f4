// The API node's side of the scale-out runner: queued documents become BullMQ jobs, in batches (names.ts);
// results come back through the results queue and are recorded idempotently; jobs that failed for good
// (a worker died with them too often) are recorded `failed` by a periodic sweep. Nothing is lost when this
// process restarts: jobs and results wait in Redis, and documents still marked queued or processing that
// no live job holds are offered again at start. The store is reached through the life-cycle port only:
// documents are handed out without a claim (a job in Redis holds them, for as long as it waits), and
// results are settled without one, a document already settled left as it is.
import { Queue, Worker, type JobType } from "bullmq";
import { Redis } from "ioredis";
import type { CompliancePolicy } from "../compliance/index.js";
import type { LifecycleStore } from "../store/ports.js";
import type { DocumentRow } from "../store/rows.js";
import { existenceOf } from "../store/existence.js";
import { settleAnalysis, settleFailure, type SettleBy } from "../lifecycle/settle.js";
import { RedisErrorLog } from "./redis-errors.js";
import {
  analyzeJob,
  ANALYZE_QUEUE,
  batches,
  connectionFrom,
  jobDocuments,
  jobResults,
  RESULTS_QUEUE,
  type AnalyzeJobData,
  type DocumentResult,
  type ResultJobData,
} from "./names.js";

/** who the verification log names for results that come back from `kyso worker` processes */
const ACTOR = "bullmq-worker";

/** Uploads arriving within this window are queued together (and may share a job). */
const ENQUEUE_WINDOW_MS = 10;

/** Job states in which a job still holds its documents. */
const LIVE_STATES: JobType[] = ["waiting", "active", "delayed", "prioritized", "waiting-children"];

export class BullmqRunner {
  /** connection errors said once per change of state */
  private readonly redisErrors = new RedisErrorLog("analysis queue");
  private readonly connection;
  private queue: Queue<AnalyzeJobData> | null = null;
  private results: Worker<ResultJobData> | null = null;
  /** the results queue seen from outside its worker, for its job counts */
  private resultsQueue: Queue<ResultJobData> | null = null;
  private sweep: NodeJS.Timeout | null = null;
  private pending: Promise<void> = Promise.resolve();
  private window: NodeJS.Timeout | null = null;
  /** the Redis server's run id: when it changes, Redis restarted (and may hold none of its jobs) */
  private redisRun: string | null = null;
  private checkingRedis = false;
  private probe: Redis | null = null;

  private readonly by: SettleBy;

  constructor(
    private readonly store: LifecycleStore,
    redisUrl: string,
    policy: CompliancePolicy,
  ) {
    this.connection = connectionFrom(redisUrl);
    this.by = { policy, actor: ACTOR };
  }

  start(): void {
    this.queue = new Queue<AnalyzeJobData>(ANALYZE_QUEUE, { connection: this.connection });
    this.resultsQueue = new Queue<ResultJobData>(RESULTS_QUEUE, { connection: this.connection });
    this.results = new Worker<ResultJobData>(RESULTS_QUEUE, async (job) => this.record(jobResults(job.data)), { connection: this.connection, concurrency: 1 });
    this.queue.on("error", this.redisErrors.error);
    this.resultsQueue.on("error", this.redisErrors.error);
    this.results.on("error", this.redisErrors.error);
    // the sweep also re-offers documents left queued (a failed hand-over to Redis put them back): a
    // hand-out finds them (and takes no write lock when none waits)
    this.sweep = setInterval(() => {
      // a timer's failure must not end the process: say it, and try again at the next tick
      this.sweepFailed().catch((e: Error) => process.stderr.write(`kyso: sweeping failed jobs failed (${e.message}); trying again\n`));
      void this.noticeRestart();
      this.notify();
    }, 2000);
    this.sweep.unref();
    void this.noticeRestart(); // Redis's run id as this node starts
    // documents handed out before this start that no job in Redis holds go back to the queue, then
    // everything queued is offered (first in the chain: what notify hands out from here on is not mistaken
    // for what an earlier process handed out)
    const queue = this.queue;
    let handed: string[] = [];
    this.after(
      async () => {
        handed = await this.store.unclaimed();
        const held = await this.heldDocuments(queue);
        await this.store.requeue(handed.filter((id) => !held.has(id)));
        this.notify();
      },
      // not known to be in Redis: the sweep offers them again
      () => this.store.requeue(handed),
    );
  }

  /**
   * Runs store and Redis work in order. A failure never stops the work after it; `undo` puts back what
   * the failed step had taken, so the next notify (or start) offers it again.
   */
  private after(step: () => Promise<void>, undo: () => Promise<void>): void {
    this.pending = this.pending.then(step).catch(async (e: Error) => {
      process.stderr.write(`kyso: queueing documents in Redis failed (${e.message}); they will be offered again\n`);
      // the store refused that too: the documents stay `processing` until the next start offers them
      await undo().catch(() => undefined);
    });
  }

  /** Runs `work` after the store and Redis work already in line, and what is added later after it. */
  private inLine<T>(work: () => Promise<T>): Promise<T> {
    const run = this.pending.then(work);
    this.pending = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  }

  notify(): void {
    this.window ??= setTimeout(() => {
      this.window = null;
      this.enqueue();
    }, ENQUEUE_WINDOW_MS);
  }

  /** What is queued becomes jobs; if the store or Redis refuses, it is queued again and the sweep offers it again. */
  private enqueue(): void {
    const queue = this.queue;
    if (!queue) return;
    let taken: string[] = [];
    this.after(
      async () => {
        let rows: DocumentRow[];
        try {
          rows = await this.store.handOut();
        } catch (e) {
          // the store refused: the documents stay queued, and the sweep offers them again
          process.stderr.write(`kyso: handing documents to Redis failed (${(e as Error).message}); trying again\n`);
          return;
        }
        taken = rows.map((r) => r.id);
        if (!rows.length) return;
        const jobs = batches(rows.map((r) => ({ documentId: r.id, sha256: r.sha256!, ...existenceOf(r), ...(r.bytes ? { bytes: r.bytes } : {}) }))).map(
          analyzeJob,
        );
        await queue.addBulk(jobs);
      },
      () => this.store.requeue(taken),
    );
  }

  /**
   * Redis restarted (its run id changed): the documents handed to it that no job holds any more (a
   * Redis without persistence comes back empty) are offered again, without restarting the API node.
   */
  private async noticeRestart(): Promise<void> {
    if (!this.queue || this.checkingRedis) return;
    this.checkingRedis = true;
    try {
      if (!this.probe) {
        this.probe = new Redis({ ...this.connection, lazyConnect: true, maxRetriesPerRequest: 1, enableOfflineQueue: false, commandTimeout: 2000 });
        this.probe.on("error", this.redisErrors.error);
      }
      if (this.probe.status === "wait" || this.probe.status === "end") await this.probe.connect();
      const info = await this.probe.info("server");
      this.redisErrors.ok();
      const run = /run_id:(\w+)/.exec(info)?.[1] ?? null;
      const before = this.redisRun;
      this.redisRun = run ?? before;
      if (!before || !run || run === before) return;
      const queue = this.queue;
      // in line with the hand-overs: a document taken from the store but not yet added to Redis is not lost
      const lost = await this.inLine(async () => {
        const handed = await this.store.unclaimed();
        const held = await this.heldDocuments(queue);
        if (this.resultsQueue)
          for (const j of await this.resultsQueue.getJobs(LIVE_STATES, 0, -1)) if (j?.data) for (const r of jobResults(j.data)) held.add(r.documentId);
        const lost = handed.filter((id) => !held.has(id));
        if (lost.length) await this.store.requeue(lost);
        return lost;
      });
      process.stderr.write(
        `kyso: Redis restarted${lost.length ? `; it holds no job for ${lost.length} document(s) handed to it: they are offered again` : ", holding every job it had"}\n`,
      );
      if (lost.length) this.notify();
    } catch {
      // Redis unreachable for now: the next sweep asks again
    } finally {
      this.checkingRedis = false;
    }
  }

  /** Document ids that jobs still waiting or running in Redis carry. */
  private async heldDocuments(queue: Queue<AnalyzeJobData>): Promise<Set<string>> {
    const held = new Set<string>();
    for (let start = 0; ; start += 1000) {
      const jobs = await queue.getJobs(LIVE_STATES, start, start + 999, true);
      for (const j of jobs) if (j?.data) for (const d of jobDocuments(j.data)) held.add(d.documentId);
      if (jobs.length < 1000) return held;
    }
  }

  /**
   * Idempotent: a result for a document already settled is ignored. One commit per document: a result job
   * the process dies in is run again, and what it had recorded is then ignored.
   */
  private async record(results: DocumentResult[]): Promise<void> {
    for (const r of results) {
      if (r.ok) await settleAnalysis(this.store, r.documentId, r.report, r.durationMs, this.by);
      else await settleFailure(this.store, r.documentId, r.reason, 0, this.by);
    }
  }

  /**
   * Jobs that failed for good (every attempt, or a worker died with them too often). A batch is offered
   * again one job per document, so only a document that fails on its own is recorded failed.
   */
  private async sweepFailed(): Promise<void> {
    if (!this.queue) return;
    for (const job of await this.queue.getFailed(0, 200)) {
      const docs = jobDocuments(job.data);
      if (docs.length > 1) await this.queue.addBulk(docs.map((d) => analyzeJob([d])));
      else for (const d of docs) await settleFailure(this.store, d.documentId, `analysis failed ${job.attemptsMade} time(s): ${job.failedReason}`, 0, this.by);
      await job.remove();
    }
    // a result that could not be recorded (the store refused every attempt) is never dropped: it is
    // tried again at each sweep until the store takes it
    if (this.resultsQueue) for (const job of await this.resultsQueue.getFailed(0, 200)) await job.retry();
  }

  /** Jobs per state in both queues (an analyze job carries up to BATCH_MAX documents). */
  async metrics(): Promise<string> {
    const lines = ["# HELP kyso_bullmq_jobs BullMQ jobs by queue and state.", "# TYPE kyso_bullmq_jobs gauge"];
    if (!this.queue || !this.resultsQueue) return "";
    for (const [name, q] of [
      [ANALYZE_QUEUE, this.queue],
      [RESULTS_QUEUE, this.resultsQueue],
    ] as const) {
      const counts = await q.getJobCounts("waiting", "active", "delayed", "prioritized", "failed");
      for (const [state, n] of Object.entries(counts)) lines.push(`kyso_bullmq_jobs{queue="${name}",state="${state}"} ${n}`);
    }
    return lines.join("\n") + "\n";
  }

  async idle(): Promise<void> {
    for (;;) {
      await this.pending;
      await this.sweepFailed();
      const n = await this.store.queueDepth();
      if (n === 0) return;
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  async stop(): Promise<void> {
    if (this.window) clearTimeout(this.window);
    if (this.sweep) clearInterval(this.sweep);
    await this.pending.catch(() => undefined);
    await this.results?.close();
    await this.resultsQueue?.close();
    await this.queue?.close();
    this.probe?.disconnect();
  }
}
