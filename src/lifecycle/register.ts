// A register (sổ đăng ký văn bản) recorded as steps any backend runs. Reconciliation: each row is matched
// to the document with its sender, số/ký hiệu and date; a row matched to an electronic document adds
// nothing to the count; an unmatched row is a paper exchange in the denominator (until its file comes);
// electronic documents no register lists still count. Each row is kept with what it matched.
import { ask, type TxScript } from "../store/document-tx.js";
import type { DocumentMeta, DocumentRow } from "../store/rows.js";
import type { Source, StoredFile } from "./lineage.js";
import { apply } from "./submit.js";

export interface RegisterEntry {
  line: number;
  meta: DocumentMeta;
  /** a stored file the row names (kyso's layout: `sha256`, or the scan's `file`) */
  file?: StoredFile | null;
  /** the register's own paper/electronic column, recorded with the row */
  form?: "paper" | "electronic" | "both";
}

export interface RegisterOutcome {
  line: number;
  id: string;
  /** matched an electronic document (adds nothing to the count) */
  matched: boolean;
  existing: boolean;
  status: DocumentRow["status"];
}

export interface RegisterImport {
  owner: string | null;
  layout: string;
  rows: RegisterEntry[];
  source: Source;
}

/** The whole register: its rows, then the import's log entry. */
export function* registerImport(x: RegisterImport, actor: string): TxScript<RegisterOutcome[]> {
  const out = yield* registerRows(x, x.rows, actor);
  yield* logRegisterImport(x, out, actor);
  return out;
}

/** Some of a register's rows, each submitted as a document and kept with what it matched. */
export function* registerRows(x: RegisterImport, rows: readonly RegisterEntry[], actor: string): TxScript<RegisterOutcome[]> {
  const out: RegisterOutcome[] = [];
  for (const r of rows) {
    const s = yield* apply({ kind: "document", source: x.source, meta: r.meta, file: r.file ?? null }, actor);
    const row = (yield* ask("documentRow", s.id!))!;
    const matched = row.channel === "electronic";
    yield* ask("keepRegisterRow", {
      owner: x.owner ?? "",
      register: x.layout,
      key: `${r.meta.sender}|${r.meta.number ?? ""}|${r.meta.issuedDate ?? ""}|${r.meta.number || r.meta.issuedDate ? "" : r.line}`,
      line: r.line,
      sender: r.meta.sender,
      recipients: r.meta.recipients.join(","),
      number: r.meta.number ?? null,
      issued: r.meta.issuedDate ?? null,
      received: r.meta.receivedAt.slice(0, 10),
      type: r.meta.type ?? null,
      subject: r.meta.subject ?? null,
      doc: row.id,
      matched: matched ? 1 : 0,
      at: new Date().toISOString(),
      form: r.form ?? null,
    });
    out.push({ line: r.line, id: row.id, matched, existing: s.existing, status: row.status });
  }
  return out;
}

export function* logRegisterImport(x: RegisterImport, out: readonly RegisterOutcome[], actor: string): TxScript<void> {
  yield* ask("log", {
    actor,
    action: "register-import",
    subject: `${x.layout} register${x.owner ? ` of ${x.owner}` : ""}`,
    agency: x.owner,
    details: { rows: out.length, matched: out.filter((o) => o.matched).length, new: out.filter((o) => !o.existing).length },
  });
}
