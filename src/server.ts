// The compliance monitor as one process (the embedded default): store, blob folder, in-process runner and
// the HTTP API. Used by `kyso serve`, the demo and the end-to-end tests.
import { serve, type ServerType } from "@hono/node-server";
import { join } from "node:path";
import { createApp } from "./api/app.js";
import { parsePolicy, type CompliancePolicy } from "./compliance/index.js";
import { EmbeddedRunner } from "./queue/embedded-runner.js";
import { BullmqRunner } from "./queue/bullmq-runner.js";
import { connectionFrom } from "./queue/names.js";
import { Redis } from "ioredis";
import { BlobStore } from "./store/blobs.js";
import { openDb, type Db } from "./store/db.js";
import { applyPolicy } from "./store/documents.js";
import { HeadPublisher } from "./store/head-publisher.js";
import { defaultHeadsFile } from "./store/heads.js";
import { loadTrustStore, revocationFromEnv, type RevocationSettings } from "./config.js";

export interface ServerOptions {
  dataDir: string;
  port: number;
  host: string;
  trustDirs: string[];
  concurrency: number;
  timeoutMs: number;
  policy: CompliancePolicy;
  maxBodyBytes: number;
  /** with a Redis URL, analysis goes through BullMQ to `kyso worker` processes (which present an ingest key) */
  redisUrl?: string;
  /** revocation checking of the embedded runner (default soft-fail, nothing online) */
  revocation?: RevocationSettings;
  /** where the log's signed head is published (a file or an http(s) URL; null: not published) */
  publishHeads?: string | null;
  publishIntervalMs?: number;
}

/** The runner contract both implementations meet. */
export interface Runner {
  start(): void;
  notify(): void;
  idle(): Promise<void>;
  stop(): Promise<void>;
  /** more Prometheus lines, if the runner has any */
  metrics?(): Promise<string>;
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
    ...(env.REDIS_URL ? { redisUrl: env.REDIS_URL } : {}),
    revocation: revocationFromEnv(env),
    publishHeads: env.KYSO_PUBLISH_HEADS === "off" ? null : (env.KYSO_PUBLISH_HEADS ?? defaultHeadsFile(env.KYSO_DATA_DIR ?? "./data")),
    publishIntervalMs: Number(env.KYSO_PUBLISH_INTERVAL ?? 60) * 1000,
  };
}

export interface RunningServer {
  url: string;
  db: Db;
  runner: Runner;
  app: ReturnType<typeof createApp>;
  close(): Promise<void>;
}

export async function startServer(o: ServerOptions): Promise<RunningServer> {
  const db = openDb(o.dataDir);
  applyPolicy(db, o.policy);
  const blobs = new BlobStore(join(o.dataDir, "blobs"));
  const runner: Runner = o.redisUrl
    ? new BullmqRunner(db, o.redisUrl, o.policy)
    : new EmbeddedRunner(db, blobs, { concurrency: o.concurrency, maxAttempts: 3, timeoutMs: o.timeoutMs, policy: o.policy, analysis: { trustDirs: o.trustDirs, text: true, ...(o.revocation ?? {}) } });
  const app = createApp({ db, blobs, policy: o.policy, onQueued: () => runner.notify(), ...(runner.metrics ? { metrics: () => runner.metrics!() } : {}), maxBodyBytes: o.maxBodyBytes, trust: () => loadTrustStore(o.trustDirs), ...(o.redisUrl ? { ready: redisReady(o.redisUrl) } : {}) });
  runner.start();
  const publisher = o.publishHeads === null ? null : new HeadPublisher(db, o.publishHeads ?? defaultHeadsFile(o.dataDir), o.publishIntervalMs ?? 60_000);
  publisher?.start();
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
      await publisher?.stop();
      db.close();
    },
  };
}

/** /readyz: Redis answers PING (checked with a short-lived connection). */
function redisReady(url: string): () => Promise<string | null> {
  return async () => {
    const r = new Redis({ ...connectionFrom(url), lazyConnect: true, connectTimeout: 2000, maxRetriesPerRequest: 1 });
    try {
      await r.connect();
      return (await r.ping()) === "PONG" ? null : "redis: unexpected answer to PING";
    } catch (e) {
      return `redis: ${(e as Error).message}`;
    } finally {
      r.disconnect();
    }
  };
}
