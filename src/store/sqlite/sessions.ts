// Sign-in sessions of the pages (issue 25): a browser signs in once, with an API key or through the
// province's identity provider, and its cookie carries a random token whose SHA-256 names the row here.
// A key's session takes the key's role, label and agencies as they are at each request, so a revoked key
// ends its sessions at once; an identity provider's session keeps what its sign-in gave. Sessions end at
// their expiry or at sign-out (the row is deleted). Durations, not times of day: the system clock.
import { createHash, randomBytes } from "node:crypto";
import type { Db } from "./db.js";
import type { Role } from "./keys.js";

/** Who a session is for: an API key entered once, or a person the identity provider named. */
export type SessionHolder = { kind: "key"; keyId: string } | { kind: "oidc"; subject: string; name: string; role: Role };

/** A live session as a request sees it. */
export interface LiveSession {
  /** the key's id, or null for the identity provider's session */
  keyId: string | null;
  /** the identity provider's subject, or null for a key's session */
  subject: string | null;
  role: Role;
  /** the key's label, or the person's name */
  label: string;
  /** the agencies an ingest key is bound to (null: any) */
  senders: string[] | null;
  expiresAt: string;
}

const hashOf = (token: string) => createHash("sha256").update(token).digest("hex");

/** Starts a session of `ttlMs`; the token goes into the cookie and is never stored. */
export function createSession(db: Db, holder: SessionHolder, o: { ttlMs: number; now?: number }): { token: string; expiresAt: string } {
  const now = o.now ?? Date.now();
  const token = `kyso_s_${randomBytes(32).toString("base64url")}`;
  const expiresAt = new Date(now + o.ttlMs).toISOString();
  const at = new Date(now).toISOString();
  db.transaction(() => {
    // sessions that ran out are of no use to anyone: gone whenever a new one starts
    db.prepare("DELETE FROM sessions WHERE expires_at <= ?").run(at);
    if (holder.kind === "key")
      db.prepare("INSERT INTO sessions (token_hash, key_id, created_at, expires_at) VALUES (?, ?, ?, ?)").run(hashOf(token), holder.keyId, at, expiresAt);
    else
      db.prepare("INSERT INTO sessions (token_hash, subject, name, role, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)").run(
        hashOf(token),
        holder.subject,
        holder.name,
        holder.role,
        at,
        expiresAt,
      );
  }).immediate();
  return { token, expiresAt };
}

interface Row {
  key_id: string | null;
  subject: string | null;
  name: string | null;
  role: Role | null;
  expires_at: string;
  key_role: Role | null;
  key_label: string | null;
  key_revoked: string | null;
  key_senders: string | null;
}

/** The session a token names, or null: unknown, signed out, expired, or its key revoked. */
export function findSession(db: Db, token: string, now = Date.now()): LiveSession | null {
  if (!/^kyso_s_[A-Za-z0-9_-]{43}$/.test(token)) return null;
  const r = db
    .prepare(
      "SELECT s.key_id, s.subject, s.name, s.role, s.expires_at, k.role key_role, k.label key_label, k.revoked_at key_revoked, k.senders key_senders FROM sessions s LEFT JOIN api_keys k ON k.id = s.key_id WHERE s.token_hash = ?",
    )
    .get(hashOf(token)) as Row | undefined;
  if (!r || Date.parse(r.expires_at) <= now) return null;
  if (r.key_id !== null) {
    if (!r.key_role || r.key_revoked) return null;
    return {
      keyId: r.key_id,
      subject: null,
      role: r.key_role,
      label: r.key_label ?? "",
      senders: r.key_senders ? r.key_senders.split(" ").filter(Boolean) : null,
      expiresAt: r.expires_at,
    };
  }
  return { keyId: null, subject: r.subject, role: r.role!, label: r.name ?? r.subject ?? "", senders: null, expiresAt: r.expires_at };
}

/** Ends the session a token names (sign-out). False when there was none. */
export function endSession(db: Db, token: string): boolean {
  return db.prepare("DELETE FROM sessions WHERE token_hash = ?").run(hashOf(token)).changes > 0;
}
