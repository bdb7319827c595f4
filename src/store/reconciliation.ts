// What the exchanges left unsettled, as every backend answers it (the ExchangeReads port): the conflicts
// the store recorded instead of taking a message, and the registers against the electronic exchanges.

/** A message or row the store could not take as it is (not counted), with the document it collides with. */
export interface ConflictRow {
  id: number;
  source: string;
  kind: string;
  message_sha256: string | null;
  exchange_id: string | null;
  sender: string | null;
  number: string | null;
  issued_date: string | null;
  file_sha256: string | null;
  with_document: string | null;
  reason: string;
  at: string;
  created_at: string;
}

/** Which registers are reconciled: one agency's (owner), rows issued within the days given; at most `limit` of each list (default 1000). */
export interface ReconcileFilter {
  owner?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
  limit?: number;
}

export interface UnmatchedRow {
  owner: string;
  register: string;
  line: number;
  sender: string;
  number: string | null;
  issuedDate: string | null;
  subject: string | null;
  documentId: string;
}

export interface UnregisteredDocument {
  owner: string;
  register: string;
  documentId: string;
  sender: string;
  number: string | null;
  issuedDate: string | null;
  receivedAt: string;
  category: string | null;
}

export interface UnansweredEvent {
  kind: string;
  code: string | null;
  exchangeId: string | null;
  at: string;
  description: string | null;
}

export interface Reconciliation {
  /** status messages and revocations answering a document that never reached kyso (kept, applied if it comes) */
  unknownDocuments: UnansweredEvent[];
  registers: Array<{ owner: string; register: string; rows: number; matched: number; from: string | null; to: string | null }>;
  unmatchedRows: UnmatchedRow[];
  unregistered: UnregisteredDocument[];
}
