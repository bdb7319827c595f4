// The stored log re-checked from its first entry, read a page at a time: each entry's hash and link, no
// missing number, the head row the last append wrote, each entry's signed tree head, and the heads kept
// outside the store. The same judgement as an export's offline check (log/export-check.ts entryProblem).
import { GENESIS } from "../../log/chain.js";
import { entryProblem, type ChainCheck, type TrustedHistory } from "../../log/export-check.js";
import type { HeadVerifier } from "../../log/head-verifier.js";
import type { CheckProgress } from "./progress.js";
import { SignedLogCheck } from "../../log/signed-history.js";
import { read, type CheckScript } from "./script.js";

/** Entries read at a time: what the walk holds is a page's, whatever the log's length. */
const PAGE = 1000;

/** The stored chain checked from its first entry, every signed head verified before it answers. */
export function* storedChain(trusted: TrustedHistory = {}, heads?: HeadVerifier): CheckScript<ChainCheck> {
  const walked = yield* walkChain(trusted, heads);
  return settled(walked.check, walked.settle());
}

/**
 * The walk, its signed heads possibly still being verified by other threads (`heads`): the caller may do
 * other work (the figures' replay) before it asks for them with settle(), and must ask before it answers.
 */
export function* walkChain(
  trusted: TrustedHistory = {},
  heads?: HeadVerifier,
  progress?: CheckProgress,
): CheckScript<{ check: ChainCheck; settle: () => { seq: number; reason: string } | null }> {
  const sc = new SignedLogCheck(trusted, heads);
  return { check: yield* walk(trusted, sc, progress), settle: () => sc.settle() };
}

/** A walk's answer with its heads' answer: a signature that did not verify is the problem when it comes first. */
export function settled(check: ChainCheck, bad: { seq: number; reason: string } | null): ChainCheck {
  if (!bad || (check.broken && check.broken.seq <= bad.seq)) return check;
  // every entry from `bad` on was walked, and each carried a head (every entry after the first key does)
  const entries = bad.seq - 1;
  return { ...check, ok: false, entries, signed: Math.max(0, (check.signed ?? 0) - (check.entries - entries)), broken: bad };
}

function* walk(trusted: TrustedHistory, sc: SignedLogCheck, progress?: CheckProgress): CheckScript<ChainCheck> {
  const head = yield* read("recordedHead");
  let prev = { seq: 0, hash: GENESIS };
  let n = 0;
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
    progress?.log(n, head.seq);
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
export function* chainAgainstHead(kept: { seq: number; hash: string }, trusted: TrustedHistory = {}, heads?: HeadVerifier): CheckScript<ChainCheck> {
  const r = yield* storedChain(trusted, heads);
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
