// The life-cycle store's queue, on every backend: the oldest queued document first, never one document to
// two nodes however many ask at once, a requeued document claimable again, and a claim whose node died
// (its lease ended) back in the queue while live claims stay held.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DocumentRow } from "../../../src/store/rows.js";
import { BACKENDS } from "./backends.js";

for (const backend of BACKENDS) {
  describe.skipIf(!backend.available)(`claims on ${backend.name}`, () => {
    beforeAll(() => backend.setup(), 60_000);
    afterAll(() => backend.teardown());

    it("hands out the oldest queued document first, as processing, counting the attempt", async () => {
      const store = await backend.open();
      const ids = await store.seedQueued(3);
      const node = await store.lifecycle();
      expect(await node.queueDepth()).toBe(3);
      const first = await node.claim("a", 60_000);
      expect(first).toMatchObject({ id: ids[0], status: "processing", attempts: 1 });
      expect((await node.claim("a", 60_000))?.id).toBe(ids[1]);
      expect((await node.claim("a", 60_000))?.id).toBe(ids[2]);
      expect(await node.claim("a", 60_000)).toBeUndefined();
      expect(await node.queueDepth()).toBe(3); // processing is still in the queue's depth
      await node.close();
    });

    it("never gives one document to two nodes claiming at once", async () => {
      const store = await backend.open();
      const ids = await store.seedQueued(60);
      const nodes = await Promise.all(["a", "b", "c", "d"].map(() => store.lifecycle()));
      const got: Array<[string, DocumentRow]> = [];
      await Promise.all(
        nodes.map(async (n, i) => {
          for (let d = await n.claim(`node-${i}`, 60_000); d; d = await n.claim(`node-${i}`, 60_000)) got.push([`node-${i}`, d]);
        }),
      );
      expect(got.map(([, d]) => d.id).sort()).toEqual([...ids].sort());
      expect(got.every(([, d]) => d.attempts === 1)).toBe(true);
      if (backend.name === "postgres") expect(new Set(got.map(([n]) => n)).size).toBeGreaterThan(1); // the work was spread
      for (const n of nodes) await n.close();
    });

    it("claims and puts back from several nodes at once without failing, the counts exact after", async () => {
      const store = await backend.open();
      await store.seedQueued(40);
      const nodes = await Promise.all([0, 1, 2, 3].map(() => store.lifecycle()));
      await Promise.all(
        nodes.map(async (n, i) => {
          for (let k = 0; k < 40; k++) {
            const got: string[] = [];
            for (let j = 0; j < 3; j++) {
              const d = await n.claim(`node-${i}`, 60_000);
              if (d) got.push(d.id);
            }
            await n.requeue(got, `node-${i}`);
          }
        }),
      );
      expect(await nodes[0]!.queueDepth()).toBe(40);
      expect(await nodes[0]!.reclaimExpired(new Date("2100-01-01T00:00:00Z"))).toBe(0); // every claim was given back
      const rm = await store.readModel();
      expect(rm).toBeDefined();
      for (const n of nodes) await n.close();
    });

    it("puts a requeued document back, to be claimed again with a second attempt", async () => {
      const store = await backend.open();
      const [id] = await store.seedQueued(1);
      const node = await store.lifecycle();
      await node.claim("a", 60_000);
      await node.requeue([id!]);
      expect(await node.claim("b", 60_000)).toMatchObject({ id, attempts: 2 });
      await node.close();
    });

    it("takes back the claims of a node whose lease ended, and only those", async () => {
      const store = await backend.open();
      const [dead, live] = await store.seedQueued(2);
      const t0 = new Date("2026-03-01T08:00:00Z");
      const a = await store.lifecycle();
      const b = await store.lifecycle();
      expect((await a.claim("a", 30_000, t0))?.id).toBe(dead);
      expect((await b.claim("b", 120_000, t0))?.id).toBe(live);
      expect(await b.reclaimExpired(new Date(t0.getTime() + 10_000))).toBe(0);
      expect(await b.reclaimExpired(new Date(t0.getTime() + 60_000))).toBe(1);
      expect(await b.claim("b", 30_000, new Date(t0.getTime() + 60_000))).toMatchObject({ id: dead, attempts: 2 });
      expect(await b.reclaimExpired(new Date(t0.getTime() + 60_000))).toBe(0);
      await a.close();
      await b.close();
    });
  });
}
