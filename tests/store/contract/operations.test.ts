// What /readyz, /metrics and the pages' header read, on every backend: the same rows give the same counts by
// status and place, held reasons, analysis totals, trust stores and newest time, each equal to a count made
// here from the rows alone; they follow a document that moves (the backends' own triggers keep them), and
// text comes back in bytewise order even where the database's collation would order it otherwise.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Operations } from "../../../src/store/ports.js";
import { BACKENDS, OTHER_LOCALES } from "./backends.js";

type Doc = { id: string; status: string; category: string | null; held: string | null; created_at: string };
type Analysis = { document_id: string; trust_store: string; duration_ms: number; created_at: string };

const at = (day: string, time = "08:00:00.000") => `2025-${day}T${time}Z`;
const DOCS: Doc[] = [
  { id: "q1", status: "queued", category: null, held: null, created_at: at("03-01") },
  { id: "q2", status: "queued", category: null, held: null, created_at: at("03-02") },
  { id: "p1", status: "processing", category: null, held: null, created_at: at("03-03") },
  { id: "d1", status: "done", category: "signed-valid", held: null, created_at: at("02-01") },
  { id: "d2", status: "done", category: "signed-valid", held: null, created_at: at("02-02") },
  { id: "d3", status: "done", category: "unsigned", held: null, created_at: at("02-03") },
  { id: "d4", status: "done", category: null, held: "revoked", created_at: at("02-04") },
  { id: "d5", status: "done", category: null, held: "directory-gap", created_at: at("02-05") },
  { id: "d6", status: "done", category: null, held: "directory-gap", created_at: at("02-06") },
  { id: "f1", status: "failed", category: null, held: null, created_at: at("02-07") },
  // the newest document is a paper one: a "newest" that looks at some statuses only misses it
  { id: "x1", status: "paper", category: "paper", held: null, created_at: at("03-10", "09:30:00.000") },
];
// d1 analysed again under another store (its current report is the second); "Zeta" and "alpha" tie, and
// bytewise "Zeta" comes first where a dictionary's order puts "alpha" first
const ANALYSES: Analysis[] = [
  { document_id: "d1", trust_store: "alpha", duration_ms: 1200.5, created_at: at("02-05") },
  { document_id: "d1", trust_store: "Zeta", duration_ms: 300.25, created_at: at("02-06") },
  { document_id: "d2", trust_store: "alpha", duration_ms: 99.25, created_at: at("02-07") },
  { document_id: "d3", trust_store: "Zeta", duration_ms: 1000, created_at: at("02-08") },
  { document_id: "d4", trust_store: "alpha", duration_ms: 250, created_at: at("02-09") },
  { document_id: "d5", trust_store: "mid", duration_ms: 50, created_at: at("02-10") },
];

const docRow = (d: Doc) => ({
  ...d,
  sender: "000.00.01.H53",
  received_at: d.created_at,
  channel: d.status === "paper" ? "paper" : "electronic",
  between_admin: 1,
  period_date: d.created_at.slice(0, 10),
  agency: "000.00.01.H53",
});
const analysisRow = (a: Analysis) => ({ ...a, engine: "kyso", validation_time: a.created_at, report: "{}" });

const bytewise = (a: string, b: string) => Buffer.compare(Buffer.from(a), Buffer.from(b));

/** What each method must answer for these rows, counted here. */
function expected(docs: readonly Doc[], analyses: readonly Analysis[]) {
  const tally = <K extends string>(keys: K[]) => [...keys.reduce((m, k) => m.set(k, (m.get(k) ?? 0) + 1), new Map<K, number>())];
  const counts = tally(docs.map((d) => `${d.status}\0${d.category ?? (d.held ? "held" : "pending")}`))
    .map(([k, n]) => ({ status: k.split("\0")[0]!, bucket: k.split("\0")[1]!, n }))
    .sort((a, b) => bytewise(a.status, b.status) || bytewise(a.bucket, b.bucket));
  const held = tally(docs.flatMap((d) => (d.held ? [d.held] : [])))
    .map(([reason, n]) => ({ reason, n }))
    .sort((a, b) => bytewise(a.reason, b.reason));
  const latest = new Map(analyses.map((a) => [a.document_id, a.trust_store]));
  const stores = tally([...latest.values()])
    .map(([trustStore, documents]) => ({ trustStore, documents }))
    .sort((a, b) => b.documents - a.documents || bytewise(a.trustStore, b.trustStore));
  const times = [...docs, ...analyses].map((x) => x.created_at).sort((a, b) => Date.parse(b) - Date.parse(a));
  return {
    counts,
    held,
    totals: { analyses: analyses.length, ms: analyses.reduce((s, a) => s + a.duration_ms, 0) },
    stores,
    dataAsOf: times[0] ?? null,
  };
}

async function answers(ops: Operations) {
  await ops.answers();
  return {
    counts: await ops.documentCounts(),
    held: await ops.heldCounts(),
    totals: await ops.analysisTotals(),
    stores: await ops.trustStoresSeen(),
    dataAsOf: await ops.dataAsOf(),
  };
}

for (const backend of [...BACKENDS, ...OTHER_LOCALES]) {
  describe.skipIf(!backend.available)(`the operations port on ${backend.label}`, () => {
    beforeAll(() => backend.setup(), 60_000);
    afterAll(() => backend.teardown());

    it("answers an empty store with nothing counted and no time", async () => {
      const ops = await (await backend.open()).operations();
      expect(await answers(ops)).toEqual({ counts: [], held: [], totals: { analyses: 0, ms: 0 }, stores: [], dataAsOf: null });
    });

    it("counts the rows as a count made here does, and follows documents that move", async () => {
      const store = await backend.open();
      await store.seedRows([...DOCS.map((d): [string, Record<string, unknown>] => ["documents", docRow(d)])]);
      await store.seedRows(ANALYSES.map((a) => ["analyses", analysisRow(a)]));
      const ops = await store.operations();
      const first = expected(DOCS, ANALYSES);
      expect(first.stores.map((s) => s.trustStore)).toEqual(["Zeta", "alpha", "mid"]); // the case the order must get right
      expect(await answers(ops)).toEqual(first);

      // q1 analysed into a category, d4's revocation undone, then an analysis newer than every document
      await store.exec("UPDATE documents SET status = 'done', category = 'unsigned' WHERE id = 'q1'");
      await store.exec("UPDATE documents SET held = NULL, category = 'signed-valid' WHERE id = 'd4'");
      const late: Analysis = { document_id: "q1", trust_store: "mid", duration_ms: 12.5, created_at: at("04-01") };
      await store.seedRows([["analyses", analysisRow(late)]]);
      const moved = DOCS.map((d) =>
        d.id === "q1" ? { ...d, status: "done", category: "unsigned" } : d.id === "d4" ? { ...d, held: null, category: "signed-valid" } : d,
      );
      const second = expected(moved, [...ANALYSES, late]);
      expect(second.dataAsOf).toBe(late.created_at);
      expect(await answers(ops)).toEqual(second);
    });
  });
}
