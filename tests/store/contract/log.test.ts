// The log port's contract, on every backend: entries appended in order as one signed chain, all or none of
// an append, one chain when several nodes append at once, proofs that verify offline, and the same entries
// (hash, tree head) for the same inputs whichever backend stored them.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { entryProblem } from "../../../src/log/export-check.js";
import type { AuditEntry } from "../../../src/log/entry.js";
import type { AuditInput } from "../../../src/log/input.js";
import { SignedLogCheck } from "../../../src/log/signed-history.js";
import { GENESIS } from "../../../src/log/chain.js";
import { ProofError } from "../../../src/log/proof.js";
import type { LogPort } from "../../../src/store/ports.js";
import { checkProof } from "../../../src/store/sqlite/heads.js";
import { POSTGRES_MISSING } from "../../helpers/postgres.js";
import { BACKENDS } from "./backends.js";

const input = (n: number, node = "a"): AuditInput => ({
  actor: `node-${node}`,
  action: "analysis",
  subject: `document ${node}-${n}`,
  documentId: `${node}-${n}`,
  agency: "000.00.01.H01",
  details: { n, node, nested: { b: 1, a: [n, "x"] } },
});

async function all(log: LogPort): Promise<AuditEntry[]> {
  const out: AuditEntry[] = [];
  for (let after = 0; ;) {
    const page = await log.entries(after, 100);
    if (!page.length) return out;
    out.push(...page);
    after = page[page.length - 1]!.seq;
  }
}

/** The whole log checked as an auditor would: numbering, links, hashes and every signed head. */
async function chainProblem(log: LogPort): Promise<string | null> {
  const entries = await all(log);
  const sc = new SignedLogCheck();
  let prev = { seq: 0, hash: GENESIS };
  for (const e of entries) {
    if (e.seq !== prev.seq + 1) return `entry ${prev.seq + 1} missing before ${e.seq}`;
    const p = entryProblem(e, prev.hash) ?? sc.add(e)?.reason ?? null;
    if (p) return `entry ${e.seq}: ${p}`;
    prev = { seq: e.seq, hash: e.hash };
  }
  const head = await log.head();
  if (head.seq !== prev.seq || head.hash !== prev.hash) return `the head (${head.seq}) is not the last entry (${prev.seq})`;
  return sc.finish()?.reason ?? null;
}

for (const backend of BACKENDS) {
  describe.skipIf(!backend.available)(`the log on ${backend.name}`, () => {
    beforeAll(() => backend.setup(), 60_000);
    afterAll(() => backend.teardown());

    it("appends in order: the key recorded first, then each entry linked to the one before, signed", async () => {
      const store = await backend.open();
      const log = await store.connect();
      expect(await log.head()).toEqual({ seq: 0, hash: GENESIS });
      const first = await log.append([input(1), input(2)]);
      const second = await log.append([input(3)]);
      expect(first.map((e) => e.seq)).toEqual([2, 3]);
      expect(second.map((e) => e.seq)).toEqual([4]);
      const entries = await all(log);
      expect(entries.map((e) => e.action)).toEqual(["log-key", "analysis", "analysis", "analysis"]);
      expect(entries[0]!.details).toMatchObject({ keyId: store.key.keyId, publicKey: store.key.publicKey });
      expect(entries[3]).toEqual(second[0]); // read back exactly as written, details parsed
      expect(await chainProblem(log)).toBeNull();
      await log.close();
    });

    it("stores all of an append or none of it", async () => {
      const store = await backend.open();
      const log = await store.connect();
      await log.append([input(1)]);
      const before = await log.head();
      const bad = { ...input(3), details: { big: 10n } } as unknown as AuditInput; // JSON cannot hold it
      await expect(log.append([input(2), bad])).rejects.toThrow();
      expect(await log.head()).toEqual(before);
      expect((await all(log)).length).toBe(before.seq);
      await log.append([input(4)]);
      expect(await chainProblem(log)).toBeNull();
      await log.close();
    });

    it("stays one chain when several nodes append at once", async () => {
      const store = await backend.open();
      const nodes = await Promise.all(["a", "b", "c", "d"].map(() => store.connect()));
      await nodes[0]!.append([input(0)]); // the key's entry, once
      await Promise.all(
        nodes.map(async (log, i) => {
          for (let n = 1; n <= 15; n++) await log.append([input(n, "abcd"[i]), input(n + 100, "abcd"[i])]);
        }),
      );
      const entries = await all(nodes[1]!);
      expect(entries.length).toBe(2 + 4 * 15 * 2);
      expect(new Set(entries.map((e) => e.subject)).size).toBe(entries.length);
      // each node's pair stayed together: an append is not interleaved with another
      for (let i = 2; i < entries.length; i += 2) expect(entries[i + 1]!.subject).toBe(entries[i]!.subject.replace(/-(\d+)$/, (_, n) => `-${Number(n) + 100}`));
      expect(await chainProblem(nodes[2]!)).toBeNull();
      for (const log of nodes) await log.close();
    });

    it("proves inclusion and consistency, offline-checkable, at every size", async () => {
      const store = await backend.open();
      const log = await store.connect();
      for (let n = 1; n <= 37; n++) await log.append([input(n)]);
      const size = (await log.head()).seq;
      expect(size).toBe(38);
      for (const [seq, at] of [
        [1, 1],
        [2, 38],
        [17, 20],
        [38, 38],
        [33, 35],
        [8, 8],
      ] as const) {
        const proof = await log.proveInclusion(seq, at);
        expect(proof.inclusion.entry.seq).toBe(seq);
        const checks = checkProof(proof, [store.key.publicKey]);
        expect(
          checks.every((c) => c.ok),
          JSON.stringify(checks),
        ).toBe(true);
      }
      for (const [a, b] of [
        [1, 38],
        [5, 6],
        [16, 32],
        [31, 37],
        [38, 38],
      ] as const) {
        const checks = checkProof(await log.proveConsistency(a, b), [store.key.publicKey]);
        expect(
          checks.every((c) => c.ok),
          JSON.stringify(checks),
        ).toBe(true);
      }
      // a proof altered in one hash does not verify
      const forged = await log.proveInclusion(17, 38);
      forged.inclusion.path[0] = "00".repeat(32);
      expect(checkProof(forged, [store.key.publicKey]).every((c) => c.ok)).toBe(false);
      await expect(log.proveInclusion(39)).rejects.toBeInstanceOf(ProofError);
      await expect(log.proveConsistency(10, 40)).rejects.toBeInstanceOf(ProofError);
      await log.close();
    });
  });
}

describe.skipIf(BACKENDS.every((b) => b.available))("the log on PostgreSQL", () => {
  it.skip(POSTGRES_MISSING, () => undefined);
});
