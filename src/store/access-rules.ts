// Who may use kyso, without a database: API keys (`kyso_<id>_<secret>`, DESIGN.md §4.5; only the SHA-256 of
// the whole key is kept, the id finds its row, the hashes compared in constant time) and the pages'
// sessions (a random token in the cookie whose SHA-256 names the row). Every backend keeps them with
// these rules, so a key made on one node works on every other.
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";

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

export const isRole = (v: string): v is Role => (ROLES as readonly string[]).includes(v);
export const sendersOf = (text: string | null): string[] | null => (text ? text.split(" ").filter(Boolean) : null);
const sha256 = (text: string): Buffer => createHash("sha256").update(text).digest();

/** A new key: its text (shown once, never stored), its id and the hash that is stored. Throws on a bad request. */
export function newKey(role: Role, label: string, senders: string[] | null): { key: string; id: string; hash: string } {
  if (!isRole(role)) throw new Error(`unknown role '${role}' (one of ${ROLES.join(", ")})`);
  if (!label.trim()) throw new Error("a key needs a label (who or what uses it)");
  if (senders && role !== "ingest") throw new Error("only an ingest key is bound to sender agencies");
  if (senders && (senders.length === 0 || senders.some((s) => !/^\S+$/.test(s)))) throw new Error("sender agencies are codes without spaces");
  const id = randomBytes(6).toString("hex");
  const key = `kyso_${id}_${randomBytes(24).toString("base64url")}`;
  return { key, id, hash: sha256(key).toString("hex") };
}

const KEY_FORMAT = /^kyso_([0-9a-f]{12})_([A-Za-z0-9_-]{32})$/;
const DUMMY = sha256("kyso_000000000000_" + "0".repeat(32));

/** The id a bearer token names, or null when it is not a key's form (no row is looked up then). */
export const keyIdOf = (token: string): string | null => KEY_FORMAT.exec(token)?.[1] ?? null;

/** Whether the token is the key whose stored hash is given; the same time whatever matches, or with no row. */
export const tokenMatches = (token: string, storedHash: string | null): boolean =>
  timingSafeEqual(sha256(token), storedHash ? Buffer.from(storedHash, "hex") : DUMMY) && storedHash !== null;

/** A new session token (in the cookie only) and the hash that names its row. */
export function newSessionToken(): { token: string; hash: string } {
  const token = `kyso_s_${randomBytes(32).toString("base64url")}`;
  return { token, hash: sessionHash(token) };
}

/** The row name of a session token, or null when the text is not a session token's form. */
export const sessionHash = (token: string): string => sha256(token).toString("hex");
export const isSessionToken = (token: string): boolean => /^kyso_s_[A-Za-z0-9_-]{43}$/.test(token);

/** A stored session and its key's row as a live session, or null: expired, or its key revoked or gone. */
export function liveSession(
  r: {
    keyId: string | null;
    subject: string | null;
    name: string | null;
    role: Role | null;
    expiresAt: string;
    keyRole: Role | null;
    keyLabel: string | null;
    keyRevoked: string | null;
    keySenders: string | null;
  },
  now: number,
): LiveSession | null {
  if (Date.parse(r.expiresAt) <= now) return null;
  if (r.keyId !== null) {
    if (!r.keyRole || r.keyRevoked) return null;
    return { keyId: r.keyId, subject: null, role: r.keyRole, label: r.keyLabel ?? "", senders: sendersOf(r.keySenders), expiresAt: r.expiresAt };
  }
  return { keyId: null, subject: r.subject, role: r.role!, label: r.name ?? r.subject ?? "", senders: null, expiresAt: r.expiresAt };
}
