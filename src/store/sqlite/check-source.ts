// What the check reads, on the embedded store (the check itself: ../check): answered at once, so the
// embedded check stays synchronous for its callers (the server's check thread, kyso backup, the tests).
import type { DocumentRow } from "../rows.js";
import type { CheckSource, StoredDocument } from "../ports.js";
import { filesCursor, filesPage, type FileRow } from "../check/files-page.js";
import { asyncReads, runCheck, type CheckReads, type CheckScript } from "../check/script.js";
import { auditHead, entryAt, listAudit, signedHead } from "./audit.js";
import type { Db } from "./db.js";
import { directoryOf } from "./directory.js";
import { publicKeyOf, storedSubtrees } from "./heads.js";
import { derivationRequestCodes, pendingDerivationIds, recipientsOf, recordedPolicy } from "./lifecycle.js";
import { policyRequests } from "./policy-change.js";

const marks = (n: number) => Array.from({ length: n }, () => "?").join(", ");

const withRecipients = (db: Db, rows: DocumentRow[]): StoredDocument[] => rows.map((row) => ({ row, recipients: recipientsOf(db, row.id) }));

export function sqliteCheckReads(db: Db): CheckReads {
  return {
    recordedHead: () => auditHead(db),
    entries: (afterSeq, limit) => listAudit(db, {}, afterSeq, limit).entries,
    entryAt: (seq) => entryAt(db, seq),
    keyEntries: () => db.prepare("SELECT seq, details FROM audit_log WHERE action = 'log-key' ORDER BY seq").all() as Array<{ seq: number; details: string }>,
    subtrees(size, wanted) {
      const tree = storedSubtrees(db, size);
      return wanted.map(([height, lo]) => tree.perfect(lo, height).toString("hex"));
    },
    signedHead(seq) {
      const h = signedHead(db, seq);
      return h && { size: h.size, root: h.root, keyId: h.keyId, sig: h.sig, publicKey: publicKeyOf(db, h.keyId) ?? "", at: h.at! };
    },
    lastAnalysisEntry: (seq) =>
      (
        db.prepare("SELECT details FROM audit_log WHERE seq <= ? AND action IN ('analysis', 'reanalysis') ORDER BY seq DESC LIMIT 1").get(seq) as
          { details: string } | undefined
      )?.details ?? null,
    analysesAfter: (afterId, limit) =>
      (
        db
          .prepare(
            "SELECT id, document_id, EXISTS (SELECT 1 FROM documents d WHERE d.id = a.document_id) stored FROM analyses a WHERE id > ? ORDER BY id LIMIT ?",
          )
          .all(afterId, limit) as Array<{ id: number; document_id: string; stored: number }>
      ).map((r) => ({ id: r.id, documentId: r.document_id, documentStored: r.stored === 1 })),
    documents(after, limit) {
      // along the rowid, not the id: every row is read, an id of '' or NULL inserted by hand included
      const rows = db.prepare("SELECT rowid AS row_number, * FROM documents WHERE rowid > ? ORDER BY rowid LIMIT ?").all(Number(after ?? 0), limit) as Array<
        DocumentRow & { row_number: number }
      >;
      const next = rows.length === limit ? String(rows[rows.length - 1]!.row_number) : null;
      return {
        documents: withRecipients(
          db,
          rows.map(({ row_number, ...row }) => (void row_number, row as DocumentRow)),
        ),
        next,
      };
    },
    documentsIn: (ids) => withRecipients(db, db.prepare(`SELECT * FROM documents WHERE id IN (${marks(ids.length)}) ORDER BY id`).all(...ids) as DocumentRow[]),
    documentEntries: (ids) =>
      (
        db
          .prepare(
            // through the index on document_id, in the log's order
            `SELECT seq, action, document_id, details FROM audit_log WHERE document_id IN (${marks(ids.length)}) AND action IN ('analysis', 'reanalysis', 'analysis-failed', 'document-facts') ORDER BY seq`,
          )
          .all(...ids) as Array<{ seq: number; action: string; document_id: string; details: string }>
      ).map((r) => ({ seq: r.seq, action: r.action, documentId: r.document_id, details: r.details })),
    analysesOf: (ids) =>
      (
        db.prepare(`SELECT id, document_id, report FROM analyses WHERE document_id IN (${marks(ids.length)}) ORDER BY id`).all(...ids) as Array<{
          id: number;
          document_id: string;
          report: string;
        }>
      ).map((a) => ({ id: a.id, documentId: a.document_id, report: a.report })),
    signaturesOf: (ids) =>
      db
        .prepare(
          `SELECT analysis_id analysisId, idx, kind, indication, sub_indication, signer_subject, signer_kind FROM signatures WHERE analysis_id IN (${marks(ids.length)}) ORDER BY analysis_id, idx`,
        )
        .all(...ids) as ReturnType<CheckReads["signaturesOf"]>,
    orphanAnalysis() {
      const r = db
        .prepare("SELECT a.id, a.document_id FROM analyses a WHERE NOT EXISTS (SELECT 1 FROM documents d WHERE d.id = a.document_id) LIMIT 1")
        .get() as { id: number; document_id: string } | undefined;
      return r ? { id: r.id, documentId: r.document_id } : null;
    },
    documentSums: (by, days) =>
      db
        .prepare(
          `SELECT ${by === "day" ? "period_date" : "substr(period_date, 1, 7)"} period, agency sender, category, count(*) n, sum(counts) counts, sum(nd30_complete) nd30, sum(sealed) sealed FROM documents WHERE category IS NOT NULL${days ? " AND period_date IN (SELECT value FROM json_each(?))" : ""} GROUP BY 1, 2, 3`,
        )
        .all(...(days ? [JSON.stringify(days)] : [])) as ReturnType<CheckReads["documentSums"]>,
    rollups: (table, periods) =>
      db
        .prepare(
          `SELECT ${table === "daily" ? "period_date" : "month"} period, sender, category, n, n_counts counts, n_nd30 nd30, n_sealed sealed FROM rollup_${table} WHERE (n != 0 OR n_counts != 0 OR n_nd30 != 0 OR n_sealed != 0)${periods ? ` AND ${table === "daily" ? "period_date" : "month"} IN (SELECT value FROM json_each(?))` : ""}`,
        )
        .all(...(periods ? [JSON.stringify(periods)] : [])) as ReturnType<CheckReads["rollups"]>,
    documentBuckets: () =>
      (
        db.prepare("SELECT status, category, held IS NOT NULL held, count(*) n FROM documents GROUP BY 1, 2, 3").all() as Array<{
          status: string;
          category: string | null;
          held: number;
          n: number;
        }>
      ).map((b) => ({ ...b, held: b.held === 1 })),
    documentCounts: () => db.prepare("SELECT status, bucket, n FROM document_counts WHERE n != 0").all() as ReturnType<CheckReads["documentCounts"]>,
    pendingDerivations: () => [...pendingDerivationIds(db)],
    derivationRequests: () => derivationRequestCodes(db),
    directory: () => directoryOf(db),
    policy: () => recordedPolicy(db),
    policyRequests: () => policyRequests(db),
    namedFiles(after, limit) {
      const at = filesCursor(after);
      const rows =
        at.table === "documents"
          ? db.prepare("SELECT id key, sha256 FROM documents WHERE id > ? AND sha256 IS NOT NULL ORDER BY id LIMIT ?").all(at.key, limit)
          : db.prepare("SELECT sha256 key, sha256 FROM edxml_messages WHERE sha256 > ? ORDER BY sha256 LIMIT ?").all(at.key, limit);
      return filesPage(at, rows as FileRow[], limit);
    },
  };
}

/**
 * Runs a check in one read transaction: the log, the analyses, the documents and the rollups as of one
 * moment, while a server goes on writing (otherwise an analysis committed mid-check looks inserted by hand).
 */
export function runSnapshot<T>(db: Db, script: CheckScript<T>): T {
  db.exec("BEGIN");
  try {
    return runCheck(sqliteCheckReads(db), script);
  } finally {
    db.exec("COMMIT");
  }
}

/** The check's reads as the store's port. */
export function sqliteCheckSource(db: Db): CheckSource {
  const source: CheckSource = {
    ...asyncReads(sqliteCheckReads(db)),
    async snapshot(work) {
      db.exec("BEGIN");
      try {
        return await work(source);
      } finally {
        db.exec("COMMIT");
      }
    },
    close: async () => void db.close(),
  };
  return source;
}
