// What a refused write collided with, as a kind the life cycle decides on, not as SQLite's words: the
// unique indexes of a current version's file, lineage (DocumentId) and unit (sender, number, issue date),
// named by the columns SQLite's constraint error lists. null: not a constraint the store refused.
import type { Collision } from "../document-tx.js";
export type { Collision };

export function collisionOf(e: unknown): Collision | null {
  const code = (e as { code?: unknown } | null)?.code;
  if (!(e instanceof Error) || typeof code !== "string" || !code.startsWith("SQLITE_CONSTRAINT")) return null;
  // a unique index refused it: a collision; any other constraint (NOT NULL, CHECK) is a refusal of its own
  if (code !== "SQLITE_CONSTRAINT_UNIQUE") return "other";
  if (/documents\.sha256\b/.test(e.message)) return "file";
  if (/documents\.exchange_id\b/.test(e.message)) return "lineage";
  if (/documents\.sender\b/.test(e.message)) return "unit";
  return "other";
}
