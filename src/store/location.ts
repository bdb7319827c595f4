// How to open a store again from another thread (the store check's, GET /api/v1/audit/verify's): a
// connection cannot cross to a worker thread, a description of where the store is can. Plain data, so it
// crosses by structured clone; each backend's code is loaded only when its store is opened.
import type { CheckSource } from "./ports.js";

/** Where a store is: the embedded store's database file, or a PostgreSQL database's URL. */
export type StoreLocation = { kind: "sqlite"; file: string } | { kind: "postgres"; url: string };

/** What the store's check reads, on a connection of its own that only reads (close it when done). */
export async function openCheckSourceAt(at: StoreLocation): Promise<CheckSource> {
  if (at.kind === "sqlite") {
    const [{ openReadOnly }, { sqliteCheckSource }] = await Promise.all([import("./sqlite/db.js"), import("./sqlite/check-source.js")]);
    return sqliteCheckSource(openReadOnly(at.file));
  }
  const [{ openPool }, { postgresCheckSource }] = await Promise.all([import("./postgres/db.js"), import("./postgres/check-source.js")]);
  // the check runs in one snapshot, on one connection
  return postgresCheckSource(openPool(at.url, 1));
}
