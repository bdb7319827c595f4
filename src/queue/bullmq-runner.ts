// The API node's side of the scale-out runner: queued documents become BullMQ jobs, in batches (names.ts);
// results come back through the results queue and are recorded idempotently; jobs that failed for good
// (a worker died with them too often) are recorded `failed` by a periodic sweep. Nothing is lost when this
// process restarts: jobs and results wait in Redis, and documents still marked queued or processing that
// no live job holds are offered again at start.
import { Queue, Worker, type JobType } from "bullmq";
import type { CompliancePolicy } from "../compliance/index.js";
import type { Db } from "../store/db.js";
import { recordAnalysis, recordFailure, type DocumentRow } from "../store/documents.js";
import { analyzeJob, ANALYZE_QUEUE, batches, connectionFrom, jobDocuments, jobResults, RESULTS_QUEUE, type AnalyzeJobData, type DocumentResult, type ResultJobData } from "./names.js";

/** who the verification log names for results that come back from `kyso worker` processes */
const ACTOR = "bullmq-worker";

/** Uploads arriving within this window are queued together (and may share a job). */
const ENQUEUE_WINDOW_MS = 10;

/** Job states in which a job still holds its documents. */
const LIVE_STATES: JobType[] = ["waiting", "active", "delayed", "prioritized", "waiting-children"];

export class BullmqRunner {
  private readonly connection;
  private queue: Queue<AnalyzeJobData> | null = null;
  private results: Worker<ResultJobData> | null = null;
  /** the results queue seen from outside its worker, for its job counts */
  private resultsQueue: Queue<ResultJobData> | null = null;
  private sweep: NodeJS.Timeout | null = null;
  private pending: Promise<void> = Promise.resolve();
  private window: NodeJS.Timeout | null = null;

  constructor(
    private readonly db: Db,
    redisUrl: string,
    private readonly policy: CompliancePolicy,
  ) {
    this.connection = connectionFrom(redisUrl);
  }

  start(): void {
    this.queue = new Queue<AnalyzeJobData>(ANALYZE_QUEUE, { connection: this.connection });
    this.resultsQueue = new Queue<ResultJobData>(RESULTS_QUEUE, { connection: this.connection });
    this.results = new Worker<ResultJobData>(RESULTS_QUEUE, async (job) => this.record(jobResults(job.data)), { connection: this.connection, concurrency: 1 });
    this.sweep = setInterval(() => void this.sweepFailed(), 2000);
    this.sweep.unref();
    // documents queued or handed out before a restart are offered again, unless a job in Redis holds them
    const queue = this.queue;
    this.pending = this.pending.then(async () => {
      const held = await this.heldDocuments(queue);
      const rows = this.db.prepare("SELECT * FROM documents WHERE status IN ('queued', 'processing')").all() as DocumentRow[];
      this.enqueue(rows.filter((r) => !held.has(r.id)));
    });
  }

  notify(): void {
    this.window ??= setTimeout(() => {
      this.window = null;
      this.enqueue(this.db.prepare("SELECT * FROM documents WHERE status = 'queued'").all() as DocumentRow[]);
    }, ENQUEUE_WINDOW_MS);
  }

  private enqueue(rows: DocumentRow[]): void {
    if (rows.length === 0 || !this.queue) return;
    const mark = this.db.prepare("UPDATE documents SET status = 'processing' WHERE id = ? AND status IN ('queued', 'processing')");
    this.db.transaction(() => rows.forEach((r) => mark.run(r.id)))();
    const queue = this.queue;
    const jobs = batches(rows.map((r) => ({ documentId: r.id, sha256: r.sha256!, receivedAt: r.received_at, ...(r.bytes ? { bytes: r.bytes } : {}) }))).map(analyzeJob);
    this.pending = this.pending.then(() => queue.addBulk(jobs).then(() => undefined));
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

  /** Idempotent: a result for a document already recorded is ignored. One transaction per result job. */
  private record(results: DocumentResult[]): void {
    const status = this.db.prepare("SELECT status FROM documents WHERE id = ?");
    this.db.transaction(() => {
      for (const r of results) {
        const row = status.get(r.documentId) as { status: string } | undefined;
        if (!row || row.status === "done" || row.status === "failed") continue;
        if (r.ok) recordAnalysis(this.db, r.documentId, r.report, r.durationMs, this.policy, ACTOR);
        else recordFailure(this.db, r.documentId, r.reason, 0, ACTOR);
      }
    })();
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
      else for (const d of docs) recordFailure(this.db, d.documentId, `analysis failed ${job.attemptsMade} time(s): ${job.failedReason}`, 0, ACTOR);
      await job.remove();
    }
  }

  /** Jobs per state in both queues (an analyze job carries up to BATCH_MAX documents). */
  async metrics(): Promise<string> {
    const lines = ["# HELP kyso_bullmq_jobs BullMQ jobs by queue and state.", "# TYPE kyso_bullmq_jobs gauge"];
    if (!this.queue || !this.resultsQueue) return "";
    for (const [name, q] of [[ANALYZE_QUEUE, this.queue], [RESULTS_QUEUE, this.resultsQueue]] as const) {
      const counts = await q.getJobCounts("waiting", "active", "delayed", "prioritized", "failed");
      for (const [state, n] of Object.entries(counts)) lines.push(`kyso_bullmq_jobs{queue="${name}",state="${state}"} ${n}`);
    }
    return lines.join("\n") + "\n";
  }

  async idle(): Promise<void> {
    for (;;) {
      await this.pending;
      await this.sweepFailed();
      const n = (this.db.prepare("SELECT count(*) n FROM documents WHERE status IN ('queued', 'processing')").get() as { n: number }).n;
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
  }
}
