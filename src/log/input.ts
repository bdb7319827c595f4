// What a change asks the log to record: the action (one of a closed list, so a replay knows every kind it
// meets), who did it, what it concerns and its details. The backend gives it its number, time and hashes.

export const AUDIT_ACTIONS = [
  "analysis",
  "reanalysis",
  "analysis-failed",
  "category-change",
  "file-attached",
  "another-file",
  "key-create",
  "key-revoke",
  "agencies-update",
  "reverify",
  "policy-change",
  "superseded",
  "revoked",
  "register-import",
  "log-key",
  "document-facts",
  "figures-change",
  "versions-ordered",
  "conflict",
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export interface AuditInput {
  actor: string;
  action: AuditAction;
  subject: string;
  documentId?: string | null;
  agency?: string | null;
  engine?: string | null;
  trustStore?: string | null;
  details: Record<string, unknown>;
}
