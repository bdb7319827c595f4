// `kyso audit verify [FILE]` and `kyso audit export`: the verification log's hash chain, checked in the
// store or in an export file (offline), and exported as JSONL with the chain head as its last line.
import { createWriteStream, existsSync, readFileSync, renameSync } from "node:fs";
import { once } from "node:events";
import { parseArgs } from "node:util";
import { exportAudit, exportHead, listAudit, rotateLogKey, verifyExport, type TrustedHistory } from "../store/sqlite/audit.js";
import { checkStore, currentHead as headNow, describeBroken, type CheckMode, type StoreCheck } from "../store/check/store-check.js";
import { runCheckAsync } from "../store/check/script.js";
import type { CheckSource } from "../store/ports.js";
import { databaseUrl } from "../config.js";
import { exportLines } from "../log/export-script.js";
import { openCommandStore } from "./open-ports.js";
import { exportEntries, figuresFromEntries, policyOfEntries } from "../store/export-figures.js";
import { conventionOf, periodOf } from "../compliance/index.js";
import { now } from "../clock.js";
import {
  checkProof,
  currentHead,
  defaultHeadsFile,
  headsTargetFromEnv,
  isUrl,
  existingFiles,
  headLine,
  keptHeadsIn,
  ProofError,
  proveConsistency,
  proveInclusion,
  publishHead,
} from "../store/sqlite/heads.js";
import { createLogKey, readLogKey } from "../log/key.js";
import { join } from "node:path";
import { checkEvidence } from "../api/evidence-check.js";
import { IsolatedAnalyzer } from "../queue/isolated-analyzer.js";
import { dataDirOf, openExistingStore } from "./data-dir.js";
import { UsageError } from "./usage.js";
import { Progress } from "./progress.js";
import { BlobStore } from "../store/blobs.js";
import { checkBlobs } from "../store/check/blobs.js";
import { threadedHeads } from "../store/check/head-threads.js";
import { publishLine } from "../store/publish-head.js";
import { logKeyPath, storePaths } from "../store/paths.js";

/** Stored files read back by default (--blobs: all of them). */
const BLOB_SAMPLE = 64;

