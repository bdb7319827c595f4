// A throwaway PostgreSQL cluster for the store's contract suite (STACK.md): initdb into a temporary folder
// (as the postgres user when the tests run as root, which initdb refuses), a server on a free loopback port
// with its socket in that folder, one new database per call of `database()`. The server runs on the real
// clock (libfaketime is left out of its environment, as for Redis) and without fsync: the tests kill kyso,
// never the database. Without PostgreSQL on the machine the suites skip, saying so; under CI they fail.
import { execFileSync } from "node:child_process";
import pg from "pg";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { hasPostgres, POSTGRES_BIN, realClockEnv, startCluster as startServer } from "../../scripts/lib/postgres.js";

export { hasPostgres };
export const POSTGRES_MISSING =
  "PostgreSQL (Debian's postgresql: /usr/lib/postgresql/*/bin/initdb) is not installed: the PostgreSQL backend's tests are skipped here";
if (!hasPostgres && process.env.CI) throw new Error(`${POSTGRES_MISSING}, and CI must run them (.ci/run installs postgresql)`);

/** C: ASCII's order and case only; vi: ICU's Vietnamese collation (a dictionary's order, not bytes'). */
export type DatabaseLocale = "C" | "vi";
const CREATED_IN: Record<DatabaseLocale, string> = {
  C: " TEMPLATE template0 LOCALE 'C'",
  vi: " TEMPLATE template0 LOCALE 'C.UTF-8' LOCALE_PROVIDER icu ICU_LOCALE 'vi'",
};

export interface Cluster {
  /** a new, empty database's URL; `locale`: its own collation and character classes (default the cluster's, C.UTF-8) */
  database(locale?: DatabaseLocale): string;
  stop(): void;
}

export async function startCluster(): Promise<Cluster> {
  if (!POSTGRES_BIN) throw new Error(POSTGRES_MISSING);
  const dir = mkdtempSync(join(tmpdir(), "kyso-pg-"));
  const server = await startServer(dir, { unsafe: true });
  let n = 0;
  const admin = server.url("postgres");
  return {
    database(locale) {
      const name = `kyso_${process.pid}_${++n}`;
      execFileSync(join(POSTGRES_BIN!, "psql"), [admin, "-qAtc", `CREATE DATABASE ${name}${locale ? CREATED_IN[locale] : ""}`], { env: realClockEnv() });
      return server.url(name);
    },
    stop() {
      try {
        server.stop("immediate");
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

/** Rows a query gives on the database at `url`, through a connection of its own (a test's look behind the store). */
export const pgSelect =
  (url: string) =>
  async (sql: string): Promise<Array<Record<string, unknown>>> => {
    const p = new pg.Pool({ connectionString: url, max: 1 });
    try {
      return (await p.query(sql)).rows as Array<Record<string, unknown>>;
    } finally {
      await p.end();
    }
  };
