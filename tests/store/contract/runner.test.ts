// The embedded runner on every backend: real analysis threads reading real generated PDFs from a blob
// folder, two runners (two nodes) sharing one store's queue. Every queued document ends analysed exactly
// once, the log holding one analysis entry for each, of its own file; a document a dead node held (its
// lease ended) and one a process from before claims left `processing` are taken again, once.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_POLICY } from "../../../src/compliance/index.js";
import { EmbeddedRunner } from "../../../src/queue/embedded-runner.js";
import { BlobStore } from "../../../src/store/blobs.js";
import type { LifecycleStore } from "../../../src/store/ports.js";
import { generateSample, SAMPLE_TRUST } from "../../../fixtures/sample/generate.js";
import { BACKENDS, type OpenedStore } from "./backends.js";
import { captureStderr } from "../../helpers/stderr.js";

const AGENCY = "000.00.01.H01";
const TO = "000.00.02.H01";
let root = "";
let files: Buffer[] = [];
/** a node of this host whose process has ended */
let GONE = "";

/** The sample's PDFs as documents from AGENCY to TO, in `status`, their files in a new blob folder. */
async function seedFiles(
  store: OpenedStore,
  status: "queued" | "processing",
  from: number,
  n: number,
  blobs: BlobStore,
): Promise<Array<{ id: string; sha256: string }>> {
  const docs = files
    .slice(from, from + n)
    .map((bytes, i) => ({ id: `run-${String(from + i).padStart(3, "0")}`, sha256: blobs.put(bytes), bytes: bytes.length }));
  await store.seedRows(
    docs.flatMap((d, i): Array<[string, Record<string, unknown>]> => {
      const at = new Date(Date.UTC(2026, 0, 5, 8, 0, from + i)).toISOString();
      return [
        [
          "documents",
          {
            id: d.id,
            sha256: d.sha256,
            bytes: d.bytes,
            sender: AGENCY,
            received_at: at,
            channel: "electronic",
            status,
            between_admin: 1,
            period_date: at.slice(0, 10),
            created_at: at,
            agency: AGENCY,
            source: "upload",
            file_kind: "pdf",
          },
        ],
        ["deliveries", { document_id: d.id, recipient: TO }],
      ];
    }),
  );
  return docs;
}

const runnerOn = (store: LifecycleStore, blobs: BlobStore, node: string, leaseMs?: number) =>
  new EmbeddedRunner(store, blobs, {
    concurrency: 1,
    maxAttempts: 3,
    timeoutMs: 20_000,
    policy: DEFAULT_POLICY,
    analysis: { trustDirs: [SAMPLE_TRUST], text: true },
    node,
    ...(leaseMs ? { leaseMs } : {}),
  });

