// One entry of the verification log as it is read back and exported (audit.ts writes them): its own file,
// so the log's checks (log-check.ts) and its writer do not import each other.

export interface AuditEntry {
  seq: number;
  at: string;
  actor: string;
  action: string;
  subject: string;
  documentId: string | null;
  agency: string | null;
  engine: string | null;
  trustStore: string | null;
  details: unknown;
  prev: string;
  hash: string;
  /** the tree head after this entry (not covered by `hash`): the Merkle root of entries 1..seq, the
   * instance key that signed it and the signature (absent on entries older than signed heads) */
  root?: string;
  keyId?: string;
  sig?: string;
}
