// The start-up check of a store served through its ports (what `kyso serve` runs on PostgreSQL) stays
// bounded whatever the log's length: with no published head it reads only the newest entries whole, from
// the log's own signed head before them (its signature, the stored tree's consistency with it), and names
// an edit there or in that head's own entry; a short log is read whole. On every backend.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startupCheckOn } from "../../../src/store/startup-check-on.js";
import { BACKENDS, type OpenedStore } from "./backends.js";

/** A log of `n` entries, each appended (and its head signed) on its own. */
async function logOf(store: OpenedStore, n: number): Promise<void> {
  const log = await store.connect();
  for (let i = 0; i < n; i++) await log.append([{ actor: "test", action: "agencies-update", subject: `directory ${i}`, details: { i } }]);
  await log.close();
}

for (const backend of BACKENDS) {
  describe.skipIf(!backend.available)(`the start-up check through the ports on ${backend.name}`, () => {
    beforeAll(() => backend.setup(), 120_000);
    afterAll(() => backend.teardown());

    it("reads only the newest entries whole when no head was published, anchored on the log's own signed head", async () => {
      const store = await backend.open();
      await logOf(store, 59); // after the store's own first entry (its log key)
      const r = await startupCheckOn(store, null, null, 20);
      expect(r).toEqual({ problem: null, entries: 60, whole: { from: 41, to: 60 }, extends: [], sampled: 0 });
    });

    it("names an entry edited among the newest, and the anchoring head's own entry edited", async () => {
      const store = await backend.open();
      await logOf(store, 59); // after the store's own first entry (its log key)
      await store.exec("UPDATE audit_log SET subject = subject || ' (edited)' WHERE seq = 55");
      expect((await startupCheckOn(store, null, null, 20)).problem).toMatch(/^entry 55: entry 55 does not match its hash/);
      const other = await backend.open();
      await logOf(other, 59);
      await other.exec("UPDATE audit_log SET subject = subject || ' (edited)' WHERE seq = 40");
      expect((await startupCheckOn(other, null, null, 20)).problem).toMatch(/^entry 40: entry 40, the last of the head given, does not match its hash/);
    });

    it("reads a log no longer than the newest entries whole", async () => {
      const store = await backend.open();
      await logOf(store, 14);
      expect(await startupCheckOn(store, null, null, 20)).toEqual({ problem: null, entries: 15, whole: { from: 1, to: 15 }, extends: [], sampled: 0 });
    });
  });
}
