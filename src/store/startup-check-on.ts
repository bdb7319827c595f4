// The start-up check of a store served through its ports (PostgreSQL): bounded whatever the log's length.
// With a published head, the log is checked from it (its consistency with the head, then every entry
// since, each re-hashed and linked, and the figures of the documents they name). Without one, from the
// log's own signed head some entries back (the newest WHOLE entries read whole, as the embedded store's
// start-up check reads them): its signature by a key of the log and the stored tree's consistency with it
// stand for the older entries until the full check, run after start, verifies each. A short log, or one
// older than signed heads, is walked whole.
import { runCheckAsync, read, type CheckScript } from "./check/script.js";
import { checkSince } from "./check/since.js";
import { storedChain } from "./check/chain.js";
import type { KeptHead } from "../log/signed-history.js";
import type { CheckSource } from "./ports.js";
import { WHOLE, type StartupCheck } from "./startup-coverage.js";

/** The log's own signed head `whole` entries before its end, or null: a short log, or that entry carries none. */
function* ownHeadBack(whole: number): CheckScript<KeptHead | null> {
  const head = yield* read("recordedHead");
  if (head.seq <= whole) return null;
  const e = yield* read("entryAt", head.seq - whole);
  if (!e?.root || !e.keyId || !e.sig) return null;
  return { size: e.seq, root: e.root, keyId: e.keyId, sig: e.sig, source: `the log's own signed head at entry ${e.seq}` };
}

export async function startupCheckOn(
  store: { checkSource(): CheckSource | Promise<CheckSource> },
  published: KeptHead | null,
  headsFile: string | null,
  whole = WHOLE,
): Promise<StartupCheck> {
  const source = await store.checkSource();
  try {
    const from = published ?? (await source.snapshot((s) => runCheckAsync(s, ownHeadBack(whole))));
    if (from) {
      const r = await source.snapshot((s) => runCheckAsync(s, checkSince(from)));
      const figures =
        r.figures && !r.figures.ok ? `the figures of the documents since the ${published ? "published head" : "newest entries"} do not match the log` : null;
      return {
        problem: r.broken ? `entry ${r.broken.seq}: ${r.broken.reason}` : figures,
        entries: r.head.seq,
        whole: r.head.seq > from.size ? { from: from.size + 1, to: r.head.seq } : null,
        // the log's own head is no anchor kept outside it: readiness says the older entries wait for the full check
        extends: published ? [{ size: published.size, source: headsFile ?? "the published heads" }] : [],
        sampled: 0,
      };
    }
    const r = await source.snapshot((s) => runCheckAsync(s, storedChain()));
    return {
      problem: r.broken ? `entry ${r.broken.seq}: ${r.broken.reason}` : null,
      entries: r.head.seq,
      whole: r.head.seq ? { from: 1, to: r.head.seq } : null,
      extends: [],
      sampled: 0,
    };
  } finally {
    await source.close();
  }
}
