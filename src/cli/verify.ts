// `kyso verify`: one report per file, JSON Lines with --json, readable text otherwise (DESIGN.md §4.4).
// Exit codes: 0 every file signed-valid, 1 some file not signed-valid, 2 usage error or unreadable file.
import { existsSync, statSync } from "node:fs";
import { availableParallelism } from "node:os";
import { parseArgs } from "node:util";
import { now } from "../clock.js";
import { loadTrustStore } from "../config.js";
import type { JobOptions } from "../queue/analyze-worker.js";
import { IsolatedAnalyzer, type FileOutcome } from "../queue/isolated-analyzer.js";
import type { DocumentReport } from "../verify/report.js";
import { filesUnder } from "./files.js";
import { renderText } from "./render-text.js";
import { UsageError } from "./usage.js";

export const VERIFY_HELP = `Usage: kyso verify [options] FILE|DIR...

Verifies every signature of each PDF: integrity of the signed bytes, the CMS signature, and what
changed after signing. One report per file; a folder stands for the .pdf files in it and below it (in
name order). With several files, the last line counts each verdict.

Options:
  --json                 one JSON object per file per line (JSON Lines), the DocumentReport shape
  --at ISO               judge at this time (default: now), e.g. 2024-05-01T00:00:00+07:00
  --policy NAME          default | strict (strict: SHA-1 and non-DER signed attributes are not accepted)
  --timeout SECONDS      per-document time limit (default 10); a document over it is reported TIMEOUT
  --max-size MB          largest file accepted (default 1024); larger ones are reported TOO_LARGE
  --trust DIR            more trust anchors (PEM or DER files), in addition to the Vietnamese roots
                         shipped in trust/vn; repeatable; also KYSO_TRUST_DIRS (colon-separated)
  --received-at ISO      when the document was received: proof of existence when it has no time-stamp
  --revocation MODE      strict | soft-fail | off (default soft-fail: without revocation data a
                         signature can pass, with a message saying so)
  --online               fetch CRLs and OCSP responses for signing certificates the document leaves
                         undetermined (off by default: no network unless asked); answers are reused
                         for the next files until their nextUpdate, at most an hour
  --crl-dir DIR          a local folder of CRLs (DER or PEM) to check revocation against; also KYSO_CRL_DIR
  --no-text              do not read page text for the content evidence (structure only: glyphs, fonts,
                         images); reading it tells whether the text is searchable, and its language
  --jobs N               files analyzed at once, each in its own isolated worker thread (default: the
                         number of cores); reports come out in the order of the files all the same
  -h, --help             this help

Exit status: 0 every file signed-valid, 1 some file not signed-valid, 2 usage error or a file that
could not be read (missing, not a PDF, damaged beyond repair, or encrypted with a password).

Each signature is judged at the best-proven time: --at if given, else its signature time-stamp (when
the time-stamp authority is trusted), else a later document time-stamp, else --received-at, else now.
The signer's claimed signing time is reported, never trusted.`;

