// A throwaway PostgreSQL cluster for the store's contract suite (STACK.md): initdb into a temporary folder
// (as the postgres user when the tests run as root, which initdb refuses), a server on a free loopback port
// with its socket in that folder, one new database per call of `database()`. The server runs on the real
// clock (libfaketime is left out of its environment, as for Redis) and without fsync: the tests kill kyso,
// never the database. Without PostgreSQL on the machine the suites skip, saying so; under CI they fail.
import { execFileSync, spawnSync } from "node:child_process";
import pg from "pg";
import { chmodSync, existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

const BIN = (() => {
  const base = "/usr/lib/postgresql";
  const versions = existsSync(base) ? readdirSync(base).sort((a, b) => Number(b) - Number(a)) : [];
  const v = versions.find((d) => existsSync(join(base, d, "bin", "initdb")));
  return v ? join(base, v, "bin") : null;
})();

export const hasPostgres = BIN !== null;
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

const freePort = (): Promise<number> =>
  new Promise((done, fail) => {
    const s = createServer()
      .once("error", fail)
      .listen(0, "127.0.0.1", () => {
        const port = (s.address() as { port: number }).port;
        s.close(() => done(port));
      });
  });

function realClockEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env.LD_PRELOAD;
  delete env.FAKETIME;
  return env;
}

export async function startCluster(): Promise<Cluster> {
  if (!BIN) throw new Error(POSTGRES_MISSING);
  const dir = mkdtempSync(join(tmpdir(), "kyso-pg-"));
  chmodSync(dir, 0o777);
  const asRoot = process.getuid?.() === 0;
  const run = (cmd: string, args: string[]): void => {
    const [file, argv] = asRoot ? ["runuser", ["-u", "postgres", "--", join(BIN, cmd), ...args]] : [join(BIN, cmd), args];
    const r = spawnSync(file, argv, { env: realClockEnv(), encoding: "utf8" });
    if (r.status !== 0) throw new Error(`${cmd} failed (${r.status}): ${r.stderr || r.stdout}`);
  };
  const data = join(dir, "data");
  run("initdb", ["-D", data, "-A", "trust", "-U", "kyso", "-E", "UTF8", "--locale=C.UTF-8", "--no-sync"]);
  const port = await freePort();
  const opts = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200`;
  run("pg_ctl", ["-D", data, "-o", opts, "-l", join(dir, "server.log"), "-w", "start"]);
  let n = 0;
  const admin = `postgres://kyso@127.0.0.1:${port}/postgres`;
  return {
    database(locale) {
      const name = `kyso_${process.pid}_${++n}`;
      execFileSync(join(BIN, "psql"), [admin, "-qAtc", `CREATE DATABASE ${name}${locale ? CREATED_IN[locale] : ""}`], { env: realClockEnv() });
      return `postgres://kyso@127.0.0.1:${port}/${name}`;
    },
    stop() {
      try {
        run("pg_ctl", ["-D", data, "-m", "immediate", "-w", "stop"]);
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
