// The data folder's state for /readyz: full (little space left, or a write refused for space a moment
// ago) or unwritable. Refusals are reported on standard error once per distinct reason per minute, so a
// full disk never floods the log.
import { accessSync, constants, statfsSync } from "node:fs";

/** Below this much free space the service says it is not ready (uploads would fail). */
const LOW_SPACE = 8 * 1024 * 1024;
const RECENT_MS = 10_000;
const REPEAT_MS = 60_000;

export class StorageWatch {
  private last: { message: string; at: number } | null = null;
  private readonly told = new Map<string, number>();
  suppressed = 0;

  constructor(private readonly dir: string) {}

  /** A write was refused; reported unless the same reason was reported within the minute. */
  note(message: string): void {
    const now = Date.now();
    this.last = { message, at: now };
    const before = this.told.get(message);
    if (before !== undefined && now - before < REPEAT_MS) {
      this.suppressed++;
      return;
    }
    this.told.set(message, now);
    process.stderr.write(`kyso: ${message}${this.suppressed ? ` (${this.suppressed} similar refusals not shown)` : ""}\n`);
    this.suppressed = 0;
  }

  /** Null when writes can go on, else why not. */
  state(): string | null {
    try {
      accessSync(this.dir, constants.W_OK);
    } catch (e) {
      return `the data folder ${this.dir} cannot be written (${(e as NodeJS.ErrnoException).code})`;
    }
    try {
      const s = statfsSync(this.dir);
      const free = s.bavail * s.bsize;
      if (free < LOW_SPACE) return `the data folder's disk is full (${free} bytes free)`;
    } catch {
      // no statfs here: rely on refusals
    }
    if (this.last && Date.now() - this.last.at < RECENT_MS) return this.last.message;
    return null;
  }
}
