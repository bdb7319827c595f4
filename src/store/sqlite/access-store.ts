// The access store's port on the embedded store: keys.ts and sessions.ts behind promises.
import type { AccessStore } from "../ports.js";
import type { Db } from "./db.js";
import { activeKeyCount, authenticate, createKey, listKeys, revokeKey } from "./keys.js";
import { createSession, endSession, findSession } from "./sessions.js";

export function sqliteAccess(db: Db): AccessStore {
  return {
    createKey: async (role, label, actor, senders = null) => createKey(db, role, label, actor, senders),
    listKeys: async () => listKeys(db),
    revokeKey: async (id, actor) => revokeKey(db, id, actor),
    authenticate: async (token) => authenticate(db, token),
    activeKeyCount: async () => activeKeyCount(db),
    createSession: async (holder, o) => createSession(db, holder, o),
    findSession: async (token, now) => findSession(db, token, now),
    endSession: async (token) => endSession(db, token),
  };
}
