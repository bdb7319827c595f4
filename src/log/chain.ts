// The log's hash chain, without a database: every entry's hash is SHA-256 over the canonical JSON of its
// fields (keys sorted at every level), the previous entry's hash among them, so editing, removing or
// reordering an entry shows at that entry. Every backend writes entries with these functions and every
// check recomputes them, so a store and an export are judged by the same bytes.
import { createHash } from "node:crypto";
import type { AuditEntry } from "./entry.js";

export const GENESIS = "0".repeat(64);

/** JSON with object keys sorted at every level: one text per value, so hashes can be recomputed anywhere. */
export function canonicalJson(v: unknown): string {
  if (v === null || typeof v !== "object") return JSON.stringify(v) ?? "null";
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(",")}]`;
  const o = v as Record<string, unknown>;
  return `{${Object.keys(o)
    .filter((k) => o[k] !== undefined)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${canonicalJson(o[k])}`)
    .join(",")}}`;
}

/** The hash of an entry: SHA-256 over the canonical JSON of every field but the hash itself. */
export function entryHash(e: Omit<AuditEntry, "hash">): string {
  return hashWithDetails(e, canonicalJson(e.details));
}

/** entryHash with the details already in canonical text: the same bytes as canonicalJson of the entry. */
export function hashWithDetails(e: Omit<AuditEntry, "hash" | "details">, detailsText: string): string {
  const j = JSON.stringify;
  const text = `{"action":${j(e.action)},"actor":${j(e.actor)},"agency":${j(e.agency)},"at":${j(e.at)},"details":${detailsText},"documentId":${j(e.documentId)},"engine":${j(e.engine)},"prev":${j(e.prev)},"seq":${e.seq},"subject":${j(e.subject)},"trustStore":${j(e.trustStore)}}`;
  return createHash("sha256").update(text).digest("hex");
}

/** One export line: the entry's canonical JSON (so a one-byte edit anywhere is detected). */
export function auditLine(e: AuditEntry): string {
  return canonicalJson(e);
}
