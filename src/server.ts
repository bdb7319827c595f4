// The compliance monitor as one process (the embedded default): store, blob folder, in-process runner and
// the HTTP API. Used by `kyso serve`, the demo and the end-to-end tests.
import { serve, type ServerType } from "@hono/node-server";
import { createApp } from "./api/app.js";
import { now as clockNow } from "./clock.js";
import { parsePolicy, type CompliancePolicy } from "./compliance/index.js";
import { EmbeddedRunner } from "./queue/embedded-runner.js";
import { BullmqRunner } from "./queue/bullmq-runner.js";
import { connectionFrom } from "./queue/names.js";
import { Redis } from "ioredis";
import { BlobStore } from "./store/blobs.js";
import { closeFlushed, type Db } from "./store/sqlite/db.js";
import { checkpointsApart } from "./store/sqlite/checkpoints.js";
import { openStore, type StoreHandle } from "./store/open-store.js";
import { isPostgresUrl } from "./store/postgres/db.js";
import { startupCheckOn } from "./store/startup-check-on.js";
import { HeadPublisher } from "./store/head-publisher.js";
import { isUrl, newestKeptHeadIn } from "./store/sqlite/heads.js";
import { storePaths } from "./store/paths.js";
import { startupCheck, type StartupCheck } from "./store/sqlite/check.js";
import { keepVerifiedHead } from "./store/sqlite/verified-head.js";
import { storeReadiness } from "./api/store-readiness.js";
import { BackgroundReplay } from "./api/store-replay.js";
import { VerifiedHead } from "./api/verified-head.js";
import { StoreBackgroundWork } from "./queue/background-work.js";
import { embeddedBackground, portBackground } from "./queue/background-stores.js";
import { StorageWatch } from "./store/storage-watch.js";
import { IsolatedAnalyzer } from "./queue/isolated-analyzer.js";
import { anchorFacts, fillSeals, settleLineages } from "./lifecycle/rederive.js";
import { applyPolicy, applyPolicyOn } from "./lifecycle/index.js";
import { INLINE_DERIVATIONS } from "./api/directory-routes.js";
import { existsSync } from "node:fs";
import { trustedTraceFromEnv } from "./ingest/edxml-submission.js";
import { loadTrustStore, revocationFromEnv, type RevocationSettings } from "./config.js";
import { signInSettingsFromEnv, type SignInSettings } from "./api/sign-in-settings.js";

export interface ServerOptions {
  dataDir: string;
  /** a postgres:// URL: the store is that PostgreSQL database (several nodes may serve it); unset: the embedded store in dataDir */
  databaseUrl?: string;
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
  /** how often the full store check runs in the background (default daily; the first right after start) */
  fullCheckEveryMs?: number;
  /** /metrics shows the figures by category without a key */
  publicFigures?: boolean;
  /** how people sign in to the pages (sessions, the identity provider); default: keys, 12-hour sessions */
  signIn?: SignInSettings;
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
  const interval = Number(env.KYSO_PUBLISH_INTERVAL ?? 300);
  if (!(interval >= 1)) throw new Error(`KYSO_PUBLISH_INTERVAL must be a number of seconds (at least 1), not '${env.KYSO_PUBLISH_INTERVAL}'`);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`KYSO_PORT must be a port number, not '${env.KYSO_PORT}'`);
  return {
    dataDir: env.KYSO_DATA_DIR ?? "./data",
    ...(env.KYSO_DATABASE_URL?.trim() ? { databaseUrl: postgresUrl(env.KYSO_DATABASE_URL.trim()) } : {}),
    port,
    host: env.KYSO_HOST ?? "127.0.0.1",
    trustDirs: (env.KYSO_TRUST_DIRS ?? "").split(":").filter(Boolean),
    concurrency: Number(env.KYSO_CONCURRENCY ?? 2),
    timeoutMs: Number(env.KYSO_TIMEOUT_MS ?? 10_000),
    policy: parsePolicy(env),
    maxBodyBytes: Number(env.KYSO_MAX_BODY_MB ?? 50) * 1024 * 1024,
    ...(env.REDIS_URL ? { redisUrl: env.REDIS_URL } : {}),
    revocation: revocationFromEnv(env),
    // unset: the data folder's own heads.jsonl, resolved by startServer from the folder finally chosen
    // (kyso serve --data DIR applies DIR after these options are read)
    ...(env.KYSO_PUBLISH_HEADS === "off" ? { publishHeads: null } : env.KYSO_PUBLISH_HEADS ? { publishHeads: env.KYSO_PUBLISH_HEADS } : {}),
    publishIntervalMs: interval * 1000,
    ...(env.KYSO_FULL_CHECK_HOURS ? { fullCheckEveryMs: hoursOf(env.KYSO_FULL_CHECK_HOURS) } : {}),
    publicFigures: env.KYSO_METRICS_FIGURES === "public",
    signIn: signInSettingsFromEnv(env),
  };
}

