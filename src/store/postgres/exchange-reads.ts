// What the exchanges left unsettled, on PostgreSQL: the embedded store's answers (store/sqlite/reconcile.ts,
// lifecycle.ts) in PostgreSQL's words. Text is ordered COLLATE "C" (bytes, as SQLite orders it) whatever
// the database's collation; the dates compared are ISO text, which every collation orders alike.
import type { ExchangeReads } from "../ports.js";
import type { ConflictRow, Reconciliation, UnansweredEvent, UnmatchedRow, UnregisteredDocument } from "../reconciliation.js";
import type { Pool } from "./db.js";

/** The same filter as SQLite's `@owner IS NULL OR …`, over $1 (owner), $2 (from), $3 (to). */
const WITHIN = `($1::text IS NULL OR r.owner = $1) AND ($2::text IS NULL OR r.issued_date >= $2) AND ($3::text IS NULL OR r.issued_date <= $3)`;

/** Electronic current documents of the register's days that its register does not list: $1 owner, $2 register, $3 from, $4 to, $5 limit. */
const unregistered = (join: string, owner: string) =>
  `SELECT d.id "documentId", d.sender, d.number, d.issued_date "issuedDate", d.received_at "receivedAt", d.category FROM documents d ${join}
    WHERE d.channel = 'electronic' AND d.superseded_by IS NULL AND ${owner} = $1 AND d.period_date BETWEEN $3 AND $4
      AND NOT EXISTS (SELECT 1 FROM register_rows r WHERE r.document_id = d.id AND r.owner = $1 AND r.register = $2)
    ORDER BY d.period_date COLLATE "C", d.id COLLATE "C" LIMIT $5`;
const OUTGOING = unregistered("", "d.sender");
const INCOMING = unregistered("JOIN deliveries x ON x.document_id = d.id", "x.recipient");

async function reconciliation(pool: Pool, f: Parameters<ExchangeReads["reconciliation"]>[0]): Promise<Reconciliation> {
  const limit = f.limit ?? 1000;
  const within = [f.owner ?? null, f.from ?? null, f.to ?? null];
  const registers = (
    await pool.query<Reconciliation["registers"][number]>(
      `SELECT r.owner, r.register, count(*)::int "rows", count(*) FILTER (WHERE d.channel = 'electronic')::int matched,
              min(r.issued_date COLLATE "C") "from", max(r.issued_date COLLATE "C") "to"
         FROM register_rows r JOIN documents d ON d.id = r.document_id WHERE ${WITHIN}
        GROUP BY r.owner, r.register ORDER BY r.owner COLLATE "C", r.register COLLATE "C"`,
      within,
    )
  ).rows;
  const unmatchedRows = (
    await pool.query<UnmatchedRow>(
      `SELECT r.owner, r.register, r.line, r.sender, r.number, r.issued_date "issuedDate", r.subject, r.document_id "documentId"
         FROM register_rows r JOIN documents d ON d.id = r.document_id WHERE d.channel = 'paper' AND ${WITHIN}
        ORDER BY r.owner COLLATE "C", r.register COLLATE "C", r.line LIMIT $4`,
      [...within, limit],
    )
  ).rows;
  const unlisted: UnregisteredDocument[] = [];
  for (const r of registers) {
    if (!r.owner || (r.register !== "incoming" && r.register !== "outgoing") || !r.from || !r.to) continue;
    const found = await pool.query<Omit<UnregisteredDocument, "owner" | "register">>(r.register === "incoming" ? INCOMING : OUTGOING, [
      r.owner,
      r.register,
      r.from,
      r.to,
      limit,
    ]);
    for (const d of found.rows) unlisted.push({ owner: r.owner, register: r.register, ...d });
  }
  const unknownDocuments = (
    await pool.query<UnansweredEvent>(
      `SELECT kind, code, exchange_id "exchangeId", at, description FROM document_events WHERE document_id IS NULL ORDER BY at COLLATE "C", seq LIMIT $1`,
      [limit],
    )
  ).rows;
  return { registers, unmatchedRows, unregistered: unlisted.slice(0, limit), unknownDocuments };
}

export function postgresExchangeReads(pool: Pool): ExchangeReads {
  return {
    async heldCounts() {
      const rows = (
        await pool.query<{ held: string; n: number }>(
          'SELECT held, count(*)::int n FROM documents WHERE held IS NOT NULL GROUP BY held ORDER BY held COLLATE "C"',
        )
      ).rows;
      return Object.fromEntries(rows.map((r) => [r.held, r.n]));
    },
    conflicts: async (limit) => (await pool.query<ConflictRow>("SELECT * FROM conflicts ORDER BY id DESC LIMIT $1", [limit])).rows,
    reconciliation: (f) => reconciliation(pool, f),
  };
}
