// `kyso audit verify [FILE]` and `kyso audit export`: the verification log's hash chain, checked in the
// store or in an export file (offline), and exported as JSONL with the chain head as its last line.
import { createWriteStream, existsSync, readFileSync } from "node:fs";
import { once } from "node:events";
import { parseArgs } from "node:util";
import { exportAudit, exportHead, verifyAgainstHead, verifyExport, verifyStoredChain, type ChainCheck } from "../store/audit.js";
import { checkEvidence } from "../api/evidence-check.js";
import { IsolatedAnalyzer } from "../queue/isolated-analyzer.js";
import { dataDirOf, openExistingStore } from "./data-dir.js";
import { UsageError } from "./usage.js";

export const AUDIT_HELP = `Usage: kyso audit verify [FILE] [--against EXPORT] [--json] [--data DIR]
       kyso audit export [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--agency CODE] [--document ID] [--out FILE] [--data DIR]
       kyso audit evidence ARCHIVE.zip [--trust DIR]... [--json]

verify   re-checks the verification log's hash chain in the store (or, given FILE, an export, with no
         store needed) and names the first broken entry. Exit code 0 intact, 1 broken. With --against
         EXPORT (an earlier export kept elsewhere), the store's entry at that export's head must still
         have the same hash: this catches a log rewritten with every hash recomputed.
export   writes the log as JSON Lines (standard output, or --out FILE): one entry per line, then a line
         {"head": …} holding the chain head, so the export can be checked later by \`kyso audit verify FILE\`.
         Filters keep the matching entries; each is still checked on its own hash.
evidence checks a document's evidence archive (GET /api/v1/documents/ID/evidence) with no store and no
         server: its files against its manifest, the PDF against the document's hash, the log entries,
         the analysis entry holding the report's hash, and the verification itself, done again here on
         the archived PDF at the recorded validation time with this machine's trust store (the shipped
         Vietnamese one plus --trust DIR). Exit code 0 when everything agrees, 1 otherwise.
  --data DIR   data folder (default ./data) [KYSO_DATA_DIR]
  --trust DIR  more trust anchors for evidence, repeatable [KYSO_TRUST_DIRS]`;

const DAY = /^\d{4}-\d{2}-\d{2}$/;

export async function auditCommand(argv: string[], out: NodeJS.WritableStream): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      from: { type: "string" },
      to: { type: "string" },
      agency: { type: "string" },
      document: { type: "string" },
      out: { type: "string" },
      against: { type: "string" },
      data: { type: "string" },
      json: { type: "boolean", default: false },
      trust: { type: "string", multiple: true, default: [] },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  const [sub, ...rest] = positionals;
  if (values.help || !sub) {
    out.write(AUDIT_HELP + "\n");
    return values.help ? 0 : 2;
  }
  if (sub === "verify") {
    if (rest.length > 1) throw new UsageError("kyso audit verify takes at most one FILE");
    let r: ChainCheck;
    let what: string;
    if (rest[0]) {
      if (!existsSync(rest[0])) throw new UsageError(`no file '${rest[0]}'`);
      r = verifyExport(readFileSync(rest[0], "utf8"));
      what = rest[0];
    } else {
      let kept: { seq: number; hash: string } | null = null;
      if (values.against) {
        if (!existsSync(values.against)) throw new UsageError(`--against: no file '${values.against}'`);
        kept = exportHead(readFileSync(values.against, "utf8"));
        if (!kept) throw new UsageError(`--against: '${values.against}' has no head line (not a kyso audit export)`);
      }
      const db = openExistingStore(dataDirOf(values.data));
      try {
        r = kept ? verifyAgainstHead(db, kept) : verifyStoredChain(db);
      } finally {
        db.close();
      }
      what = kept ? `the verification log (against the head of ${values.against}, entry ${kept.seq})` : "the verification log";
    }
    if (values.json) out.write(JSON.stringify(r) + "\n");
    else if (r.ok) out.write(`${what}: intact, ${r.entries} entries, head entry ${r.head.seq} ${r.head.hash}\n`);
    else out.write(`${what}: BROKEN at entry ${r.broken!.seq}: ${r.broken!.reason} (${r.entries} entries verified before it)\n`);
    return r.ok ? 0 : 1;
  }
  if (sub === "export") {
    if (rest.length) throw new UsageError("kyso audit export takes no FILE argument (use --out FILE)");
    for (const k of ["from", "to"] as const) if (values[k] && !DAY.test(values[k])) throw new UsageError(`--${k}: '${values[k]}' is not a day (YYYY-MM-DD)`);
    const db = openExistingStore(dataDirOf(values.data));
    const sink = values.out ? createWriteStream(values.out) : out;
    try {
      for (const line of exportAudit(db, { from: values.from, to: values.to, agency: values.agency, documentId: values.document })) {
        if (!sink.write(line)) await once(sink, "drain");
      }
    } finally {
      db.close();
    }
    if (values.out) {
      (sink as NodeJS.WritableStream).end();
      await once(sink, "finish");
    }
    return 0;
  }
  if (sub === "evidence") {
    if (rest.length !== 1) throw new UsageError("kyso audit evidence takes one ARCHIVE.zip");
    if (!existsSync(rest[0]!)) throw new UsageError(`no file '${rest[0]}'`);
    // the archived PDF is analyzed like any file kyso verify reads: in its own thread, with time limits
    const analyzer = new IsolatedAnalyzer();
    let r;
    try {
      r = await checkEvidence(readFileSync(rest[0]!), async (pdf, at) => {
        const o = await analyzer.analyzeBytes(new Uint8Array(pdf), { now: at, receivedAt: at, trustDirs: values.trust ?? [] });
        if (!o.ok) throw new Error(o.message);
        return o.report;
      });
    } finally {
      await analyzer.close();
    }
    if (values.json) out.write(JSON.stringify(r) + "\n");
    else {
      out.write(`${rest[0]}: document ${r.document.id ?? "?"}${r.document.number ? ` (${r.document.number})` : ""}: ${r.ok ? "the evidence holds" : "THE EVIDENCE DOES NOT HOLD"}\n`);
      for (const c of r.checks) out.write(`  ${c.ok ? "ok  " : "FAIL"} ${c.what}\n`);
    }
    return r.ok ? 0 : 1;
  }
  throw new UsageError(`unknown audit command '${sub}' (verify, export or evidence)`);
}
