// Settling an analysis or a failed attempt, decided without a database: from the document's facts, the
// directory and the policy to one change (the analysis and its signature rows, the columns the figures
// read, the log entries), which a store commits at once. The same decision on every backend.
import { sealsOf } from "../compliance/signer-binding.js";
import type { AnalysisFacts, DocumentChange } from "../store/ports.js";
import { analysisAuditInput, categoryChange, derivation, factsDigest, FACTS_VERSION } from "../store/row-facts.js";
import type { DocumentReport } from "../verify/report.js";

export function decideAnalysis(f: AnalysisFacts, report: DocumentReport, durationMs: number, actor: string, now: Date): DocumentChange {
  const { row, recipients } = f;
  const json = JSON.stringify(report);
  const recorded = {
    status: "done" as const,
    failure: null,
    verdict: report.verdict,
    content_kind: report.content.kind,
    nd30_complete: report.nd30.complete ? 1 : 0,
    seals: JSON.stringify(sealsOf(report.signatures)),
  };
  const d = derivation({ ...row, ...recorded }, recipients, f.directory, f.policy);
  const factsLogged = factsDigest(row, recipients);
  const change = categoryChange(row, d, actor);
  // details.analysisId: the number the commit gives the analysis row
  const entry = analysisAuditInput({
    row,
    report,
    json,
    analysisId: 0,
    category: d.category,
    counted: d.counts === 1,
    actor,
    reanalysis: f.analysedBefore,
    factsSha256: factsLogged,
    countedFor: d.agency,
    sealedBySender: d.sealed === 1,
  });
  return {
    id: row.id,
    expect: { status: row.status, attempts: row.attempts },
    analysis: {
      engine: `${report.engine.name} ${report.engine.version}`,
      trustStore: report.engine.trustStore,
      validationTime: report.validationTime,
      durationMs,
      report: json,
      createdAt: now.toISOString(),
      signatures: report.signatures.map((s) => ({
        idx: s.index,
        kind: s.kind,
        indication: s.indication,
        subIndication: s.subIndication,
        signerSubject: s.signer?.subject ?? null,
        signerKind: s.signer?.kind ?? null,
      })),
      entry,
    },
    columns: { ...recorded, ...d, facts_logged: factsLogged },
    entries: change ? [change] : [],
  };
}

/**
 * A failed attempt: back to the queue while attempts remain (the reason kept), else `failed`, which the
 * figures count as unreadable, logged. A document already settled (done or failed) stays as it is: a
 * late failure never overwrites a result (null: nothing to commit).
 */
export function decideFailure(
  f: AnalysisFacts,
  reason: string,
  maxAttempts: number,
  actor: string,
): { outcome: "retry" | "failed" | "recorded"; change: DocumentChange | null } {
  const { row, recipients } = f;
  const expect = { status: row.status, attempts: row.attempts };
  if (row.status === "done" || row.status === "failed") return { outcome: "recorded", change: null };
  if (row.attempts < maxAttempts) return { outcome: "retry", change: { id: row.id, expect, columns: { status: "queued", failure: reason }, entries: [] } };
  const recorded = { status: "failed" as const, failure: reason };
  const d = derivation({ ...row, ...recorded }, recipients, f.directory, f.policy);
  const factsLogged = factsDigest(row, recipients);
  const change = categoryChange(row, d, actor);
  return {
    outcome: "failed",
    change: {
      id: row.id,
      expect,
      columns: { ...recorded, ...d, facts_logged: factsLogged },
      entries: [
        ...(change ? [change] : []),
        {
          actor,
          action: "analysis-failed",
          subject: `document ${row.id}`,
          documentId: row.id,
          agency: row.sender,
          details: {
            reason,
            attempts: row.attempts,
            category: d.category,
            factsSha256: factsLogged,
            factsVersion: FACTS_VERSION,
            countedFor: d.agency,
            periodDate: row.period_date,
          },
        },
      ],
    },
  };
}
