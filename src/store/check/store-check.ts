// The store checked as a whole, the same on every backend: the log (chain, signed heads, heads kept
// outside), then the figures replayed from it; or, from a head verified before, only what came since.
import type { ChainCheck, TrustedHistory } from "../../log/export-check.js";
import type { KeptHead } from "../../log/signed-history.js";
import type { BlobCheck } from "./blobs.js";
import type { HeadVerifier } from "../../log/head-verifier.js";
import type { CheckProgress } from "./progress.js";
import { chainAgainstHead, settled, walkChain } from "./chain.js";
import { replayFigures, type FigureCheck } from "./replay.js";
import { read, type CheckScript } from "./script.js";
import { checkSince } from "./since.js";

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

/**
 * Which check: the full one, the full one against a head noted earlier (an export's), or the one since a
 * head verified before; `heads`, who verifies the signed heads (other threads, for a long log);
 * `progress`, where a full check says how far it has gone.
 */
export type CheckMode = { against?: { seq: number; hash: string }; since?: KeptHead; heads?: HeadVerifier; progress?: CheckProgress };

export function* checkStore(trusted: TrustedHistory = {}, mode: CheckMode = {}): CheckScript<StoreCheck> {
  if (mode.since) return yield* checkSince(mode.since, trusted);
  if (mode.against) {
    const log = yield* chainAgainstHead(mode.against, trusted, mode.heads);
    if (!log.ok) return log;
    const figures = yield* replayFigures();
    return { ...log, ok: figures.ok, figures };
  }
  // the figures are replayed while other threads verify the heads; the log's answer comes first
  const walked = yield* walkChain(trusted, mode.heads, mode.progress);
  if (!walked.check.ok) return settled(walked.check, walked.settle());
  const figures = yield* replayFigures(undefined, mode.progress);
  const log = settled(walked.check, walked.settle());
  return log.ok ? { ...log, ok: figures.ok, figures } : log;
}

/** The check, and the head it verified when it held (the log's signed head now). */
export function* checkAndHead(trusted: TrustedHistory = {}, mode: CheckMode = {}): CheckScript<StoreCheck> {
  const r = yield* checkStore(trusted, mode);
  return { ...r, verified: r.ok ? yield* currentHead() : null };
}

/** The signed head of the log now, with the public key that verifies it; null for an empty log. */
export function* currentHead(): CheckScript<(KeptHead & { at: string; publicKey: string }) | null> {
  return yield* read("signedHead", (yield* read("recordedHead")).seq);
}

/** One line for people: what failed, where. */
export function describeBroken(r: StoreCheck): string | null {
  if (r.broken) return `the verification log is broken at entry ${r.broken.seq}: ${r.broken.reason}`;
  if (r.figures?.broken) return `the figures do not follow from the log: ${r.figures.broken.table} ${r.figures.broken.row}: ${r.figures.broken.reason}`;
  if (r.blobs?.broken) return `a stored file is not what the store says: ${r.blobs.broken.owner} (${r.blobs.broken.sha256}): ${r.blobs.broken.reason}`;
  return null;
}
