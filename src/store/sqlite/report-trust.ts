// Which trust store made the documents' current reports (issue 25, point 6), from the counts migration 17's
// trigger keeps: a few rows, whatever the size of the store. Readiness compares them with the server's own.
import type { Db } from "./db.js";
import type { TrustStoreCount } from "../ports.js";

/** Documents by the trust store of their latest analysis, most first. */
export function reportTrustStores(db: Db): TrustStoreCount[] {
  return db
    .prepare("SELECT trust_store trustStore, documents FROM report_trust_stores WHERE documents > 0 ORDER BY documents DESC, trust_store")
    .all() as TrustStoreCount[];
}
