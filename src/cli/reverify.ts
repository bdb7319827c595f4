// `kyso reverify`: after a trust-store change, analyze stored documents again. Each new result is a new
// log entry (reanalysis, and category-change where the category moved); the earlier ones stay.
import { existsSync } from "node:fs";
import { parseArgs } from "node:util";
import { BlobStore } from "../store/blobs.js";
import { storePaths } from "../store/paths.js";
import { startReverificationOn } from "../lifecycle/reverify.js";
import { openCommandStore } from "./open-ports.js";
import { cliActor } from "./actor.js";
import { analyzeQueued } from "./analyze-queued.js";
import { dataDirOf } from "./data-dir.js";
import { UsageError } from "./usage.js";

export const REVERIFY_HELP = `Usage: kyso reverify [--since YYYY-MM-DD] [--agency CODE] [--trust DIR]... [--no-analyze] [--data DIR]

Analyzes the stored documents again (after the trust store changed): every analyzed document, or those
received since a day, or sent by one agency. Each document keeps its category until its new analysis
replaces it; earlier analyses and log entries stay. With --no-analyze the documents are only queued
for a running \`kyso serve\` on the same data folder (admins can also POST /api/v1/admin/reverify).
  --since DAY      documents received on or after this day
  --agency CODE    documents sent by this agency
  --trust DIR      more trust anchors, repeatable [KYSO_TRUST_DIRS]
  --data DIR       data folder (default ./data) [KYSO_DATA_DIR]`;

export async function reverifyCommand(argv: string[], out: NodeJS.WritableStream): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      since: { type: "string" },
      agency: { type: "string" },
      trust: { type: "string", multiple: true },
      "no-analyze": { type: "boolean", default: false },
      data: { type: "string" },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  if (values.help) {
    out.write(REVERIFY_HELP + "\n");
    return 0;
  }
  if (positionals.length) throw new UsageError(`kyso reverify takes no arguments ('${positionals[0]}')`);
  if (values.since && (!/^\d{4}-\d{2}-\d{2}$/.test(values.since) || Number.isNaN(Date.parse(values.since))))
    throw new UsageError(`--since: '${values.since}' is not a day (YYYY-MM-DD)`);
  for (const d of values.trust ?? []) if (!existsSync(d)) throw new UsageError(`--trust: no folder '${d}'`);
  const dataDir = dataDirOf(values.data);
  const store = await openCommandStore(dataDir, { existing: true });
  try {
    if (values.agency && !(await store.readModel.agencies()).some((a) => a.code === values.agency))
      throw new UsageError(`--agency: no agency '${values.agency}' in the store`);
    const { queued } = await startReverificationOn(store.lifecycle, { since: values.since, agency: values.agency }, cliActor());
    out.write(`${queued} document(s) queued for a new analysis\n`);
    if (!values["no-analyze"]) await analyzeQueued(store.lifecycle, new BlobStore(storePaths(dataDir).blobs), out, values.trust ?? []);
  } finally {
    await store.close();
  }
  return 0;
}
