// What /readyz says about the store: what the start-up check verified (bounded: the newest entries whole,
// the older ones through the tree) and where the full check stands, so "ready" on a long log never reads
// as "every entry verified" before the full check has held.
import type { StartupCheck } from "../store/sqlite/check.js";
import type { BackgroundReplay } from "./store-replay.js";

export interface StoreReadiness {
  startupCheck: Omit<StartupCheck, "problem"> & { ok: boolean };
  fullCheck: ReturnType<BackgroundReplay["state"]>;
  /** said while older entries have been checked at start only through the tree and no full check has held */
  note?: string;
}

export function storeReadiness(start: StartupCheck, replay: Pick<BackgroundReplay, "state">): StoreReadiness {
  const { problem, ...covered } = start;
  const full = replay.state();
  const older = start.whole && start.whole.from > 1 ? start.whole.from - 1 : 0;
  return {
    startupCheck: { ok: problem === null, ...covered },
    fullCheck: full,
    ...(older && full.state !== "held"
      ? {
          note: `entries 1–${older} were checked at start through the log's tree only (its consistency with ${start.extends.length ? "the heads kept" : "the newest signed head"} and ${start.sampled} entries at random); the full check (${full.state}) verifies each of them`,
        }
      : {}),
  };
}
