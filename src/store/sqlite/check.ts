// The store checked as a whole: the log (chain, signed heads, heads kept outside) and the figures
// replayed from it. `kyso audit verify` and GET /api/v1/audit/verify run the full check; the server runs
// the start-up one (startup-check.ts: bounded, whatever the log's length) and reports a failure on
// /readyz, then the full check in the background.
import { verifyStoredChain, type ChainCheck, type TrustedHistory } from "./audit.js";
import type { Db } from "./db.js";
import type { KeptHead } from "../../log/signed-history.js";
import { replayFigures, type FigureCheck } from "./replay.js";
import type { BlobCheck } from "./blob-check.js";
import { currentHead } from "./heads.js";
import { checkStoreSince } from "./since-check.js";

export interface StoreCheck extends ChainCheck {
  /** the figures replayed (absent when the log itself is broken: nothing built on it is checked) */
  figures?: FigureCheck;
  /** the stored files read back (when the caller checked them) */
  blobs?: BlobCheck;
  /** checked from this head on (the size of a head verified before), when the check was incremental */
  since?: number;
  /** the newest signed head the check covered, when it held: the next check can start from it */
  verified?: KeptHead | null;
}

export function checkStore(db: Db, trusted: TrustedHistory = {}): StoreCheck {
  const log = verifyStoredChain(db, trusted);
  if (!log.ok) return log;
  const figures = replayFigures(db);
  return { ...log, ok: figures.ok, figures };
}

/**
 * The full check (or, given a head verified before, the check since it) in one read transaction: the log, the analyses, the documents and the rollups as of one
 * moment, while a server goes on writing (otherwise an analysis committed mid-check looks inserted by hand).
 */
export function checkStoreSnapshot(db: Db, trusted: TrustedHistory = {}, since?: KeptHead): StoreCheck {
  db.exec("BEGIN");
  try {
    // from a head verified before: its consistency with the log now, then only the entries since (issue 27)
    const r: StoreCheck = since ? checkStoreSince(db, since, trusted) : checkStore(db, trusted);
    return { ...r, verified: r.ok ? currentHead(db) : null };
  } finally {
    db.exec("COMMIT");
  }
}

/** One line for people: what failed, where. */
export function describeBroken(r: StoreCheck): string | null {
  if (r.broken) return `the verification log is broken at entry ${r.broken.seq}: ${r.broken.reason}`;
  if (r.figures?.broken) return `the figures do not follow from the log: ${r.figures.broken.table} ${r.figures.broken.row}: ${r.figures.broken.reason}`;
  if (r.blobs?.broken) return `a stored file is not what the store says: ${r.blobs.broken.owner} (${r.blobs.broken.sha256}): ${r.blobs.broken.reason}`;
  return null;
}

export { quickCheck, startupCheck, type StartupCheck, type StartupCheckOptions } from "./startup-check.js";
