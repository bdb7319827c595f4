// What the page makes of the server's full check while it waits for it (no DOM): the share done and the
// sentence for the progress bar while it runs, then the answer of the check this page started (or one
// that ran later), or why none could run. The check takes minutes on a long log: the page asks every
// second rather than holding one request open through proxies' timeouts.
import type { VerifyAnswer } from "./check-text.js";
import type { AuditorWords } from "./words.js";

/** GET /api/v1/audit/verify/full's answer, as the page reads it. */
export interface FullCheckState {
  run: number;
  state: "not run yet" | "running" | "held" | "failed" | "could not run";
  progress?: { part: "log" | "figures"; done: number; total: number };
  error?: string | null;
  result: (VerifyAnswer & { run: number }) | null;
}

export type FullCheckView =
  { kind: "running"; fraction: number | null; text: string } | { kind: "done"; answer: VerifyAnswer } | { kind: "failed"; text: string };

/** Where the check started as run `mine` stands, as the page shows it. */
export function fullCheckView(s: FullCheckState, mine: number, T: AuditorWords): FullCheckView {
  if (s.result && s.result.run >= mine) return { kind: "done", answer: s.result };
  if (s.state === "running") {
    const p = s.progress;
    if (!p || p.total <= 0) return { kind: "running", fraction: null, text: T.checkStarting };
    // the log is walked first, then the figures: one bar over both, half each
    const share = Math.min(1, p.done / p.total);
    return {
      kind: "running",
      fraction: p.part === "log" ? share / 2 : 0.5 + share / 2,
      text: p.part === "log" ? T.checkingLog(p.done, p.total) : T.checkingFigures(p.done, p.total),
    };
  }
  return { kind: "failed", text: T.couldNotRun(s.error ?? s.state) };
}
