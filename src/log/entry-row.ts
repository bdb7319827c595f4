// A log entry as every backend stores it (one row, details as their canonical JSON text) and back.
import type { AuditEntry } from "./entry.js";

export interface AuditRow {
  seq: number;
  at: string;
  actor: string;
  action: string;
  subject: string;
  document_id: string | null;
  agency: string | null;
  engine: string | null;
  trust_store: string | null;
  details: string;
  prev_hash: string;
  hash: string;
  root: string | null;
  key_id: string | null;
  sig: string | null;
}

/** A stored row as an entry. Details that are not JSON stay a string: the hash check then names the row. */
export function entryOfRow(r: AuditRow): AuditEntry {
  let details: unknown;
  try {
    details = JSON.parse(r.details);
  } catch {
    details = r.details;
  }
  return {
    seq: Number(r.seq),
    at: r.at,
    actor: r.actor,
    action: r.action,
    subject: r.subject,
    documentId: r.document_id,
    agency: r.agency,
    engine: r.engine,
    trustStore: r.trust_store,
    details,
    prev: r.prev_hash,
    hash: r.hash,
    ...(r.sig ? { root: r.root!, keyId: r.key_id!, sig: r.sig } : {}),
  };
}
