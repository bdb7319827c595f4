// What a start-up check covered, whichever store it ran on: the embedded store's (sqlite/startup-check.ts)
// and the one through the ports (startup-check-on.ts) read the same newest entries whole and say the same.

/** The newest entries a start-up check reads whole: a few days of a province, under a second from a cold disk. */
export const WHOLE = 20_000;

/** What the start-up check covered, for readiness to say; `problem` is null when everything held. */
export interface StartupCheck {
  problem: string | null;
  entries: number;
  /** the newest entries, read whole: each re-hashed and linked, the tree grown over them (null: empty log) */
  whole: { from: number; to: number } | null;
  /** heads the log was shown to extend, with where they were kept */
  extends: Array<{ size: number; source: string }>;
  /** older entries checked at random */
  sampled: number;
}
