// Severity is data (STYLE.md §4): which finding fails, makes a signature indeterminate, or only warns.
// Checks that are never negotiable (a hash mismatch, a ByteRange gap that is not the /Contents) are not
// here; this table holds the choices a province could reasonably make differently.
import type { MessageKey } from "./messages.js";
import type { SubIndication } from "./report.js";

export type Effect = "fail" | "indeterminate" | "warn";

export interface Severity {
  effect: Effect;
  sub?: SubIndication;
}

export type PolicyName = "default" | "strict";

export type SeverityTable = Partial<Record<MessageKey, Severity>>;

const DEFAULT: SeverityTable = {
  "crypto.sha1": { effect: "warn" },
  "crypto.md5": { effect: "indeterminate", sub: "CRYPTO_CONSTRAINTS_FAILURE_NO_POE" },
  "cms.attrsOrder": { effect: "warn" },
  "mod.trailingWhite": { effect: "warn" },
  "doc.sharedDict": { effect: "warn" },
  "ts.invalid": { effect: "indeterminate", sub: "SIG_CONSTRAINTS_FAILURE" },
  "ts.unreadable": { effect: "indeterminate", sub: "SIG_CONSTRAINTS_FAILURE" },
};

const STRICT: SeverityTable = {
  ...DEFAULT,
  "crypto.sha1": { effect: "indeterminate", sub: "CRYPTO_CONSTRAINTS_FAILURE_NO_POE" },
  "trust.sha1": { effect: "indeterminate", sub: "CRYPTO_CONSTRAINTS_FAILURE_NO_POE" },
  "trust.weakKey": { effect: "indeterminate", sub: "CRYPTO_CONSTRAINTS_FAILURE_NO_POE" },
  "cms.attrsOrder": { effect: "fail", sub: "FORMAT_FAILURE" },
  "format.subfilter": { effect: "fail", sub: "FORMAT_FAILURE" },
  "doc.sharedDict": { effect: "indeterminate", sub: "SIG_CONSTRAINTS_FAILURE" },
  "mod.unrecognised": { effect: "fail", sub: "FORMAT_FAILURE" },
  "crypto.digestInfoNoNull": { effect: "fail", sub: "SIG_CRYPTO_FAILURE" },
  "crypto.hashMismatch": { effect: "indeterminate", sub: "CRYPTO_CONSTRAINTS_FAILURE" },
};

export const POLICIES: Record<PolicyName, SeverityTable> = { default: DEFAULT, strict: STRICT };

export function severityOf(table: SeverityTable, key: MessageKey, fallback: Severity): Severity {
  return table[key] ?? fallback;
}
