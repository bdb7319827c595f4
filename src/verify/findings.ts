// Findings collected while judging one signature, and how they become an indication (EN 319 102-1 §5.1.3):
// the first failure decides TOTAL_FAILED, else the first indeterminate finding, else the signature passes.
import { type MessageKey, say } from "./messages.js";
import { type Effect, type Severity, type SeverityTable, severityOf } from "./policy.js";
import type { Indication, ReportFinding, SubIndication } from "./report.js";

export interface Finding {
  key: MessageKey;
  params: Record<string, string | number>;
  effect: Effect | "info";
  sub: SubIndication | null;
}

export class Findings {
  readonly list: Finding[] = [];
  constructor(private readonly table: SeverityTable) {}

  /** A check's finding with its default severity, overridden by the policy table when it lists the key. */
  add(key: MessageKey, dflt: Severity | "info", params: Record<string, string | number> = {}): void {
    if (dflt === "info") {
      this.list.push({ key, params, effect: "info", sub: null });
      return;
    }
    const s = severityOf(this.table, key, dflt);
    this.list.push({ key, params, effect: s.effect, sub: s.sub ?? null });
  }

  /** A finding that decides the indication ahead of those already made (a precise cause found later). */
  lead(key: MessageKey, dflt: Severity, params: Record<string, string | number> = {}): void {
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
    return this.sorted().map((f) => say(f.key, f.params));
  }

  /** The findings as the report carries them, in the order of `messages()`. */
  report(): ReportFinding[] {
    return this.sorted().map((f) => ({ key: f.key, params: f.params, severity: f.effect, subIndication: f.sub }));
  }
}