function postgresUrl(v: string): string {
  if (!isPostgresUrl(v)) throw new Error("KYSO_DATABASE_URL must be a postgres:// URL (or unset, for the embedded store)");
  return v;
}

function hoursOf(v: string): number {
  const h = Number(v);
  if (!(h > 0)) throw new Error(`KYSO_FULL_CHECK_HOURS must be a number of hours, not '${v}'`);
  return h * 3600_000;
}

export interface RunningServer {
  url: string;
  /** the embedded store's file (throws on a server on PostgreSQL) */
  readonly db: Db;
  /** the store and its ports */
  store: StoreHandle;
  runner: Runner;
  /** the background full check of the store */
  replay: BackgroundReplay;
  /** the store's background work: a directory change's derivations, a re-verification's queueing */
  derivations: StoreBackgroundWork;
  app: ReturnType<typeof createApp>;
  close(): Promise<void>;
}

export async function startServer(o: ServerOptions): Promise<RunningServer> {
  // trust folders are read by each analysis thread: one that is not there is said now, not per document
  loadTrustStore(o.trustDirs);
  const store = await openStore(o.dataDir, o.databaseUrl);
  const db = store.db;
  // the embedded store's checkpoints (the WAL copied back, the file flushed) on a thread, not in a commit
  const checkpoints = db ? checkpointsApart(db) : null;
  const headsTarget = o.publishHeads === null ? null : (o.publishHeads ?? storePaths(o.dataDir).heads);
  const headsFile = headsTarget && !isUrl(headsTarget) ? headsTarget : null;
  // the store is checked before anything is added to it: a broken one still serves (nothing exchanged is
  // refused), but /readyz and /metrics say why it cannot be trusted
  // bounded whatever the log's length: the newest entries whole, the older ones through the tree against
  // the newest published head and the last full check's (the full check verifies each after start)
  let started: StartupCheck;
  const published = headsFile && existsSync(headsFile) ? newestKeptHeadIn(headsFile) : null;
  try {
    started = db ? startupCheck(db, published ? [published] : []) : await startupCheckOn(store, published, headsFile);
  } catch (e) {
    started = { problem: `the store check failed: ${(e as Error).message}`, entries: 0, whole: null, extends: [], sampled: 0 };
  }
  const storeProblem = started.problem;
  if (storeProblem) process.stderr.write(`kyso: THE STORE DOES NOT CHECK OUT: ${storeProblem} (run kyso audit verify)\n`);
  // a policy that moves many documents is recorded now and worked by the background work below (started
  // with the server), so the server answers meanwhile, its figures saying they are being updated
  if (db) {
    applyPolicy(db, o.policy, "system", { inlineUpTo: INLINE_DERIVATIONS });
    // a store from before these facts were kept (only an embedded store can be that old)
    anchorFacts(db);
    fillSeals(db);
    settleLineages(db);
  } else await applyPolicyOn(store.lifecycle, o.policy, "system");
  const blobs = new BlobStore(storePaths(o.dataDir).blobs);
  const storage = new StorageWatch(o.dataDir);
  const runner: Runner = o.redisUrl
    ? new BullmqRunner(store.lifecycle, o.redisUrl, o.policy)
    : new EmbeddedRunner(store.lifecycle, blobs, {
        concurrency: o.concurrency,
        maxAttempts: 3,
        timeoutMs: o.timeoutMs,
        policy: o.policy,
        analysis: { trustDirs: o.trustDirs, text: true, ...(o.revocation ?? {}) },
      });
  const publisher = headsTarget ? new HeadPublisher(store.heads, headsTarget, o.publishIntervalMs ?? 300_000) : null;
  // the full check (every entry's content, the figures) after start and daily, off the event loop
  // the newest head a check verified: GET /api/v1/audit/verify checks from it
  // (what a full check verified is kept in the store too: the next start checks the log still extends it)
  const verified = new VerifiedHead((head, at) => {
    if (!db) return; // PostgreSQL: the newest verified head is the node's own, until it restarts
    try {
      keepVerifiedHead(db, head, at);
    } catch (e) {
      process.stderr.write(`kyso: the verified head could not be kept in the store: ${(e as Error).message}\n`);
    }
  });
  const replay = new BackgroundReplay(store.location, headsFile, o.fullCheckEveryMs ?? 24 * 3600_000, undefined, verified);
  // a directory change's documents derived again, and a re-verification's queued, in steps after the
  // request (and what a crash left, at start)
  const derivations = new StoreBackgroundWork(db ? embeddedBackground(db) : portBackground(store.lifecycle, store.readModel), () => runner.notify());
  const metrics = async () => (publisher?.metrics() ?? "") + replay.metrics() + (await derivations.metrics()) + ((await runner.metrics?.()) ?? "");
  // single documents checked on request (POST /api/v1/check): their own isolated thread (one job at a time)
  const checker = new IsolatedAnalyzer({ timeoutMs: o.timeoutMs });
  const check = (bytes: Uint8Array) => {
    const now = clockNow().toISOString();
    return checker.analyzeBytes(bytes, { now, receivedAt: now, existenceBasis: "receipt", trustDirs: o.trustDirs, text: true, ...(o.revocation ?? {}) });
  };
  const app = createApp({
    db,
    readModel: store.readModel,
    access: store.access,
    documents: store.documents,
    operations: store.operations,
    lifecycle: store.lifecycle,
    exchanges: store.exchanges,
    log: store.log,
    auditLog: store.auditLog,
    store: store.location,
    blobs,
    policy: o.policy,
    onQueued: () => runner.notify(),
    metrics,
    maxBodyBytes: o.maxBodyBytes,
    trust: () => loadTrustStore(o.trustDirs),
    ...(o.redisUrl ? { ready: redisReady(o.redisUrl) } : {}),
    headsFile,
    storeProblem: () => storeProblem ?? replay.problem(),
    storeReadiness: () => storeReadiness(started, replay),
    rederive: () => void derivations.notify(),
    verified,
    fullCheck: replay,
    publicFigures: o.publicFigures ?? false,
    trustedTrace: trustedTraceFromEnv(),
    onStorageProblem: (m) => storage.note(m),
    storageState: () => storage.state(),
    check,
    ...(o.signIn ? { signIn: o.signIn } : {}),
  });
  runner.start();
  publisher?.start();
  replay.start();
  derivations.start();
  const server: ServerType = await new Promise((resolve) => {
    const s = serve({ fetch: app.fetch, port: o.port, hostname: o.host }, () => resolve(s));
  });
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : o.port;
  return {
    url: `http://${o.host}:${port}`,
    get db(): Db {
      if (!db) throw new Error("this server's store is PostgreSQL: it has no embedded store file");
      return db;
    },
    store,
    runner,
    replay,
    derivations,
    app,
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await runner.stop();
      await publisher?.stop();
      await replay.stop();
      await derivations.stop();
      await checker.close();
      await checkpoints?.stop();
      if (db) await closeFlushed(db);
      await store.close();
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
