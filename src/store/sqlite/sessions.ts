// Sign-in sessions of the pages (issue 25) on the embedded store (the rules: ../access-rules.ts). A key's
// session takes the key's role, label and agencies as they are at each request, so a revoked key ends its
// sessions at once; an identity provider's session keeps what its sign-in gave. Sessions end at their
// expiry or at sign-out (the row is deleted). Durations, not times of day: the system clock.
import type { Db } from "./db.js";
import { isSessionToken, liveSession, newSessionToken, sessionHash, type LiveSession, type SessionHolder } from "../access-rules.js";

export type { LiveSession, SessionHolder } from "../access-rules.js";

/** Starts a session of `ttlMs`; the token goes into the cookie and is never stored. */
export function createSession(db: Db, holder: SessionHolder, o: { ttlMs: number; now?: number }): { token: string; expiresAt: string } {
  const now = o.now ?? Date.now();
  const { token, hash } = newSessionToken();
  const expiresAt = new Date(now + o.ttlMs).toISOString();
  const at = new Date(now).toISOString();
  db.transaction(() => {
    // sessions that ran out are of no use to anyone: gone whenever a new one starts
    db.prepare("DELETE FROM sessions WHERE expires_at <= ?").run(at);
    if (holder.kind === "key")
      db.prepare("INSERT INTO sessions (token_hash, key_id, created_at, expires_at) VALUES (?, ?, ?, ?)").run(hash, holder.keyId, at, expiresAt);
    else
      db.prepare("INSERT INTO sessions (token_hash, subject, name, role, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)").run(
        hash,
        holder.subject,
        holder.name,
        holder.role,
        at,
        expiresAt,
      );
  }).immediate();
  return { token, expiresAt };
}

/** The session a token names, or null: unknown, signed out, expired, or its key revoked. */
export function findSession(db: Db, token: string, now = Date.now()): LiveSession | null {
  if (!isSessionToken(token)) return null;
  const r = db
    .prepare(
      "SELECT s.key_id keyId, s.subject, s.name, s.role, s.expires_at expiresAt, k.role keyRole, k.label keyLabel, k.revoked_at keyRevoked, k.senders keySenders FROM sessions s LEFT JOIN api_keys k ON k.id = s.key_id WHERE s.token_hash = ?",
    )
    .get(sessionHash(token)) as Parameters<typeof liveSession>[0] | undefined;
  return r ? liveSession(r, now) : null;
}

/** Ends the session a token names (sign-out). False when there was none. */
export function endSession(db: Db, token: string): boolean {
  return db.prepare("DELETE FROM sessions WHERE token_hash = ?").run(sessionHash(token)).changes > 0;
}
