// The real messages of the national exchange (../shared/corpus/edxml), mutated as real traffic breaks
// them: an element deleted, duplicated, emptied or given junk; the message truncated; re-encoded. At least
// 500 mutants, seeded: each is read and accounted (a document, a version, a revocation, a status, not a
// document, a conflict) or rejected with a reason; none is an internal error, and none stops the rest.
import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { EdxmlError, parseEdxml } from "../../src/ingest/edxml.js";
import { edxmlSubmission } from "../../src/ingest/edxml-submission.js";
import { directoryOf, submit, updateDirectory } from "../../src/lifecycle/index.js";
import { BlobStore } from "../../src/store/blobs.js";
import { openDb } from "../../src/store/sqlite/db.js";
import { createHash } from "node:crypto";
import { CORPUS, CORPUS_MISSING, hasCorpus } from "../helpers/paths.js";

/** A small seeded generator (mulberry32), so a failing mutant can be named and replayed. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const LEAF = /<(edXML:)?([A-Za-z]+)>([^<]*)<\/\1?\2>/g;

function mutate(xml: string, rnd: () => number): { what: string; bytes: Buffer } {
  const leaves = [...xml.matchAll(LEAF)];
  const pick = leaves[Math.floor(rnd() * leaves.length)]!;
  const [whole, , name] = pick;
  const at = pick.index!;
  const junk = ["", " ", "null", "0", "9999/99/99", "2025/02/30 25:61:00", "<", "&amp;", "Ω".repeat(50), "000.00.00.H53 ", ",,,", "-1", "1e309"];
  switch (Math.floor(rnd() * 7)) {
    case 0:
      return { what: `${name} deleted`, bytes: Buffer.from(xml.slice(0, at) + xml.slice(at + whole.length)) };
    case 1:
      return { what: `${name} duplicated`, bytes: Buffer.from(xml.slice(0, at) + whole + whole + xml.slice(at + whole.length)) };
    case 2:
      return { what: `${name} emptied`, bytes: Buffer.from(xml.slice(0, at) + whole.replace(`>${pick[3]}<`, "><") + xml.slice(at + whole.length)) };
    case 3: {
      const j = junk[Math.floor(rnd() * junk.length)]!;
      return {
        what: `${name} = ${JSON.stringify(j)}`,
        bytes: Buffer.from(xml.slice(0, at) + whole.replace(`>${pick[3]}<`, `>${j}<`) + xml.slice(at + whole.length)),
      };
    }
    case 4: {
      const cut = Math.floor(rnd() * xml.length);
      return { what: `truncated at ${cut}`, bytes: Buffer.from(xml.slice(0, cut)) };
    }
    case 5:
      return { what: "re-encoded as UTF-16LE", bytes: Buffer.from(`\ufeff${xml}`, "utf16le") };
    default:
      return { what: "re-encoded as Latin-1", bytes: Buffer.from(xml, "latin1") };
  }
}

describe.skipIf(!hasCorpus)("mutants of the exchange's real messages", () => {
  it("accounts for or rejects every one of 600 mutants, never with an internal error", async () => {
    const dir = mkdtempSync(join(tmpdir(), "kyso-mutants-"));
    const db = openDb(dir);
    const blobs = new BlobStore(join(dir, "blobs"));
    updateDirectory(
      db,
      ["000.00.00.G22", "000.00.00.H41", "000.00.00.H14", "000.00.00.G17"].map((code) => ({ code, name: code, parent: null, kind: "administrative" })),
      "test",
    );
    const sources = readdirSync(join(CORPUS, "edxml")).map((f) => readFileSync(join(CORPUS, "edxml", f), "utf8"));
    const rnd = prng(Number(process.env.KYSO_MUTANT_SEED ?? 23));
    const tally: Record<string, number> = {};
    for (let i = 0; i < 600; i++) {
      const m = mutate(sources[i % sources.length]!, rnd);
      let outcome: string;
      try {
        const msg = parseEdxml(m.bytes.toString("utf8"));
        const sub = await edxmlSubmission({
          msg,
          messageSha: createHash("sha256").update(m.bytes).digest("hex"),
          receivedAt: "2025-06-01T00:00:00.000Z",
          resolve: directoryOf(db).resolve,
          put: (b) => blobs.put(b),
          source: "edxml",
        });
        if (!sub) outcome = "not-a-document";
        else {
          const r = submit(db, sub, "test");
          outcome = r.conflict ? "conflict" : sub.kind;
        }
      } catch (e) {
        if (!(e instanceof EdxmlError)) throw new Error(`mutant ${i} (${m.what}): internal error ${(e as Error).stack}`);
        expect(e.message.length, `mutant ${i} (${m.what})`).toBeGreaterThan(10);
        outcome = "rejected";
      }
      tally[outcome] = (tally[outcome] ?? 0) + 1;
    }
    db.close();
    console.log(`edXML mutants: ${JSON.stringify(tally)}`);
    expect(Object.values(tally).reduce((a, b) => a + b, 0)).toBe(600);
    // the mutants reach every outcome a reader can give, not only rejection
    expect(tally.rejected ?? 0).toBeGreaterThan(0);
    expect((tally.document ?? 0) + (tally.update ?? 0) + (tally.replacement ?? 0)).toBeGreaterThan(0);
    expect(tally.status ?? 0).toBeGreaterThan(0);
  }, 300_000);
});

if (!hasCorpus) it.skip(CORPUS_MISSING, () => {});
