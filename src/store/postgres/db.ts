// The PostgreSQL backend's connection: a pool on KYSO_DATABASE_URL (postgres://…) and the schema steps of
// migrations/postgres applied once, in order, under an advisory lock, so several kyso nodes starting
// together migrate once. Durability is the database's own commit (synchronous_commit as its
// administrators set it); kyso adds no flush of its own.
import pg from "pg";
import { migrationSteps, migrationsDir } from "../migration-files.js";

// bigint columns (the log's numbers, row ids) read as numbers, as SQLite gives them: kyso's stay far
// below 2^53
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));

export type Pool = pg.Pool;
export type Client = pg.PoolClient;

/** Any two-part key of kyso's own for pg_advisory_xact_lock: the migrations' lock. */
const MIGRATE_LOCK = 0x6b79736f; // "kyso"

export function isPostgresUrl(url: string | undefined): url is string {
  return typeof url === "string" && /^postgres(ql)?:\/\//.test(url);
}

export function openPool(url: string, max = 10): Pool {
  const pool = new pg.Pool({ connectionString: url, max });
  // an idle client's error (the server restarted) is the pool's to replace, not the process's to die of
  pool.on("error", () => undefined);
  return pool;
}

/** PostgreSQL's "try again": a deadlock one of two transactions was chosen to end, or a serialization failure. */
const TRANSIENT = new Set(["40P01", "40001"]);
export const isTransient = (e: unknown): boolean => TRANSIENT.has((e as { code?: string } | null)?.code ?? "");

/**
 * Runs `work` again when the database ended it as a deadlock's victim or for serialization (nothing of a
 * transaction it ended was kept), up to five times with a short random pause: the rollups' counter rows
 * are taken in the order each document's change needs, so two changes may meet in opposite orders.
 */
export async function retrying<T>(work: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (e) {
      if (!isTransient(e) || attempt >= 5) throw e;
      await new Promise((r) => setTimeout(r, Math.random() * 20 * attempt));
    }
  }
}

/** Runs `work` in one transaction on one client: committed when it returns, rolled back when it throws (and run again on a deadlock). */
export function inTransaction<T>(pool: Pool, work: (c: Client) => Promise<T>): Promise<T> {
  return retrying(async () => {
    const c = await pool.connect();
    let broken: Error | undefined;
    try {
      await c.query("BEGIN");
      const out = await work(c);
      await c.query("COMMIT");
      return out;
    } catch (e) {
      await c.query("ROLLBACK").catch((r: Error) => void (broken = r));
      throw e;
    } finally {
      // a client whose rollback failed may still be inside the transaction: the pool drops it
      c.release(broken);
    }
  });
}

/** Applies the steps the database has not seen; returns how many it applied. */
export async function migrate(pool: Pool, steps = migrationSteps(migrationsDir("postgres"))): Promise<number> {
  return inTransaction(pool, async (c) => {
    await c.query("SELECT pg_advisory_xact_lock($1)", [MIGRATE_LOCK]);
    await c.query("CREATE TABLE IF NOT EXISTS kyso_migrations (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())");
    const done = (await c.query<{ v: number | null }>("SELECT max(version) v FROM kyso_migrations")).rows[0]?.v ?? 0;
    if (done > steps.length) throw new Error(`the database is at schema version ${done}, newer than this kyso's ${steps.length}: upgrade kyso`);
    for (let v = done + 1; v <= steps.length; v++) {
      await c.query(steps[v - 1]!);
      await c.query("INSERT INTO kyso_migrations (version) VALUES ($1)", [v]);
    }
    return steps.length - done;
  });
}

/** The schema version the database is at (0 before any migration). */
export async function schemaVersion(pool: Pool): Promise<number> {
  const exists = (await pool.query<{ t: string | null }>("SELECT to_regclass('kyso_migrations')::text t")).rows[0]?.t;
  if (!exists) return 0;
  return (await pool.query<{ v: number | null }>("SELECT max(version) v FROM kyso_migrations")).rows[0]?.v ?? 0;
}

/** The URL without its password, to be printed. */
export function safeUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = "***";
    return u.toString();
  } catch {
    return "(an unreadable URL)";
  }
}
