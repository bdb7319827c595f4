// The compliance monitor as one process (the embedded default): store, blob folder, in-process runner and
// the HTTP API. Used by `kyso serve`, the demo and the end-to-end tests.
import { serve, type ServerType } from "@hono/node-server";
import { join } from "node:path";
import { createApp } from "./api/app.js";
import { parsePolicy, type CompliancePolicy } from "./compliance/index.js";
import { EmbeddedRunner } from "./queue/embedded-runner.js";
import { BlobStore } from "./store/blobs.js";
import { openDb, type Db } from "./store/db.js";
import { applyPolicy } from "./store/documents.js";

export interface ServerOptions {
  dataDir: string;
  port: number;
  host: string;
  trustDirs: string[];
  concurrency: number;
  timeoutMs: number;
  policy: CompliancePolicy;
  maxBodyBytes: number;
}

export function serverOptionsFromEnv(env: Record<string, string | undefined> = process.env): ServerOptions {
  const port = Number(env.KYSO_PORT ?? 8080);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`KYSO_PORT must be a port number, not '${env.KYSO_PORT}'`);
  return {
    dataDir: env.KYSO_DATA_DIR ?? "./data",
    port,
    host: env.KYSO_HOST ?? "127.0.0.1",
    trustDirs: (env.KYSO_TRUST_DIRS ?? "").split(":").filter(Boolean),
    concurrency: Number(env.KYSO_CONCURRENCY ?? 2),
    timeoutMs: Number(env.KYSO_TIMEOUT_MS ?? 10_000),
    policy: parsePolicy(env),
    maxBodyBytes: Number(env.KYSO_MAX_BODY_MB ?? 50) * 1024 * 1024,
  };
}

export interface RunningServer {
  url: string;
  db: Db;
  runner: EmbeddedRunner;
  app: ReturnType<typeof createApp>;
  close(): Promise<void>;
}

export async function startServer(o: ServerOptions): Promise<RunningServer> {
  const db = openDb(o.dataDir);
  applyPolicy(db, o.policy);
  const blobs = new BlobStore(join(o.dataDir, "blobs"));
  const runner = new EmbeddedRunner(db, blobs, { concurrency: o.concurrency, maxAttempts: 3, timeoutMs: o.timeoutMs, policy: o.policy, analysis: { trustDirs: o.trustDirs, text: true } });
  const app = createApp({ db, blobs, policy: o.policy, onQueued: () => runner.notify(), maxBodyBytes: o.maxBodyBytes });
  runner.start();
  const server: ServerType = await new Promise((resolve) => {
    const s = serve({ fetch: app.fetch, port: o.port, hostname: o.host }, () => resolve(s));
  });
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : o.port;
  return {
    url: `http://${o.host}:${port}`,
    db,
    runner,
    app,
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await runner.stop();
      db.close();
    },
  };
}
