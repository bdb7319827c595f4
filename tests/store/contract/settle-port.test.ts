// lifecycle/settle.ts on every backend: what a refused commit leads to. A claim's holder whose claim ended
// stops ("lost", nothing written); facts that moved under a live claim are decided again and committed; a
// result without a claim for a document already settled is left out (idempotent); a document that keeps
// moving is an error, never a result written over facts it was not decided from.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { analyzeStructure } from "../../../src/analyze.js";
import { DEFAULT_POLICY } from "../../../src/compliance/index.js";
import { loadTrustStore } from "../../../src/config.js";
import { settleAnalysis, settleFailure, type SettleBy } from "../../../src/lifecycle/settle.js";
import type { LifecycleStore } from "../../../src/store/ports.js";
import type { DocumentReport } from "../../../src/verify/report.js";
import { AT, FIXTURES, ROOT } from "../../helpers/paths.js";
import { BACKENDS, type OpenedStore } from "./backends.js";

const AGENCY = "000.00.01.H01";
const TO = "000.00.02.H01";
let report: DocumentReport;

async function seed(store: OpenedStore, n: number): Promise<string[]> {
  await store.seedRows([
    ["agencies", { code: AGENCY, name: "Sở Nội vụ", parent: null, kind: "administrative" }],
    ["agencies", { code: TO, name: "Sở Tài chính", parent: null, kind: "administrative" }],
  ]);
  const ids = await store.seedQueued(n);
  await store.seedRows(ids.map((id) => ["deliveries", { document_id: id, recipient: TO }]));
  return ids;
}

/** The store, with `before` run ahead of each of its first `times` commits (another node's write meanwhile). */
function movingUnder(node: LifecycleStore, times: number, before: (i: number) => Promise<void>): LifecycleStore & { commits: number } {
  const s = {
    ...node,
    commits: 0,
    commit: async (...a: Parameters<LifecycleStore["commit"]>) => {
      if (s.commits < times) await before(s.commits);
      s.commits++;
      return node.commit(...a);
    },
  };
  return s;
}

const analysisEntries = async (store: OpenedStore) => {
  const log = await store.connect();
  const out = (await log.entries(0, 1000)).filter((e) => ["analysis", "reanalysis", "analysis-failed"].includes(e.action));
  await log.close();
  return out;
};

