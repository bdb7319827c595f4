// A scale-out worker (`kyso worker`): takes analyze jobs from Redis, fetches each PDF from the API node,
// analyzes it in an isolated worker thread, and returns the reports through the results queue. Pure
// compute: it needs only REDIS_URL, KYSO_API_URL and KYSO_WORKER_KEY (and trust folders if any).
// A job carries one document or a batch (names.ts). For one document, time-outs and crashes are thrown so
// BullMQ retries them with backoff, and the last attempt reports the failure instead. A batch returns the
// reports it finished and hands every unfinished document back as a job of its own; a batch taken a second
// time (its worker died, or it failed) is split into one job per document before anything else.
// SIGTERM finishes the jobs in flight; a job whose worker dies is stalled and taken again.
import { DelayedError, Queue, Worker, type Job } from "bullmq";
import { randomUUID } from "node:crypto";
import { availableParallelism } from "node:os";
import { ApiUnreachable, closeBlobAgents, fetchBlobs } from "./fetch-blob.js";
import { now } from "../clock.js";
import { revocationFromEnv, type RevocationSettings } from "../config.js";
import { IsolatedAnalyzer, unfinishedReason } from "./isolated-analyzer.js";
import { RedisErrorLog } from "./redis-errors.js";
import {
  analyzeJob,
  ANALYZE_QUEUE,
  connectionFrom,
  jobDocuments,
  MAX_ATTEMPTS,
  RESULTS_QUEUE,
  type AnalyzeJobData,
  type DocumentJob,
  type DocumentResult,
  type ResultJobData,
} from "./names.js";

export interface WorkerConfig {
  redisUrl: string;
  apiUrl: string;
  workerKey: string;
  trustDirs: string[];
  concurrency: number;
  timeoutMs: number;
  /** revocation checking (KYSO_REVOCATION, KYSO_ONLINE, KYSO_CRL_DIR; default soft-fail, nothing online) */
  revocation?: RevocationSettings;
  /** how long a job waits before asking an unreachable API node again (KYSO_API_RETRY_MS, default 5000) */
  apiRetryMs?: number;
}

export function workerConfigFromEnv(env: Record<string, string | undefined> = process.env): WorkerConfig {
  const missing = ["REDIS_URL", "KYSO_API_URL", "KYSO_WORKER_KEY"].filter((k) => !env[k]);
  if (missing.length) throw new Error(`kyso worker needs ${missing.join(", ")}`);
  return {
    redisUrl: env.REDIS_URL!,
    apiUrl: env.KYSO_API_URL!.replace(/\/$/, ""),
    workerKey: env.KYSO_WORKER_KEY!,
    trustDirs: (env.KYSO_TRUST_DIRS ?? "").split(":").filter(Boolean),
    concurrency: Number(env.KYSO_CONCURRENCY ?? availableParallelism()),
    timeoutMs: Number(env.KYSO_TIMEOUT_MS ?? 10_000),
    revocation: revocationFromEnv(env),
    apiRetryMs: Number(env.KYSO_API_RETRY_MS ?? 5000),
  };
}

/** What became of one document: a result to return, or a reason it must be tried again. */
type Outcome = { result: DocumentResult } | { again: string };

/** PDFs of at most this total size (known from the job) are fetched in one request. */
const FETCH_GROUP_BYTES = 8 << 20;

/** Consecutive documents grouped for fetching: small ones together, a large or unknown-size one alone. */
export function fetchGroups(docs: DocumentJob[]): DocumentJob[][] {
  const out: DocumentJob[][] = [];
  let size = Infinity;
  for (const d of docs) {
    const n = d.bytes ?? Infinity;
    if (size + n > FETCH_GROUP_BYTES) {
      out.push([d]);
      size = n;
    } else {
      out.at(-1)!.push(d);
      size += n;
    }
  }
  return out;
}

