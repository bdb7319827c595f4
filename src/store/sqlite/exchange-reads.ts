// What the exchanges left unsettled, on the embedded store: the queries `kyso reconcile` reads as well.
import type { ExchangeReads } from "../ports.js";
import type { Db } from "./db.js";
import { conflictsOf, heldCounts } from "./lifecycle.js";
import { reconcile } from "./reconcile.js";

export const sqliteExchangeReads = (db: Db): ExchangeReads => ({
  heldCounts: async () => heldCounts(db),
  conflicts: async (limit) => conflictsOf(db, limit),
  reconciliation: async (f) => reconcile(db, f),
});
