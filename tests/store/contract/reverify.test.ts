// A re-verification on every backend (lifecycle/reverify.ts run by LifecycleStore.run): the request
// recorded, then its documents queued a window at a time, only current analysed PDFs (of the agency and
// from the day it names), the request ended with its log entry; the same on SQLite and PostgreSQL.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { reverifyWindow, startReverificationOn } from "../../../src/lifecycle/reverify.js";
import { BACKENDS } from "./backends.js";

/** Ten documents: analysed PDFs of two agencies, one superseded, a .doc, one still queued. */
const rows = Array.from({ length: 10 }, (_, i) => {
  const sender = i % 2 ? "H53.02" : "H53.01";
  return {
    id: `doc-${String(i).padStart(2, "0")}`,
    sha256: String(i).repeat(64).slice(0, 64),
    bytes: 10,
    sender,
    received_at: `2025-03-${String(i + 1).padStart(2, "0")}T02:00:00.000Z`,
    channel: "electronic",
    status: i === 9 ? "queued" : "done",
    between_admin: 1,
    period_date: `2025-03-${String(i + 1).padStart(2, "0")}`,
    created_at: `2025-03-${String(i + 1).padStart(2, "0")}T02:00:00.000Z`,
    agency: sender,
    source: "upload",
    file_kind: i === 3 ? "not-pdf" : "pdf",
    superseded_by: i === 5 ? "doc-09" : null,
  };
});

const seen = new Map<string, unknown>();

for (const backend of BACKENDS) {
  describe.skipIf(!backend.available)(`re-verification on ${backend.name}`, () => {
    beforeAll(() => backend.setup(), 120_000);
    afterAll(() => backend.teardown());

    it("queues the current analysed PDFs it names, a window at a time, and logs the request once when it ends", async () => {
      const store = await backend.open();
      await store.seedRows(rows.map((r) => ["documents", r]));
      const node = await store.lifecycle();
      // one agency from a day: H53.01's PDFs received from 2025-03-03 (doc-02, 04, 06, 08; doc-00 is earlier)
      expect(await startReverificationOn(node, { agency: "H53.01", since: "2025-03-03" }, "test")).toEqual({ queued: 4, pending: false });
      expect(await node.run(() => reverifyWindow())).toBeNull(); // ended: nothing waits
      // everything, a window of three documents per step: those queued already are not queued again
      const started = await startReverificationOn(node, {}, "test", 0);
      expect(started).toEqual({ queued: 0, pending: true });
      const steps: boolean[] = [];
      for (let s = await node.run(() => reverifyWindow(3)); s; s = await node.run(() => reverifyWindow(3))) steps.push(s.done);
      expect(steps).toEqual([false, false, false, true]);
      const queued = (await store.select("SELECT id FROM documents WHERE status = 'queued' ORDER BY id")).map((r) => r.id);
      expect(queued).toEqual(["doc-00", "doc-01", "doc-02", "doc-04", "doc-06", "doc-07", "doc-08", "doc-09"]);
      const log = (await (await store.connect()).entries(0, 100)).filter((e) => e.action === "reverify").map((e) => e.details);
      expect(log).toEqual([
        { since: "2025-03-03", agency: "H53.01", queued: 4 },
        { since: null, agency: null, queued: 3 },
      ]);
      for (const [other, was] of seen) expect({ queued, log }, `${backend.name} against ${other}`).toEqual(was);
      seen.set(backend.name, { queued, log });
      await node.close();
    });
  });
}
