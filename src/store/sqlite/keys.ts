// API keys (DESIGN.md §4.5): `kyso_<id>_<secret>`. Only the SHA-256 of the whole key is stored; the id
// finds the row and the hashes are compared in constant time. Creation and revocation are logged.
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import { appendAudit } from "./audit.js";
import type { Db } from "./db.js";

export const ROLES = ["ingest", "viewer", "auditor", "admin"] as const;
export type Role = (typeof ROLES)[number];

export interface ApiKey {
  id: string;
  role: Role;
  label: string;
  createdAt: string;
  revokedAt: string | null;
  /** an ingest key bound to these sender agencies (documents of others are refused); null: any */
  senders: string[] | null;
}

const sendersOf = (text: string | null): string[] | null => (text ? text.split(" ").filter(Boolean) : null);

const KEY_FORMAT = /^kyso_([0-9a-f]{12})_([A-Za-z0-9_-]{32})$/;

function hashOf(key: string): Buffer {
  return createHash("sha256").update(key).digest();
}

export function isRole(v: string): v is Role {
  return (ROLES as readonly string[]).includes(v);
}

/** Creates a key; the returned `key` is shown once and never stored. */
export function createKey(db: Db, role: Role, label: string, actor: string, senders: string[] | null = null): { key: string } & ApiKey {
  if (!isRole(role)) throw new Error(`unknown role '${role}' (one of ${ROLES.join(", ")})`);
  if (!label.trim()) throw new Error("a key needs a label (who or what uses it)");
  if (senders && role !== "ingest") throw new Error("only an ingest key is bound to sender agencies");
  if (senders && (senders.length === 0 || senders.some((s) => !/^\S+$/.test(s)))) throw new Error("sender agencies are codes without spaces");
  const id = randomBytes(6).toString("hex");
  const key = `kyso_${id}_${randomBytes(24).toString("base64url")}`;
  const createdAt = new Date().toISOString();
  db.transaction(() => {
    db.prepare("INSERT INTO api_keys (id, role, label, hash, created_at, senders) VALUES (?, ?, ?, ?, ?, ?)").run(
      id,
      role,
      label,
      hashOf(key).toString("hex"),
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

const DUMMY = hashOf("kyso_000000000000_" + "0".repeat(32));

/** The active key a bearer token names, or null. The hash comparison takes the same time whatever matches. */
export function authenticate(db: Db, token: string): ApiKey | null {
  const m = KEY_FORMAT.exec(token);
  const row = m
    ? (db.prepare("SELECT id, role, label, hash, created_at, revoked_at, senders FROM api_keys WHERE id = ?").get(m[1]) as
        { id: string; role: Role; label: string; hash: string; created_at: string; revoked_at: string | null; senders: string | null } | undefined)
    : undefined;
  const expected = row ? Buffer.from(row.hash, "hex") : DUMMY;
  const same = timingSafeEqual(hashOf(token), expected);
  if (!row || !same || row.revoked_at) return null;
  return { id: row.id, role: row.role, label: row.label, createdAt: row.created_at, revokedAt: null, senders: sendersOf(row.senders) };
}

export function activeKeyCount(db: Db): number {
  return (db.prepare("SELECT count(*) n FROM api_keys WHERE revoked_at IS NULL").get() as { n: number }).n;
}
