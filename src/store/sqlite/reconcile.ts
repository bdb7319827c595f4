// Reconciliation of registers with the electronic exchanges (issue 11): register rows that no electronic
// document matched (paper exchanges, until a file comes), and electronic documents that the registers of
// their agencies do not list, within the dates each register covers.
import type { Reconciliation, ReconcileFilter, UnregisteredDocument, UnmatchedRow, UnansweredEvent } from "../reconciliation.js";
import type { Db } from "./db.js";

export type { Reconciliation, ReconcileFilter, UnregisteredDocument, UnmatchedRow, UnansweredEvent } from "../reconciliation.js";

export function reconcile(db: Db, f: ReconcileFilter = {}): Reconciliation {
  const limit = f.limit ?? 1000;
  const registers = db
    .prepare(
      `SELECT r.owner, r.register, count(*) rows, sum(d.channel = 'electronic') matched, min(r.issued_date) "from", max(r.issued_date) "to"
       FROM register_rows r JOIN documents d ON d.id = r.document_id
       WHERE (@owner IS NULL OR r.owner = @owner) AND (@from IS NULL OR r.issued_date >= @from) AND (@to IS NULL OR r.issued_date <= @to)
       GROUP BY r.owner, r.register ORDER BY r.owner, r.register`,
    )
    .all({ owner: f.owner ?? null, from: f.from ?? null, to: f.to ?? null }) as Reconciliation["registers"];
  const unmatchedRows = db
    .prepare(
      `SELECT r.owner, r.register, r.line, r.sender, r.number, r.issued_date issuedDate, r.subject, r.document_id documentId
       FROM register_rows r JOIN documents d ON d.id = r.document_id
       WHERE d.channel = 'paper' AND (@owner IS NULL OR r.owner = @owner) AND (@from IS NULL OR r.issued_date >= @from) AND (@to IS NULL OR r.issued_date <= @to)
       ORDER BY r.owner, r.register, r.line LIMIT @limit`,
    )
    .all({ owner: f.owner ?? null, from: f.from ?? null, to: f.to ?? null, limit }) as UnmatchedRow[];
  const unregistered: UnregisteredDocument[] = [];
  const ofOutgoing = db.prepare(
    `SELECT d.id documentId, d.sender, d.number, d.issued_date issuedDate, d.received_at receivedAt, d.category FROM documents d
     WHERE d.channel = 'electronic' AND d.superseded_by IS NULL AND d.sender = @owner AND d.period_date BETWEEN @from AND @to
       AND NOT EXISTS (SELECT 1 FROM register_rows r WHERE r.document_id = d.id AND r.owner = @owner AND r.register = @register)
     ORDER BY d.period_date, d.id LIMIT @limit`,
  );
  const ofIncoming = db.prepare(
    `SELECT d.id documentId, d.sender, d.number, d.issued_date issuedDate, d.received_at receivedAt, d.category FROM documents d JOIN deliveries x ON x.document_id = d.id
     WHERE d.channel = 'electronic' AND d.superseded_by IS NULL AND x.recipient = @owner AND d.period_date BETWEEN @from AND @to
       AND NOT EXISTS (SELECT 1 FROM register_rows r WHERE r.document_id = d.id AND r.owner = @owner AND r.register = @register)
     ORDER BY d.period_date, d.id LIMIT @limit`,
  );
  for (const r of registers) {
    if (!r.owner || (r.register !== "incoming" && r.register !== "outgoing") || !r.from || !r.to) continue;
    const stmt = r.register === "incoming" ? ofIncoming : ofOutgoing;
    for (const d of stmt.all({ owner: r.owner, register: r.register, from: r.from, to: r.to, limit }) as Omit<UnregisteredDocument, "owner" | "register">[])
      unregistered.push({ owner: r.owner, register: r.register, ...d });
  }
  const unknownDocuments = db
    .prepare("SELECT kind, code, exchange_id exchangeId, at, description FROM document_events WHERE document_id IS NULL ORDER BY at, seq LIMIT ?")
    .all(limit) as UnansweredEvent[];
  return { registers, unmatchedRows, unregistered: unregistered.slice(0, limit), unknownDocuments };
}
