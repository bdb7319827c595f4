// What the report page says a document's and a signature's state is (issue 25): one statement with its
// reason, and a third state, neither valid nor failed, for a signature that passed although nobody could
// say whether its certificate was revoked (the soft-fail policy lets it count, with that reservation).
import type { Lang } from "../verify/messages.js";
import type { DocumentReport, SignatureReport } from "../verify/report.js";
import { INDICATIONS, SUB_INDICATIONS, UI, VERDICTS, word } from "./report-words.js";

/** ok: green, warn: neither green nor red, bad: red; `state` names it for readers and tests */
export interface Statement {
  readonly tone: "ok" | "warn" | "bad";
  readonly state: string;
  readonly text: string;
  /** what the state means for the figures, when that needs saying */
  readonly note?: string;
}

/** A signature that passed without its revocation checked (soft-fail, or revocation off). */
export const passedUnchecked = (s: SignatureReport): boolean => s.kind === "signature" && s.indication === "TOTAL_PASSED" && s.revocation.status === "unknown";

/**
 * Why a signature's revocation is unknown: looked for and not found (the soft-fail policy's finding), or not
 * looked for (the policy turns it off, and says nothing). Reports stored before findings had keys: by text.
 */
export function revocationUnchecked(s: SignatureReport): "soft-fail" | "off" {
  const found = s.findings
    ? s.findings.some((f) => f.key === "trust.noRevocation")
    : s.messages.some((m) => m.startsWith("no revocation data could be checked"));
  return found ? "soft-fail" : "off";
}

/**
 * Why a signature did not pass. A later revision that changed the content fails the signature with
 * FORMAT_FAILURE (the signature itself is sound): the words say the content changed, not that the
 * signature is malformed.
 */
export function failureReason(s: SignatureReport, lang: Lang): string | null {
  if (s.indication === "TOTAL_PASSED") return null;
  if (s.indication === "TOTAL_FAILED" && s.subIndication === "FORMAT_FAILURE" && s.modifications.level === "other") return word(UI, "changedLater", lang);
  return s.subIndication ? word(SUB_INDICATIONS, s.subIndication, lang) : null;
}

/** One signature's result. */
export function signatureStatement(s: SignatureReport, lang: Lang): Statement {
  if (passedUnchecked(s))
    return {
      tone: "warn",
      state: "valid-revocation-unchecked",
      text: word(UI, revocationUnchecked(s) === "off" ? "resultRevocationOff" : "resultUnchecked", lang),
    };
  const reason = failureReason(s, lang);
  const text = `${word(INDICATIONS, s.indication, lang)}${reason ? `: ${reason}` : ""}`;
  return s.indication === "TOTAL_PASSED"
    ? { tone: "ok", state: "valid", text }
    : s.indication === "TOTAL_FAILED"
      ? { tone: "bad", state: "invalid", text }
      : { tone: "warn", state: "indeterminate", text };
}

/** The document's verdict at the top of the page, with the reasons of the signatures that decided it. */
export function verdictStatement(r: DocumentReport, lang: Lang): Statement {
  const reasons = (pick: (s: SignatureReport) => boolean) =>
    [
      ...new Set(
        r.signatures
          .filter(pick)
          .map((s) => failureReason(s, lang))
          .filter((x): x is string => !!x),
      ),
    ].join("; ");
  switch (r.verdict) {
    case "signed-valid": {
      const unchecked = r.signatures.filter(passedUnchecked);
      if (unchecked.length === 0) return { tone: "ok", state: "valid", text: word(VERDICTS, "signed-valid", lang) };
      const off = unchecked.every((s) => revocationUnchecked(s) === "off");
      return {
        tone: "warn",
        state: "valid-revocation-unchecked",
        text: `${word(VERDICTS, "signed-valid", lang)}${word(UI, off ? "verdictRevocationOff" : "verdictUnchecked", lang)}`,
        note: word(UI, off ? "offNote" : "softFailNote", lang),
      };
    }
    case "signed-invalid": {
      const why = reasons((s) => s.indication === "TOTAL_FAILED");
      return { tone: "bad", state: "invalid", text: why ? `${word(UI, "verdictInvalid", lang)}: ${why}` : word(VERDICTS, "signed-invalid", lang) };
    }
    case "signed-indeterminate": {
      const why = reasons((s) => s.kind === "signature" && s.indication === "INDETERMINATE");
      return { tone: "warn", state: "indeterminate", text: `${word(VERDICTS, "signed-indeterminate", lang)}${why ? `: ${why}` : ""}` };
    }
    case "unreadable":
      return { tone: "bad", state: "unreadable", text: word(VERDICTS, "unreadable", lang) };
    default:
      return { tone: "warn", state: "unsigned", text: word(VERDICTS, r.verdict, lang) };
  }
}
