// `kyso audit verify`'s check (store/check) on every backend, over a log and documents written through the
// ports: the untouched store checks green, its figures replayed; an old entry rewritten, an entry deleted
// and a document's category edited behind the log's back are each named, the same way on every backend;
// the check since a verified head reads only what came after it, and still names an edit there.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { analyzeStructure } from "../../../src/analyze.js";
import { DEFAULT_POLICY } from "../../../src/compliance/index.js";
import { loadTrustStore } from "../../../src/config.js";
import { decideAnalysis } from "../../../src/lifecycle/analysis.js";
import { threadedHeads } from "../../../src/store/check/head-threads.js";
import { sharedProgress } from "../../../src/store/check/progress.js";
import { runCheckAsync } from "../../../src/store/check/script.js";
import { checkStore, currentHead, type CheckMode, type StoreCheck } from "../../../src/store/check/store-check.js";
import type { DocumentReport } from "../../../src/verify/report.js";
import { AT, FIXTURES, ROOT } from "../../helpers/paths.js";
import { BACKENDS, type OpenedStore } from "./backends.js";

const AGENCY = "000.00.01.H01"; // the seeded documents' sender and agency
const TO = "000.00.02.H01";
const NOW = new Date("2026-01-10T09:00:00Z");
let reports: DocumentReport[] = [];

/** `n` documents from AGENCY to TO: `settled` of them analysed through the life-cycle port, the rest queued; an entry of its own before them. */
async function populated(store: OpenedStore, settled = 3, n = 4): Promise<void> {
  await store.seedRows([
    ["agencies", { code: AGENCY, name: "Sở Nội vụ", parent: null, kind: "administrative" }],
    ["agencies", { code: TO, name: "Sở Tài chính", parent: null, kind: "administrative" }],
  ]);
  const ids = await store.seedQueued(n);
  await store.seedRows(ids.map((id) => ["deliveries", { document_id: id, recipient: TO }]));
  const log = await store.connect();
  await log.append([{ actor: "test", action: "agencies-update", subject: "directory", details: { codes: [AGENCY, TO] } }]);
  await log.close();
  await settle(store, settled);
}

async function settle(store: OpenedStore, n: number): Promise<void> {
  const node = await store.lifecycle();
  for (let i = 0; i < n; i++) {
    const doc = (await node.claim("a", 60_000))!;
    const change = decideAnalysis(
      (await node.analysisFacts(doc.id, DEFAULT_POLICY))!,
      { ...reports[i % reports.length]!, sha256: doc.sha256! },
      12,
      "runner",
      NOW,
    );
    expect(await node.commit(change)).toBe(true);
  }
  await node.close();
}

async function check(store: OpenedStore, mode: CheckMode = {}): Promise<StoreCheck> {
  const source = await store.checkSource();
  try {
    return await source.snapshot((s) => runCheckAsync(s, checkStore({}, mode)));
  } finally {
    await source.close();
  }
}

/** What each backend found, per case: the same on every backend. */
const found = new Map<string, Map<string, unknown>>();
const sameOnEvery = (backend: string, name: string, r: StoreCheck) => {
  const what = { ok: r.ok, entries: r.entries, broken: r.broken, figures: r.figures };
  for (const [other, seen] of found) if (other !== backend && seen.has(name)) expect(what, `${backend} against ${other}: ${name}`).toEqual(seen.get(name));
  found.set(backend, (found.get(backend) ?? new Map()).set(name, what));
};

