// The texts a report carries, in the reader's language, rendered from their keys: findings with their
// parameters, and what changed after signing. A report stored before the keys (English only) is shown as
// its English, as stored: nothing is read back from the words.
import { detailText, levelText } from "../verify/detail-words.js";
import { MESSAGES, say, type Lang, type MessageKey } from "../verify/messages.js";
import type { ReportFinding, SignatureReport } from "../verify/report.js";
import { moment } from "./exports/format.js";

/** Instants inside a message (reports keep ISO 8601 in UTC) in Vietnam's time, as the rest of the page. */
const localTimes = (text: string): string => text.replace(/\b\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})/g, (iso) => moment(iso, true));

/** One parameter of a finding in `lang`: its key when it is a text of its own, else as stored. */
function paramIn(f: ReportFinding, name: string, value: string | number, lang: Lang): string | number {
  const typed = f.phrases?.[name];
  if (typed) return detailText(typed, lang);
  // a level is a key whatever the report's age
  return name === "level" && typeof value === "string" ? levelText(value, lang) : value;
}

/**
 * The texts of a list of findings in `lang`, rendered from their keys. A report stored before findings
 * had keys (or with a key this version does not know) shows its English messages.
 */
export function findingTexts(findings: readonly ReportFinding[] | undefined, messages: readonly string[], lang: Lang): string[] {
  if (!findings || findings.length !== messages.length) return messages.map(localTimes);
  return findings.map((f, i) => {
    if (!(f.key in MESSAGES)) return localTimes(messages[i]!);
    const params = Object.fromEntries(Object.entries(f.params).map(([k, v]) => [k, paramIn(f, k, v, lang)]));
    return localTimes(say(f.key as MessageKey, params, lang));
  });
}

/** What changed after signing, one text a change, in `lang` from the keys; English as stored without them. */
export function changeTexts(m: SignatureReport["modifications"], lang: Lang): string[] {
  const typed = m.phrases && m.phrases.length === m.details.length ? m.phrases : null;
  return m.details.map((d, i) => (typed ? detailText(typed[i]!, lang) : d));
}