export const AUDIT_HELP = `Usage: kyso audit verify [FILE] [--heads FILE]... [--key KEY]... [--against EXPORT] [--since HEADFILE] [--blobs] [--json] [--data DIR]
       kyso audit export [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--agency CODE] [--document ID] [--out FILE] [--data DIR]
       kyso audit evidence ARCHIVE.zip [--trust DIR]... [--key KEY]... [--json]
       kyso audit figures EXPORT [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--heads FILE]... [--key KEY]... [--json]
       kyso audit head [--publish FILE|URL] [--data DIR]
       kyso audit proof --entry N | --first M [--size N] [--data DIR]
       kyso audit check-proof FILE [--key KEY]...
       kyso audit key | rotate-key [--data DIR]

verify   re-checks the verification log in the store (or, given FILE, a complete export, with no store
         needed) and names the first entry that is wrong: each entry's hash and link, and each entry's
         tree head (the Merkle root of the log up to it, signed with the instance key); then every head
         kept outside the store (--heads FILE: published heads or an earlier export; the store's own
         heads.jsonl is read too) must be a head of this log, which catches a log cut short, rewritten
         with the instance key, or forked. Exit code 0 intact, 1 broken. --key KEY pins the instance's
         public key (base64, as \`kyso audit key\` prints it, or a file holding it).
         --against EXPORT: the store's entry at that export's head must still have the same hash.
         --since HEADFILE: only what came after a head verified before (the newest signed head in
         HEADFILE: \`kyso audit head\` output, or heads.jsonl): the log must still extend it, then the
         entries since and the figures of the documents they name are checked (seconds for a day).
         Then the figures are replayed from the log (each analysis, signature row, document fact and
         category, every rollup row) and stored files are read back: each PDF and edXML message must
         hash to its name (64 at random; --blobs reads every one, with a progress bar). The tree
         heads' signatures are verified on the machine's other cores while the figures are replayed
         (KYSO_CHECK_THREADS threads, default the cores but one; 0: none), in memory that does not grow
         with the store.
         With KYSO_DATABASE_URL, verify and head read that PostgreSQL database (the stored files are
         still read from the data folder's blobs).
figures  the province's figure and each agency's, recomputed from a complete export alone (after
         checking it as verify does): each document's last recorded place in the figures and the
         policy the log recorded. Set them against the dashboard or kyso stats for the same period
         (by default the year that holds today, bounded as the recorded policy's periods say).
head     prints the log's signed tree head; --publish appends it to FILE (fsync'd) or POSTs it to URL.
proof    an inclusion proof that entry N is in the log (--entry N), or a consistency proof that the log
         extends its first M entries unchanged (--first M); --size N proves against the head at N.
check-proof  checks a proof offline: the Merkle path and the heads' signatures.
key      prints the instance's public key (to pin elsewhere); rotate-key replaces it, the new key
         endorsed by the old one in the log (restart kyso serve after it: a running server signs with
         the key it started with, which the log still trusts).
export   writes the log as JSON Lines (standard output, or --out FILE): one entry per line, then a line
         {"head": …} holding the chain head, so the export can be checked later by \`kyso audit verify FILE\`.
         Filters keep the matching entries; each is still checked on its own hash.
evidence checks a document's evidence archive (GET /api/v1/documents/ID/evidence) with no store and no
         server: its files against its manifest, the PDF against the document's hash, the log entries,
         the analysis entry holding the report's hash, and the verification itself, done again here on
         the archived PDF at the recorded validation time with this machine's trust store (the shipped
         Vietnamese one plus --trust DIR); the log entries' inclusion proofs against the archive's signed
         head, whose key must be the instance's given with --key. Exit code 0 when everything agrees,
         1 when something does not, 3 when only the trust anchor is missing here (not a forgery: give
         the folder that holds it with --trust DIR; the message names the anchor).
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
      heads: { type: "string", multiple: true, default: [] },
      key: { type: "string", multiple: true, default: [] },
      publish: { type: "string" },
      entry: { type: "string" },
      first: { type: "string" },
      size: { type: "string" },
      blobs: { type: "boolean", default: false },
      since: { type: "string" },
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
    let r: StoreCheck;
    let what: string;
    const trusted = trustedHistory(values.heads ?? [], values.key ?? [], rest[0] ? null : dataDirOf(values.data));
    if (rest[0]) {
      if (!existsSync(rest[0])) throw new UsageError(`no file '${rest[0]}'`);
      r = verifyExport(readFileSync(rest[0], "utf8"), trusted);
      what = rest[0];
    } else {
      let kept: { seq: number; hash: string } | null = null;
      if (values.against) {
        if (!existsSync(values.against)) throw new UsageError(`--against: no file '${values.against}'`);
        kept = exportHead(readFileSync(values.against, "utf8"));
        if (!kept) throw new UsageError(`--against: '${values.against}' has no head line (not a kyso audit export)`);
      }
      const dataDir = dataDirOf(values.data);
      let mode: CheckMode = kept ? { against: kept } : {};
      if (values.since) {
        // from a head verified before: the newest head in that file
        if (!existsSync(values.since)) throw new UsageError(`--since: no file '${values.since}'`);
        const heads = keptHeadsIn([values.since]).sort((a, b) => b.size - a.size);
        if (!heads[0]) throw new UsageError(`--since: '${values.since}' holds no signed head (kyso audit head prints one)`);
        mode = { since: heads[0] };
      }
      const source = await openCheckSource(dataDir);
      try {
        // the signed heads verified on the machine's other cores while this thread walks and replays
        const heads = threadedHeads();
        try {
          r = await source.snapshot((s) => runCheckAsync(s, checkStore(trusted, { ...mode, heads })));
        } finally {
          await heads.close();
        }
        // the stored PDFs and messages read back: all with --blobs, a sample otherwise
        let progress: Progress | undefined;
        const blobs = await checkBlobs(
          (after, limit) => source.namedFiles(after, limit),
          new BlobStore(storePaths(dataDir).blobs),
          values.blobs
            ? { tick: (n) => (progress ??= new Progress(process.stderr, "hashing stored files", n)).tick() }
            : // since a head: the sample drawn by seeks, not by a walk over every name
              { sample: BLOB_SAMPLE, seek: !!values.since },
        );
        progress?.done();
        r = { ...r, ok: r.ok && blobs.ok, blobs };
      } finally {
        await source.close();
      }
      what = values.since
        ? `the verification log since the head in ${values.since}`
        : kept
          ? `the verification log (against the head of ${values.against}, entry ${kept.seq})`
          : "the verification log";
    }
    if (values.json) out.write(JSON.stringify(r) + "\n");
    else if (r.broken) out.write(`${what}: BROKEN at entry ${r.broken.seq}: ${r.broken.reason} (${r.entries} entries verified before it)\n`);
    else {
      out.write(
        `${what}: intact, ${r.entries} entries (${r.signed ?? 0} with a signed tree head), head entry ${r.head.seq} ${r.head.hash}${r.keptHeads ? `; ${r.keptHeads} head(s) kept outside agree` : ""}\n`,
      );
      const f = r.figures;
      if (f?.broken) out.write(`the figures: WRONG: ${describeBroken(r)}\n`);
      else if (f) out.write(`the figures: replayed from the log, they agree: ${f.documents} documents, ${f.analyses} analyses, ${f.rollupRows} rollup rows\n`);
    }
    const b = r.blobs;
    if (b && !values.json) {
      const which =
        b.total === null
          ? `${b.checked} stored files at random (--blobs reads them all)`
          : b.sampled
            ? `${b.checked} of ${b.total} stored files, at random (--blobs reads them all)`
            : `all ${b.total} stored files`;
      out.write(b.broken ? `the stored files: WRONG: ${b.broken.owner}: ${b.broken.reason}\n` : `the stored files: ${which} hash to their names\n`);
    }
    return r.ok ? 0 : 1;
  }
  if (sub === "export") {
    if (rest.length) throw new UsageError("kyso audit export takes no FILE argument (use --out FILE)");
    for (const k of ["from", "to"] as const) if (values[k] && !DAY.test(values[k])) throw new UsageError(`--${k}: '${values[k]}' is not a day (YYYY-MM-DD)`);
    const filter = { from: values.from, to: values.to, agency: values.agency, documentId: values.document };
    const sink = values.out ? createWriteStream(values.out) : out;
    if (databaseUrl()) {
      // the same lines, read a page at a time through the store's log port
      const store = await openCommandStore(dataDirOf(values.data), { existing: true });
      try {
        for await (const line of exportLines(store.auditLog, filter)) if (!sink.write(line)) await once(sink, "drain");
      } finally {
        await store.close();
      }
    } else {
      const db = openExistingStore(dataDirOf(values.data));
      try {
        for (const line of exportAudit(db, filter)) if (!sink.write(line)) await once(sink, "drain");
      } finally {
        db.close();
      }
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
      r = await checkEvidence(
        readFileSync(rest[0]!),
        async (pdf, at) => {
          const o = await analyzer.analyzeBytes(new Uint8Array(pdf), { now: at, receivedAt: at, trustDirs: values.trust ?? [] });
          if (!o.ok) throw new Error(o.message);
          return o.report;
        },
        { pinned: pinnedKeys(values.key ?? []) },
      );
    } finally {
      await analyzer.close();
    }
    if (values.json) out.write(JSON.stringify(r) + "\n");
    else {
      const verdict =
        r.outcome === "holds"
          ? "the evidence holds"
          : r.outcome === "trust-missing"
            ? "THE EVIDENCE COULD NOT BE CHECKED HERE: this machine does not trust the anchor the document was verified with (give it with --trust DIR); nothing shows a forgery"
            : "THE EVIDENCE DOES NOT HOLD";
      out.write(`${rest[0]}: document ${r.document.id ?? "?"}${r.document.number ? ` (${r.document.number})` : ""}: ${verdict}\n`);
      for (const c of r.checks) out.write(`  ${c.ok ? "ok  " : "FAIL"} ${c.what}\n`);
    }
    return r.outcome === "holds" ? 0 : r.outcome === "trust-missing" ? 3 : 1;
  }
  if (sub === "figures") {
    if (rest.length !== 1) throw new UsageError("kyso audit figures takes one EXPORT file (kyso audit export --out FILE)");
    if (!existsSync(rest[0]!)) throw new UsageError(`no file '${rest[0]}'`);
    for (const k of ["from", "to"] as const) if (values[k] && !DAY.test(values[k])) throw new UsageError(`--${k}: '${values[k]}' is not a day (YYYY-MM-DD)`);
    const text = readFileSync(rest[0]!, "utf8");
    const check = verifyExport(text, trustedHistory(values.heads ?? [], values.key ?? [], null));
    const head = exportHead(text);
    const complete = /"complete":true/.test(text.trimEnd().split("\n").pop() ?? "");
    if (!check.ok || !complete) {
      out.write(
        `${rest[0]}: ${!check.ok ? `the export does not verify (entry ${check.broken!.seq}: ${check.broken!.reason})` : "a filtered export: the figures need the whole log (kyso audit export without filters)"}; no figures computed from it\n`,
      );
      return 1;
    }
    const entries = exportEntries(text);
    // by default the year that holds today, as the recorded policy's periods bound it (Nghị định 09: from 15 December)
    const year = periodOf(now().toISOString().slice(0, 10), "year", conventionOf(policyOfEntries(entries)));
    const f = figuresFromEntries(entries, { from: values.from ?? year.from, to: values.to ?? year.to });
    if (values.json) out.write(JSON.stringify({ ...f, log: { entries: check.entries, signed: check.signed ?? 0, head } }) + "\n");
    else {
      const pct = (r: number | null) => (r === null ? "—" : `${(r * 100).toFixed(1)}%`);
      out.write(
        `${rest[0]}: ${check.entries} entries verified (${check.signed ?? 0} signed heads, head entry ${head?.seq}); figures for ${f.period.from} … ${f.period.to}, target ${pct(f.policy.target)}\n`,
      );
      out.write(`province: ${f.province.numerator} of ${f.province.denominator} signed electronic (${pct(f.province.rate)}), gap ${f.province.gap}\n`);
      for (const a of f.agencies) out.write(`  ${a.code.padEnd(16)} ${String(a.numerator).padStart(6)} / ${String(a.denominator).padEnd(6)} ${pct(a.rate)}\n`);
    }
    return 0;
  }
  if (sub === "head") {
    if (databaseUrl()) {
      // the database's own commit is durable: the head read is the one to publish
      const source = await openCheckSource(dataDirOf(values.data));
      try {
        const h = await runCheckAsync(source, headNow());
        if (!h) throw new UsageError("the log is empty: no head to show");
        if (values.publish) await publishLine(headLine(h), values.publish);
        out.write(headLine(h));
      } finally {
        await source.close();
      }
      return 0;
    }
    const db = openExistingStore(dataDirOf(values.data));
    try {
      const h = values.publish ? await publishHead(db, values.publish) : currentHead(db);
      if (!h) throw new UsageError("the log is empty: no head to show");
      out.write(headLine(h));
    } finally {
      db.close();
    }
    return 0;
  }
  if (sub === "proof") {
    if (!values.entry === !values.first) throw new UsageError("kyso audit proof takes --entry N or --first M");
    const n = (v: string | undefined, name: string) => {
      if (v === undefined) return undefined;
      if (!/^\d+$/.test(v) || Number(v) < 1) throw new UsageError(`--${name}: '${v}' is not an entry number`);
      return Number(v);
    };
    const db = openExistingStore(dataDirOf(values.data));
    try {
      const size = n(values.size, "size");
      let proof;
      if (values.entry) {
        const seq = n(values.entry, "entry")!;
        const entry = listAudit(db, {}, seq - 1, 1).entries[0];
        if (!entry || entry.seq !== seq) throw new UsageError(`no entry ${seq} in the log`);
        proof = proveInclusion(db, seq, entry, size);
      } else proof = proveConsistency(db, n(values.first, "first")!, size);
      out.write(JSON.stringify(proof, null, 2) + "\n");
    } catch (e) {
      if (e instanceof ProofError) throw new UsageError(e.message);
      throw e;
    } finally {
      db.close();
    }
    return 0;
  }
  if (sub === "check-proof") {
    if (rest.length !== 1) throw new UsageError("kyso audit check-proof takes one FILE");
    if (!existsSync(rest[0]!)) throw new UsageError(`no file '${rest[0]}'`);
    let proof: unknown;
    try {
      proof = JSON.parse(readFileSync(rest[0]!, "utf8"));
    } catch {
      throw new UsageError(`'${rest[0]}' is not JSON`);
    }
    const checks = checkProof(proof, pinnedKeys(values.key ?? []));
    const ok = checks.every((c) => c.ok);
    if (values.json) out.write(JSON.stringify({ ok, checks }) + "\n");
    else {
      out.write(`${rest[0]}: ${ok ? "the proof holds" : "THE PROOF DOES NOT HOLD"}\n`);
      for (const c of checks) out.write(`  ${c.ok ? "ok  " : "FAIL"} ${c.what}\n`);
    }
    return ok ? 0 : 1;
  }
  if (sub === "key" || sub === "rotate-key") {
    const dir = dataDirOf(values.data);
    const db = openExistingStore(dir);
    try {
      const path = logKeyPath(join(dir, "kyso.db"));
      if (sub === "rotate-key") {
        const next = createLogKey(`${path}.next`);
        rotateLogKey(db, next, "cli");
        renameSync(path, `${path}.retired-${new Date().toISOString().replace(/[:.]/g, "")}`);
        renameSync(`${path}.next`, path);
      }
      const k = readLogKey(path);
      if (!k) throw new UsageError(`no log key at ${path} yet (kyso makes one with the first log entry)`);
      out.write(`${k.publicKey}\n`);
      out.write(`# key ${k.keyId}, ${path}: pin this public key where the log's heads are checked (kyso audit verify --key)\n`);
    } finally {
      db.close();
    }
    return 0;
  }
  throw new UsageError(`unknown audit command '${sub}' (verify, export, evidence, head, proof, check-proof, key or rotate-key)`);
}

