// What proves a document existed, for its analysis, read from its row on any backend.
import type { DocumentRow } from "./rows.js";

/**
 * kyso's receipt, or a trusted channel's trace time; the receipt time the sender declared goes along as
 * metadata only (issue 12).
 */
export function existenceOf(row: DocumentRow): { receivedAt: string; existenceBasis: "receipt" | "exchange-trace"; declaredReceivedAt: string } {
  return { receivedAt: row.existence_at ?? row.created_at, existenceBasis: row.existence_basis ?? "receipt", declaredReceivedAt: row.received_at };
}
