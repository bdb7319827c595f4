// The backends the store's contract suite runs on: the embedded SQLite store in a temporary data folder and
// PostgreSQL in a throwaway cluster (tests/helpers/postgres.ts). Each `open` gives a new, empty store; a
// second `connect` to the same store is another node (another connection pool or file handle).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createLogKey, type LogKey } from "../../../src/log/key.js";
import type {
  AccessStore,
  CheckSource,
  DocumentReads,
  ExchangeReads,
  LifecycleStore,
  LogPort,
  LogReads,
  Operations,
  ReadModel,
} from "../../../src/store/ports.js";
import type { StoreLocation } from "../../../src/store/location.js";
import { sqliteCheckSource } from "../../../src/store/sqlite/check-source.js";
import { postgresCheckSource } from "../../../src/store/postgres/check-source.js";
import { sqliteAccess } from "../../../src/store/sqlite/access-store.js";
import { postgresAccess } from "../../../src/store/postgres/access-store.js";
import { sqliteReadModel } from "../../../src/store/sqlite/read-model.js";
import { postgresReadModel } from "../../../src/store/postgres/read-model.js";
import { sqliteDocumentReads } from "../../../src/store/sqlite/document-reads.js";
import { postgresDocumentReads } from "../../../src/store/postgres/document-reads.js";
import { sqliteOperations } from "../../../src/store/sqlite/operations.js";
import { postgresOperations } from "../../../src/store/postgres/operations.js";
import { sqliteExchangeReads } from "../../../src/store/sqlite/exchange-reads.js";
import { postgresExchangeReads } from "../../../src/store/postgres/exchange-reads.js";
import { createHash } from "node:crypto";
import { sqliteLifecycle } from "../../../src/store/sqlite/lifecycle-store.js";
import { postgresLifecycle } from "../../../src/store/postgres/lifecycle-store.js";
import { logKeyPath, storePaths } from "../../../src/store/paths.js";
import { openDb } from "../../../src/store/sqlite/db.js";
import { sqliteLog, sqliteLogReads } from "../../../src/store/sqlite/log-port.js";
import { migrate, openPool } from "../../../src/store/postgres/db.js";
import { postgresLog, postgresLogReads } from "../../../src/store/postgres/log-port.js";
import { hasPostgres, startCluster, type Cluster, type DatabaseLocale } from "../../helpers/postgres.js";

export interface OpenedStore {
  /** the store's log through a new connection (a node of its own) */
  connect(): Promise<LogPort>;
  /** what auditors read of the log (filtered pages, proofs), through a new connection; `close` ends it */
  logReads(): Promise<LogReads & { close(): Promise<void> }>;
  /** where the store is, for a thread that opens it again */
  location: StoreLocation;
  /** the store's life-cycle through a new connection (a node of its own) */
  lifecycle(): Promise<LifecycleStore>;
  /** `n` documents queued for analysis, received in this order; their ids */
  seedQueued(n: number): Promise<string[]>;
  /** the store's keys and sessions through a new connection */
  access(): Promise<AccessStore>;
  /** the store's figures through a new connection */
  readModel(): Promise<ReadModel>;
  /** what the API reads of documents (the list, one document), through a new connection */
  documentReads(): Promise<DocumentReads>;
  /** what /readyz, /metrics and the pages' header read, through a new connection */
  operations(): Promise<Operations>;
  /** held counts, conflicts and the registers' reconciliation, through a new connection */
  exchangeReads(): Promise<ExchangeReads>;
  /** rows written as they are (table → rows of column → value), in order, in one transaction */
  seedRows(rows: ReadonlyArray<[table: string, row: Record<string, unknown>]>): Promise<void>;
  /** what the store's check reads, through a new connection */
  checkSource(): Promise<CheckSource>;
  /** one statement run as written, behind the store's back (a tamper the check must see) */
  exec(sql: string): Promise<void>;
  /** the rows a query (in SQL both backends read alike) gives, read through a connection of its own */
  select(sql: string): Promise<Array<Record<string, unknown>>>;
  key: LogKey;
}

/** The queued documents seeded in every backend: one row's values, the same on both. */
const seedRow = (i: number, tag: string) => ({
  id: `doc-${tag}-${String(i).padStart(4, "0")}`,
  sha256: createHash("sha256").update(`${tag}-${i}`).digest("hex"),
  createdAt: new Date(Date.UTC(2026, 0, 1, 0, 0, i)).toISOString(),
});

export interface Backend {
  name: "sqlite" | "postgres";
  /** the name and, for a database of another collation than the default, which */
  label: string;
  available: boolean;
  setup(): Promise<void>;
  open(): Promise<OpenedStore>;
  teardown(): Promise<void>;
}

const SEED_SQL = `INSERT INTO documents (id, sha256, bytes, sender, received_at, channel, status, between_admin, period_date, created_at, agency, source, file_kind)
  VALUES ($1, $2, 1000, '000.00.01.H01', $3, 'electronic', 'queued', 1, substr($3, 1, 10), $3, '000.00.01.H01', 'upload', 'pdf')`;

const dirs: string[] = [];
const tempDir = (): string => {
  const d = mkdtempSync(join(tmpdir(), "kyso-contract-"));
  dirs.push(d);
  return d;
};

