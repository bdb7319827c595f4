// The log's export format (JSONL), written once for every store: one canonical entry per line, then a final
// line `{"head": …}` with the chain head at export time (signed when the log signs its heads) and the filter
// used. A script: it asks its driver for pages of the filtered log (yielding where to read from) and yields
// lines as it goes, so a synchronous store (the CLI's) and an asynchronous port (the API's) read it the
// same way, a page in memory at a time.
import { auditLine, canonicalJson } from "./chain.js";
import type { AuditEntry } from "./entry.js";
import type { AuditFilter, LogPage } from "./filter.js";

/** Entries read per page. */
export const EXPORT_PAGE = 1000;

/** What the script yields: a line of the export, or a request for the page after entry `after`. */
export type ExportStep = { line: string } | { after: number };

/** The export of the entries `f` admits up to the head (entries appended meanwhile are left out). */
export function* exportScript(
  head: { seq: number; hash: string; root?: string | undefined; keyId?: string | undefined; sig?: string | undefined },
  f: AuditFilter,
): Generator<ExportStep, void, LogPage<AuditEntry> | undefined> {
  let n = 0;
  for (let after = 0; ;) {
    const page = yield { after };
    let past = false;
    for (const e of page!.entries) {
      if (e.seq > head.seq) past = true;
      if (past) break;
      n++;
      yield { line: auditLine(e) + "\n" };
    }
    if (past || page!.next === null) break;
    after = page!.next;
  }
  const filtered = Object.values(f).some((v) => v !== undefined);
  yield {
    line:
      canonicalJson({
        head: {
          seq: head.seq,
          hash: head.hash,
          entries: n,
          complete: !filtered,
          ...(filtered ? { filter: f } : {}),
          ...(head.sig ? { root: head.root, keyId: head.keyId, sig: head.sig } : {}),
        },
      }) + "\n",
  };
}

/** The export read from an asynchronous log (the API streams it): its head, then its pages. */
export async function* exportLines(
  log: { head(): Promise<{ seq: number; hash: string }>; page(f: AuditFilter, afterSeq: number, limit: number): Promise<LogPage<AuditEntry>> },
  f: AuditFilter,
): AsyncGenerator<string> {
  const head = await log.head();
  // the head's own entry carries its signature
  const signed = head.seq ? (await log.page({}, head.seq - 1, 1)).entries[0] : undefined;
  const script = exportScript({ ...head, ...(signed?.seq === head.seq ? { root: signed.root, keyId: signed.keyId, sig: signed.sig } : {}) }, f);
  for (let step = script.next(); !step.done;) {
    if ("line" in step.value) {
      yield step.value.line;
      step = script.next();
    } else step = script.next(await log.page(f, step.value.after, EXPORT_PAGE));
  }
}
