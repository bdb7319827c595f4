// `kyso scan DIR --register CSV`: ingests a folder export into the store (no server needed): each PDF
// with its register row (the `file` column names it), paper rows as paper exchanges, then analyzes what it
// queued. Resumable: the same bytes are the same document, so a second run only does what is left.
import { existsSync, readFileSync, statSync } from "node:fs";
import { isAbsolute, join, relative, resolve } from "node:path";
import { parseArgs } from "node:util";
import { csvObjects } from "../ingest/csv.js";
import { MetadataError, parseMetadata } from "../ingest/metadata.js";
import { BlobStore } from "../store/blobs.js";
import { openDb } from "../store/db.js";
import { insertDocument, listAgencies, recordEdxmlMessage, upsertAgencies, type DocumentMeta } from "../store/documents.js";
import { attachmentSummary, EdxmlError, edxmlMetadata, parseEdxml, type EdxmlMessage } from "../ingest/edxml.js";
import { cliActor } from "./actor.js";
import { dataDirOf } from "./data-dir.js";
import { analyzeQueued } from "./analyze-queued.js";
import { filesUnder } from "./files.js";
import { Progress } from "./progress.js";
import { UsageError } from "./usage.js";

export const SCAN_HELP = `Usage: kyso scan DIR [--register CSV] [--agencies CSV] [--data DIR] [--trust DIR]... [--no-analyze]

Ingests a folder export into the store:
  - every PDF named in the register (column \`file\`, relative to DIR) with the register's metadata
    (sender, recipients, number, issuedDate, type, subject, classification, urgency, receivedAt,
    channel); register rows without a file are paper exchanges; PDFs the register does not name are
    listed, not ingested;
  - every edXML message in DIR (*.edxml, *.xml): its header is the metadata, its first PDF the document,
    the time received is the file's modification time; other XML files are listed, not ingested.
Everything is validated before anything is stored. Then analyzes what was queued (unless --no-analyze;
\`kyso serve\` on the same data folder would). Running it again resumes: documents already in the
store are recognised by their bytes.

Options:
  --register CSV    the register of exchanges (needed unless DIR holds edXML messages)
  --agencies CSV    load this agency directory first (code,name,parent,kind)
  --data DIR        data folder (default ./data) [KYSO_DATA_DIR]
  --trust DIR       more trust anchors, repeatable [KYSO_TRUST_DIRS]
  --no-analyze      only store and queue`;

