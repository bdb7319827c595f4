// The size of the background work's steps: each derivation step scaled to last STEP_MS by the time the last
// one took, so a request arriving during a directory change waits a few short steps, not a long one.
import { describe, expect, it } from "vitest";
import { nextBatch, StoreBackgroundWork, STEP_MS } from "../../src/queue/background-work.js";
import type { BackgroundStore } from "../../src/queue/background-stores.js";
import { WALK } from "../../src/lifecycle/rederive.js";

describe("the background work's steps", () => {
  it("shrinks a step that took too long to one that lasts STEP_MS", () => {
    // 100 derivations in 150 ms (a loaded machine): the next holds what 25 ms allow
    expect(nextBatch(100, 150, 100)).toBe(Math.round((100 * STEP_MS) / 150));
    expect(nextBatch(100, 150, 100)).toBeLessThan(20);
  });

  it("grows back to the most when steps are quick, and never below 5 nor above the most", () => {
    expect(nextBatch(10, 5, 100)).toBe(50);
    expect(nextBatch(50, 1, 100)).toBe(100);
    expect(nextBatch(5, 10_000, 100)).toBe(5);
    expect(nextBatch(100, 0, 100)).toBe(100);
  });
});

describe("a directory change's walk and its derivations, sized apart", () => {
  it("sizes the walk's slices by their own time, and the derivations after it by theirs", async () => {
    const asked: Array<[kind: string, size: number]> = [];
    let walks = 12;
    let derivations = 6;
    /** a busy wait: the step's cost on the event loop, as a synchronous store's */
    const spend = (ms: number) => {
      for (const end = performance.now() + ms; performance.now() < end;);
    };
    const store: BackgroundStore = {
      async deriveNext(batch, walk) {
        if (walks > 0) {
          walks--;
          asked.push(["walk", walk]);
          spend(walk * 0.02); // a slice of the store: 20 µs a document
          return "walk";
        }
        if (derivations-- > 0) {
          asked.push(["derive", batch]);
          spend(batch * 0.1);
          return "derive";
        }
        return null;
      },
      reverifyStep: async () => null,
      pending: async () => ({ derivations: 0, policyChanges: 0, reverifications: 0 }),
      open: () => true,
    };
    const work = new StoreBackgroundWork(store, () => {}, "test", 100);
    work.start();
    await work.idle();
    const slices = asked.filter(([k]) => k === "walk").map(([, n]) => n);
    const batches = asked.filter(([k]) => k === "derive").map(([, n]) => n);
    // the first slice is modest, and the slices settle near what STEP_MS allows (25 ms / 20 µs = 1,250)
    expect(slices[0]).toBeLessThanOrEqual(WALK / 10);
    for (const n of slices.slice(3)) expect(Math.abs(n - 1250)).toBeLessThan(400);
    // the derivations start at the most, not at a size the walk's time would give
    expect(batches[0]).toBe(100);
    // 100 µs a derivation: 250 a step, capped at the most (100)
    for (const n of batches) expect(n).toBe(100);
  });
});
