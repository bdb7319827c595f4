// BullMQ queue names and job payloads, in one place (STYLE.md §10). Jobs carry identifiers, never PDFs:
// workers fetch the bytes from the API node, and hand reports back through the results queue, which only
// the API node (the one writer of the database) consumes.
import type { DocumentReport } from "../verify/report.js";

export const ANALYZE_QUEUE = "kyso-analyze";
export const RESULTS_QUEUE = "kyso-results";

/** Attempts per document before it is recorded failed (counted as unreadable). */
export const MAX_ATTEMPTS = 3;

export interface AnalyzeJobData {
  documentId: string;
  sha256: string;
  receivedAt: string;
}

export type ResultJobData =
  | { documentId: string; ok: true; report: DocumentReport; durationMs: number }
  | { documentId: string; ok: false; reason: string };

/** Redis connection options from a URL (redis://host:port/db); BullMQ requires maxRetriesPerRequest null. */
export function connectionFrom(url: string): { host: string; port: number; db: number; password?: string; maxRetriesPerRequest: null } {
  const u = new URL(url);
  if (u.protocol !== "redis:") throw new Error(`REDIS_URL must be redis://host:port, not '${url}'`);
  return { host: u.hostname, port: Number(u.port || 6379), db: Number(u.pathname.slice(1) || 0), ...(u.password ? { password: decodeURIComponent(u.password) } : {}), maxRetriesPerRequest: null };
}