export async function scanCommand(argv: string[], out: NodeJS.WritableStream, err: NodeJS.WritableStream): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      register: { type: "string" },
      agencies: { type: "string" },
      data: { type: "string" },
      trust: { type: "string", multiple: true },
      "no-analyze": { type: "boolean", default: false },
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
  const xmlFiles = filesUnder(dir, /\.(edxml|xml)$/i);
  if (!values.register && xmlFiles.length === 0) throw new UsageError("--register CSV is required (the metadata of each file), unless the folder holds edXML messages");
  if (values.register && !existsSync(values.register)) throw new UsageError(`--register: no file '${values.register}'`);
  const dataDir = dataDirOf(values.data);
  const db = openDb(dataDir);
  const blobs = new BlobStore(join(dataDir, "blobs"));
  if (values.agencies) {
    const rows = csvObjects(readFileSync(values.agencies, "utf8"));
    upsertAgencies(db, rows.flatMap((r) => ("values" in r ? [{ code: r.values.code!, name: r.values.name!, parent: r.values.parent || null, kind: r.values.kind! }] : [])), cliActor());
  }
  const known = new Set(listAgencies(db).map((a) => a.code));
  if (known.size === 0) throw new UsageError("the store has no agencies: pass --agencies CSV (or PUT /api/v1/agencies)");

  // validate the whole register and every message first: one bad row stops the scan before anything is stored
  const rows = values.register ? csvObjects(readFileSync(values.register, "utf8")) : [];
  const now = new Date();
  const entries = rows.map((r) => {
    if ("error" in r) throw new UsageError(`${values.register} line ${r.line} ${r.error}`);
    try {
      return { line: r.line, file: r.values.file || undefined, meta: parseMetadata(r.values, known, now) };
    } catch (e) {
      if (e instanceof MetadataError) throw new UsageError(`${values.register} line ${r.line}: ${e.message}`);
      throw e;
    }
  });
  const named = new Set(entries.filter((e) => e.file).map((e) => join(dir, e.file!)));
  for (const e of entries) {
    if (!e.file) continue;
    // the register names files inside the export: never a path that leaves it (nothing else is read)
    const rel = relative(resolve(dir), resolve(dir, e.file));
    if (rel.startsWith("..") || isAbsolute(rel) || isAbsolute(e.file)) throw new UsageError(`${values.register} line ${e.line}: '${e.file}' is not inside ${dir}`);
    if (!existsSync(join(dir, e.file))) throw new UsageError(`${values.register} line ${e.line}: no file '${e.file}' in ${dir}`);
    if (!statSync(join(dir, e.file)).isFile()) throw new UsageError(`${values.register} line ${e.line}: '${e.file}' is not a file`);
  }
  const unnamed = values.register ? filesUnder(dir, /\.pdf$/i).filter((p) => !named.has(p)) : [];
  const messages: Array<{ path: string; raw: Buffer; msg: EdxmlMessage; meta: DocumentMeta }> = [];
  const notEdxml: string[] = [];
  for (const path of xmlFiles) {
    const raw = readFileSync(path);
    let msg: EdxmlMessage;
    try {
      msg = parseEdxml(raw.toString("utf8"), { maxFileBytes: 1 << 30, maxFiles: 100 });
    } catch (e) {
      if (!(e instanceof EdxmlError)) throw e;
      if (/no MessageHeader/.test(e.message)) {
        notEdxml.push(path);
        continue;
      }
      throw new UsageError(`${relative(dir, path)}: ${e.message}`);
    }
    if (msg.pdfs.length === 0) throw new UsageError(`${relative(dir, path)}: the message carries no PDF`);
    try {
      messages.push({ path, raw, msg, meta: edxmlMetadata(msg, known, now, statSync(path).mtime.toISOString()) });
    } catch (e) {
      if (e instanceof MetadataError) throw new UsageError(`${relative(dir, path)}: ${e.message}`);
      throw e;
    }
  }

  const progress = values.register ? new Progress(out, "storing  ", entries.length) : null;
  let added = 0;
  let known2 = 0;
  for (const e of entries) {
    const file = e.file ? readFileSync(join(dir, e.file)) : null;
    if (file && !file.subarray(0, 1024).includes("%PDF-")) err.write(`kyso: ${e.file} is not a PDF: stored, it will be counted unreadable\n`);
    const sha = file ? blobs.put(file) : null;
    const r = insertDocument(db, { ...e.meta, channel: file ? "electronic" : e.meta.channel }, file && sha ? { sha256: sha, bytes: file.length } : null, cliActor());
    if (r.existing) known2++;
    else added++;
    progress?.tick();
  }
  progress?.done();
  if (values.register) {
    out.write(`register: ${added} new, ${known2} already in the store${unnamed.length ? `; ${unnamed.length} PDF(s) not in the register, not ingested:` : ""}\n`);
    for (const p of unnamed.slice(0, 20)) out.write(`  ${relative(dir, p)}\n`);
    if (unnamed.length > 20) out.write(`  … and ${unnamed.length - 20} more\n`);
  }
  if (messages.length || notEdxml.length) {
    const edx = new Progress(out, "edXML    ", messages.length);
    let fresh = 0;
    for (const m of messages) {
      const first = m.msg.pdfs[0]!;
      const r = recordEdxmlMessage(db, { messageSha: blobs.put(m.raw), meta: m.meta, file: { sha256: blobs.put(first.bytes), bytes: first.bytes.length }, attachments: attachmentSummary(m.msg) }, cliActor());
      if (!r.existing) fresh++;
      edx.tick();
    }
    edx.done();
    out.write(`edXML: ${fresh} new, ${messages.length - fresh} already in the store${notEdxml.length ? `; ${notEdxml.length} XML file(s) that are not edXML messages, not ingested:` : ""}\n`);
    for (const p of notEdxml.slice(0, 20)) out.write(`  ${relative(dir, p)}\n`);
  }

  if (!values["no-analyze"]) await analyzeQueued(db, blobs, out, values.trust ?? []);
  db.close();
  return 0;
}
