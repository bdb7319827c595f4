// What to do next, from a period's figures: one rule for the dashboard and leadership's report. Below the
// target, the agencies furthest from it; the main reason documents do not count (a category someone can
// act on); agency codes the directory lacks, whose documents wait outside the figures; and, when the policy
// requires the sender's own seal, the agencies whose valid documents another agency sealed. Pure.
import type { Category } from "./category.js";

export type NextStep =
  | { kind: "keep" }
  | { kind: "agencies"; agencies: Array<{ code: string; name: string; gap: number }> }
  | { kind: "reason"; category: Category; documents: number }
  | { kind: "directory"; codes: number; documents: number }
  /** under KYSO_REQUIRE_SENDER_SEAL: the agencies whose valid documents another agency (or officials alone) sealed */
  | { kind: "seal"; agencies: Array<{ code: string; name: string; documents: number }> };

/** Categories a sender can do something about, each with a plain action (words in the renderers). */
export const ACTIONABLE: readonly Category[] = [
  "unsigned",
  "paper",
  "signed-invalid",
  "signed-indeterminate",
  "electronic-not-pdf",
  "unreadable",
  "signed-valid-not-sender",
];

export interface NextInput {
  rate: number | null;
  target: number;
  byCategory: Partial<Record<Category, number>>;
  agencies: ReadonlyArray<{ code: string; name: string; gap: number; denominator: number; byCategory?: Partial<Record<Category, number>> }>;
  /** the policy requires the sender's own seal: name the agencies whose documents lack it */
  requireSenderSeal?: boolean;
  /** agency codes the exchanges name that the directory lacks, with their documents */
  gaps: ReadonlyArray<{ documents: number }>;
}

export function nextSteps(x: NextInput, topAgencies = 3): NextStep[] {
  if (x.rate === null) return [];
  const out: NextStep[] = [];
  if (x.rate >= x.target) out.push({ kind: "keep" });
  else {
    const lag = x.agencies
      .filter((a) => a.denominator > 0 && a.gap > 0)
      .sort((a, b) => b.gap - a.gap || a.code.localeCompare(b.code))
      .slice(0, topAgencies);
    if (lag.length) out.push({ kind: "agencies", agencies: lag.map(({ code, name, gap }) => ({ code, name, gap })) });
  }
  let main: { category: Category; documents: number } | null = null;
  for (const c of ACTIONABLE) {
    const n = x.byCategory[c] ?? 0;
    if (n > 0 && (!main || n > main.documents)) main = { category: c, documents: n };
  }
  if (main) out.push({ kind: "reason", ...main });
  if (x.requireSenderSeal) {
    const unsealed = x.agencies
      .map((a) => ({ code: a.code, name: a.name, documents: a.byCategory?.["signed-valid-not-sender"] ?? 0 }))
      .filter((a) => a.documents > 0)
      .sort((a, b) => b.documents - a.documents || a.code.localeCompare(b.code))
      .slice(0, topAgencies);
    if (unsealed.length) out.push({ kind: "seal", agencies: unsealed });
  }
  if (x.gaps.length) out.push({ kind: "directory", codes: x.gaps.length, documents: x.gaps.reduce((n, g) => n + g.documents, 0) });
  return out;
}
