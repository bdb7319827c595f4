// An analysis settled on the embedded store: the facts it is decided from, read in the caller's
// transaction, and the change committed (lifecycle/analysis.ts decides between the two), for an analysis
// or a failed attempt alike.
import type { CompliancePolicy } from "../../compliance/index.js";
import type { AnalysisFacts, ClaimHolder, DocumentChange } from "../ports.js";
import { mayCommit, settledColumns } from "../row-facts.js";
import type { DocumentRow } from "../rows.js";
import { appendAudit } from "./audit.js";
import type { Db } from "./db.js";
import { directoryOf } from "./directory.js";
import { recipientsOf, storedPolicy } from "./lifecycle.js";

export function analysisFactsOf(db: Db, id: string, policy: CompliancePolicy = storedPolicy(db)): AnalysisFacts | undefined {
  const row = db.prepare("SELECT * FROM documents WHERE id = ?").get(id) as DocumentRow | undefined;
  if (!row) return undefined;
  const analysedBefore = db.prepare("SELECT 1 FROM analyses WHERE document_id = ? LIMIT 1").get(id) !== undefined;
  return { row, recipients: recipientsOf(db, id), analysedBefore, directory: directoryOf(db), policy };
}

/** Applies the change in the caller's transaction; false (nothing written) when the document moved since its facts were read. */
export function commitChange(db: Db, c: DocumentChange, by?: ClaimHolder): boolean {
  const now = db.prepare("SELECT * FROM documents WHERE id = ?").get(c.id) as DocumentRow | undefined;
  const holds = by !== undefined && db.prepare("SELECT 1 FROM claims WHERE document_id = ? AND node = ?").get(c.id, by.node) !== undefined;
  if (!now || !mayCommit(c, now, recipientsOf(db, c.id), by, holds)) return false;
  const set = settledColumns(c.columns);
  let analysisId: number | null = null;
  const a = c.analysis;
  if (a) {
    analysisId = Number(
      db
        .prepare("INSERT INTO analyses (document_id, engine, trust_store, validation_time, duration_ms, report, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)")
        .run(c.id, a.engine, a.trustStore, a.validationTime, a.durationMs, a.report, a.createdAt).lastInsertRowid,
    );
    const sig = db.prepare(
      "INSERT INTO signatures (analysis_id, idx, kind, indication, sub_indication, signer_subject, signer_kind) VALUES (?, ?, ?, ?, ?, ?, ?)",
    );
    for (const s of a.signatures) sig.run(analysisId, s.idx, s.kind, s.indication, s.subIndication, s.signerSubject, s.signerKind);
  }
  if (set.length) db.prepare(`UPDATE documents SET ${set.map((k) => `${k} = @${k}`).join(", ")} WHERE id = @id`).run({ ...c.columns, id: c.id });
  db.prepare("DELETE FROM claims WHERE document_id = ?").run(c.id);
  for (const e of c.entries) appendAudit(db, e);
  if (a) appendAudit(db, { ...a.entry, details: { ...a.entry.details, analysisId } });
  return true;
}
