// `kyso scan DIR`: ingests a folder export into the store (no server needed): edXML messages as the
// national exchange writes them, and registers (kyso's columns with a `file` column naming each PDF, or
// Nghị định 30's incoming and outgoing registers), then analyzes what it queued. Messages are
// independent: one that cannot be read is listed as rejected and the rest are stored. A register is
// checked whole first: a bad row stops the scan before anything is stored. Resumable: the same bytes,
// message or row again are the same document.
import { existsSync, readFileSync, statSync } from "node:fs";
import { isAbsolute, join, relative, resolve } from "node:path";
import { parseArgs } from "node:util";
import { now as clockNow } from "../clock.js";
import { agenciesFromCsv, AgencyError } from "../ingest/agencies.js";
import { EdxmlError } from "../ingest/edxml.js";
import { EdxmlParser } from "../ingest/edxml-parser.js";
import { edxmlSubmission, messageKind, trustedTraceFromEnv, type MessageKind } from "../ingest/edxml-submission.js";
import { parseRegister, RegisterError, type RegisterRow } from "../ingest/register.js";
import { isXlsx, parseRegisterXlsx } from "../ingest/register-xlsx.js";
import { submitRegisterOn, submitTo, updateDirectoryOn, type RegisterEntry } from "../lifecycle/index.js";
import { BlobStore } from "../store/blobs.js";
import { directoryFrom } from "../store/rows.js";
import { storePaths } from "../store/paths.js";
import { deriveNextOn, settleLineages } from "../lifecycle/rederive.js";
import { cliActor } from "./actor.js";
import { dataDirOf } from "./data-dir.js";
import { analyzeQueued } from "./analyze-queued.js";
import { openCommandStore } from "./open-ports.js";
import { filesUnder } from "./files.js";
import { Progress } from "./progress.js";
import { UsageError } from "./usage.js";

export const SCAN_HELP = `Usage: kyso scan DIR [--register FILE]... [--register-owner CODE] [--agencies CSV] [--data DIR] [--trust DIR]... [--no-analyze] [--json]

Ingests a folder export into the store:
  - every edXML message in DIR (*.edxml, *.xml), as the national exchange writes it: a new document
    (its main file is the first attachment the manifest lists; a .doc or .txt is counted
    electronic-not-pdf), an update or replacement (supersedes the version it names), a revocation (the
    document leaves the figures), or a status message (recorded as an event of the document it answers).
    The time received is the last trace time, else the file's modification time. A message that cannot
    be read at all is listed as rejected; the others are stored all the same.
  - each register (--register, repeatable): kyso's columns (sender, recipients, number, issuedDate, …,
    and \`file\`, a PDF relative to DIR; rows without a file are paper exchanges), or a Nghị định 30
    Phụ lục IV incoming or outgoing register (Vietnamese headers, comma or semicolon, dd/MM/yyyy, agency
    names or codes) kept by --register-owner, as CSV or as an XLSX workbook (the header row found below a
    title block; number and notation in two columns, "Số & ký hiệu", "Cơ quan ban hành", "Ngày nhận";
    a paper/electronic column recorded with each row). Rows are reconciled with the electronic documents
    (same sender, số/ký hiệu and date; sender and number where the register has no date): a matched row
    adds nothing, an unmatched one is a paper exchange. A register with a bad row stores nothing (the
    sheet, row and column are named).
Agency codes the directory does not know are kept and listed as directory gaps (kyso reconcile).
Then analyzes what was queued (unless --no-analyze; \`kyso serve\` on the same data folder would).

Options:
  --register FILE       a register of exchanges, CSV or XLSX (repeatable)
  --register-owner CODE the agency that keeps the register (Phụ lục IV layouts): one for all, or one
                        per --register, in the same order
  --agencies CSV        load this agency directory first (code,name,parent,kind[,aliases,valid_from,valid_to,successor])
  --data DIR            data folder (default ./data) [KYSO_DATA_DIR]
  --trust DIR           more trust anchors, repeatable [KYSO_TRUST_DIRS]
  --no-analyze          only store and queue
  --json                print one JSON object: {"messages": [{file, kind, reason?, sha256?, number?, sender?}], "counts": {kind: n}, "registers": [...]}
                        (kinds: document, update, replacement, revocation, status, not-a-document, conflict, rejected, error)

Exit code: 0 when every message was read, 1 when any was rejected, 2 on a usage error or a bad register.`;

interface MessageLine {
  file: string;
  kind: MessageKind;
  reason?: string;
  sha256?: string;
  number?: string;
  sender?: string;
  note?: string;
}

