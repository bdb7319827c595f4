// What the figures still wait for: the documents a directory change queued, and those the open policy
// changes have still to reach (lifecycle/rederive.ts works them).
import type { Db } from "./db.js";
import { queuedDerivations } from "./lifecycle.js";
import { policyRemaining } from "./policy-change.js";

/** Documents still to be derived again: the figures are being updated while above 0. */
export const pendingDerivations = (db: Db): number => queuedDerivations(db) + policyRemaining(db);
