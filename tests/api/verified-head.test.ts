// The head the audit route starts from (issue 27, point 4): a check that held sets it, one that failed
// clears it, and a check that started before a failure cannot set it again when it ends after it (a since
// check racing the daily full check that failed).
import { describe, expect, it } from "vitest";
import { VerifiedHead } from "../../src/api/verified-head.js";
import type { StoreCheck } from "../../src/store/sqlite/check.js";

const head = (size: number) => ({ size, root: "ab", keyId: "k", sig: "s" });
const held = (size: number): StoreCheck => ({ ok: true, entries: size, head: { seq: size, hash: "h" }, broken: null, verified: head(size) });
const failed: StoreCheck = { ok: false, entries: 1, head: { seq: 1, hash: "h" }, broken: { seq: 1, reason: "x" } };

describe("VerifiedHead", () => {
  it("keeps the newest head a check verified, and forgets it on a failure", () => {
    const v = new VerifiedHead();
    v.note(held(10), true, new Date(0));
    v.note(held(8), false, new Date(0));
    expect(v.head?.size).toBe(10);
    expect(v.lastFull).toEqual({ at: new Date(0).toISOString(), ok: true });
    v.note(failed, true, new Date(1));
    expect(v.head).toBeNull();
    expect(v.lastFull?.ok).toBe(false);
  });

  it("ignores a success from a check that started before the last failure", () => {
    const v = new VerifiedHead();
    v.note(held(10), true, new Date(0));
    const since = v.started();
    // the daily full check fails meanwhile
    v.note(failed, true, new Date(1), v.started());
    v.note(held(12), false, new Date(2), since);
    expect(v.head).toBeNull();
    // a check started after the failure may set it again
    v.note(held(12), true, new Date(3), v.started());
    expect(v.head?.size).toBe(12);
  });

  it("tells the store what a full check verified, and forgets it there when one fails; other checks tell it nothing", () => {
    const kept: Array<[number | null, string]> = [];
    const v = new VerifiedHead((h, at) => kept.push([h?.size ?? null, at.toISOString()]));
    v.note(held(10), true, new Date(0));
    v.note(held(12), false, new Date(1));
    v.note(failed, true, new Date(2));
    expect(kept).toEqual([
      [10, new Date(0).toISOString()],
      [null, new Date(2).toISOString()],
    ]);
  });
});
