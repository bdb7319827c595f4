// The access store on PostgreSQL (the rules: ../access-rules.ts): a key's creation and revocation commit
// with their log entries, appended in the same transaction as on the embedded store.
import type { LogKey } from "../../log/key.js";
import { isSessionToken, keyIdOf, liveSession, newKey, newSessionToken, sendersOf, sessionHash, tokenMatches, type Role } from "../access-rules.js";
import type { AccessStore } from "../ports.js";
import { inTransaction, type Pool } from "./db.js";
import { appendIn } from "./log-port.js";

interface KeyRow {
  id: string;
  role: Role;
  label: string;
  hash: string;
  created_at: string;
  revoked_at: string | null;
  senders: string | null;
}

export function postgresAccess(pool: Pool, logKey: LogKey): AccessStore {
  return {
    async createKey(role, label, actor, senders = null) {
      const { key, id, hash } = newKey(role, label, senders);
      const createdAt = new Date().toISOString();
      await inTransaction(pool, async (c) => {
        await c.query("INSERT INTO api_keys (id, role, label, hash, created_at, senders) VALUES ($1, $2, $3, $4, $5, $6)", [
          id,
          role,
          label,
          hash,
          createdAt,
          senders ? senders.join(" ") : null,
        ]);
        await appendIn(c, logKey, [{ actor, action: "key-create", subject: `key ${id}`, details: { id, role, label, ...(senders ? { senders } : {}) } }]);
      });
      return { key, id, role, label, createdAt, revokedAt: null, senders };
    },
    listKeys: async () =>
      (await pool.query<KeyRow>('SELECT id, role, label, created_at, revoked_at, senders FROM api_keys ORDER BY created_at, id COLLATE "C"')).rows.map((r) => ({
        id: r.id,
        role: r.role,
        label: r.label,
        createdAt: r.created_at,
        revokedAt: r.revoked_at,
        senders: sendersOf(r.senders),
      })),
    revokeKey: (id, actor) =>
      inTransaction(pool, async (c) => {
        const r = await c.query("UPDATE api_keys SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL", [new Date().toISOString(), id]);
        if (!r.rowCount) return false;
        await appendIn(c, logKey, [{ actor, action: "key-revoke", subject: `key ${id}`, details: { id } }]);
        return true;
      }),
    async authenticate(token) {
      const id = keyIdOf(token);
      const row = id
        ? (await pool.query<KeyRow>("SELECT id, role, label, hash, created_at, revoked_at, senders FROM api_keys WHERE id = $1", [id])).rows[0]
        : undefined;
      const same = tokenMatches(token, row?.hash ?? null);
      if (!row || !same || row.revoked_at) return null;
      return { id: row.id, role: row.role, label: row.label, createdAt: row.created_at, revokedAt: null, senders: sendersOf(row.senders) };
    },
    activeKeyCount: async () => (await pool.query<{ n: number }>("SELECT count(*)::int n FROM api_keys WHERE revoked_at IS NULL")).rows[0]!.n,
    async createSession(holder, o) {
      const now = o.now ?? Date.now();
      const { token, hash } = newSessionToken();
      const expiresAt = new Date(now + o.ttlMs).toISOString();
      const at = new Date(now).toISOString();
      await inTransaction(pool, async (c) => {
        // sessions that ran out are of no use to anyone: gone whenever a new one starts
        await c.query("DELETE FROM sessions WHERE expires_at <= $1", [at]);
        if (holder.kind === "key")
          await c.query("INSERT INTO sessions (token_hash, key_id, created_at, expires_at) VALUES ($1, $2, $3, $4)", [hash, holder.keyId, at, expiresAt]);
        else
          await c.query("INSERT INTO sessions (token_hash, subject, name, role, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6)", [
            hash,
            holder.subject,
            holder.name,
            holder.role,
            at,
            expiresAt,
          ]);
      });
      return { token, expiresAt };
    },
    async findSession(token, now = Date.now()) {
      if (!isSessionToken(token)) return null;
      const r = (
        await pool.query<Parameters<typeof liveSession>[0]>(
          `SELECT s.key_id "keyId", s.subject, s.name, s.role, s.expires_at "expiresAt", k.role "keyRole", k.label "keyLabel", k.revoked_at "keyRevoked",
                  k.senders "keySenders" FROM sessions s LEFT JOIN api_keys k ON k.id = s.key_id WHERE s.token_hash = $1`,
          [sessionHash(token)],
        )
      ).rows[0];
      return r ? liveSession(r, now) : null;
    },
    endSession: async (token) => ((await pool.query("DELETE FROM sessions WHERE token_hash = $1", [sessionHash(token)])).rowCount ?? 0) > 0,
  };
}