/** --key values: a base64 public key, or a file whose first line is one. */
function pinnedKeys(keys: readonly string[]): string[] {
  return keys.map((k) => {
    const v = existsSync(k) ? readFileSync(k, "utf8").split("\n")[0]!.trim() : k.trim();
    if (!/^[A-Za-z0-9+/]{43}=$/.test(v)) throw new UsageError(`--key: '${k}' is not an Ed25519 public key in base64 (kyso audit key prints one)`);
    return v;
  });
}

/** Heads kept outside (--heads, and the store's own published heads) and pinned keys. */
function trustedHistory(heads: readonly string[], keys: readonly string[], dataDir: string | null): TrustedHistory {
  for (const f of heads) if (!existsSync(f)) throw new UsageError(`--heads: no file '${f}'`);
  // the store's own published heads: the file the server publishes to (the default one when it posts to a URL)
  const target = dataDir ? headsTargetFromEnv(process.env, dataDir) : null;
  const own = dataDir && target ? [isUrl(target) ? defaultHeadsFile(dataDir) : target] : [];
  const files = [...heads, ...existingFiles(own)];
  try {
    return { kept: keptHeadsIn([...new Set(files)]), pinned: pinnedKeys(keys) };
  } catch (e) {
    if (e instanceof UsageError) throw e;
    throw new UsageError((e as Error).message);
  }
}

/** What the check reads: the PostgreSQL database KYSO_DATABASE_URL names, else the embedded store in the data folder. */
async function openCheckSource(dataDir: string): Promise<CheckSource> {
  const url = databaseUrl();
  if (!url) {
    const { sqliteCheckSource } = await import("../store/sqlite/check-source.js");
    return sqliteCheckSource(openExistingStore(dataDir));
  }
  const { openPool, schemaVersion, safeUrl } = await import("../store/postgres/db.js");
  const pool = openPool(url, 2);
  if ((await schemaVersion(pool)) === 0) {
    await pool.end();
    throw new UsageError(`PostgreSQL ${safeUrl(url)} holds no kyso store yet (kyso migrate prepares one)`);
  }
  const { postgresCheckSource } = await import("../store/postgres/check-source.js");
  return postgresCheckSource(pool);
}
