// The access store's contract, on every backend: a key works until it is revoked, on every node at once;
// only its hash is kept, a forged or malformed token finds nothing; creation and revocation are in the
// log; a session carries its key's role as it is at each request and ends with the key, at its expiry
// or at sign-out.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BACKENDS } from "./backends.js";

for (const backend of BACKENDS) {
  describe.skipIf(!backend.available)(`keys and sessions on ${backend.name}`, () => {
    beforeAll(() => backend.setup(), 60_000);
    afterAll(() => backend.teardown());

    it("admits a key until it is revoked, on every node, and logs both", async () => {
      const store = await backend.open();
      const [a, b] = [await store.access(), await store.access()];
      const made = await a.createKey("ingest", "Sở Tư pháp", "admin:test", ["000.00.01.H53"]);
      expect(made.key).toMatch(/^kyso_[0-9a-f]{12}_[A-Za-z0-9_-]{32}$/);
      expect(await b.authenticate(made.key)).toEqual({
        id: made.id,
        role: "ingest",
        label: "Sở Tư pháp",
        createdAt: made.createdAt,
        revokedAt: null,
        senders: ["000.00.01.H53"],
      });
      const forged = made.key.slice(0, -1) + (made.key.endsWith("A") ? "B" : "A");
      for (const bad of [forged, "kyso_000000000000_" + "0".repeat(32), "not a key", ""]) expect(await b.authenticate(bad), bad).toBeNull();
      expect(await b.activeKeyCount()).toBe(1);
      expect(await b.revokeKey(made.id, "admin:test")).toBe(true);
      expect(await a.revokeKey(made.id, "admin:test")).toBe(false); // already revoked
      expect(await a.authenticate(made.key)).toBeNull();
      expect(await a.activeKeyCount()).toBe(0);
      expect((await a.listKeys()).map((k) => [k.id, k.revokedAt !== null])).toEqual([[made.id, true]]);
      const log = await store.connect();
      const entries = await log.entries(0, 100);
      expect(entries.map((e) => [e.action, e.subject])).toEqual([
        ["log-key", `log key ${store.key.keyId}`],
        ["key-create", `key ${made.id}`],
        ["key-revoke", `key ${made.id}`],
      ]);
      expect(JSON.stringify(entries)).not.toContain(made.key.slice(18)); // the secret never reaches the log
      await log.close();
    });

    it("refuses a key without a label, or a viewer bound to senders, and stores nothing", async () => {
      const store = await backend.open();
      const a = await store.access();
      await expect(a.createKey("viewer", "  ", "admin:test")).rejects.toThrow(/label/);
      await expect(a.createKey("viewer", "Lãnh đạo", "admin:test", ["000.00.01.H53"])).rejects.toThrow(/ingest/);
      expect(await a.listKeys()).toEqual([]);
    });

    it("keeps a session to its key's role as it is now, and ends it with the key, at expiry or at sign-out", async () => {
      const store = await backend.open();
      const [a, b] = [await store.access(), await store.access()];
      const viewer = await a.createKey("viewer", "Văn phòng UBND", "admin:test");
      const t0 = Date.parse("2026-03-01T08:00:00Z");
      const s = await a.createSession({ kind: "key", keyId: viewer.id }, { ttlMs: 3_600_000, now: t0 });
      expect(s.token).toMatch(/^kyso_s_[A-Za-z0-9_-]{43}$/);
      expect(await b.findSession(s.token, t0 + 1000)).toEqual({
        keyId: viewer.id,
        subject: null,
        role: "viewer",
        label: "Văn phòng UBND",
        senders: null,
        expiresAt: "2026-03-01T09:00:00.000Z",
      });
      expect(await b.findSession(s.token, t0 + 3_600_000)).toBeNull(); // expired
      const person = await a.createSession({ kind: "oidc", subject: "u-17", name: "Nguyễn Văn A", role: "auditor" }, { ttlMs: 3_600_000, now: t0 });
      expect(await b.findSession(person.token, t0)).toMatchObject({ keyId: null, subject: "u-17", role: "auditor", label: "Nguyễn Văn A" });
      expect(await b.endSession(person.token)).toBe(true);
      expect(await a.findSession(person.token, t0)).toBeNull();
      expect(await a.endSession(person.token)).toBe(false);
      const again = await a.createSession({ kind: "key", keyId: viewer.id }, { ttlMs: 3_600_000, now: t0 });
      await a.revokeKey(viewer.id, "admin:test");
      expect(await b.findSession(again.token, t0)).toBeNull(); // the key's revocation ends its sessions at once
      expect(await b.findSession("kyso_s_short", t0)).toBeNull();
    });
  });
}
