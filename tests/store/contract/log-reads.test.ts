// What auditors read of the log (LogReads), on every backend: the entries a filter admits in log order,
// paged by cursor with the filter's bounds exact to the millisecond; the export streamed from those pages,
// cut at the head it starts from and verifying offline; several entries proven against one signed head,
// the proofs checked here with nothing but the log's own rules.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AuditEntry } from "../../../src/log/entry.js";
import type { AuditFilter } from "../../../src/log/filter.js";
import type { AuditInput } from "../../../src/log/input.js";
import { exportLines } from "../../../src/log/export-script.js";
import { verifyExport } from "../../../src/log/export-check.js";
import { headMessage, verifySignature } from "../../../src/log/key.js";
import { leafHash, verifyInclusion } from "../../../src/log/merkle.js";
import type { LogPort, LogReads } from "../../../src/store/ports.js";
import { BACKENDS, type OpenedStore } from "./backends.js";

const X = "000.00.01.H01";
const Y = "000.00.02.H01";
const input = (documentId: string | undefined, agency: string | undefined, action: AuditInput["action"]): AuditInput => ({
  actor: "test",
  action,
  subject: documentId ? `document ${documentId}` : "the directory",
  ...(documentId ? { documentId } : {}),
  ...(agency ? { agency } : {}),
  details: { documentId: documentId ?? null },
});

/** Entries on the edges of days: the first and last millisecond of 2 January, and either side. */
async function seeded(store: OpenedStore): Promise<LogPort> {
  const log = await store.connect();
  await log.append([input(undefined, undefined, "agencies-update")], new Date("2026-01-01T23:59:59.999Z"));
  await log.append([input("a", X, "analysis"), input("b", Y, "analysis")], new Date("2026-01-02T00:00:00.000Z"));
  await log.append([input("b", Y, "analysis-failed")], new Date("2026-01-02T12:00:00.000Z"));
  await log.append([input("a", X, "reanalysis"), input("c", X, "analysis")], new Date("2026-01-02T23:59:59.999Z"));
  await log.append([input("a", X, "revoked")], new Date("2026-01-03T00:00:00.000Z"));
  return log;
}

async function all(reads: LogReads, f: AuditFilter, limit: number): Promise<{ seqs: number[]; pages: number }> {
  const seqs: number[] = [];
  let pages = 0;
  for (let after: number | null = 0; after !== null; pages++) {
    const page = await reads.page(f, after, limit);
    expect(page.entries.length).toBeLessThanOrEqual(limit);
    seqs.push(...page.entries.map((e) => e.seq));
    after = page.next;
  }
  return { seqs, pages };
}

/** The filter's rule stated here on its own: the day bounds by UTC timestamp, the rest by equality. */
const admits = (f: AuditFilter) => (e: AuditEntry) =>
  (!f.from || e.at >= `${f.from}T00:00:00.000Z`) &&
  (!f.to || e.at <= `${f.to}T23:59:59.999Z`) &&
  (!f.agency || e.agency === f.agency) &&
  (!f.documentId || e.documentId === f.documentId) &&
  (!f.action || e.action === f.action);

