// What /readyz says the store's checks covered (issue 27): on a log longer than the start-up check reads
// whole, "ready" says the older entries were checked through the tree only until a full check has held.
import { describe, expect, it } from "vitest";
import { storeReadiness } from "../../src/api/store-readiness.js";
import type { StartupCheck } from "../../src/store/sqlite/check.js";

const start = (from: number): StartupCheck => ({
  problem: null,
  entries: 1_000,
  whole: { from, to: 1_000 },
  extends: [{ size: 900, source: "heads.jsonl (its newest head)" }],
  sampled: 64,
});
const replay = (state: "running" | "held" | "failed") => ({ state: () => ({ state }) });

describe("storeReadiness", () => {
  it("says which entries were checked at start through the tree only while no full check has held", () => {
    const r = storeReadiness(start(951), replay("running"));
    expect(r.startupCheck).toEqual({ ok: true, entries: 1_000, whole: { from: 951, to: 1_000 }, extends: start(951).extends, sampled: 64 });
    expect(r.fullCheck).toEqual({ state: "running" });
    expect(r.note).toBe(
      "entries 1–950 were checked at start through the log's tree only (its consistency with the heads kept and 64 entries at random); the full check (running) verifies each of them",
    );
    expect(storeReadiness(start(951), replay("failed")).note).toMatch(/the full check \(failed\)/);
  });

  it("says nothing more once a full check held, or when the start-up check read every entry", () => {
    expect(storeReadiness(start(951), replay("held")).note).toBeUndefined();
    expect(storeReadiness(start(1), replay("running")).note).toBeUndefined();
  });

  it("reports a failed start-up check as not ok", () => {
    expect(storeReadiness({ ...start(1), problem: "entry 5 is missing" }, replay("running")).startupCheck.ok).toBe(false);
  });
});