for (const backend of BACKENDS) {
  describe.skipIf(!backend.available)(`the store's check on ${backend.name}`, () => {
    beforeAll(async () => {
      const trust = loadTrustStore([join(ROOT, "fixtures", "trust")], { includeDefault: false });
      reports = ["signed-cades-rsa-sha256.pdf", "unsigned.pdf"].map((f) => analyzeStructure(readFileSync(join(FIXTURES, f)), { now: AT, trust }));
      await backend.setup();
    }, 120_000);
    afterAll(() => backend.teardown());

    it("finds a log and documents written through the ports intact, every document, analysis and rollup row replayed", async () => {
      const store = await backend.open();
      await populated(store);
      const log = await store.connect();
      const head = await log.head();
      await log.close();
      const r = await check(store);
      expect(r).toMatchObject({
        ok: true,
        broken: null,
        entries: head.seq,
        signed: head.seq,
        head,
        figures: { ok: true, documents: 4, analyses: 3, broken: null },
      });
      expect(r.figures!.rollupRows).toBeGreaterThan(0);
      sameOnEvery(backend.name, "intact", r);
    });

    it("reads every document once across its batches of 500", async () => {
      const store = await backend.open();
      await populated(store, 1, 1001);
      const r = await check(store);
      expect(r).toMatchObject({ ok: true, figures: { ok: true, documents: 1001, analyses: 1 } });
    }, 60_000);

    it("names an old entry rewritten in the database", async () => {
      const store = await backend.open();
      await populated(store);
      await store.exec("UPDATE audit_log SET subject = subject || ' (edited)' WHERE seq = 2");
      const r = await check(store);
      expect(r).toMatchObject({ ok: false, entries: 1, broken: { seq: 2, reason: expect.stringMatching(/^entry 2: its content does not match its hash/) } });
      expect(r.figures).toBeUndefined();
      sameOnEvery(backend.name, "rewritten", r);
    });

    it("names a deleted entry", async () => {
      const store = await backend.open();
      await populated(store);
      await store.exec("DELETE FROM audit_log WHERE seq = 3");
      const r = await check(store);
      expect(r).toMatchObject({ ok: false, entries: 2, broken: { seq: 3, reason: "entry 3 is missing (entry 2 is followed by entry 4)" } });
      sameOnEvery(backend.name, "deleted", r);
    });

    it("names a document whose derived category was edited behind the log's back, though the log itself holds", async () => {
      const store = await backend.open();
      await populated(store);
      await store.exec("UPDATE documents SET category = 'paper' WHERE id = 'doc-q-0001'");
      const r = await check(store);
      expect(r.broken).toBeNull();
      expect(r).toMatchObject({
        ok: false,
        figures: {
          ok: false,
          broken: { table: "documents", row: "document doc-q-0001", reason: 'category is recorded as "paper", but its recorded facts give "signed-valid"' },
        },
      });
      sameOnEvery(backend.name, "category", r);
    });

    it("verifies the signed heads on another thread while it replays, and names the first that does not verify before a later problem the walk met", async () => {
      const store = await backend.open();
      await populated(store, 3, 6);
      const log = await store.connect();
      const head = await log.head();
      await log.close();
      expect(head.seq).toBe(5); // the log key, the directory, three analyses
      // every head handed to a thread, two at a time
      const threaded = async () => {
        const heads = threadedHeads({ threads: 1, inPlace: 0, batch: 2 });
        try {
          return { r: await check(store, { heads }), threads: heads.threads };
        } finally {
          await heads.close();
        }
      };
      const intact = await threaded();
      expect(intact.threads).toBe(1);
      expect(intact.r).toMatchObject({ ok: true, entries: head.seq, signed: head.seq, figures: { ok: true, documents: 6, analyses: 3 } });
      // entry 3's head carries entry 2's signature (the signature is not part of the entry's hash: only the
      // signature check can see it); entry 5 is edited too, which the walk meets first on this thread
      await store.exec("UPDATE audit_log SET sig = (SELECT sig FROM audit_log WHERE seq = 2) WHERE seq = 3");
      await store.exec("UPDATE audit_log SET subject = subject || ' (edited)' WHERE seq = 5");
      const both = await threaded();
      expect(both.r).toMatchObject({
        ok: false,
        entries: 2,
        broken: { seq: 3, reason: expect.stringMatching(/^entry 3: the signature of its tree head does not verify/) },
      });
      expect(both.r.figures).toBeUndefined();
      // the same answer as the check verifying each head where it stands
      expect((await check(store)).broken).toEqual(both.r.broken);
      // the signature alone: found though the walk and the replay went through
      await store.exec("UPDATE audit_log SET subject = replace(subject, ' (edited)', '') WHERE seq = 5");
      const alone = await threaded();
      expect(alone.r).toMatchObject({ ok: false, entries: 2, signed: 2, broken: { seq: 3 } });
      expect(alone.r.figures).toBeUndefined();
      sameOnEvery(backend.name, "signature", alone.r);
    });

    it("says how far a full check has gone: the log's entries of its length, then the documents of the store's", async () => {
      const store = await backend.open();
      await populated(store, 3, 1001);
      const shared = sharedProgress();
      const seen: string[] = [];
      const progress = {
        log: (done: number, total: number) => (seen.push(`log ${done}/${total}`), shared.report.log(done, total)),
        figures: (done: number, total: number) => (seen.push(`figures ${done}/${total}`), shared.report.figures(done, total)),
      };
      const r = await check(store, { progress });
      expect(r.ok).toBe(true);
      // the log in one page of a thousand entries, the documents in batches of 500, the last of each part complete
      expect(seen).toEqual([`log ${r.entries}/${r.entries}`, "figures 500/1001", "figures 1000/1001", "figures 1001/1001"]);
      expect(shared.read()).toEqual({ part: "figures", done: 1001, total: 1001 });
    }, 60_000);

    it("names the stored files a page at a time, each once: the documents' files, then the messages'", async () => {
      const store = await backend.open();
      await populated(store, 1, 5);
      const source = await store.checkSource();
      try {
        const seen: string[] = [];
        let pages = 0;
        for (let after: string | null = null; ; pages++) {
          const p: Awaited<ReturnType<typeof source.namedFiles>> = await source.namedFiles(after, 2);
          expect(p.files.length).toBeLessThanOrEqual(2);
          seen.push(...p.files.map((f) => f.owner));
          if (p.next === null) break;
          after = p.next;
        }
        const ids = (await source.documents(null, 100)).documents.filter((d) => d.row.sha256).map((d) => `document ${d.row.id}`);
        expect(ids.length).toBe(5);
        expect(seen.sort()).toEqual(ids.sort());
        expect(pages).toBeGreaterThanOrEqual(3);
      } finally {
        await source.close();
      }
    });

    it("checks from a verified head only the entries since and the documents they name, and names an entry since edited", async () => {
      const store = await backend.open();
      await populated(store, 2);
      const source = await store.checkSource();
      const head = (await runCheckAsync(source, currentHead()))!;
      await source.close();
      expect(head).toMatchObject({ size: expect.any(Number), root: expect.stringMatching(/^[0-9a-f]{64}$/), publicKey: store.key.publicKey });
      await settle(store, 1);
      const r = await check(store, { since: head });
      const log = await store.connect();
      const now = await log.head();
      await log.close();
      expect(r).toMatchObject({ ok: true, since: head.size, entries: now.seq - head.size, figures: { ok: true, documents: 1, analyses: 1 } });
      sameOnEvery(backend.name, "since", r);
      await store.exec(`UPDATE audit_log SET actor = 'someone' WHERE seq = ${head.size + 1}`);
      expect((await check(store, { since: head })).broken).toEqual({ seq: head.size + 1, reason: `entry ${head.size + 1} does not match its hash (edited)` });
      // the head itself no longer holds when an entry it covers is rewritten
      await store.exec(`UPDATE audit_log SET actor = 'someone' WHERE seq = ${head.size}`);
      expect((await check(store, { since: head })).broken?.reason).toMatch(
        new RegExp(`^entry ${head.size}, the last of the head given, does not match its hash`),
      );
    });

    it("compares from a verified head the rollup rows of the days its documents fall in, and leaves the others to the full check", async () => {
      const store = await backend.open();
      await populated(store, 2);
      const source = await store.checkSource();
      const head = (await runCheckAsync(source, currentHead()))!;
      await source.close();
      await settle(store, 1);
      const [touched] = await store.select("SELECT period_date, agency, category FROM documents WHERE category IS NOT NULL ORDER BY period_date LIMIT 1");
      // a row of a day no document since the head falls in, put in by hand: the full check's to name
      await store.exec(
        "INSERT INTO rollup_daily (period_date, sender, category, n, n_counts, n_nd30, n_sealed) VALUES ('2019-03-04', '000.00.01.H01', 'paper', 5, 0, 0, 0)",
      );
      expect(await check(store, { since: head })).toMatchObject({ ok: true, figures: { ok: true } });
      expect((await check(store)).figures?.broken).toMatchObject({ table: "rollup_daily", row: "(2019-03-04, 000.00.01.H01, paper)" });
      await store.exec("DELETE FROM rollup_daily WHERE period_date = '2019-03-04'");
      // the day and the month of a document since the head, edited: named from the head
      await store.exec(
        `UPDATE rollup_monthly SET n = n + 1 WHERE month = '${String(touched!.period_date).slice(0, 7)}' AND sender = '${String(touched!.agency)}' AND category = '${String(touched!.category)}'`,
      );
      expect((await check(store, { since: head })).figures?.broken).toMatchObject({ table: "rollup_monthly" });
    });
  });
}