export async function scanCommand(argv: string[], out: NodeJS.WritableStream, err: NodeJS.WritableStream): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      register: { type: "string", multiple: true },
      "register-owner": { type: "string", multiple: true },
      agencies: { type: "string" },
      data: { type: "string" },
      trust: { type: "string", multiple: true },
      "no-analyze": { type: "boolean", default: false },
      json: { type: "boolean", default: false },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  if (values.help) {
    out.write(SCAN_HELP + "\n");
    return 0;
  }
  const dir = positionals[0];
  if (!dir || positionals.length > 1) throw new UsageError("kyso scan needs exactly one DIR");
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new UsageError(`no folder '${dir}'`);
  const registers = values.register ?? [];
  const xmlFiles = filesUnder(dir, /\.(edxml|xml)$/i);
  if (registers.length === 0 && xmlFiles.length === 0)
    throw new UsageError("--register CSV is required (the metadata of each file), unless the folder holds edXML messages");
  for (const r of registers) if (!existsSync(r)) throw new UsageError(`--register: no file '${r}'`);
  // with --json, stdout holds the one JSON object: progress and notes go to stderr
  const say = values.json ? err : out;
  const dataDir = dataDirOf(values.data);
  const store = await openCommandStore(dataDir, { existing: false });
  // a store from before migration 9 (only an embedded store can be that old)
  if (store.db) settleLineages(store.db);
  const blobs = new BlobStore(storePaths(dataDir).blobs);
  if (values.agencies) {
    let rows;
    try {
      rows = agenciesFromCsv(readFileSync(values.agencies, "utf8"));
    } catch (e) {
      if (e instanceof AgencyError) throw new UsageError(`${values.agencies}: ${e.message}`);
      throw e;
    }
    // the agencies written, and every document they concern derived again before the scan goes on
    await updateDirectoryOn(store.lifecycle, rows, cliActor());
    while (await deriveNextOn(store.lifecycle, 500, cliActor()));
  }
  const agencies = await store.readModel.agencies();
  if (agencies.length === 0) throw new UsageError("the store has no agencies: pass --agencies CSV (or PUT /api/v1/agencies)");
  const directory = directoryFrom(agencies);

  // every register is checked whole first: one bad row stops the scan before anything is stored
  const now = clockNow();
  // owners pair with registers in order (--register A --register-owner X --register B --register-owner Y); one owner serves all
  const owners = values["register-owner"] ?? [];
  if (owners.length > 1 && owners.length !== registers.length)
    throw new UsageError(`${registers.length} --register but ${owners.length} --register-owner: give one owner, or one per register`);
  const ownerOf = (i: number): string | null => owners[i] ?? owners[0] ?? null;
  const parsed: Array<{ path: string; rows: RegisterRow[]; owner: string | null }> = [];
  for (const [i, path] of registers.entries()) {
    let rows: RegisterRow[];
    try {
      const bytes = readFileSync(path);
      // a register exported as a workbook (XLSX) or as CSV text
      rows = isXlsx(bytes)
        ? await parseRegisterXlsx(bytes, { owner: ownerOf(i), directory, now })
        : parseRegister(bytes.toString("utf8"), { owner: ownerOf(i), directory, now });
    } catch (e) {
      if (e instanceof RegisterError) throw new UsageError(`${path}: ${e.message}`);
      throw e;
    }
    for (const e of rows) {
      if (!e.file) continue;
      // the register names files inside the export: never a path that leaves it (nothing else is read)
      const rel = relative(resolve(dir), resolve(dir, e.file));
      if (rel.startsWith("..") || isAbsolute(rel) || isAbsolute(e.file)) throw new UsageError(`${path} line ${e.line}: '${e.file}' is not inside ${dir}`);
      if (!existsSync(join(dir, e.file))) throw new UsageError(`${path} line ${e.line}: no file '${e.file}' in ${dir}`);
      if (!statSync(join(dir, e.file)).isFile()) throw new UsageError(`${path} line ${e.line}: '${e.file}' is not a file`);
    }
    parsed.push({ path, rows, owner: ownerOf(i) });
  }

  // messages first, so that each register row is matched against the electronic documents it lists
  const lines: MessageLine[] = [];
  const notEdxml: string[] = [];
  if (xmlFiles.length) {
    const parser = new EdxmlParser({ limits: { maxFileBytes: 1 << 30, maxFiles: 100, maxTotalBytes: 1 << 30 }, maxHeapMb: 2048, timeoutMs: 60_000 });
    const progress = new Progress(say, "edXML    ", xmlFiles.length);
    try {
      for (const path of xmlFiles) {
        const file = relative(dir, path);
        const raw = readFileSync(path);
        try {
          const msg = await parser.parse(new Uint8Array(raw));
          const submission = await edxmlSubmission({
            msg,
            messageSha: blobs.put(raw),
            receivedAt: statSync(path).mtime.toISOString(),
            resolve: directory.resolve,
            put: (b) => blobs.put(b),
            source: "scan",
            trustedTrace: trustedTraceFromEnv(),
          });
          if (!submission) {
            lines.push({ file, kind: "not-a-document", reason: msg.kind === "not-a-document" ? msg.reason : "not a document" });
          } else {
            const r = await submitTo(store.lifecycle, submission, cliActor());
            const meta = "meta" in submission ? submission.meta : null;
            lines.push({
              file,
              kind: r.conflict ? "conflict" : messageKind(msg),
              ...(r.sha256 ? { sha256: r.sha256 } : {}),
              ...(meta?.number ? { number: meta.number } : {}),
              ...(meta ? { sender: meta.sender } : {}),
              ...(r.note ? { note: r.note } : r.existing ? { note: "already in the store" } : {}),
            });
          }
        } catch (e) {
          if (!(e instanceof EdxmlError)) {
            // a bug for this message alone: said, and the scan goes on with the others
            if (!(e instanceof Error)) throw e;
            lines.push({ file, kind: "error", reason: `internal error (a bug in kyso, please report it): ${e.message}` });
            progress.tick();
            continue;
          }
          // an XML file that is not an exchange message at all is listed apart, not as a rejected message
          if (e.notExchange && !/edXML/i.test(raw.subarray(0, 4096).toString("latin1"))) notEdxml.push(file);
          else lines.push({ file, kind: "rejected", reason: e.message });
        }
        progress.tick();
      }
    } finally {
      progress.done();
      await parser.close();
    }
  }
  const registerSummaries: Array<{ file: string; layout: string; rows: number; new: number; matched: number }> = [];
  const named = new Set(parsed.flatMap((p) => p.rows.filter((e) => e.file).map((e) => join(dir, e.file!))));
  for (const p of parsed) {
    const progress = new Progress(say, "register ", p.rows.length);
    const entries: RegisterEntry[] = p.rows.map((e) => {
      progress.tick();
      if (!e.file) return { line: e.line, meta: e.meta, ...(e.form ? { form: e.form } : {}) };
      const bytes = readFileSync(join(dir, e.file));
      const isPdf = bytes.subarray(0, 1024).includes("%PDF-");
      if (!isPdf) say.write(`kyso: ${e.file} is not a PDF: stored, counted electronic-not-pdf\n`);
      return {
        line: e.line,
        meta: { ...e.meta, channel: "electronic" },
        file: { sha256: blobs.put(bytes), bytes: bytes.length, kind: isPdf ? "pdf" : "not-pdf", name: e.file },
      };
    });
    progress.done();
    const owner = p.owner ? (directory.resolve(p.owner) ?? p.owner) : null;
    const layout = p.rows[0]?.layout ?? "kyso";
    const r = await submitRegisterOn(store.lifecycle, { owner, layout, rows: entries, source: "scan" }, cliActor());
    const summary = { file: p.path, layout, rows: r.length, new: r.filter((x) => !x.existing).length, matched: r.filter((x) => x.matched).length };
    registerSummaries.push(summary);
    say.write(
      `register ${p.path} (${layout}): ${summary.new} new, ${summary.rows - summary.new} already in the store, ${summary.matched} matched to an electronic document\n`,
    );
  }
  const unnamed = registers.length ? filesUnder(dir, /\.pdf$/i).filter((p) => !named.has(p)) : [];
  if (unnamed.length) {
    say.write(`${unnamed.length} PDF(s) not in the register, not ingested:\n`);
    for (const p of unnamed.slice(0, 20)) say.write(`  ${relative(dir, p)}\n`);
    if (unnamed.length > 20) say.write(`  … and ${unnamed.length - 20} more\n`);
  }

  const counts: Partial<Record<MessageKind, number>> = {};
  for (const l of lines) counts[l.kind] = (counts[l.kind] ?? 0) + 1;
  if (values.json) out.write(JSON.stringify({ messages: lines, counts, registers: registerSummaries, ...(notEdxml.length ? { notEdxml } : {}) }) + "\n");
  else if (xmlFiles.length) {
    const known = lines.filter((l) => l.note === "already in the store").length;
    const read = lines.filter((l) => l.kind !== "rejected").length;
    out.write(
      `edXML: ${read - known} new, ${known} already in the store (${
        Object.entries(counts)
          .map(([k, n]) => `${n} ${k}`)
          .join(", ") || "no message"
      })${notEdxml.length ? `; ${notEdxml.length} XML file(s) that are not edXML messages, not ingested:` : ""}\n`,
    );
    for (const l of lines.filter((x) => x.kind === "rejected" || x.kind === "error" || x.kind === "not-a-document"))
      out.write(`  ${l.kind} ${l.file}: ${l.reason}\n`);
    for (const l of lines.filter((x) => x.note && x.note !== "already in the store")) out.write(`  ${l.kind} ${l.file}: ${l.note}\n`);
    for (const p of notEdxml.slice(0, 20)) out.write(`  not edXML: ${p}\n`);
  }

  if (!values["no-analyze"]) await analyzeQueued(store.lifecycle, blobs, say, values.trust ?? []);
  await store.close();
  return lines.some((l) => l.kind === "rejected" || l.kind === "error") ? 1 : 0;
}
