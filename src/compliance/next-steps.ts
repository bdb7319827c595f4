// What to do next, from a period's figures: one rule for the dashboard and leadership's report. Below the
// target, the agencies furthest from it; the main reason documents do not count (a category someone can
// act on); and agency codes the directory lacks, whose documents wait outside the figures. Pure.
import type { Category } from "./category.js";

export type NextStep =
  | { kind: "keep" }
  | { kind: "agencies"; agencies: Array<{ code: string; name: string; gap: number }> }
  | { kind: "reason"; category: Category; documents: number }
  | { kind: "directory"; codes: number; documents: number };

/** Categories a sender can do something about, each with a plain action (words in the renderers). */
export const ACTIONABLE: readonly Category[] = ["unsigned", "paper", "signed-invalid", "signed-indeterminate", "electronic-not-pdf", "unreadable"];

export interface NextInput {
  rate: number | null;
  target: number;
  byCategory: Partial<Record<Category, number>>;
  agencies: ReadonlyArray<{ code: string; name: string; gap: number; denominator: number }>;
  /** agency codes the exchanges name that the directory lacks, with their documents */
  gaps: ReadonlyArray<{ documents: number }>;
}

export function nextSteps(x: NextInput, topAgencies = 3): NextStep[] {
  if (x.rate === null) return [];
  const out: NextStep[] = [];
  if (x.rate >= x.target) out.push({ kind: "keep" });
  else {
    const lag = x.agencies.filter((a) => a.denominator > 0 && a.gap > 0).sort((a, b) => b.gap - a.gap || a.code.localeCompare(b.code)).slice(0, topAgencies);
    if (lag.length) out.push({ kind: "agencies", agencies: lag.map(({ code, name, gap }) => ({ code, name, gap })) });
  }
  let main: { category: Category; documents: number } | null = null;
  for (const c of ACTIONABLE) {
    const n = x.byCategory[c] ?? 0;
    if (n > 0 && (!main || n > main.documents)) main = { category: c, documents: n };
  }
  if (main) out.push({ kind: "reason", ...main });
  if (x.gaps.length) out.push({ kind: "directory", codes: x.gaps.length, documents: x.gaps.reduce((n, g) => n + g.documents, 0) });
  return out;
}
