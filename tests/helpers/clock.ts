// The test time instead of the calendar: a clock that starts at a fixed time (AT by default, inside every
// fixture certificate's validity) and runs on from there, set as kyso's process clock in this test
// process, or handed to a kyso process the test spawns (`node --import` of test-clock.mjs).
import { join } from "node:path";
import { setClock, type Clock } from "../../src/clock.js";
import { AT, ROOT } from "./paths.js";

/** A clock that reads `at` now and runs at the real pace from here (caches and timeouts still age). */
export function clockFrom(at: string = AT): Clock {
  const start = Date.parse(at);
  const t0 = performance.now();
  return () => new Date(start + Math.round(performance.now() - t0));
}

/** Sets kyso's clock in this test process to one that starts at `at`; returns a function that puts the previous one back. */
export function useTestClock(at: string = AT): () => void {
  const before = setClock(clockFrom(at));
  return () => void setClock(before);
}

/** Arguments and environment for a spawned kyso (bin/kyso.js) whose clock starts at `at`. */
export function kysoAt(at: string = AT): { argv: string[]; env: NodeJS.ProcessEnv } {
  return { argv: ["--import", join(ROOT, "tests", "helpers", "test-clock.mjs"), join(ROOT, "bin", "kyso.js")], env: { ...process.env, KYSO_TEST_TIME: at } };
}
