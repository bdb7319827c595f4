// The backends the store's contract suite runs on: the embedded SQLite store in a temporary data folder and
// PostgreSQL in a throwaway cluster (tests/helpers/postgres.ts). Each `open` gives a new, empty store; a
// second `connect` to the same store is another node (another connection pool or file handle).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createLogKey, type LogKey } from "../../../src/log/key.js";
import type { LogPort } from "../../../src/store/ports.js";
import { logKeyPath, storePaths } from "../../../src/store/paths.js";
import { openDb } from "../../../src/store/sqlite/db.js";
import { sqliteLog } from "../../../src/store/sqlite/log-port.js";
import { migrate, openPool } from "../../../src/store/postgres/db.js";
import { postgresLog } from "../../../src/store/postgres/log-port.js";
import { hasPostgres, startCluster, type Cluster } from "../../helpers/postgres.js";

export interface OpenedStore {
  /** the store's log through a new connection (a node of its own) */
  connect(): Promise<LogPort>;
  key: LogKey;
}

export interface Backend {
  name: "sqlite" | "postgres";
  available: boolean;
  setup(): Promise<void>;
  open(): Promise<OpenedStore>;
  teardown(): Promise<void>;
}

const dirs: string[] = [];
const tempDir = (): string => {
  const d = mkdtempSync(join(tmpdir(), "kyso-contract-"));
  dirs.push(d);
  return d;
};

const sqlite: Backend = {
  name: "sqlite",
  available: true,
  setup: async () => undefined,
  async open() {
    const data = tempDir();
    openDb(data).close(); // migrated once
    return { key: createLogKey(logKeyPath(storePaths(data).db)), connect: async () => sqliteLog(openDb(data)) };
  },
  teardown: async () => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  },
};

let cluster: Cluster | null = null;
const postgres: Backend = {
  name: "postgres",
  available: hasPostgres,
  setup: async () => {
    cluster = await startCluster();
  },
  async open() {
    const url = cluster!.database();
    const pool = openPool(url, 2);
    await migrate(pool);
    await pool.end();
    const key = createLogKey(join(tempDir(), "log-key.pem"));
    return { key, connect: async () => postgresLog(openPool(url, 4), key) };
  },
  teardown: async () => {
    cluster?.stop();
    cluster = null;
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  },
};

export const BACKENDS: Backend[] = [sqlite, postgres];
