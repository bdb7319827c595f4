// The operations port on the embedded store: the counts its triggers keep (document_counts, analysis_totals,
// report_trust_stores, migrations 11, 12 and 17), the held documents through their partial index, and the
// newest times by index seeks (data-as-of.ts). No statement here reads the documents or analyses in full.
import type { Operations } from "../ports.js";
import type { Db } from "./db.js";
import { dataAsOf } from "./data-as-of.js";
import { heldCounts } from "./lifecycle.js";
import { reportTrustStores } from "./report-trust.js";

type Count = Awaited<ReturnType<Operations["documentCounts"]>>[number];

export function sqliteOperations(db: Db): Operations {
  return {
    answers: async () => void db.prepare("SELECT 1").get(),
    // SQLite's text order is BINARY: bytewise, as the port asks
    documentCounts: async () => db.prepare("SELECT status, bucket, n FROM document_counts WHERE n > 0 ORDER BY status, bucket").all() as Count[],
    heldCounts: async () =>
      Object.entries(heldCounts(db))
        .map(([reason, n]) => ({ reason, n }))
        .sort((a, b) => (a.reason < b.reason ? -1 : a.reason > b.reason ? 1 : 0)),
    analysisTotals: async () => {
      const t = db.prepare("SELECT n, ms FROM analysis_totals WHERE one = 1").get() as { n: number; ms: number } | undefined;
      return { analyses: t?.n ?? 0, ms: t?.ms ?? 0 };
    },
    trustStoresSeen: async () => reportTrustStores(db),
    dataAsOf: async () => dataAsOf(db),
  };
}
