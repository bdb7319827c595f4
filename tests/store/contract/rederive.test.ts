// A directory change and a policy change on every backend, through the life-cycle port (lifecycle/
// directory.ts, policy.ts, rederive.ts run by LifecycleStore.run): the agencies written and logged, the
// documents the change concerns queued and derived again a batch at a time until none waits, and the
// same documents, log and figures on SQLite and on PostgreSQL; the directory sent again as it stands
// queues nothing, and a policy recorded again opens no walk.
import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { setClock, type Clock } from "../../../src/clock.js";
import { DEFAULT_POLICY } from "../../../src/compliance/index.js";
import { applyPolicyOn, submitTo, updateDirectoryOn, type Submission } from "../../../src/lifecycle/index.js";
import { deriveNextOn } from "../../../src/lifecycle/rederive.js";
import { summary } from "../../../src/store/read-model/figures.js";
import type { Agency } from "../../../src/store/rows.js";
import { BACKENDS, type OpenedStore } from "./backends.js";

const sha = (s: string) => createHash("sha256").update(s).digest("hex");
const admin = (code: string): Agency => ({ code, name: `Sở ${code}`, parent: null, kind: "administrative" });

/** Documents of two known agencies and one the directory lacks (H53.09), as sender and as recipient. */
const submissions: Submission[] = [
  ...["1", "2", "3"].map((n): Submission => ({
    kind: "document",
    source: "upload",
    meta: {
      sender: "H53.01",
      recipients: ["H53.09"],
      number: `${n}/UBND`,
      issuedDate: "2025-03-0" + n,
      classification: "none",
      receivedAt: `2025-03-0${n}T02:00:00.000Z`,
      channel: "electronic",
    },
    file: { sha256: sha(`to ${n}`), bytes: 10, kind: "not-pdf", name: `${n}.doc` },
  })),
  ...["4", "5"].map((n): Submission => ({
    kind: "document",
    source: "upload",
    meta: {
      sender: "H53.09",
      recipients: ["H53.01"],
      number: `${n}/SXD`,
      issuedDate: "2025-03-0" + n,
      classification: "none",
      receivedAt: `2025-03-0${n}T02:00:00.000Z`,
      channel: "electronic",
    },
    file: { sha256: sha(`from ${n}`), bytes: 10, kind: "not-pdf", name: `${n}.doc` },
  })),
  {
    kind: "document",
    source: "register",
    meta: {
      sender: "H53.01",
      recipients: ["H53.02"],
      number: "6/UBND",
      issuedDate: "2025-03-06",
      classification: "none",
      receivedAt: "2025-03-06T02:00:00.000Z",
      channel: "paper",
    },
    file: null,
  },
];

async function state(store: OpenedStore) {
  const documents = (await store.select("SELECT sender, number, held, category, counts, agency, between_admin FROM documents")).sort((a, b) =>
    String(a.number) < String(b.number) ? -1 : 1,
  );
  const log = (await (await store.connect()).entries(0, 10_000))
    .filter((e) => e.action !== "log-key")
    .map((e) => [e.action, e.subject.replace(/[0-9a-f-]{36}/, "<id>")]);
  const f = await summary(await store.readModel(), { from: "2025-01-01", to: "2025-12-31" }, DEFAULT_POLICY);
  return { documents, log, figures: { numerator: f.numerator, denominator: f.denominator } };
}

let clock: Clock;
beforeAll(() => void (clock = setClock(() => new Date("2025-07-01T00:00:00.000Z"))));
afterAll(() => void setClock(clock));

const seen = new Map<string, Awaited<ReturnType<typeof state>>>();

for (const backend of BACKENDS) {
  describe.skipIf(!backend.available)(`directory and policy changes on ${backend.name}`, () => {
    beforeAll(() => backend.setup(), 120_000);
    afterAll(() => backend.teardown());

    it("queues the documents a directory change concerns, derives them in batches, and ends as every other backend", async () => {
      const store = await backend.open();
      const node = await store.lifecycle();
      const figures = await store.readModel();
      await updateDirectoryOn(node, [admin("H53.01"), admin("H53.02")], "test");
      while (await deriveNextOn(node, 2, "test")); // an empty store walked
      for (const s of submissions) await submitTo(node, s, "test");
      const before = await state(store);
      expect(before.documents.filter((d) => d.held === "directory-gap")).toHaveLength(5);
      expect(before.figures.denominator).toBe(1); // the paper exchange between known agencies only

      await updateDirectoryOn(node, [admin("H53.01"), admin("H53.02"), admin("H53.09")], "test");
      // the change recorded, its documents not yet found: the figures are being updated already
      expect(await figures.pendingDerivations()).toBe(1);
      expect(await deriveNextOn(node, 2, "test")).toBe("walk"); // the walk: the documents it concerns queued
      expect(await figures.pendingDerivations()).toBe(5);
      let batches = 0;
      while (await deriveNextOn(node, 2, "test")) batches++;
      expect(batches).toBe(3);
      expect(await figures.pendingDerivations()).toBe(0);
      const after = await state(store);
      expect(after.documents.filter((d) => d.held !== null)).toEqual([]);
      expect(after.figures.denominator).toBe(6);
      // as it stands: nothing to derive again
      await updateDirectoryOn(node, [admin("H53.01"), admin("H53.02"), admin("H53.09")], "test");
      expect(await figures.pendingDerivations()).toBe(0);
      expect(await deriveNextOn(node, 2, "test")).toBeNull();

      // a policy that places documents otherwise opens a walk; the same again opens none
      const walk = await applyPolicyOn(node, { ...DEFAULT_POLICY, signedScansCount: false }, "test");
      expect(walk).not.toBeNull();
      expect(await applyPolicyOn(node, { ...DEFAULT_POLICY, signedScansCount: false }, "test")).toBeNull();
      expect(await figures.pendingDerivations()).toBeGreaterThan(0);
      while (await deriveNextOn(node, 2, "test"));
      expect(await figures.pendingDerivations()).toBe(0);
      const end = await state(store);
      expect(end.log.filter(([a]) => a === "agencies-update")).toHaveLength(3);
      expect(end.log.filter(([a]) => a === "policy-change")).toHaveLength(1);
      for (const [other, was] of seen) expect({ before, after, end }, `${backend.name} against ${other}`).toEqual(was);
      seen.set(backend.name, { before, after, end } as never);
      await node.close();
    });
  });
}
