// `kyso serve`: the API and the in-process runner on the embedded store. SIGTERM/SIGINT finish the
// analyses in flight and close the database; queued documents resume at the next start.
import { parseArgs } from "node:util";
import { existsSync } from "node:fs";
import { serverOptionsFromEnv, startServer } from "../server.js";
import { safeUrl } from "../store/postgres/db.js";
import { UsageError } from "./usage.js";

export const SERVE_HELP = `Usage: kyso serve [--port N] [--host ADDR] [--data DIR] [--trust DIR]... [--concurrency N]

Runs the HTTP API (/api/v1, OpenAPI document at /api/v1/openapi.json, /healthz, /readyz, /metrics)
the dashboard (/dashboard), the auditors' page (/auditor) and the check page (/check), which people
open after signing in once (/sign-in), and analyzes uploaded documents in worker threads, storing everything in DIR (SQLite +
blob folder). KYSO_TIMEOUT_MS (10000) limits the time per document.
Every /api/v1 route needs an API key (Authorization: Bearer <key>), or a sign-in's session: create keys with
\`kyso keys create --role ingest|viewer|auditor|admin --label TEXT\`. With REDIS_URL, analysis goes to
\`kyso worker\` processes instead, which present an ingest key.

Options (environment in brackets):
  --port N          listening port (default 8080) [KYSO_PORT]
  --host ADDR       listening address (default 127.0.0.1; 0.0.0.0 for every interface) [KYSO_HOST]
  --data DIR        data folder (default ./data) [KYSO_DATA_DIR]
  --trust DIR       more trust anchors, repeatable [KYSO_TRUST_DIRS, colon-separated]
  --concurrency N   parallel analyses (default 2) [KYSO_CONCURRENCY]
Policy: KYSO_TARGET (0.9), KYSO_SIGNED_SCANS_COUNT (true), KYSO_REQUIRE_ND30 (false).
Revocation: KYSO_REVOCATION strict|soft-fail|off (soft-fail), KYSO_ONLINE true|false (false: no network;
true asks the CRL and OCSP addresses of signing certificates the document leaves undetermined, within
the time limit per document), KYSO_CRL_DIR (a local folder of CRLs).
Signing in: KYSO_SESSION_HOURS (12), KYSO_PUBLIC_URL (an https one makes the cookie Secure); the
province's identity provider (OpenID Connect): KYSO_OIDC_ISSUER, KYSO_OIDC_CLIENT_ID,
KYSO_OIDC_CLIENT_SECRET, KYSO_OIDC_REDIRECT_URL, KYSO_OIDC_SCOPE, KYSO_OIDC_ROLE_CLAIM, KYSO_OIDC_ROLE_MAP.`;

export async function serveCommand(argv: string[], out: NodeJS.WritableStream): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      port: { type: "string" },
      host: { type: "string" },
      data: { type: "string" },
      trust: { type: "string", multiple: true },
      concurrency: { type: "string" },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  if (values.help) {
    out.write(SERVE_HELP + "\n");
    return 0;
  }
  let o;
  try {
    o = serverOptionsFromEnv();
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  if (values.port !== undefined) o.port = Number(values.port);
  if (!Number.isInteger(o.port) || o.port < 0 || o.port > 65535) throw new UsageError(`--port: '${values.port}' is not a port number`);
  if (values.host) o.host = values.host;
  if (values.data) o.dataDir = values.data;
  if (values.concurrency) o.concurrency = Number(values.concurrency);
  if (!(o.concurrency >= 1)) throw new UsageError("--concurrency must be at least 1");
  for (const d of values.trust ?? []) if (!existsSync(d)) throw new UsageError(`--trust: no folder '${d}'`);
  o.trustDirs = [...o.trustDirs, ...(values.trust ?? [])];
  const s = await startServer(o);
  // the signals are ours before anyone is told the server runs: a SIGTERM right after that line still
  // stops it cleanly (the analyses in flight finished, a last head published, the database closed)
  // A second SIGTERM while stopping (a supervisor repeating itself) is not a kill: the stop goes on. A
  // second Ctrl-C is someone who will not wait: it ends the process at once (queued work resumes at start).
  const stopped = new Promise<void>((resolve) => {
    let stopping = false;
    const stop = (signal: NodeJS.Signals) => {
      if (stopping) {
        if (signal === "SIGINT") process.exit(130);
        return void out.write("kyso: still stopping (SIGINT again ends at once)…\n");
      }
      stopping = true;
      out.write("kyso: stopping: finishing analyses in flight…\n");
      void s.close().then(resolve);
    };
    process.on("SIGTERM", stop);
    process.on("SIGINT", stop);
  });
  const where = o.databaseUrl ? `the database ${safeUrl(o.databaseUrl)}, stored files in ${o.dataDir}` : `data in ${o.dataDir}`;
  out.write(`kyso serving ${s.url} (${where}; OpenAPI at ${s.url}/api/v1/openapi.json)\n`);
  if ((await s.store.access.activeKeyCount()) === 0)
    out.write(`kyso: no API keys yet, so every /api/v1 request is refused: run kyso keys create --role admin --label "…" --data ${o.dataDir}\n`);
  await stopped;
  return 0;
}