for (const backend of BACKENDS) {
  describe.skipIf(!backend.available)(`settling through the port on ${backend.name}`, () => {
    beforeAll(async () => {
      const trust = loadTrustStore([join(ROOT, "fixtures", "trust")], { includeDefault: false });
      report = analyzeStructure(readFileSync(join(FIXTURES, "signed-cades-rsa-sha256.pdf")), { now: AT, trust });
      await backend.setup();
    }, 120_000);
    afterAll(() => backend.teardown());

    it("decides again when a delivery is recorded between the facts and the commit, and commits once", async () => {
      const store = await backend.open();
      const [id] = await seed(store, 1);
      const node = await store.lifecycle();
      const doc = (await node.claim("a", 60_000))!;
      const moving = movingUnder(node, 1, () => store.seedRows([["deliveries", { document_id: id, recipient: "000.00.09.H01" }]]));
      const by: SettleBy = { policy: DEFAULT_POLICY, actor: "runner", holder: { node: "a", attempts: doc.attempts } };
      expect(await settleAnalysis(moving, id!, { ...report, sha256: doc.sha256! }, 5, by)).toBe("analysed");
      expect(moving.commits).toBe(2); // refused once, then decided from the new facts
      const facts = (await node.analysisFacts(id!))!;
      expect(facts.row.status).toBe("done");
      expect(facts.recipients).toContain("000.00.09.H01");
      expect((await analysisEntries(store)).map((e) => e.action)).toEqual(["analysis"]);
      await node.close();
    });

    it("says the claim was lost when its lease ended and another node took the document, writing nothing", async () => {
      const store = await backend.open();
      const [id] = await seed(store, 1);
      const [a, b] = [await store.lifecycle(), await store.lifecycle()];
      const t0 = new Date("2026-01-10T09:00:00Z");
      const mine = (await a.claim("a", 1000, t0))!;
      expect(await b.reclaimExpired(new Date(t0.getTime() + 60_000))).toBe(1);
      const theirs = (await b.claim("b", 60_000))!;
      const byA: SettleBy = { policy: DEFAULT_POLICY, actor: "runner", holder: { node: "a", attempts: mine.attempts } };
      expect(await settleAnalysis(a, id!, { ...report, sha256: mine.sha256! }, 5, byA)).toBe("lost");
      expect(await settleFailure(a, id!, "the analysis stopped", 3, byA)).toBe("lost");
      expect((await b.analysisFacts(id!))!.row).toMatchObject({ status: "processing", attempts: 2, failure: null });
      const byB: SettleBy = { policy: DEFAULT_POLICY, actor: "runner", holder: { node: "b", attempts: theirs.attempts } };
      expect(await settleAnalysis(b, id!, { ...report, sha256: theirs.sha256! }, 5, byB)).toBe("analysed");
      expect(await analysisEntries(store)).toHaveLength(1);
      await a.close();
      await b.close();
    });

    it("without a claim, leaves a document already settled as it is (a result that comes twice)", async () => {
      const store = await backend.open();
      const [id] = await seed(store, 1);
      const node = await store.lifecycle();
      await node.handOut();
      const by: SettleBy = { policy: DEFAULT_POLICY, actor: "bullmq-worker" };
      expect(await settleAnalysis(node, id!, { ...report, sha256: "x" }, 5, by)).toBe("analysed");
      expect(await settleAnalysis(node, id!, { ...report, sha256: "x" }, 5, by)).toBe("settled-before");
      expect(await settleFailure(node, id!, "late", 0, by)).toBe("recorded");
      expect(await settleAnalysis(node, "no-such-document", report, 5, by)).toBe("no-document");
      expect((await analysisEntries(store)).map((e) => e.action)).toEqual(["analysis"]);
      expect((await node.analysisFacts(id!))!.row.status).toBe("done");
      await node.close();
    });

    it("puts a failed attempt back while attempts remain, then records it failed, under its claims", async () => {
      const store = await backend.open();
      const [id] = await seed(store, 1);
      const node = await store.lifecycle();
      const attempt = async () => {
        const doc = (await node.claim("a", 60_000))!;
        return settleFailure(node, id!, "the time limit passed", 2, { policy: DEFAULT_POLICY, actor: "runner", holder: { node: "a", attempts: doc.attempts } });
      };
      expect(await attempt()).toBe("retry");
      expect((await node.analysisFacts(id!))!.row).toMatchObject({ status: "queued", failure: "the time limit passed" });
      expect(await attempt()).toBe("failed");
      expect((await node.analysisFacts(id!))!.row).toMatchObject({ status: "failed", attempts: 2, category: "unreadable" });
      expect((await analysisEntries(store)).map((e) => e.action)).toEqual(["analysis-failed"]);
      await node.close();
    });

    it("gives up on a document whose facts keep moving, writing nothing", async () => {
      const store = await backend.open();
      const [id] = await seed(store, 1);
      const node = await store.lifecycle();
      const doc = (await node.claim("a", 60_000))!;
      const moving = movingUnder(node, 99, (i) => store.seedRows([["deliveries", { document_id: id, recipient: `000.00.${10 + i}.H01` }]]));
      const by: SettleBy = { policy: DEFAULT_POLICY, actor: "runner", holder: { node: "a", attempts: doc.attempts } };
      await expect(settleAnalysis(moving, id!, { ...report, sha256: doc.sha256! }, 5, by)).rejects.toThrow(/kept changing/);
      expect(moving.commits).toBe(3);
      expect((await node.analysisFacts(id!))!.row).toMatchObject({ status: "processing", attempts: 1 });
      expect(await analysisEntries(store)).toEqual([]);
      await node.close();
    });
  });
}
