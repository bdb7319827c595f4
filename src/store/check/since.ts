// The store checked from a head verified before (`kyso audit verify --since`, issue 27): its signature by a
// key of the log, the right edge of the tree at that head recomputed from the stored subtrees (which must
// give the head's root: the log still extends it, the consistency a proof would show), then only the
// entries since, each as the full check checks it (its hash, its link, its signed tree head grown from that
// edge), and the figures of the documents they name. A day's entries are checked in seconds, whatever the
// size of the log; the full check stays `kyso audit verify` without --since.
import { entryHash } from "../../log/chain.js";
import type { ChainCheck, TrustedHistory } from "../../log/export-check.js";
import { headMessage, verifySignature } from "../../log/key.js";
import { Frontier, inclusionProofFrom, leafHash, verifyInclusion, type Hash, type Subtrees } from "../../log/merkle.js";
import { SignedLogCheck, type KeptHead, type KeyDetails } from "../../log/signed-history.js";
import { replayFigures, type FigureCheck } from "./replay.js";
import { read, type CheckScript } from "./script.js";

/**
 * The stored subtrees a walk over the first `size` entries reads, asked for at once: the walk depends on
 * the numbers only, so a first walk over placeholders names every subtree it needs.
 */
function* subtreesFor(size: number, walk: (t: Subtrees) => unknown): CheckScript<Subtrees> {
  const wanted = new Map<string, [number, number]>();
  walk({ perfect: (lo, height) => (wanted.set(`${height}:${lo}`, [height, lo]), Buffer.alloc(32)) });
  const hashes = yield* read("subtrees", size, [...wanted.values()]);
  const got = new Map([...wanted.keys()].map((k, i) => [k, Buffer.from(hashes[i]!, "hex")]));
  return { perfect: (lo, height) => got.get(`${height}:${lo}`)! };
}

/** The tree's right edge after its first `size` entries: the perfect subtrees of size's binary form. */
function* edgeAt(size: number): CheckScript<Frontier> {
  const parts: Array<[number, number]> = [];
  for (let h = Math.floor(Math.log2(Math.max(size, 1))), lo = 0; h >= 0; h--) if (size - lo >= 2 ** h) (parts.push([h, lo]), (lo += 2 ** h));
  const tree = yield* subtreesFor(size, (t) => parts.map(([h, lo]) => t.perfect(lo, h)));
  return new Frontier(
    size,
    parts.map(([h, lo]): [number, Hash] => [h, tree.perfect(lo, h)]),
  );
}