const sqlite: Backend = {
  name: "sqlite",
  label: "sqlite",
  available: true,
  setup: async () => undefined,
  async open() {
    const data = tempDir();
    openDb(data).close(); // migrated once
    let seeded = 0;
    return {
      key: createLogKey(logKeyPath(storePaths(data).db)),
      connect: async () => sqliteLog(openDb(data)),
      logReads: async () => {
        const db = openDb(data);
        return { ...sqliteLogReads(db), close: async () => void db.close() };
      },
      location: { kind: "sqlite", file: storePaths(data).db },
      lifecycle: async () => sqliteLifecycle(openDb(data)),
      readModel: async () => sqliteReadModel(openDb(data)),
      documentReads: async () => sqliteDocumentReads(openDb(data)),
      operations: async () => sqliteOperations(openDb(data)),
      exchangeReads: async () => sqliteExchangeReads(openDb(data)),
      access: async () => sqliteAccess(openDb(data)),
      checkSource: async () => sqliteCheckSource(openDb(data)),
      async exec(sql) {
        const db = openDb(data);
        db.exec(sql);
        db.close();
      },
      async seedRows(rows) {
        const db = openDb(data);
        db.transaction(() => {
          for (const [table, row] of rows)
            db.prepare(
              `INSERT INTO ${table} (${Object.keys(row).join(", ")}) VALUES (${Object.keys(row)
                .map((k) => `@${k}`)
                .join(", ")})`,
            ).run(row);
        })();
        db.close();
      },
      async select(sql) {
        const db = openDb(data);
        try {
          return db.prepare(sql).all() as Array<Record<string, unknown>>;
        } finally {
          db.close();
        }
      },
      // the rows a submission writes for a queued upload, written directly until submit is a port of its own
      async seedQueued(n) {
        const db = openDb(data);
        const put = db.prepare(SEED_SQL.replace(/\$(\d+)/g, "@p$1"));
        const ids = db.transaction(() =>
          Array.from({ length: n }, () => seedRow(++seeded, "q")).map((r) => (put.run({ p1: r.id, p2: r.sha256, p3: r.createdAt }), r.id)),
        )();
        db.close();
        return ids;
      },
    };
  },
  teardown: async () => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  },
};

/** PostgreSQL, its databases created in `locale` when one is given. */
const postgresIn = (locale?: DatabaseLocale): Backend => {
  let cluster: Cluster | null = null;
  return {
    name: "postgres",
    label: locale ? `postgres (${locale})` : "postgres",
    available: hasPostgres,
    setup: async () => {
      cluster = await startCluster();
    },
    async open() {
      const url = cluster!.database(locale);
      const pool = openPool(url, 2);
      await migrate(pool);
      await pool.end();
      const key = createLogKey(join(tempDir(), "log-key.pem"));
      let seeded = 0;
      return {
        key,
        connect: async () => postgresLog(openPool(url, 4), key),
        logReads: async () => {
          const p = openPool(url, 2);
          return { ...postgresLogReads(p), close: () => p.end() };
        },
        location: { kind: "postgres", url },
        lifecycle: async () => postgresLifecycle(openPool(url, 4), key),
        readModel: async () => postgresReadModel(openPool(url, 4)),
        documentReads: async () => postgresDocumentReads(openPool(url, 4)),
        operations: async () => postgresOperations(openPool(url, 2)),
        exchangeReads: async () => postgresExchangeReads(openPool(url, 2)),
        access: async () => postgresAccess(openPool(url, 4), key),
        checkSource: async () => postgresCheckSource(openPool(url, 2)),
        async exec(sql) {
          const p = openPool(url, 1);
          await p.query(sql);
          await p.end();
        },
        async seedRows(rows) {
          const p = openPool(url, 1);
          const c = await p.connect();
          await c.query("BEGIN");
          for (const [table, row] of rows)
            await c.query(
              `INSERT INTO ${table} (${Object.keys(row).join(", ")}) VALUES (${Object.keys(row)
                .map((_, i) => `$${i + 1}`)
                .join(", ")})`,
              Object.values(row),
            );
          await c.query("COMMIT");
          c.release();
          await p.end();
        },
        async select(sql) {
          const p = openPool(url, 1);
          try {
            return (await p.query(sql)).rows as Array<Record<string, unknown>>;
          } finally {
            await p.end();
          }
        },
        async seedQueued(n) {
          const p = openPool(url, 1);
          const ids: string[] = [];
          for (const r of Array.from({ length: n }, () => seedRow(++seeded, "q"))) (await p.query(SEED_SQL, [r.id, r.sha256, r.createdAt]), ids.push(r.id));
          await p.end();
          return ids;
        },
      };
    },
    teardown: async () => {
      cluster?.stop();
      cluster = null;
      for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
    },
  };
};

export const BACKENDS: Backend[] = [sqlite, postgresIn()];

/**
 * PostgreSQL in databases whose collation would answer otherwise than bytes (ICU's Vietnamese order) or
 * whose lower case is ASCII's only ("C"): for the suites whose answers must not depend on it.
 */
export const OTHER_LOCALES: Backend[] = [postgresIn("vi"), postgresIn("C")];
