// Settling an analysis on every backend: the change lifecycle/analysis.ts decides from the facts the store
// gives is committed once (the analysis, its signature rows, the document's columns, the claim released,
// the log's entries with the analysis's number), never over a document that moved since its facts were
// read; and the same facts and reports give the same rows, the same log entries and the same figures on
// every backend.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { analyzeStructure } from "../../../src/analyze.js";
import { DEFAULT_POLICY } from "../../../src/compliance/index.js";
import { loadTrustStore } from "../../../src/config.js";
import { decideAnalysis, decideFailure } from "../../../src/lifecycle/analysis.js";
import { summary } from "../../../src/store/read-model/figures.js";
import type { LifecycleStore } from "../../../src/store/ports.js";
import type { DocumentReport } from "../../../src/verify/report.js";
import { AT, FIXTURES, ROOT } from "../../helpers/paths.js";
import { BACKENDS } from "./backends.js";

const FILES = ["signed-cades-rsa-sha256.pdf", "signed-scan-organization.pdf", "nd30-personal-then-organization.pdf", "unsigned.pdf"];
let reports: DocumentReport[] = [];
const AGENCY = "000.00.01.H01"; // the seeded documents' sender and agency
const TO = "000.00.02.H01";

/** `n` queued documents from AGENCY to TO, both administrative agencies of the directory. */
async function seed(store: Awaited<ReturnType<(typeof BACKENDS)[number]["open"]>>, n: number): Promise<string[]> {
  await store.seedRows([
    ["agencies", { code: AGENCY, name: "Sở Nội vụ", parent: null, kind: "administrative" }],
    ["agencies", { code: TO, name: "Sở Tài chính", parent: null, kind: "administrative" }],
  ]);
  const ids = await store.seedQueued(n);
  await store.seedRows(ids.map((id) => ["deliveries", { document_id: id, recipient: TO }]));
  return ids;
}
const NOW = new Date("2026-01-10T09:00:00Z");

/** Claims each queued document and settles it with a fixture's report; returns what each commit said. */
async function settleAll(node: LifecycleStore, n: number): Promise<boolean[]> {
  const out: boolean[] = [];
  for (let i = 0; i < n; i++) {
    const doc = await node.claim("a", 60_000);
    const facts = (await node.analysisFacts(doc!.id, DEFAULT_POLICY))!;
    const report = { ...reports[i % reports.length]!, sha256: doc!.sha256! };
    out.push(await node.commit(decideAnalysis(facts, report, 12, "runner", NOW)));
  }
  return out;
}

const seen = new Map<string, unknown>();

