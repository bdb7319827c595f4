// The size of the background work's steps: each derivation step scaled to last STEP_MS by the time the last
// one took, so a request arriving during a directory change waits a few short steps, not a long one.
import { describe, expect, it } from "vitest";
import { nextBatch, STEP_MS } from "../../src/queue/background-work.js";

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
