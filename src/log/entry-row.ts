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

/** The columns of a stored entry, in the order entryRowValues gives their values. */
export const AUDIT_COLUMNS = "seq, at, actor, action, subject, document_id, agency, engine, trust_store, details, prev_hash, hash, root, key_id, sig";

/** An entry's row values (details as the canonical text its hash covers), in AUDIT_COLUMNS' order. */
export const entryRowValues = (e: AuditEntry, detailsText: string): unknown[] => [
  e.seq,
  e.at,
  e.actor,
  e.action,
  e.subject,
  e.documentId,
  e.agency,
  e.engine,
  e.trustStore,
  detailsText,
  e.prev,
  e.hash,
  e.root ?? null,
  e.keyId ?? null,
  e.sig ?? null,
];
