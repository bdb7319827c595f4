// Findings collected while judging one signature, and how they become an indication (EN 319 102-1 §5.1.3):
// the first failure decides TOTAL_FAILED, else the first indeterminate finding, else the signature passes.
import type { Phrase, PhraseParam } from "../words/phrase.js";
import { detailText } from "./detail-words.js";
import { type MessageKey, say } from "./messages.js";
import { type Effect, type Severity, type SeverityTable, severityOf } from "./policy.js";
import type { Indication, ReportFinding, SubIndication } from "./report.js";

export interface Finding {
  key: MessageKey;
  /** names and numbers as they are; a text of its own as a phrase */
  params: Record<string, PhraseParam>;
  effect: Effect | "info";
  sub: SubIndication | null;
}

export class Findings {
  readonly list: Finding[] = [];
  constructor(private readonly table: SeverityTable) {}

  /** A check's finding with its default severity, overridden by the policy table when it lists the key. */
  add(key: MessageKey, dflt: Severity | "info", params: Record<string, PhraseParam> = {}): void {
    if (dflt === "info") {
      this.list.push({ key, params, effect: "info", sub: null });
      return;
    }
    const s = severityOf(this.table, key, dflt);
    this.list.push({ key, params, effect: s.effect, sub: s.sub ?? null });
  }

  /** A finding that decides the indication ahead of those already made (a precise cause found later). */
  lead(key: MessageKey, dflt: Severity, params: Record<string, PhraseParam> = {}): void {
    const s = severityOf(this.table, key, dflt);
    this.list.unshift({ key, params, effect: s.effect, sub: s.sub ?? null });
  }

  /** Appends another collection's findings (a sub-check judged on its own). */
  merge(other: Findings): void {
    this.list.push(...other.list);
  }

  has(effect: Effect): boolean {
    return this.list.some((f) => f.effect === effect);
  }

  indication(): { indication: Indication; subIndication: SubIndication | null } {
    const fail = this.list.find((f) => f.effect === "fail");
    if (fail) return { indication: "TOTAL_FAILED", subIndication: fail.sub };
    const ind = this.list.find((f) => f.effect === "indeterminate");
    if (ind) return { indication: "INDETERMINATE", subIndication: ind.sub };
    return { indication: "TOTAL_PASSED", subIndication: null };
  }

  /** most important first: failures, then what leaves the signature undetermined, warnings, notes */
  private sorted(): Finding[] {
    const rank = { fail: 0, indeterminate: 1, warn: 2, info: 3 } as const;
    return [...this.list].sort((a, b) => rank[a.effect] - rank[b.effect]);
  }

  messages(): string[] {
    return this.sorted().map((f) => say(f.key, englishParams(f.params)));
  }

  /** The findings as phrases, in the order of `messages()`: one passed whole into another's parameter. */
  phrases(): Phrase[] {
    return this.sorted().map((f) => ({ key: f.key, params: f.params }));
  }

  /** The findings as the report carries them, in the order of `messages()`. */
  report(): ReportFinding[] {
    return this.sorted().map((f) => reported(f.key, f.params, f.effect, f.sub));
  }
}

/** Parameters as `say` takes them: a text of its own in English. */
export const englishParams = (params: Record<string, PhraseParam>): Record<string, string | number> =>
  Object.fromEntries(Object.entries(params).map(([k, v]) => [k, typeof v === "object" ? detailText(v, "en") : v]));

/** A finding as a report carries it: English parameters, and those that are texts of their own as keys. */
export function reported(key: string, params: Record<string, PhraseParam>, severity: ReportFinding["severity"], sub: SubIndication | null): ReportFinding {
  const phrases = Object.fromEntries(Object.entries(params).filter((e): e is [string, Phrase | readonly Phrase[]] => typeof e[1] === "object"));
  return {
    key,
    params: englishParams(params),
    ...(Object.keys(phrases).length ? { phrases } : {}),
    severity,
    subIndication: sub,
  };
}
