// What the auditors' page shows while the server's full check runs, without a browser: one bar over the
// log walk and then the figures' replay, the sentence saying which part and how far, the answer only of the
// check this page started (not an older one still shown as the last), and why none could run.
import { describe, expect, it } from "vitest";
import { fullCheckView, type FullCheckState } from "../../../src/pages/auditor/full-check.js";
import { AUDITOR_WORDS } from "../../../src/pages/auditor/words.js";

const en = AUDITOR_WORDS.en;
const vi = AUDITOR_WORDS.vi;
const answer = (run: number) => ({ run, ok: true, mode: "full" as const, entries: 10, head: { seq: 10, hash: "ab" } });

describe("the full check followed by the auditors' page", () => {
  it("fills the bar's first half with the log's entries and the second with the documents replayed", () => {
    const s: FullCheckState = { run: 3, state: "running", progress: { part: "log", done: 2_500, total: 10_000 }, result: null };
    expect(fullCheckView(s, 3, en)).toEqual({
      kind: "running",
      fraction: 0.125,
      text: "Full check running: the log's entries, 2,500 of 10,000 (then the figures replayed)",
    });
    const figures = fullCheckView({ ...s, progress: { part: "figures", done: 1, total: 4 } }, 3, vi);
    expect(figures).toEqual({ kind: "running", fraction: 0.625, text: "Đang kiểm tra toàn bộ: tính lại số liệu từ nhật ký, 1 trên 4 văn bản" });
    // a check that has not said anything yet: a bar with no value, not 0%
    expect(fullCheckView({ ...s, progress: undefined }, 3, en)).toMatchObject({ kind: "running", fraction: null, text: "Full check running: starting" });
  });

  it("shows the answer of its own check, not the last one's while its own still runs", () => {
    const running: FullCheckState = { run: 3, state: "running", progress: { part: "log", done: 1, total: 2 }, result: answer(2) };
    expect(fullCheckView(running, 3, en).kind).toBe("running");
    expect(fullCheckView({ ...running, state: "held", result: answer(3) }, 3, en)).toEqual({ kind: "done", answer: answer(3) });
    // a later check (the daily one, started after) answers for this one too
    expect(fullCheckView({ ...running, run: 4, state: "held", result: answer(4) }, 3, en)).toMatchObject({ kind: "done" });
  });

  it("says why the check could not run rather than showing an older answer", () => {
    const s: FullCheckState = { run: 3, state: "could not run", error: "the thread ran out of memory", result: answer(2) };
    expect(fullCheckView(s, 3, en)).toEqual({ kind: "failed", text: "The full check could not run: the thread ran out of memory" });
  });
});
