// The sender filter by name (no DOM): what an auditor types is matched against the directory's names and
// codes (Vietnamese lower case, composed form: "sở tài" finds "Sở Tài chính", diacritics count as the
// other pages count them), and the list is asked for the codes matched.

export interface Agency {
  code: string;
  name: string;
}

const fold = (s: string): string => s.normalize("NFC").toLocaleLowerCase("vi");

/**
 * The agencies a typed text names: the one whose code it is, else every agency whose name and code hold
 * every word typed; none for an empty text (no filter).
 */
export function matchingAgencies(text: string, agencies: readonly Agency[]): Agency[] {
  const typed = fold(text.trim());
  if (!typed) return [];
  const exact = agencies.filter((a) => fold(a.code) === typed);
  if (exact.length) return exact;
  const words = typed.split(/\s+/);
  return agencies.filter((a) => {
    const hay = fold(a.name + " " + a.code);
    return words.every((w) => hay.includes(w));
  });
}

/** The sender parameter for the agencies matched: their codes, separated by commas. */
export const senderParam = (matched: readonly Agency[]): string => matched.map((a) => a.code).join(",");
