// `kyso worker`: a BullMQ worker (REDIS_URL, KYSO_API_URL, KYSO_WORKER_KEY; any number, any machine).
import { runWorker, workerConfigFromEnv } from "../queue/bullmq-worker.js";
import { UsageError } from "./usage.js";

export const WORKER_HELP = `Usage: kyso worker

Takes analysis jobs from Redis and returns reports to the API node. Environment:
  REDIS_URL          redis://host:port of the queue (required)
  KYSO_API_URL       the API node, where PDFs are fetched from (required)
  KYSO_WORKER_KEY    an API key with the ingest role (kyso keys create --role ingest) (required)
  KYSO_TRUST_DIRS    extra trust folders, colon-separated
  KYSO_CONCURRENCY   jobs in parallel in this worker, one analysis thread each (default: the number of CPUs)
  KYSO_TIMEOUT_MS    time limit per document in milliseconds (default 10000)
  KYSO_REVOCATION    strict | soft-fail | off (default soft-fail)
  KYSO_ONLINE        true: ask CRL and OCSP addresses for undetermined signers (default false)
  KYSO_CRL_DIR       a local folder of CRLs
  KYSO_API_RETRY_MS  while the API node cannot be reached, jobs wait this long between tries (5000);
                     their attempts are not used up
A job carries up to 8 documents queued together; their PDFs are fetched together when small. A document
that runs out of time or cannot be fetched is handed back as a job of its own and retried with backoff.
SIGTERM finishes the jobs in flight, then exits.`;

export async function workerCommand(argv: string[], out: NodeJS.WritableStream): Promise<number> {
  if (argv.includes("--help") || argv.includes("-h")) {
    out.write(WORKER_HELP + "\n");
    return 0;
  }
  let cfg;
  try {
    cfg = workerConfigFromEnv();
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  // trust folders are read by each analysis thread: one that is not there is said now, not per document
  (await import("../config.js")).loadTrustStore(cfg.trustDirs);
  const w = await runWorker(cfg, (s) => out.write(`${s}\n`));
  out.write(`kyso worker: taking jobs from ${cfg.redisUrl}, fetching PDFs from ${cfg.apiUrl}\n`);
  await new Promise<void>((resolve) => {
    const stop = () => {
      // finish the job in flight; if Redis is gone and closing hangs, do not hang with it
      setTimeout(() => {
        out.write("kyso worker: could not close cleanly within 30 s, exiting\n");
        process.exit(1);
      }, 30_000).unref();
      void w.close().then(resolve);
    };
    process.once("SIGTERM", stop);
    process.once("SIGINT", stop);
  });
  return 0;
}
