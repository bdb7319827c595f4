// Which trust store made the documents' current reports (issue 25, point 6), from the counts migration 17's
// trigger keeps: a few rows, whatever the size of the store. Readiness compares them with the server's own.
import type { Db } from "./db.js";

export interface ReportTrustCount {
  /** the report's engine.trustStore: a hash over its anchors' fingerprints */
  readonly trustStore: string;
  /** documents whose latest analysis was made under it */
  readonly documents: number;
}

/** Documents by the trust store of their latest analysis, most first. */
export function reportTrustStores(db: Db): ReportTrustCount[] {
  return db
    .prepare("SELECT trust_store trustStore, documents FROM report_trust_stores WHERE documents > 0 ORDER BY documents DESC, trust_store")
    .all() as ReportTrustCount[];
}
