// Documents handed to a queue outside the store (the BullMQ runner's way) on every backend: every queued
// document handed out once, oldest first, `processing` without a claim (no lease to end, no claim to
// take); listed as unclaimed, and put back by requeueUnclaimed while claimed documents stay held. And
// who holds the claims.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BACKENDS } from "./backends.js";

for (const backend of BACKENDS) {
  describe.skipIf(!backend.available)(`hand-outs on ${backend.name}`, () => {
    beforeAll(() => backend.setup(), 60_000);
    afterAll(() => backend.teardown());

    it("hands out every queued document once, oldest first, as processing without a claim", async () => {
      const store = await backend.open();
      const ids = await store.seedQueued(5);
      const node = await store.lifecycle();
      const rows = await node.handOut();
      expect(rows.map((r) => r.id)).toEqual(ids);
      expect(rows.every((r) => r.status === "processing" && r.attempts === 0)).toBe(true);
      expect(await node.handOut()).toEqual([]);
      expect(await node.claim("a", 60_000)).toBeUndefined(); // nothing left to claim
      expect(await node.queueDepth()).toBe(5); // handed out is not yet analysed
      expect(await node.reclaimExpired(new Date("2100-01-01T00:00:00Z"))).toBe(0); // no lease to end
      expect(await node.unclaimed()).toEqual(ids);
      await node.close();
    });

    it("never hands one document to two nodes handing out at once", async () => {
      const store = await backend.open();
      const ids = await store.seedQueued(80);
      const nodes = await Promise.all([0, 1, 2].map(() => store.lifecycle()));
      const got = await Promise.all(nodes.map(async (n) => (await n.handOut()).map((r) => r.id)));
      expect(got.flat().sort()).toEqual([...ids].sort());
      for (const n of nodes) await n.close();
    });

    it("puts back the unclaimed documents only, leaving claims held and settled documents as they are", async () => {
      const store = await backend.open();
      const ids = await store.seedQueued(4);
      const node = await store.lifecycle();
      const claimed = (await node.claim("a", 60_000))!;
      expect(claimed.id).toBe(ids[0]);
      const handed = (await node.handOut()).map((r) => r.id);
      expect(handed).toEqual(ids.slice(1));
      expect(await node.unclaimed()).toEqual(handed);
      expect(await node.requeueUnclaimed()).toBe(3);
      expect(await node.unclaimed()).toEqual([]);
      expect((await node.analysisFacts(claimed.id))!.row.status).toBe("processing");
      expect((await node.analysisFacts(ids[1]!))!.row.status).toBe("queued");
      // the claim is still its node's: it settles, and a second pass has nothing to put back
      expect(
        await node.commit(
          { id: claimed.id, expect: { status: "processing", attempts: 1 }, columns: { status: "queued" }, entries: [] },
          { node: "a", attempts: 1 },
        ),
      ).toBe(true);
      expect(await node.requeueUnclaimed()).toBe(0);
      await node.close();
    });

    it("lists the claims by the node holding them", async () => {
      const store = await backend.open();
      const ids = await store.seedQueued(4);
      const node = await store.lifecycle();
      expect(await node.holders()).toEqual([]);
      for (const n of ["b", "a", "b"]) await node.claim(n, 60_000);
      await node.handOut(); // no claim: not held by a node
      expect(await node.holders()).toEqual([
        { node: "a", ids: [ids[1]] },
        { node: "b", ids: [ids[0], ids[2]] },
      ]);
      await node.requeue([ids[1]!], "a");
      expect(await node.holders()).toEqual([{ node: "b", ids: [ids[0], ids[2]] }]);
      await node.close();
    });
  });
}