export async function verifyCommand(argv: string[], out: NodeJS.WritableStream, err: NodeJS.WritableStream): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      json: { type: "boolean", default: false },
      at: { type: "string" },
      policy: { type: "string", default: "default" },
      timeout: { type: "string", default: "10" },
      "max-size": { type: "string", default: "1024" },
      trust: { type: "string", multiple: true },
      revocation: { type: "string", default: "soft-fail" },
      "received-at": { type: "string" },
      "no-text": { type: "boolean", default: false },
      online: { type: "boolean", default: false },
      "crl-dir": { type: "string" },
      jobs: { type: "string" },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  if (values.help) {
    out.write(VERIFY_HELP + "\n");
    return 0;
  }
  if (positionals.length === 0) throw new UsageError("kyso verify needs at least one FILE or folder");
  const files = positionals.flatMap((p) => (existsSync(p) && statSync(p).isDirectory() ? filesUnder(p, /\.pdf$/i) : [p]));
  if (files.length === 0) throw new UsageError(`no .pdf files in ${positionals.join(", ")}`);
  for (const [flag, v] of [
    ["--at", values.at],
    ["--received-at", values["received-at"]],
  ] as const) {
    if (v !== undefined && (Number.isNaN(Date.parse(v)) || !/^\d{4}-\d\d-\d\d/.test(v))) throw new UsageError(`${flag}: '${v}' is not an ISO 8601 time`);
  }
  if (values.policy !== "default" && values.policy !== "strict") throw new UsageError(`--policy: '${values.policy}' is not default or strict`);
  const timeout = Number(values.timeout);
  if (!(timeout > 0)) throw new UsageError(`--timeout: '${values.timeout}' is not a positive number of seconds`);
  const maxMb = Number(values["max-size"]);
  if (!(maxMb > 0)) throw new UsageError(`--max-size: '${values["max-size"]}' is not a positive number of megabytes`);
  const revocation = values.revocation;
  if (revocation !== "strict" && revocation !== "soft-fail" && revocation !== "off")
    throw new UsageError(`--revocation: '${revocation}' is not strict, soft-fail or off`);
  const trustDirs = values.trust ?? [];
  for (const d of trustDirs) if (!existsSync(d)) throw new UsageError(`--trust: no folder '${d}'`);
  const crlDir = values["crl-dir"] ?? process.env.KYSO_CRL_DIR;
  if (crlDir && !existsSync(crlDir)) throw new UsageError(`--crl-dir: no folder '${crlDir}'`);
  const jobs = values.jobs === undefined ? availableParallelism() : Number(values.jobs);
  if (!Number.isInteger(jobs) || jobs < 1 || jobs > 64) throw new UsageError(`--jobs: '${values.jobs}' is not a whole number from 1 to 64`);
  const store = loadTrustStore(trustDirs);
  for (const p of store.problems) err.write(`kyso: warning: ${p}\n`);

  // a pool of isolated analyzers; each outcome waits until every earlier file's has been written
  const analyzers = Array.from(
    { length: Math.min(jobs, files.length) },
    () => new IsolatedAnalyzer({ timeoutMs: timeout * 1000, maxBytes: Math.floor(maxMb * 1024 * 1024) }),
  );
  let exit = 0;
  const tally = new Map<string, number>();
  const count = (k: string) => tally.set(k, (tally.get(k) ?? 0) + 1);
  const mode = revocation;
  const options = (): JobOptions => ({
    now: now().toISOString(),
    ...(values.at ? { at: values.at } : {}),
    ...(values["received-at"] ? { receivedAt: values["received-at"] } : {}),
    policy: values.policy as "default" | "strict",
    revocation: mode,
    trustDirs,
    text: !values["no-text"],
    online: values.online,
    ...(crlDir ? { crlDir } : {}),
  });
  const write = (file: string, outcome: FileOutcome): void => {
    if (!outcome.ok) {
      err.write(`kyso: cannot read ${file}: ${outcome.message}\n`);
      exit = 2;
      count("not read");
      return;
    }
    const report: DocumentReport = { file, ...outcome.report };
    out.write(values.json ? JSON.stringify(report) + "\n" : renderText(report) + "\n");
    // a file that cannot be read as a PDF (not a PDF, damaged, encrypted with a password) is exit 2; one
    // over a limit of this run (TOO_LARGE, TIMEOUT) is a verdict like any other
    if (report.error && ["NOT_PDF", "UNREADABLE", "ENCRYPTED"].includes(report.error.code)) exit = 2;
    else if (report.verdict !== "signed-valid" && exit === 0) exit = 1;
    count(report.verdict);
  };
  const done: Array<FileOutcome | undefined> = new Array(files.length);
  let next = 0;
  let written = 0;
  try {
    await Promise.all(
      analyzers.map(async (analyzer) => {
        // each thread holds the next file while it analyzes one, so it never waits for this thread
        const take = () => {
          const i = next++;
          return i < files.length ? { i, outcome: analyzer.analyzeFile(files[i]!, options()) } : null;
        };
        let current = take();
        let ahead = take();
        while (current) {
          done[current.i] = await current.outcome;
          for (; written < files.length && done[written] !== undefined; written++) {
            write(files[written]!, done[written]!);
            done[written] = undefined;
          }
          current = ahead;
          ahead = take();
        }
      }),
    );
  } finally {
    await Promise.all(analyzers.map((a) => a.close()));
  }
  // several files: the count of each verdict at the end (on stderr with --json, so the lines stay JSON)
  if (files.length > 1) {
    const order = ["signed-valid", "signed-indeterminate", "signed-invalid", "unsigned", "unreadable", "not read"];
    const parts = [...tally].sort((a, b) => order.indexOf(a[0]) - order.indexOf(b[0])).map(([k, n]) => `${n} ${k}`);
    (values.json ? err : out).write(`kyso verify: ${files.length} files: ${parts.join(", ")}\n`);
  }
  return exit;
}