export async function runWorker(cfg: WorkerConfig, log: (s: string) => void = () => {}): Promise<{ close(): Promise<void> }> {
  const connection = connectionFrom(cfg.redisUrl);
  const results = new Queue<ResultJobData>(RESULTS_QUEUE, { connection });
  const analyze = new Queue<AnalyzeJobData>(ANALYZE_QUEUE, { connection });
  // one isolated thread per concurrent job: BullMQ never runs more than `concurrency` at once
  const analyzers = Array.from({ length: Math.max(1, cfg.concurrency) }, () => new IsolatedAnalyzer({ timeoutMs: cfg.timeoutMs }));
  const free = [...analyzers];

  /** Analyzes one fetched document (or reports why it could not be fetched); `last` turns an unfinished analysis into a failure result. */
  const analyzeOne = async (d: DocumentJob, pdf: Uint8Array | Error, analyzer: IsolatedAnalyzer, last: boolean): Promise<Outcome> => {
    if (pdf instanceof Error) return last ? { result: { documentId: d.documentId, ok: false, reason: pdf.message } } : { again: pdf.message };
    const t0 = performance.now();
    const out = await analyzer.analyzeBytes(pdf, {
      now: now().toISOString(),
      receivedAt: d.receivedAt,
      existenceBasis: d.existenceBasis ?? "receipt",
      ...(d.declaredReceivedAt ? { declaredReceivedAt: d.declaredReceivedAt } : {}),
      trustDirs: cfg.trustDirs,
      text: true,
      ...(cfg.revocation ?? {}),
    });
    const durationMs = performance.now() - t0;
    if (!out.ok) return last ? { result: { documentId: d.documentId, ok: false, reason: out.message } } : { again: out.message };
    const unfinished = unfinishedReason(out);
    if (unfinished) return last ? { result: { documentId: d.documentId, ok: false, reason: unfinished } } : { again: unfinished };
    log(`analyzed ${d.documentId} (${out.report.verdict})`);
    return { result: { documentId: d.documentId, ok: true, report: { ...out.report, file: undefined } as never, durationMs } };
  };

  const process = async (job: Job<AnalyzeJobData>, token?: string): Promise<void> => {
    const docs = jobDocuments(job.data);
    const batch = docs.length > 1;
    if (batch && (job.attemptsStarted > 1 || job.stalledCounter > 0)) {
      await analyze.addBulk(docs.map((d) => analyzeJob([d])));
      log(`split batch ${job.id} into ${docs.length} jobs`);
      return;
    }
    // a batch's documents get their own retries; a single document's last attempt reports its failure
    const last = !batch && job.attemptsMade + 1 >= (job.opts.attempts ?? MAX_ATTEMPTS);
    const groups = fetchGroups(docs);
    // a failed request stands for each of its documents (never an unhandled rejection while it waits)
    const fetchOf = (g: DocumentJob[]): Promise<Array<Uint8Array | Error>> =>
      fetchBlobs(
        cfg.apiUrl,
        g.map((d) => d.sha256),
        cfg.workerKey,
      ).catch((e: Error) => g.map(() => e));
    const analyzer = free.pop()!;
    const done: DocumentResult[] = [];
    const again: Array<{ doc: DocumentJob; reason: string }> = [];
    /** documents not looked at because the API node could not be reached, and why */
    let waiting: { docs: DocumentJob[]; reason: string } | null = null;
    try {
      // the next PDFs download while these are analyzed
      let next = fetchOf(groups[0]!);
      for (let i = 0; i < groups.length && !waiting; i++) {
        const blobs = await next;
        const unreachable = blobs.find((b): b is ApiUnreachable => b instanceof ApiUnreachable);
        if (unreachable) {
          waiting = { docs: groups.slice(i).flat(), reason: unreachable.message };
          break;
        }
        if (i + 1 < groups.length) next = fetchOf(groups[i + 1]!);
        for (const [j, d] of groups[i]!.entries()) {
          const o = await analyzeOne(d, blobs[j]!, analyzer, last);
          if ("result" in o) done.push(o.result);
          else again.push({ doc: d, reason: o.again });
        }
      }
    } finally {
      free.push(analyzer);
    }
    // a result job id of its own: one reusing an id still waiting in the queue would be dropped by Redis,
    // and the API node records each document once whatever arrives twice
    if (done.length)
      await results.add(
        "result",
        { results: done },
        { jobId: `${job.id}-${job.attemptsStarted}-${randomUUID()}`, removeOnComplete: true, attempts: 5, backoff: { type: "exponential", delay: 200 } },
      );
    if (again.length && batch) {
      await analyze.addBulk(again.map((a) => analyzeJob([a.doc])));
      log(`batch ${job.id}: ${again.length} document(s) to be tried again alone (${again[0]!.reason})`);
    }
    if (waiting) {
      // the documents wait for the API node: the job comes back later, its attempts untouched
      if (waiting.docs.length < docs.length) await job.updateData({ documents: waiting.docs });
      const wait = cfg.apiRetryMs ?? 5000;
      await job.moveToDelayed(Date.now() + wait, token);
      log(`job ${job.id}: ${waiting.reason}; ${waiting.docs.length} document(s) wait ${wait / 1000} s for it`);
      throw new DelayedError();
    }
    if (again.length && !batch) throw new Error(again[0]!.reason);
  };

  const worker = new Worker<AnalyzeJobData>(ANALYZE_QUEUE, process, {
    connection,
    concurrency: cfg.concurrency,
    lockDuration: 15_000,
    stalledInterval: 5_000,
    maxStalledCount: 1,
  });
  worker.on("failed", (job, e) => log(`job ${job?.id} failed (attempt ${job?.attemptsMade}): ${e.message}`));
  // an unreachable Redis is said once, and again when it answers (a job taken means it answers)
  const redisErrors = new RedisErrorLog("kyso worker", (l) => log(l.trimEnd()));
  for (const q of [results, analyze]) q.on("error", redisErrors.error);
  worker.on("error", redisErrors.error);
  worker.on("active", () => redisErrors.ok());
  return {
    async close() {
      await worker.close();
      await results.close();
      await analyze.close();
      await Promise.all(analyzers.map((a) => a.close()));
      closeBlobAgents();
    },
  };
}
