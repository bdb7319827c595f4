// The store a server runs on, opened once with every port it serves through: the embedded SQLite store in
// the data folder (the default), or PostgreSQL when KYSO_DATABASE_URL names one (several nodes may serve
// the same database; the data folder then holds what the database does not: the stored files, shared by
// the nodes, and the log's key, the same file on every node).
import { readLogKey, createLogKey } from "../log/key.js";
import type { HeadSource } from "./head-publisher.js";
import { logKeyPath, storePaths } from "./paths.js";
import { makeFolder } from "./folders.js";
import type { AccessStore, CheckSource, DocumentReads, ExchangeReads, LifecycleStore, LogPort, LogReads, Operations, ReadModel } from "./ports.js";
import type { StoreLocation } from "./location.js";
import type { Db } from "./sqlite/db.js";

export interface StoreHandle {
  kind: "sqlite" | "postgres";
  /** the embedded store's file, for what only it has (the start-up check, the kept verified head); null on PostgreSQL */
  db: Db | null;
  lifecycle: LifecycleStore;
  readModel: ReadModel;
  access: AccessStore;
  documents: DocumentReads;
  log: LogPort;
  operations: Operations;
  /** held counts, conflicts and the registers' reconciliation */
  exchanges: ExchangeReads;
  /** what auditors read of the log */
  auditLog: LogReads;
  /** where the store is, for the threads that open it again */
  location: StoreLocation;
  heads: HeadSource;
  /** what the store's check reads (its own connection: close it after) */
  checkSource(): CheckSource;
  close(): Promise<void>;
}

export async function openStore(dataDir: string, databaseUrl?: string): Promise<StoreHandle> {
  if (databaseUrl) return openPostgres(dataDir, databaseUrl);
  const [
    { openDb, closeFlushed },
    { sqliteLifecycle },
    { sqliteReadModel },
    { sqliteAccess },
    { sqliteDocumentReads },
    { sqliteLog, sqliteLogReads },
    { sqliteHeads },
  ] = await Promise.all([
    import("./sqlite/db.js"),
    import("./sqlite/lifecycle-store.js"),
    import("./sqlite/read-model.js"),
    import("./sqlite/access-store.js"),
    import("./sqlite/document-reads.js"),
    import("./sqlite/log-port.js"),
    import("./sqlite/heads.js"),
  ]);
  const { sqliteCheckSource } = await import("./sqlite/check-source.js");
  const { sqliteOperations } = await import("./sqlite/operations.js");
  const { sqliteExchangeReads } = await import("./sqlite/exchange-reads.js");
  const db = openDb(dataDir);
  return {
    kind: "sqlite",
    db,
    lifecycle: sqliteLifecycle(db),
    readModel: sqliteReadModel(db),
    access: sqliteAccess(db),
    documents: sqliteDocumentReads(db),
    log: sqliteLog(db),
    operations: sqliteOperations(db),
    exchanges: sqliteExchangeReads(db),
    auditLog: sqliteLogReads(db),
    location: { kind: "sqlite", file: db.name },
    heads: sqliteHeads(db),
    checkSource: () => sqliteCheckSource(openDb(dataDir)),
    // the WAL's file handle the durable commits keep (flushed()) closed with the database, not left to the collector
    close: async () => {
      await closeFlushed(db);
      if (db.open) db.close();
    },
  };
}

async function openPostgres(dataDir: string, url: string): Promise<StoreHandle> {
  const [
    { openPool, migrate },
    { postgresLifecycle },
    { postgresReadModel },
    { postgresAccess },
    { postgresDocumentReads },
    { postgresLog, postgresLogReads },
    { postgresHeads },
  ] = await Promise.all([
    import("./postgres/db.js"),
    import("./postgres/lifecycle-store.js"),
    import("./postgres/read-model.js"),
    import("./postgres/access-store.js"),
    import("./postgres/document-reads.js"),
    import("./postgres/log-port.js"),
    import("./postgres/head-publishing.js"),
  ]);
  const { postgresCheckSource } = await import("./postgres/check-source.js");
  const { postgresOperations } = await import("./postgres/operations.js");
  const { postgresExchangeReads } = await import("./postgres/exchange-reads.js");
  const pool = openPool(url, 10);
  // every node migrates at start, under the migrations' advisory lock: the first does it, the others find it done
  await migrate(pool);
  // the data folder holds the stored files and the log's key: made on a first start, as the embedded store's is
  makeFolder(dataDir, "data folder");
  const keyFile = logKeyPath(storePaths(dataDir).db);
  const key = readLogKey(keyFile) ?? createLogKey(keyFile);
  const lifecycle = postgresLifecycle(pool, key);
  const readModel = postgresReadModel(pool);
  return {
    kind: "postgres",
    db: null,
    lifecycle,
    readModel,
    access: postgresAccess(pool, key),
    documents: postgresDocumentReads(pool),
    log: postgresLog(pool, key),
    operations: postgresOperations(pool),
    exchanges: postgresExchangeReads(pool),
    auditLog: postgresLogReads(pool),
    location: { kind: "postgres", url },
    heads: postgresHeads(pool),
    checkSource: () => postgresCheckSource(openPool(url, 2)),
    close: () => pool.end(),
  };
}
