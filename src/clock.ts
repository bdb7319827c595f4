// The one clock kyso reads the time of day from where the time decides something: kyso's own receipt of a
// document (its proof of existence when nothing better proves it, hence its validation time), the
// analysis's "now", how long a fetched revocation answer is reused, the time a head is published. The
// validation time is derived from what these recorded, never read elsewhere. Tests set the clock (a fixed
// test time, a clock moved ahead) rather than depend on the day they run; a kyso process a test spawns
// gets it through a preloaded module (tests/helpers/test-clock.mjs), never through a setting of its own:
// an operator cannot date receipts. Timeouts, delays and durations are not times of day: they keep to the
// timers and the system clock.

/** The time now, as a clock tells it. */
export type Clock = () => Date;

/** The system's wall clock. */
export const systemClock: Clock = () => new Date();

let current: Clock = systemClock;

/** The time now, by the process's clock. */
export const now = (): Date => current();

/** Sets the process's clock (tests); returns the one it replaces. */
export function setClock(clock: Clock): Clock {
  const before = current;
  current = clock;
  return before;
}
