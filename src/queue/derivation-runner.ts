// Derives again, in the background, the documents a directory change queued (issue 27): batches of a
// hundred (~50 ms), each its own transaction, with the event loop free between them, so a change over a fifth of
// the store never holds /healthz; the queue is in the store, so a crash mid-way resumes at the next start.
import type { Db } from "../store/db.js";
import { deriveWaiting, pendingDerivations } from "../store/lifecycle.js";

export class DerivationRunner {
  private running: Promise<void> | null = null;
  private stopped = false;

  constructor(
    private readonly db: Db,
    private readonly actor = "system",
    private readonly batch = 100,
  ) {}

  /** Resumes what a stopped or crashed server left queued. */
  start(): void {
    this.notify();
  }

  /** Works through the queue (one pass at a time; a call while one runs joins it). */
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
      while (!this.stopped && this.db.open && pendingDerivations(this.db) > 0) {
        deriveWaiting(this.db, this.batch, this.actor);
        await new Promise((r) => setImmediate(r));
      }
    } catch (e) {
      if (!this.stopped) process.stderr.write(`kyso: deriving the documents of a directory change stopped: ${(e as Error).message} (resumed at the next change or start)\n`);
    }
  }

  /** Resolves when nothing is left to derive (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.running;
  }

  metrics(): string {
    return `# HELP kyso_derivations_pending Documents a directory change queued to be derived again (the figures are being updated while above 0).\n# TYPE kyso_derivations_pending gauge\nkyso_derivations_pending ${this.db.open ? pendingDerivations(this.db) : 0}\n`;
  }
}
