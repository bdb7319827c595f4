// What a document's row derives to and what the log says of it, without a database: the columns the
// figures read (compliance's one derivation, placeOf, from the row's recorded facts, the directory and
// the policy), the facts whose digest the log keeps, and the log entries of an analysis and of a category
// change. Every backend writes these; the replay recomputes them.
import { createHash } from "node:crypto";
import { placeOf, type Category, type CompliancePolicy, type ExchangeFacts } from "../compliance/index.js";
import type { Directory } from "../compliance/directory.js";
import type { Seal } from "../compliance/signer-binding.js";
import { canonicalJson } from "../log/chain.js";
import type { AuditInput } from "../log/input.js";
import type { DocumentReport } from "../verify/report.js";
import type { DocumentRow } from "./rows.js";
import { SETTLED_COLUMNS, type ClaimHolder, type SettledColumn } from "./ports.js";

/** The analysis facts a row records (null while pending, "failed" after every attempt failed). */
function analysisFactsOf(row: Pick<DocumentRow, "status" | "verdict" | "content_kind" | "nd30_complete">): ExchangeFacts["analysis"] {
  if (row.status === "failed") return "failed";
  if (row.status === "done" && row.verdict)
    return { verdict: row.verdict as never, content: (row.content_kind ?? "unknown") as never, nd30Complete: row.nd30_complete === 1 };
  return null;
}

export function factsOf(row: FactRow): Omit<ExchangeFacts, "betweenAdministrativeAgencies"> {
  return {
    classification: row.classification,
    channel: row.channel,
    file: row.file_kind,
    analysis: analysisFactsOf(row),
  };
}

export type FactRow = Pick<
  DocumentRow,
  | "sender"
  | "period_date"
  | "classification"
  | "channel"
  | "file_kind"
  | "status"
  | "verdict"
  | "content_kind"
  | "nd30_complete"
  | "revoked_at"
  | "superseded_by"
  | "seals"
>;

/** What the figures read (the columns derived), from a row's facts by compliance's one derivation. */
export function derivation(row: FactRow, recipients: readonly string[], dir: Directory, policy: CompliancePolicy) {
  const p = placeOf(
    {
      ...factsOf(row),
      sender: row.sender,
      recipients,
      periodDate: row.period_date,
      revoked: row.revoked_at !== null,
      superseded: row.superseded_by !== null,
      // who sealed it: from the valid signatures its analysis recorded (none yet, or none valid: no binding)
      seals: row.status === "done" && row.seals ? (JSON.parse(row.seals) as Seal[]) : [],
    },
    dir,
    policy,
  );
  return {
    between_admin: p.betweenAdministrative ? 1 : 0,
    held: p.held,
    category: p.category,
    counts: p.counts ? 1 : 0,
    agency: p.countedFor,
    sealed: p.sealedBySender ? 1 : 0,
    signer_binding: p.binding ? JSON.stringify(p.binding) : null,
  };
}

/**
 * A category replaced by another is logged; leaving the figures is logged by the step that caused it
 * (file-attached, superseded, revoked, agencies-update), entering them by the analysis or that step.
 */
export function categoryChange(
  row: DocumentRow,
  d: { category: Category | null; held: string | null; agency: string; sealed?: number },
  actor: string,
): AuditInput | null {
  if (row.category === null || d.category === null || row.category === d.category) return null;
  return {
    actor,
    action: "category-change",
    subject: `document ${row.id}`,
    documentId: row.id,
    agency: row.sender,
    details: {
      from: row.category,
      to: d.category,
      held: d.held,
      countedFor: d.agency,
      periodDate: row.period_date,
      ...(d.sealed !== undefined ? { sealedBySender: d.sealed === 1 } : {}),
    },
  };
}

/**
 * The facts a document's figures are derived from, besides its analysis (which the analysis entry holds):
 * who sent it to whom, its classification and channel, its file, its period, its revocation and
 * supersession; since version 2 also what the pages, reports and exports show of it (number, date, type,
 * subject, urgency, file name, the time that proves it existed). Their SHA-256 is logged whenever they
 * change while the document is in the figures, so that a replay of the log can tell an edited fact from a
 * recorded one. Entries without `factsVersion` were logged with version 1, and are checked as such.
 */
export const FACTS_VERSION = 2;