beforeAll(() => {
  GONE = `${hostname()}:${spawnSync(process.execPath, ["-e", ""]).pid}:0bad`;
  root = mkdtempSync(join(tmpdir(), "kyso-contract-runner-"));
  files = generateSample(join(root, "sample"), { documents: 40, seed: 7 })
    .filter((i) => i.file)
    .slice(0, 14)
    .map((i) => readFileSync(join(root, "sample", i.file!)));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

for (const backend of BACKENDS) {
  describe.skipIf(!backend.available)(`the embedded runner on ${backend.name}`, () => {
    beforeAll(() => backend.setup(), 60_000);
    afterAll(() => backend.teardown());

    it("analyses every queued document exactly once across two nodes, with one analysis entry each, of its own file", async () => {
      const store = await backend.open();
      await store.seedRows([
        ["agencies", { code: AGENCY, name: "Sở Nội vụ", parent: null, kind: "administrative" }],
        ["agencies", { code: TO, name: "Sở Tài chính", parent: null, kind: "administrative" }],
      ]);
      const blobs = new BlobStore(join(root, `blobs-${backend.name}`));
      const queued = await seedFiles(store, "queued", 0, 10, blobs);
      // a dead node's claim: its lease ended long ago, so a runner takes the document back
      const [dead] = await seedFiles(store, "queued", 10, 1, blobs);
      const deadNode = await store.lifecycle();
      const held = await deadNode.claim("dead-node", 1000, new Date("2026-01-01T00:00:00Z"));
      expect(held?.id).toBe(queued[0]!.id); // the oldest first: the dead node holds the first document
      // a document a crashed process of this host holds, its lease far from ended: taken back at start
      expect((await deadNode.claim(GONE, 3_600_000))?.id).toBe(queued[1]!.id);
      // a document a process from before claims left `processing`, with no claim
      const [orphan] = await seedFiles(store, "processing", 11, 1, blobs);
      const all = [...queued, dead!, orphan!];

      const nodes = [await store.lifecycle(), await store.lifecycle()];
      const runners = [runnerOn(nodes[0]!, blobs, "node-a"), runnerOn(nodes[1]!, blobs, "node-b")];
      runners.forEach((r) => r.start());
      await Promise.all(runners.map((r) => r.idle()));
      await Promise.all(runners.map((r) => r.stop()));

      const lc = nodes[0]!;
      expect(await lc.queueDepth()).toBe(0);
      expect(await lc.reclaimExpired(new Date("2100-01-01T00:00:00Z"))).toBe(0); // no claim left behind
      for (const d of all) expect((await lc.analysisFacts(d.id))!.row, d.id).toMatchObject({ status: "done", failure: null });
      // the dead nodes' documents were claimed a second time; the others once
      expect((await lc.analysisFacts(queued[0]!.id))!.row.attempts).toBe(2);
      expect((await lc.analysisFacts(queued[1]!.id))!.row.attempts).toBe(2);
      expect((await lc.analysisFacts(queued[2]!.id))!.row.attempts).toBe(1);
      expect(runners[0]!.durations.length + runners[1]!.durations.length).toBe(all.length);

      const log = await store.connect();
      const entries = await log.entries(0, 1000);
      const analyses = entries.filter((e) => e.action === "analysis" || e.action === "reanalysis" || e.action === "analysis-failed");
      expect(analyses.every((e) => e.action === "analysis")).toBe(true);
      expect(analyses.map((e) => e.documentId).sort()).toEqual(all.map((d) => d.id).sort());
      // each analysis read its own document's file from the blob folder
      for (const e of analyses) expect((e.details as { fileSha256: string }).fileSha256).toBe(all.find((d) => d.id === e.documentId)!.sha256);
      expect(analyses.every((e) => (e.details as { verdict: string }).verdict !== "unreadable")).toBe(true);
      // a stale node waking up changes nothing: the document it held is settled under another claim
      expect(
        await deadNode.commit(
          { id: queued[0]!.id, expect: { status: "processing", attempts: 1 }, columns: { status: "queued" }, entries: [] },
          { node: "dead-node", attempts: 1 },
        ),
      ).toBe(false);
      await log.close();
      for (const n of [...nodes, deadNode]) await n.close();
    }, 120_000);

    it("records each document once when leases end under the analyses and the other node takes them back", async () => {
      const store = await backend.open();
      await store.seedRows([
        ["agencies", { code: AGENCY, name: "Sở Nội vụ", parent: null, kind: "administrative" }],
        ["agencies", { code: TO, name: "Sở Tài chính", parent: null, kind: "administrative" }],
      ]);
      const blobs = new BlobStore(join(root, `blobs-lapsing-${backend.name}`));
      const docs = await seedFiles(store, "queued", 0, 12, blobs);
      // a lease of 1 ms: every claim has ended by the time its analysis is recorded; a third node takes
      // back ended claims every 50 ms for a while (then the runners' own periodic takings back), so results
      // come to a node whose claim another node now holds
      const nodes = [await store.lifecycle(), await store.lifecycle()];
      const thief = await store.lifecycle();
      let taken = 0;
      const stealing = (async () => {
        for (let i = 0; i < 12; i++) ((taken += await thief.reclaimExpired()), await new Promise((r) => setTimeout(r, 50)));
      })();
      const runners = [runnerOn(nodes[0]!, blobs, "lapse-a", 1), runnerOn(nodes[1]!, blobs, "lapse-b", 1)];
      const stderr = captureStderr();
      try {
        runners.forEach((r) => r.start());
        await stealing;
        await Promise.all(runners.map((r) => r.idle()));
        await Promise.all(runners.map((r) => r.stop()));
      } finally {
        stderr.restore();
      }
      expect(taken).toBeGreaterThan(0);
      expect(stderr.text()).toMatch(/kyso: document \S+ was taken back before its result was recorded here/);
      for (const d of docs) expect((await nodes[0]!.analysisFacts(d.id))!.row.status, d.id).toBe("done");
      expect(runners[0]!.durations.length + runners[1]!.durations.length).toBe(docs.length);
      const log = await store.connect();
      const analyses = (await log.entries(0, 1000)).filter((e) => e.action === "analysis" || e.action === "reanalysis");
      expect(analyses.map((e) => `${e.action} ${e.documentId}`).sort()).toEqual(docs.map((d) => `analysis ${d.id}`).sort());
      await log.close();
      for (const n of [...nodes, thief]) await n.close();
    }, 120_000);
  });
}
