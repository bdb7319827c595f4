// BullMQ queue names and job payloads, in one place (STYLE.md §10). Jobs carry identifiers, never PDFs:
// workers fetch the bytes from the API node, and hand reports back through the results queue, which only
// the API node (the one writer of the database) consumes.
//
// A job carries a batch of documents: under load the API node groups the documents queued together, so
// the round trips to Redis (take the job, finish it, add its result, take and finish the result) are paid
// once per batch rather than once per document. A batch that is retried is split into one job per
// document, so a document that keeps failing never takes others down with it.
import type { DocumentReport } from "../verify/report.js";

export const ANALYZE_QUEUE = "kyso-analyze";
export const RESULTS_QUEUE = "kyso-results";

/** Attempts per document before it is recorded failed (counted as unreadable). */
export const MAX_ATTEMPTS = 3;

/** The most documents one analyze job carries. */
export const BATCH_MAX = 8;

export interface DocumentJob {
  documentId: string;
  sha256: string;
  /** the time that proves the document existed (kyso's receipt, or a trusted trace time) */
  receivedAt: string;
  existenceBasis?: "receipt" | "exchange-trace";
  /** the receipt time the sender declared (metadata: it proves nothing) */
  declaredReceivedAt?: string;
  /** the PDF's size, so a worker can fetch several small ones in one request */
  bytes?: number;
}

export interface AnalyzeJobData {
  documents: DocumentJob[];
}

export type DocumentResult = { documentId: string; ok: true; report: DocumentReport; durationMs: number } | { documentId: string; ok: false; reason: string };

export interface ResultJobData {
  results: DocumentResult[];
}

/** The documents of a job; jobs written before batching carried one document as the data itself. */
export function jobDocuments(data: AnalyzeJobData | DocumentJob): DocumentJob[] {
  return "documents" in data ? data.documents : [data];
}

/** The results of a result job (older ones carried one result as the data itself). */
export function jobResults(data: ResultJobData | DocumentResult): DocumentResult[] {
  return "results" in data ? data.results : [data];
}

/** How a list of queued documents becomes jobs: consecutive groups of at most BATCH_MAX. */
export function batches<T>(items: T[], max = BATCH_MAX): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += max) out.push(items.slice(i, i + max));
  return out;
}

/**
 * A job's options. A single document's job id is the document id, so offering it again (after a restart,
 * or when a batch is split) never makes a second waiting job; a batch's id names its first document and size.
 */
export function analyzeJob(documents: DocumentJob[]): {
  name: string;
  data: AnalyzeJobData;
  opts: { jobId: string; attempts: number; backoff: { type: "exponential"; delay: number }; removeOnComplete: true; removeOnFail: false };
} {
  const jobId = documents.length === 1 ? documents[0]!.documentId : `batch-${documents[0]!.documentId}-${documents.length}`;
  return {
    name: "analyze",
    data: { documents },
    opts: { jobId, attempts: MAX_ATTEMPTS, backoff: { type: "exponential", delay: 500 }, removeOnComplete: true, removeOnFail: false },
  };
}

/** Redis connection options from a URL (redis://host:port/db); BullMQ requires maxRetriesPerRequest null. */
export function connectionFrom(url: string): { host: string; port: number; db: number; password?: string; maxRetriesPerRequest: null } {
  const u = new URL(url);
  if (u.protocol !== "redis:") throw new Error(`REDIS_URL must be redis://host:port, not '${url}'`);
  return {
    host: u.hostname,
    port: Number(u.port || 6379),
    db: Number(u.pathname.slice(1) || 0),
    ...(u.password ? { password: decodeURIComponent(u.password) } : {}),
    maxRetriesPerRequest: null,
  };
}
