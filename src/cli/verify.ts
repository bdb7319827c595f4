// `kyso verify`: one report per file, JSON Lines with --json, readable text otherwise (DESIGN.md §4.4).
// Exit codes: 0 every file signed-valid, 1 some file not signed-valid, 2 usage error or unreadable file.
import { parseArgs } from "node:util";
import { IsolatedAnalyzer } from "../queue/isolated-analyzer.js";
import type { DocumentReport } from "../verify/report.js";
import { renderText } from "./render-text.js";
import { UsageError } from "./usage.js";

export const VERIFY_HELP = `Usage: kyso verify [options] FILE...

Verifies every signature of each PDF: integrity of the signed bytes, the CMS signature, and what
changed after signing. One report per file.

Options:
  --json                 one JSON object per file per line (JSON Lines), the DocumentReport shape
  --at ISO               judge at this time (default: now), e.g. 2024-05-01T00:00:00+07:00
  --policy NAME          default | strict (strict: SHA-1 and non-DER signed attributes are not accepted)
  --timeout SECONDS      per-document time limit (default 10); a document over it is reported TIMEOUT
  --max-size MB          largest file accepted (default 1024); larger ones are reported TOO_LARGE
  --trust DIR            trust anchors (not used yet: this version does not validate certificate paths)
  --revocation MODE      strict | soft-fail | off (not used yet)
  -h, --help             this help

Exit status: 0 every file signed-valid, 1 some file not signed-valid, 2 usage error or a file that
could not be read.

Until certificate-path validation lands, a signature that passes every other check is reported
INDETERMINATE / NO_CERTIFICATE_CHAIN_FOUND (trust not established), never as valid.`;

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
      revocation: { type: "string" },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  if (values.help) {
    out.write(VERIFY_HELP + "\n");
    return 0;
  }
  if (positionals.length === 0) throw new UsageError("kyso verify needs at least one FILE");
  const at = values.at ?? new Date().toISOString();
  if (Number.isNaN(Date.parse(at)) || !/^\d{4}-\d\d-\d\d/.test(at)) throw new UsageError(`--at: '${at}' is not an ISO 8601 time`);
  if (values.policy !== "default" && values.policy !== "strict") throw new UsageError(`--policy: '${values.policy}' is not default or strict`);
  const timeout = Number(values.timeout);
  if (!(timeout > 0)) throw new UsageError(`--timeout: '${values.timeout}' is not a positive number of seconds`);
  const maxMb = Number(values["max-size"]);
  if (!(maxMb > 0)) throw new UsageError(`--max-size: '${values["max-size"]}' is not a positive number of megabytes`);
  if (values.revocation && !["strict", "soft-fail", "off"].includes(values.revocation)) throw new UsageError(`--revocation: '${values.revocation}' is not strict, soft-fail or off`);
  if (values.trust?.length || values.revocation) err.write("kyso: note: --trust and --revocation are accepted but not used yet (no certificate-path validation in this version)\n");

  const analyzer = new IsolatedAnalyzer({ timeoutMs: timeout * 1000, maxBytes: Math.floor(maxMb * 1024 * 1024) });
  let exit = 0;
  try {
    for (const file of positionals) {
      const outcome = await analyzer.analyzeFile(file, { validationTime: at, policy: values.policy });
      if (!outcome.ok) {
        err.write(`kyso: cannot read ${file}: ${outcome.message}\n`);
        exit = 2;
        continue;
      }
      const report: DocumentReport = { file, ...outcome.report };
      out.write(values.json ? JSON.stringify(report) + "\n" : renderText(report) + "\n");
      if (report.verdict !== "signed-valid" && exit === 0) exit = 1;
    }
  } finally {
    await analyzer.close();
  }
  return exit;
}
