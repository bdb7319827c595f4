// The stored log re-checked from its first entry, read a page at a time: each entry's hash and link, no
// missing number, the head row the last append wrote, each entry's signed tree head, and the heads kept
// outside the store. The same judgement as an export's offline check (log/export-check.ts entryProblem).
import { GENESIS } from "../../log/chain.js";
import { entryProblem, type ChainCheck, type TrustedHistory } from "../../log/export-check.js";
import { SignedLogCheck } from "../../log/signed-history.js";
import { read, type CheckScript } from "./script.js";

/** Entries read at a time: what the walk holds is a page's, whatever the log's length. */
const PAGE = 1000;

export function* storedChain(trusted: TrustedHistory = {}): CheckScript<ChainCheck> {
  const head = yield* read("recordedHead");
  let prev = { seq: 0, hash: GENESIS };
  let n = 0;
  const sc = new SignedLogCheck(trusted);
  const fail = (seq: number, reason: string): ChainCheck => ({ ok: false, entries: n, signed: sc.signed, head, broken: { seq, reason } });
  // from below 1: a row numbered 0 or less, put in by hand, is read too (and named)
  for (let page = yield* read("entries", Number.MIN_SAFE_INTEGER, PAGE); page.length; page = yield* read("entries", prev.seq, PAGE)) {
    for (const e of page) {
      if (e.seq !== prev.seq + 1) return fail(prev.seq + 1, `entry ${prev.seq + 1} is missing (entry ${prev.seq} is followed by entry ${e.seq})`);
      const problem = entryProblem(e, prev.hash);
      if (problem) return fail(e.seq, `entry ${e.seq}: ${problem}`);
      const unsigned = sc.add(e);
      if (unsigned) return fail(unsigned.seq, unsigned.reason);
      prev = { seq: e.seq, hash: e.hash };
      n++;
    }
  }
  if (prev.seq !== head.seq || prev.hash !== head.hash) {
    const reason =
      prev.seq < head.seq
        ? `entry ${prev.seq + 1} is missing: the log ends at entry ${prev.seq}, its recorded head is entry ${head.seq}`
        : `entry ${prev.seq} does not match the recorded head (entry ${head.seq})`;
    return fail(Math.min(prev.seq + 1, head.seq || prev.seq), reason);
  }
  const outside = sc.finish();
  if (outside) return fail(outside.seq, outside.reason);
  return { ok: true, entries: n, signed: sc.signed, keptHeads: trusted.kept?.length ?? 0, head, broken: null };
}

/**
 * The stored chain checked against a head kept elsewhere (an earlier export's last line, a head an auditor
 * noted): the entry at that seq must still carry that hash. This catches a rewrite of the whole log with
 * every hash recomputed, which the chain alone cannot.
 */
export function* chainAgainstHead(kept: { seq: number; hash: string }, trusted: TrustedHistory = {}): CheckScript<ChainCheck> {
  const r = yield* storedChain(trusted);
  if (!r.ok || kept.seq === 0) return r;
  const e = yield* read("entryAt", kept.seq);
  if (!e)
    return {
      ...r,
      ok: false,
      broken: { seq: kept.seq, reason: `entry ${kept.seq}, a head recorded earlier (an export, an auditor's note), is no longer in the log` },
    };
  if (e.hash !== kept.hash)
    return { ...r, ok: false, broken: { seq: kept.seq, reason: `entry ${kept.seq} no longer has the hash recorded earlier: the log was rewritten` } };
  return r;
}
