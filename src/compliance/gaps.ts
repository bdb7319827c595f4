// Agency codes documents name that the directory does not know: the IT department's list of what to add.
// Pure: the documents held as directory gaps come from the store, the directory from its agencies.
import type { Directory } from "./directory.js";

export interface GapRow {
  code: string;
  documents: number;
  asSender: number;
  asRecipient: number;
  firstSeen: string;
}

/** The codes the directory lacks among these documents' senders and recipients, most documents first. */
export function gapsOf(dir: Directory, held: Iterable<{ sender: string; receivedAt: string; recipients: readonly string[] }>): GapRow[] {
  const gaps = new Map<string, GapRow>();
  const note = (code: string, asSender: boolean, at: string): void => {
    if (dir.entry(code)) return;
    const g = gaps.get(code) ?? { code, documents: 0, asSender: 0, asRecipient: 0, firstSeen: at };
    g.documents++;
    if (asSender) g.asSender++;
    else g.asRecipient++;
    if (at < g.firstSeen) g.firstSeen = at;
    gaps.set(code, g);
  };
  for (const d of held) {
    note(d.sender, true, d.receivedAt);
    for (const to of d.recipients) note(to, false, d.receivedAt);
  }
  return [...gaps.values()].sort((a, b) => b.documents - a.documents || a.code.localeCompare(b.code));
}