export function documentFacts(row: DocumentRow, recipients: readonly string[], version = FACTS_VERSION): Record<string, unknown> {
  const v1 = {
    sender: row.sender,
    recipients: [...recipients].sort(),
    classification: row.classification,
    channel: row.channel,
    file: row.file_kind,
    sha256: row.sha256,
    receivedAt: row.received_at,
    periodDate: row.period_date,
    revokedAt: row.revoked_at,
    supersededBy: row.superseded_by,
  };
  if (version < 2) return v1;
  return {
    ...v1,
    number: row.number,
    issuedDate: row.issued_date,
    type: row.type,
    subject: row.subject,
    urgency: row.urgency,
    fileName: row.file_name,
    existenceAt: row.existence_at,
    existenceBasis: row.existence_basis,
  };
}

export const factsDigest = (row: DocumentRow, recipients: readonly string[], version = FACTS_VERSION): string =>
  createHash("sha256")
    .update(canonicalJson(documentFacts(row, recipients, version)))
    .digest("hex");

/** The log entry of an analysis: the decisive fields, and the SHA-256 of the report text as stored. */
export function analysisAuditInput(x: {
  row: DocumentRow;
  report: DocumentReport;
  json: string;
  analysisId: number;
  category: Category | null;
  counted: boolean;
  actor: string;
  reanalysis: boolean;
  factsSha256: string;
  countedFor?: string;
  sealedBySender?: boolean;
}): AuditInput {
  const { row, report } = x;
  return {
    actor: x.actor,
    action: x.reanalysis ? "reanalysis" : "analysis",
    subject: `document ${row.id}`,
    documentId: row.id,
    agency: row.sender,
    engine: `${report.engine.name} ${report.engine.version}`,
    trustStore: report.engine.trustStore,
    details: {
      analysisId: x.analysisId,
      reportSha256: createHash("sha256").update(x.json).digest("hex"),
      fileSha256: report.sha256,
      validationTime: report.validationTime,
      verdict: report.verdict,
      error: report.error?.code ?? null,
      content: report.content.kind,
      nd30Complete: report.nd30.complete,
      category: x.category,
      counts: x.counted,
      factsSha256: x.factsSha256,
      factsVersion: FACTS_VERSION,
      countedFor: x.countedFor ?? row.agency,
      periodDate: row.period_date,
      sealedBySender: x.sealedBySender ?? false,
      signatures: report.signatures.map((s) => ({
        index: s.index,
        kind: s.kind,
        indication: s.indication,
        subIndication: s.subIndication,
        signer: s.signer?.subject ?? null,
        signerSha256: s.signer?.sha256 ?? null,
        timestamp: s.timestamp?.valid ? s.timestamp.time : null,
        revision: `${s.revision}/${s.revisions}`,
        modifications: s.modifications.level,
      })),
    },
  };
}

/**
 * Whether a document is still as a settled step read it: the same status and attempts, and, for a step that
 * logs its facts, the same facts (a revocation, a later version or a delivery recorded meanwhile changes
 * them, and the step's derivation would be stale).
 */
export function stillAsRead(
  c: { expect: Pick<DocumentRow, "status" | "attempts">; columns: { facts_logged?: string | null } },
  now: DocumentRow,
  recipients: readonly string[],
): boolean {
  if (now.status !== c.expect.status || now.attempts !== c.expect.attempts) return false;
  return c.columns.facts_logged === undefined || c.columns.facts_logged === factsDigest(now, recipients);
}

/**
 * Whether a settled step may be committed over the document as it is now: still as the step read it, and,
 * when a node settles it (`by`), still processing that node's claim of that attempt (`holdsClaim`: the
 * store found the node's row in claims).
 */
export function mayCommit(
  c: Parameters<typeof stillAsRead>[0],
  now: DocumentRow,
  recipients: readonly string[],
  by: ClaimHolder | undefined,
  holdsClaim: boolean,
): boolean {
  if (!stillAsRead(c, now, recipients)) return false;
  return !by || (now.status === "processing" && now.attempts === by.attempts && holdsClaim);
}

/** The columns a settled step writes, in the store's order; a column the store does not know is refused. */
export function settledColumns(columns: object): SettledColumn[] {
  const unknown = Object.keys(columns).filter((k) => !(SETTLED_COLUMNS as readonly string[]).includes(k));
  if (unknown.length) throw new Error(`a settled step writes columns the store does not know: ${unknown.join(", ")}`);
  return SETTLED_COLUMNS.filter((k) => k in columns);
}
