// The store's long work, done in the background (issue 27): the documents a directory change queued to be
// derived again, those a policy change has to derive again, and the documents a re-verification queues
// for a new analysis. Each step is its own short transaction with the event loop free between them, so a
// change over a fifth of the store never holds /healthz; both queues are in the store, so a crash mid-way
// resumes at the next start. How much a step holds follows how long the last of its kind took (a walk's
// slice of the store and a batch of derivations apart: a slice read from a cold disk costs far more per
// document): a request arriving meanwhile may need a few turns of the loop (its connection, then its
// data), each after a step.
import { WALK } from "../lifecycle/rederive.js";
import type { BackgroundStore } from "./background-stores.js";

/** What a step of derivations should last (ms): three of them stay under /healthz's 100 ms. */
export const STEP_MS = 25;

/** The next step's size: scaled to last STEP_MS after the last took `ms` for `size`, from `least` to `most`. */
export function nextBatch(size: number, ms: number, most: number, least = 5): number {
  if (ms <= 0) return most;
  return Math.max(least, Math.min(most, Math.round((size * STEP_MS) / ms)));
}

/** A walk's first slice, before any has been timed: a tenth of the most, modest on a cold disk; the next follow its time. */
const FIRST_WALK = WALK / 10;
/** The smallest slice: a walk must still end on a slow disk. */
const LEAST_WALK = 50;

export class StoreBackgroundWork {
  private running: Promise<void> | null = null;
  private stopped = false;

  constructor(
    private readonly store: BackgroundStore,
    /** wakes the analysis runner when a re-verification step queued documents */
    private readonly onQueued: () => void = () => {},
    private readonly actor = "system",
    private readonly batch = 100,
  ) {}

  /** Resumes what a stopped or crashed server left queued. */
  start(): void {
    this.notify();
  }

  /** Works through the queues (one pass at a time; a call while one runs joins it). */
  notify(): Promise<void> {
    // `.finally` runs after the assignment even when the pass ends at once (nothing queued)
    this.running ??= this.drain().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  private async drain(): Promise<void> {
    try {
      // never in the turn of the request that queued them: the answer goes first
      await new Promise((r) => setImmediate(r));
      let size = this.batch;
      let walk = FIRST_WALK;
      while (!this.stopped && this.store.open()) {
        const t = performance.now();
        const step = await this.store.deriveNext(size, walk, this.actor);
        if (step) {
          // the next of its kind sized by this one's time, after the event loop's turn
          const ms = performance.now() - t;
          if (step === "walk") walk = nextBatch(walk, ms, WALK, LEAST_WALK);
          else size = nextBatch(size, ms, this.batch);
        } else {
          const step = await this.store.reverifyStep();
          if (!step) break;
          if (step.queued > 0) this.onQueued();
        }
        await new Promise((r) => setImmediate(r));
      }
    } catch (e) {
      if (!this.stopped)
        process.stderr.write(
          `kyso: the store's background work (derivations, re-verification) stopped: ${(e as Error).message} (resumed at the next change or start)\n`,
        );
    }
  }

  /** Resolves when nothing is left to do (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.running;
  }

  async metrics(): Promise<string> {
    const p = this.store.open() ? await this.store.pending() : { derivations: 0, policyChanges: 0, reverifications: 0 };
    return (
      `# HELP kyso_derivations_pending Documents a directory or policy change has still to derive again (the figures are being updated while above 0).\n# TYPE kyso_derivations_pending gauge\nkyso_derivations_pending ${p.derivations}\n` +
      `# HELP kyso_policy_changes_pending Policy changes whose documents are still being derived again.\n# TYPE kyso_policy_changes_pending gauge\nkyso_policy_changes_pending ${p.policyChanges}\n` +
      `# HELP kyso_reverify_requests_pending Re-verifications whose documents are still being queued for a new analysis.\n# TYPE kyso_reverify_requests_pending gauge\nkyso_reverify_requests_pending ${p.reverifications}\n`
    );
  }
}
