// The API node's side of the scale-out runner: queued documents become BullMQ jobs (job id = document id,
// so re-adding after a restart never duplicates a waiting job); results come back through the results
// queue and are recorded idempotently; jobs that failed for good (a worker died with them too often) are
// recorded `failed` by a periodic sweep. Nothing is lost when this process restarts: jobs and results wait
// in Redis, and documents still marked queued or processing are re-added at start.
import { Queue, Worker } from "bullmq";
import type { CompliancePolicy } from "../compliance/index.js";
import type { Db } from "../store/db.js";
import { recordAnalysis, recordFailure, type DocumentRow } from "../store/documents.js";
import { ANALYZE_QUEUE, connectionFrom, MAX_ATTEMPTS, RESULTS_QUEUE, type AnalyzeJobData, type ResultJobData } from "./names.js";

/** who the verification log names for results that come back from `kyso worker` processes */
const ACTOR = "bullmq-worker";

export class BullmqRunner {
  private readonly connection;
  private queue: Queue<AnalyzeJobData> | null = null;
  private results: Worker<ResultJobData> | null = null;
  private sweep: NodeJS.Timeout | null = null;
  private pending: Promise<void> = Promise.resolve();

  constructor(
    private readonly db: Db,
    redisUrl: string,
    private readonly policy: CompliancePolicy,
  ) {
    this.connection = connectionFrom(redisUrl);
  }

  start(): void {
    this.queue = new Queue<AnalyzeJobData>(ANALYZE_QUEUE, { connection: this.connection });
    this.results = new Worker<ResultJobData>(RESULTS_QUEUE, async (job) => this.record(job.data), { connection: this.connection, concurrency: 1 });
    this.sweep = setInterval(() => void this.sweepFailed(), 2000);
    this.sweep.unref();
    // documents queued or handed out before a restart are offered again (job ids make it idempotent)
    this.enqueue("SELECT * FROM documents WHERE status IN ('queued', 'processing')");
  }

  notify(): void {
    this.enqueue("SELECT * FROM documents WHERE status = 'queued'");
  }

  private enqueue(sql: string): void {
    const rows = this.db.prepare(sql).all() as DocumentRow[];
    if (rows.length === 0 || !this.queue) return;
    const mark = this.db.prepare("UPDATE documents SET status = 'processing' WHERE id = ? AND status IN ('queued', 'processing')");
    this.db.transaction(() => rows.forEach((r) => mark.run(r.id)))();
    const queue = this.queue;
    this.pending = this.pending.then(() =>
      queue
        .addBulk(
          rows.map((r) => ({
            name: "analyze",
            data: { documentId: r.id, sha256: r.sha256!, receivedAt: r.received_at },
            opts: { jobId: r.id, attempts: MAX_ATTEMPTS, backoff: { type: "exponential", delay: 500 }, removeOnComplete: true, removeOnFail: false },
          })),
        )
        .then(() => undefined),
    );
  }

  /** Idempotent: a result for a document already recorded is ignored. */
  private record(r: ResultJobData): void {
    const row = this.db.prepare("SELECT status FROM documents WHERE id = ?").get(r.documentId) as { status: string } | undefined;
    if (!row || row.status === "done" || row.status === "failed") return;
    if (r.ok) recordAnalysis(this.db, r.documentId, r.report, r.durationMs, this.policy, ACTOR);
    else recordFailure(this.db, r.documentId, r.reason, 0, ACTOR);
  }

  /** Jobs that failed for good (every attempt, or a worker died with them too often). */
  private async sweepFailed(): Promise<void> {
    if (!this.queue) return;
    for (const job of await this.queue.getFailed(0, 200)) {
      recordFailure(this.db, job.data.documentId, `analysis failed ${job.attemptsMade} time(s): ${job.failedReason}`, 0, ACTOR);
      await job.remove();
    }
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
    if (this.sweep) clearInterval(this.sweep);
    await this.pending.catch(() => undefined);
    await this.results?.close();
    await this.queue?.close();
  }
}
