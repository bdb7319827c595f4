// A scale-out worker (`kyso worker`): takes analyze jobs from Redis, fetches the PDF from the API node,
// analyzes it in an isolated worker thread, and returns the report through the results queue. Pure
// compute: it needs only REDIS_URL, KYSO_API_URL and KYSO_WORKER_KEY (and trust folders if any).
// Time-outs and crashes are thrown so BullMQ retries them with backoff; the last attempt reports the
// failure instead. SIGTERM finishes the job in flight; a job whose worker dies is stalled and taken again.
import { Queue, Worker, type Job } from "bullmq";
import { availableParallelism } from "node:os";
import { closeBlobAgents, fetchBlob } from "./fetch-blob.js";
import { IsolatedAnalyzer } from "./isolated-analyzer.js";
import { ANALYZE_QUEUE, connectionFrom, MAX_ATTEMPTS, RESULTS_QUEUE, type AnalyzeJobData, type ResultJobData } from "./names.js";

export interface WorkerConfig {
  redisUrl: string;
  apiUrl: string;
  workerKey: string;
  trustDirs: string[];
  concurrency: number;
  timeoutMs: number;
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
  };
}

export async function runWorker(cfg: WorkerConfig, log: (s: string) => void = () => {}): Promise<{ close(): Promise<void> }> {
  const connection = connectionFrom(cfg.redisUrl);
  const results = new Queue<ResultJobData>(RESULTS_QUEUE, { connection });
  // one isolated thread per concurrent job: BullMQ never runs more than `concurrency` at once
  const analyzers = Array.from({ length: Math.max(1, cfg.concurrency) }, () => new IsolatedAnalyzer({ timeoutMs: cfg.timeoutMs }));
  const free = [...analyzers];

  const process = async (job: Job<AnalyzeJobData>): Promise<void> => {
    const { documentId, sha256, receivedAt } = job.data;
    const last = job.attemptsMade + 1 >= (job.opts.attempts ?? MAX_ATTEMPTS);
    const bytes = await fetchBlob(cfg.apiUrl, sha256, cfg.workerKey);
    const t0 = performance.now();
    const analyzer = free.pop()!;
    const out = await analyzer.analyzeBytes(bytes, { now: new Date().toISOString(), receivedAt, trustDirs: cfg.trustDirs, text: true }).finally(() => free.push(analyzer));
    const durationMs = performance.now() - t0;
    if (!out.ok) throw new Error(out.message);
    const err = out.report.error;
    const unfinished = err && (err.code === "TIMEOUT" || (err.code === "UNREADABLE" && /stopped/.test(err.message)));
    if (unfinished && !last) throw new Error(`${err.code}: ${err.message}`);
    const result: ResultJobData = unfinished ? { documentId, ok: false, reason: `${err.code}: ${err.message}` } : { documentId, ok: true, report: { ...out.report, file: undefined } as never, durationMs };
    await results.add("result", result, { jobId: `${documentId}-${job.attemptsMade}`, removeOnComplete: true, attempts: 5, backoff: { type: "exponential", delay: 200 } });
    log(`analyzed ${documentId} (${out.report.verdict})`);
  };

  const worker = new Worker<AnalyzeJobData>(ANALYZE_QUEUE, process, { connection, concurrency: cfg.concurrency, lockDuration: 15_000, stalledInterval: 5_000, maxStalledCount: 1 });
  worker.on("failed", (job, e) => log(`job ${job?.id} failed (attempt ${job?.attemptsMade}): ${e.message}`));
  return {
    async close() {
      await worker.close();
      await results.close();
      await Promise.all(analyzers.map((a) => a.close()));
      closeBlobAgents();
    },
  };
}
