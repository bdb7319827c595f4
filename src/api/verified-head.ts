// The newest head of the log this server has verified (issue 27, point 4): the background full check and
// GET /api/v1/audit/verify leave it here when they hold, and the route's next check starts from it (the
// consistency of the log with it, then the entries since), so a click on the auditors' page costs a day's
// entries, not the whole log. The full check stays on request (?full=true) and daily in the background;
// what it verified is also kept in the store, for the next start-up check.
import type { StoreCheck } from "../store/check/store-check.js";
import type { KeptHead } from "../log/signed-history.js";

export class VerifiedHead {
  /** `keep`: told what a full check verified (null when one failed), so the store keeps it for the next start */
  constructor(private readonly keep?: (head: KeptHead | null, at: Date) => void) {}

  /** the head the next check starts from; null: none yet, or the last check failed (the next one is full) */
  head: KeptHead | null = null;
  /** the last full check: when it finished and whether it held */
  lastFull: { at: string; ok: boolean } | null = null;

  /** failures seen: a check that started before the last one may not set a head again */
  private failures = 0;

  /** Call as a check starts; give the answer to `note`. */
  started(): number {
    return this.failures;
  }

  note(r: StoreCheck, full: boolean, at: Date, started = this.failures): void {
    if (!r.ok) {
      this.head = null;
      this.failures++;
    } else if (started === this.failures && r.verified && (!this.head || r.verified.size >= this.head.size)) this.head = r.verified;
    if (full) {
      this.lastFull = { at: at.toISOString(), ok: r.ok };
      if (!r.ok || (started === this.failures && r.verified)) this.keep?.(r.ok ? r.verified! : null, at);
    }
  }
}