for (const backend of BACKENDS) {
  describe.skipIf(!backend.available)(`the auditors' reads of the log on ${backend.name}`, () => {
    beforeAll(() => backend.setup(), 60_000);
    afterAll(() => backend.teardown());

    it("pages the entries a filter admits in log order, each bound exact to the millisecond", async () => {
      const store = await backend.open();
      const log = await seeded(store);
      const every = await log.entries(0, 100);
      expect(every.map((e) => e.action)).toEqual([
        "log-key",
        "agencies-update",
        "analysis",
        "analysis",
        "analysis-failed",
        "reanalysis",
        "analysis",
        "revoked",
      ]);
      const reads = await store.logReads();
      try {
        const filters: Array<[AuditFilter, number[]]> = [
          [{}, [1, 2, 3, 4, 5, 6, 7, 8]],
          [{ documentId: "a" }, [3, 6, 8]],
          [{ agency: Y }, [4, 5]],
          [{ action: "analysis" }, [3, 4, 7]],
          [{ from: "2026-01-02" }, [3, 4, 5, 6, 7, 8]],
          [{ to: "2026-01-02" }, [1, 2, 3, 4, 5, 6, 7]],
          [{ from: "2026-01-02", to: "2026-01-02" }, [3, 4, 5, 6, 7]],
          [{ from: "2026-01-03", agency: X, documentId: "a" }, [8]],
          [{ agency: X, action: "analysis" }, [3, 7]],
          [{ documentId: "nothing" }, []],
        ];
        for (const [f, want] of filters) {
          // the expected entries agree with the rule stated on its own (the log-key entry's time is the first append's)
          expect(
            every.filter(admits(f)).map((e) => e.seq),
            JSON.stringify(f),
          ).toEqual(want);
          for (const limit of [1, 2, 100]) {
            const got = await all(reads, f, limit);
            expect(got.seqs, `${JSON.stringify(f)} by ${limit}`).toEqual(want);
            // a page that ends the list says so: no empty page after a full last one
            expect(got.pages, `${JSON.stringify(f)} by ${limit}`).toBe(Math.max(1, Math.ceil(want.length / limit)));
          }
        }
        // a page holds the entries as the log gives them
        expect((await reads.page({ documentId: "a" }, 3, 1)).entries).toEqual([every[5]]);
        expect((await reads.page({ documentId: "a" }, 3, 1)).next).toBe(6);
        expect(await reads.head()).toEqual(await log.head());
      } finally {
        await reads.close();
        await log.close();
      }
    });

    it("streams the export from those pages: cut at the head it began from, verifying offline, filtered or whole", async () => {
      const store = await backend.open();
      const log = await store.connect();
      // more than a page of the export, so the cut at the head is made on a later page
      await log.append(Array.from({ length: 1004 }, (_, i) => input(`d${i % 7}`, i % 2 ? X : Y, "analysis")));
      const reads = await store.logReads();
      try {
        const head = await log.head();
        const it = exportLines(reads, {});
        const lines = [(await it.next()).value as string];
        await log.append([input("late", X, "analysis")]);
        for await (const line of it) lines.push(line);
        const last = JSON.parse(lines[lines.length - 1]!) as { head: { seq: number; hash: string; entries: number; complete: boolean; sig?: string } };
        expect(last.head).toMatchObject({ seq: head.seq, hash: head.hash, entries: head.seq, complete: true });
        expect(last.head.sig).toMatch(/\S/);
        expect(lines).toHaveLength(head.seq + 1);
        const text = lines.join("");
        expect(verifyExport(text)).toMatchObject({ ok: true, entries: head.seq, head, signed: head.seq });

        const filtered: string[] = [];
        for await (const line of exportLines(reads, { documentId: "d3", agency: Y })) filtered.push(line);
        const want = (await log.entries(0, 2000)).filter(admits({ documentId: "d3", agency: Y }));
        expect(filtered.slice(0, -1).map((l) => (JSON.parse(l) as AuditEntry).seq)).toEqual(want.map((e) => e.seq));
        expect(JSON.parse(filtered[filtered.length - 1]!).head).toMatchObject({
          entries: want.length,
          complete: false,
          filter: { documentId: "d3", agency: Y },
        });
        expect(verifyExport(filtered.join(""))).toMatchObject({ ok: true, entries: want.length });
      } finally {
        await reads.close();
        await log.close();
      }
    }, 60_000);

    it("proves several entries against one signed head, now or earlier, leaving out those after it", async () => {
      const store = await backend.open();
      const log = await seeded(store);
      const reads = await store.logReads();
      try {
        const entries = await log.entries(0, 100);
        for (const size of [8, 6, 3]) {
          const p = await reads.proveEntries([1, 3, 6, 8], size);
          expect(p.head.size).toBe(size);
          expect(p.head.root).toBe(entries[size - 1]!.root);
          expect(verifySignature(p.head.publicKey, headMessage(p.head.size, p.head.root), p.head.sig)).toBe(true);
          expect(p.proofs.map((x) => x.seq)).toEqual([1, 3, 6, 8].filter((s) => s <= size));
          for (const { seq, path } of p.proofs) {
            const at = (h: string) => Buffer.from(h, "hex");
            expect(verifyInclusion(leafHash(entries[seq - 1]!.hash), seq - 1, size, path.map(at), at(p.head.root)), `${seq} in ${size}`).toBe(true);
            // the same path the log port's single proof gives
            expect(path).toEqual((await log.proveInclusion(seq, size)).inclusion.path);
            // and a proof is of its own entry: another's leaf does not verify with it
            const other = entries[seq === 1 ? 1 : 0]!;
            expect(verifyInclusion(leafHash(other.hash), seq - 1, size, path.map(at), at(p.head.root))).toBe(false);
          }
        }
      } finally {
        await reads.close();
        await log.close();
      }
    });
  });
}