export function* checkSince(since: KeptHead, trusted: TrustedHistory = {}): CheckScript<ChainCheck & { figures?: FigureCheck; since: number }> {
  const head = yield* read("recordedHead");
  let entries = 0;
  const keys = new SignedLogCheck(trusted);
  const fail = (seq: number, reason: string) => ({ ok: false, entries, signed: keys.signed, head, since: since.size, broken: { seq, reason } });
  // every key the log introduced, as the full check trusts them (a handful of entries)
  for (const r of yield* read("keyEntries")) {
    let d: KeyDetails;
    try {
      d = JSON.parse(r.details) as KeyDetails;
    } catch {
      return fail(r.seq, `entry ${r.seq} (a log key) cannot be read`);
    }
    const problem = keys.learnKey(d);
    if (problem) return fail(r.seq, `entry ${r.seq}: ${problem}`);
  }
  const key = keys.keys.get(since.keyId);
  if (!key || !verifySignature(key, headMessage(since.size, since.root), since.sig))
    return fail(since.size, `the head given (size ${since.size}${since.source ? `, ${since.source}` : ""}) is not signed by a key of this log`);
  if (since.size > head.seq) return fail(head.seq + 1, `the log ends at entry ${head.seq}, before the head given (size ${since.size}): entries were removed`);
  const edge = yield* edgeAt(since.size);
  if (edge.root().toString("hex") !== since.root)
    return fail(
      since.size,
      `the first ${since.size} entries no longer give the root of the head given: an entry up to ${since.size} was changed (the log does not extend that head)`,
    );
  // the head's own last entry: as written, and the very leaf the head's tree holds (a rewrite that
  // recomputed the hashes changes it, even when every stored subtree was left as it was)
  const last = since.size > 0 ? yield* read("entryAt", since.size) : null;
  if (since.size > 0) {
    if (!last || entryHash(last) !== last.hash)
      return fail(since.size, `entry ${since.size}, the last of the head given, ${last ? "does not match its hash (edited)" : "is missing"}`);
    const walk = (t: Subtrees) => inclusionProofFrom(t, since.size - 1, since.size);
    const path = walk(yield* subtreesFor(since.size, walk));
    if (!verifyInclusion(leafHash(last.hash), since.size - 1, since.size, path, Buffer.from(since.root, "hex")))
      return fail(since.size, `entry ${since.size} is not the entry the head given holds: the log was rewritten (its hashes recomputed)`);
  }
  const kept = new Map((trusted.kept ?? []).filter((h) => h.size > since.size).map((h) => [h.size, h]));
  // the entries since, each as the full check checks it
  let prev = last?.hash ?? null;
  const touched = new Set<string>();
  let expected = since.size + 1;
  // in pages of whole entries, as the export reads them
  for (let page = yield* read("entries", since.size, 1000); page.length; page = yield* read("entries", page[page.length - 1]!.seq, 1000))
    for (const e of page) {
      if (e.seq !== expected) return fail(expected, `entry ${expected} is missing (entry ${expected - 1} is followed by entry ${e.seq})`);
      if (entryHash(e) !== e.hash) return fail(e.seq, `entry ${e.seq} does not match its hash (edited)`);
      if (prev !== null && e.prev !== prev) return fail(e.seq, `entry ${e.seq} does not link to the entry before it`);
      edge.append(leafHash(e.hash));
      if (e.sig && e.root && e.keyId) {
        const k = keys.keys.get(e.keyId);
        if (!k) return fail(e.seq, `entry ${e.seq}: its tree head is signed by key ${e.keyId}, which the log does not trust`);
        if (e.root !== edge.root().toString("hex"))
          return fail(
            e.seq,
            `entry ${e.seq}: its recorded tree root is not the root of the entries up to it grown from the head given: this entry or one before it was changed`,
          );
        if (!verifySignature(k, headMessage(e.seq, e.root), e.sig))
          return fail(e.seq, `entry ${e.seq}: the signature of its tree head does not verify (rewritten)`);
        keys.signed++;
      } else if (keys.keys.size) return fail(e.seq, `entry ${e.seq} carries no signed tree head (appended by hand?)`);
      const k = kept.get(e.seq);
      if (k && k.root !== edge.root().toString("hex"))
        return fail(e.seq, `the first ${e.seq} entries no longer give the root of the head kept in ${k.source ?? "a kept file"}`);
      if (e.documentId) touched.add(e.documentId);
      prev = e.hash;
      expected++;
      entries++;
    }
  if (expected - 1 !== head.seq || (prev !== null && prev !== head.hash))
    return fail(Math.min(expected, head.seq), `the log's recorded head (entry ${head.seq}) is not its last entry (${expected - 1})`);
  // analyses written since the head, logged or not: an analysis put in by hand for an old document (its
  // report page would change) names no new entry, so its document is replayed as well. Analysis ids grow
  // with the log (each is logged in its own transaction), so the newest analysis entry at the head bounds them.
  const before = yield* read("lastAnalysisEntry", since.size);
  let lastAnalysis = 0;
  try {
    lastAnalysis = Number((JSON.parse(before ?? "{}") as { analysisId?: number }).analysisId ?? 0);
  } catch {
    // the chain check above read every entry since; one before the head is the full check's to name
  }
  for (let page = yield* read("analysesAfter", lastAnalysis, 1000); page.length; page = yield* read("analysesAfter", page[page.length - 1]!.id, 1000))
    for (const r of page) {
      if (!r.documentStored)
        return {
          ok: false,
          entries,
          signed: keys.signed,
          keptHeads: kept.size,
          head,
          since: since.size,
          broken: null,
          figures: {
            ok: false,
            documents: 0,
            analyses: 0,
            rollupRows: 0,
            broken: {
              table: "analyses",
              row: `analysis ${r.id} (document ${r.documentId})`,
              reason: "its document is not in the store: the analysis was inserted by hand, or its document deleted",
            },
          },
        };
      touched.add(r.documentId);
    }
  const figures = yield* replayFigures(touched);
  return { ok: figures.ok, entries, signed: keys.signed, keptHeads: kept.size, head, since: since.size, broken: null, figures };
}