for (const backend of BACKENDS) {
  describe.skipIf(!backend.available)(`settling analyses on ${backend.name}`, () => {
    beforeAll(async () => {
      const trust = loadTrustStore([join(ROOT, "fixtures", "trust")], { includeDefault: false });
      reports = FILES.map((f) => analyzeStructure(readFileSync(join(FIXTURES, f)), { now: AT, trust }));
      await backend.setup();
    }, 120_000);
    afterAll(() => backend.teardown());

    it("commits each analysis once with its rows, columns and log entries, the same on every backend", async () => {
      const store = await backend.open();
      await seed(store, 8);
      const node = await store.lifecycle();
      expect(await settleAll(node, 8)).toEqual(Array(8).fill(true));
      expect(await node.queueDepth()).toBe(0);
      // nothing left claimed: a lease that ends later takes nothing back
      expect(await node.reclaimExpired(new Date("2100-01-01T00:00:00Z"))).toBe(0);
      const log = await store.connect();
      const entries = await log.entries(0, 100);
      const analyses = entries.filter((e) => e.action === "analysis");
      expect(analyses.map((e) => (e.details as { analysisId: number }).analysisId)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
      // the log without what differs by store (times, hashes, the instance key): what was said, in order
      const said = entries.filter((e) => e.action !== "log-key").map((e) => ({ action: e.action, subject: e.subject, agency: e.agency, details: e.details }));
      const figures = await summary(await store.readModel(), { from: "2026-01-01", to: "2026-01-31" }, DEFAULT_POLICY);
      expect(figures.denominator).toBe(8);
      expect(figures.numerator).toBe(said.filter((e) => (e.details as { counts: boolean }).counts).length);
      expect(figures.numerator).toBeGreaterThan(0);
      const row = (await node.analysisFacts("doc-q-0001"))!.row;
      expect(row).toMatchObject({ status: "done", attempts: 1, category: "signed-valid", counts: 1, agency: AGENCY });
      const same = { said, byCategory: figures.byCategory, columns: { ...row, id: "", sha256: "" } };
      for (const [other, was] of seen) expect(same, `${backend.name} against ${other}`).toEqual(was);
      seen.set(backend.name, same);
      await log.close();
    });

    it("puts a failed attempt back in the queue while attempts remain, then records it failed, counted unreadable", async () => {
      const store = await backend.open();
      const [id] = await seed(store, 1);
      const node = await store.lifecycle();
      const fail = async () => {
        await node.claim("a", 60_000);
        const { outcome, change } = decideFailure((await node.analysisFacts(id!))!, "the analysis stopped: out of memory", 2, "runner");
        expect(change && (await node.commit(change))).toBe(true);
        return outcome;
      };
      expect(await fail()).toBe("retry");
      expect((await node.analysisFacts(id!))!.row).toMatchObject({ status: "queued", failure: "the analysis stopped: out of memory", category: null });
      expect(await fail()).toBe("failed");
      expect((await node.analysisFacts(id!))!.row).toMatchObject({ status: "failed", attempts: 2, category: "unreadable", counts: 0 });
      // a failure after the result changes nothing
      expect(decideFailure((await node.analysisFacts(id!))!, "late", 2, "runner")).toEqual({ outcome: "recorded", change: null });
      const log = await store.connect();
      const failed = (await log.entries(0, 100)).filter((e) => e.action === "analysis-failed");
      expect(failed.map((e) => e.details)).toMatchObject([
        { reason: "the analysis stopped: out of memory", attempts: 2, category: "unreadable", countedFor: AGENCY },
      ]);
      expect((await summary(await store.readModel(), { from: "2026-01-01", to: "2026-01-31" }, DEFAULT_POLICY)).byCategory.unreadable).toBe(1);
      await log.close();
    });

    it("never commits a result whose node's lease ended, even when it reads the facts after another node settled", async () => {
      const store = await backend.open();
      const [id] = await seed(store, 1);
      const [a, b] = [await store.lifecycle(), await store.lifecycle()];
      const t0 = new Date("2026-01-10T09:00:00Z");
      const mine = (await a.claim("a", 1000, t0))!;
      expect(await b.reclaimExpired(new Date(t0.getTime() + 60_000))).toBe(1);
      const theirs = (await b.claim("b", 60_000))!;
      // a stale node may not put back a document another node now holds
      await a.requeue([id!], "a");
      expect((await b.analysisFacts(id!))!.row.status).toBe("processing");
      const settled = decideAnalysis((await b.analysisFacts(id!, DEFAULT_POLICY))!, { ...reports[3]!, sha256: theirs.sha256! }, 9, "runner", NOW);
      expect(await b.commit(settled, { node: "b", attempts: theirs.attempts })).toBe(true);
      // node a wakes up, reads the facts as they are now and settles: its claim is gone, nothing is written
      const late = decideAnalysis((await a.analysisFacts(id!, DEFAULT_POLICY))!, { ...reports[0]!, sha256: mine.sha256! }, 12, "runner", NOW);
      expect(await a.commit(late, { node: "a", attempts: mine.attempts })).toBe(false);
      const log = await store.connect();
      expect((await log.entries(0, 100)).filter((e) => e.action === "analysis" || e.action === "reanalysis")).toHaveLength(1);
      await log.close();
    });

    it("never commits a derivation made before a fact of the document changed (a delivery recorded meanwhile)", async () => {
      const store = await backend.open();
      const [id] = await seed(store, 1);
      const node = await store.lifecycle();
      const doc = (await node.claim("a", 60_000))!;
      const change = decideAnalysis((await node.analysisFacts(id!, DEFAULT_POLICY))!, { ...reports[0]!, sha256: doc.sha256! }, 12, "runner", NOW);
      await store.seedRows([["deliveries", { document_id: id, recipient: "000.00.09.H01" }]]);
      expect(await node.commit(change, { node: "a", attempts: doc.attempts })).toBe(false);
      // decided again from the facts as they are, it commits
      const again = decideAnalysis((await node.analysisFacts(id!, DEFAULT_POLICY))!, { ...reports[0]!, sha256: doc.sha256! }, 12, "runner", NOW);
      expect(await node.commit(again, { node: "a", attempts: doc.attempts })).toBe(true);
    });

    it("never commits over a document that moved after its facts were read", async () => {
      const store = await backend.open();
      await seed(store, 1);
      const [a, b] = [await store.lifecycle(), await store.lifecycle()];
      const doc = (await a.claim("a", 1000, new Date("2026-01-10T09:00:00Z")))!;
      const late = decideAnalysis((await a.analysisFacts(doc.id, DEFAULT_POLICY))!, { ...reports[0]!, sha256: doc.sha256! }, 12, "runner", NOW);
      // node a stalls; its lease ends and node b takes the document and settles it
      expect(await b.reclaimExpired(new Date("2026-01-10T09:01:00Z"))).toBe(1);
      const again = (await b.claim("b", 60_000))!;
      expect(again.attempts).toBe(2);
      expect(await b.commit(decideAnalysis((await b.analysisFacts(doc.id, DEFAULT_POLICY))!, { ...reports[3]!, sha256: doc.sha256! }, 9, "runner", NOW))).toBe(
        true,
      );
      expect(await a.commit(late)).toBe(false); // a's result comes too late and changes nothing
      const log = await store.connect();
      expect((await log.entries(0, 100)).filter((e) => e.action === "analysis" || e.action === "reanalysis")).toHaveLength(1);
      expect((await b.analysisFacts(doc.id))!.row).toMatchObject({ status: "done", category: "unsigned" });
      await log.close();
    });
  });
}
