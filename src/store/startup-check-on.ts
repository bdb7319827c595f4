// The start-up check of a store served through its ports (PostgreSQL): bounded whatever the log's length.
// With a published head, the log is checked from it (its consistency with the head, then every entry
// since, each re-hashed and linked, and the figures of the documents they name); without one, the whole
// chain (a new store, or one whose heads were never published). The full check runs after start.
import { runCheckAsync } from "./check/script.js";
import { checkSince } from "./check/since.js";
import { storedChain } from "./check/chain.js";
import type { KeptHead } from "../log/signed-history.js";
import type { StoreHandle } from "./open-store.js";
import type { StartupCheck } from "./sqlite/startup-check.js";

export async function startupCheckOn(store: StoreHandle, published: KeptHead | null, headsFile: string | null): Promise<StartupCheck> {
  const source = store.checkSource();
  try {
    if (published) {
      const r = await source.snapshot((s) => runCheckAsync(s, checkSince(published)));
      const figures = r.figures && !r.figures.ok ? `the figures of the documents since the published head do not match the log` : null;
      return {
        problem: r.broken ? `entry ${r.broken.seq}: ${r.broken.reason}` : figures,
        entries: r.head.seq,
        whole: r.head.seq > published.size ? { from: published.size + 1, to: r.head.seq } : null,
        extends: [{ size: published.size, source: headsFile ?? "the published heads" }],
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
