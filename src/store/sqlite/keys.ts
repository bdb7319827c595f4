// API keys on the embedded store (the rules: ../access-rules.ts). Creation and revocation are logged.
import { appendAudit } from "./audit.js";
import type { Db } from "./db.js";
import { keyIdOf, newKey, sendersOf, tokenMatches, type ApiKey, type Role } from "../access-rules.js";

export { ROLES, isRole, type ApiKey, type Role } from "../access-rules.js";

/** Creates a key; the returned `key` is shown once and never stored. */
export function createKey(db: Db, role: Role, label: string, actor: string, senders: string[] | null = null): { key: string } & ApiKey {
  const { key, id, hash } = newKey(role, label, senders);
  const createdAt = new Date().toISOString();
  db.transaction(() => {
    db.prepare("INSERT INTO api_keys (id, role, label, hash, created_at, senders) VALUES (?, ?, ?, ?, ?, ?)").run(
      id,
      role,
      label,
      hash,
      createdAt,
      senders ? senders.join(" ") : null,
    );
    appendAudit(db, { actor, action: "key-create", subject: `key ${id}`, details: { id, role, label, ...(senders ? { senders } : {}) } });
  }).immediate();
  return { key, id, role, label, createdAt, revokedAt: null, senders };
}

export function listKeys(db: Db): ApiKey[] {
  const rows = db.prepare("SELECT id, role, label, created_at, revoked_at, senders FROM api_keys ORDER BY created_at, id").all() as Array<{
    id: string;
    role: Role;
    label: string;
    created_at: string;
    revoked_at: string | null;
    senders: string | null;
  }>;
  return rows.map((r) => ({ id: r.id, role: r.role, label: r.label, createdAt: r.created_at, revokedAt: r.revoked_at, senders: sendersOf(r.senders) }));
}

/** Revokes a key at once (every request looks the key up). False when there is no such active key. */
export function revokeKey(db: Db, id: string, actor: string): boolean {
  return db
    .transaction(() => {
      const r = db.prepare("UPDATE api_keys SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL").run(new Date().toISOString(), id);
      if (r.changes === 0) return false;
      appendAudit(db, { actor, action: "key-revoke", subject: `key ${id}`, details: { id } });
      return true;
    })
    .immediate();
}

/** The active key a bearer token names, or null. The hash comparison takes the same time whatever matches. */
export function authenticate(db: Db, token: string): ApiKey | null {
  const id = keyIdOf(token);
  const row = id
    ? (db.prepare("SELECT id, role, label, hash, created_at, revoked_at, senders FROM api_keys WHERE id = ?").get(id) as
        { id: string; role: Role; label: string; hash: string; created_at: string; revoked_at: string | null; senders: string | null } | undefined)
    : undefined;
  const same = tokenMatches(token, row?.hash ?? null);
  if (!row || !same || row.revoked_at) return null;
  return { id: row.id, role: row.role, label: row.label, createdAt: row.created_at, revokedAt: null, senders: sendersOf(row.senders) };
}

export function activeKeyCount(db: Db): number {
  return (db.prepare("SELECT count(*) n FROM api_keys WHERE revoked_at IS NULL").get() as { n: number }).n;
}
