// What a refused write collided with, as the life cycle's kinds (store/document-tx.ts Collision), not as
// PostgreSQL's words: a unique violation (SQLSTATE 23505) names the index that refused it; the current
// version's file, lineage (DocumentId) and unit indexes are collisions the life cycle decides on, any other
// integrity constraint (class 23: NOT NULL, foreign key, CHECK, another unique index) is "other". null: not
// a constraint the store refused.
import type { Collision } from "../document-tx.js";

const BY_INDEX: Record<string, Collision> = { documents_sha: "file", documents_lineage: "lineage", documents_unit: "unit" };

export function collisionOf(e: unknown): Collision | null {
  const { code, constraint } = (e ?? {}) as { code?: unknown; constraint?: unknown };
  if (!(e instanceof Error) || typeof code !== "string" || !code.startsWith("23")) return null;
  if (code === "23505" && typeof constraint === "string") return BY_INDEX[constraint] ?? "other";
  return "other";
}
