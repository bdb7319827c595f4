// The operations port on PostgreSQL: the counts migration 0002's triggers keep (document_counts,
// analysis_totals, report_trust_stores), the held documents through their partial index, and the newest
// analysis and document along their keys. Text order is bytewise (COLLATE "C") whatever the database's.
import { newestTime } from "../newest.js";
import type { Operations, TrustStoreCount } from "../ports.js";
import type { Pool } from "./db.js";

export function postgresOperations(pool: Pool): Operations {
  const rows = async <T extends object>(sql: string): Promise<T[]> => (await pool.query<T>(sql)).rows;
  return {
    answers: async () => void (await pool.query("SELECT 1")),
    documentCounts: () =>
      rows<{ status: string; bucket: string; n: number }>(
        'SELECT status, bucket, n FROM document_counts WHERE n > 0 ORDER BY status COLLATE "C", bucket COLLATE "C"',
      ),
    heldCounts: () =>
      rows<{ reason: string; n: number }>('SELECT held reason, count(*)::int n FROM documents WHERE held IS NOT NULL GROUP BY held ORDER BY held COLLATE "C"'),
    analysisTotals: async () => {
      const [t] = await rows<{ n: number; ms: number }>("SELECT n, ms FROM analysis_totals WHERE one = 1");
      return { analyses: t?.n ?? 0, ms: t?.ms ?? 0 };
    },
    trustStoresSeen: () =>
      rows<TrustStoreCount>(
        'SELECT trust_store "trustStore", documents FROM report_trust_stores WHERE documents > 0 ORDER BY documents DESC, trust_store COLLATE "C"',
      ),
    // the newest analysis is the last of its serial key; the newest document the last along documents_recorded
    // (migration 0003), whose bytewise order the statement must name for the index to serve it
    dataAsOf: async () => {
      const [t] = await rows<{ analysis: string | null; document: string | null }>(
        `SELECT (SELECT created_at FROM analyses ORDER BY id DESC LIMIT 1) analysis,
                (SELECT created_at FROM documents ORDER BY created_at COLLATE "C" DESC, id COLLATE "C" DESC LIMIT 1) document`,
      );
      return newestTime([t?.analysis, t?.document]);
    },
  };
}
