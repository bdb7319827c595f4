// A PostgreSQL cluster of one's own for the tests and benchmarks that run kyso on PostgreSQL, with the
// machine's PostgreSQL programs (Debian's postgresql: /usr/lib/postgresql/<version>/bin): initdb into a
// folder (as the postgres user when this runs as root, which initdb refuses), a server on a loopback port
// with its socket in that folder, on the real clock (libfaketime is left out of its environment, as for
// Redis). tests/helpers/postgres.ts makes throwaway ones (no fsync, removed after); bench/scale keeps one
// in its store folder, durable as a production server is, and grows it run after run.
import { spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { freePort } from "./processes.js";

/** The newest installed version's programs; null when PostgreSQL is not installed. */
export const POSTGRES_BIN = (() => {
  const base = "/usr/lib/postgresql";
  const versions = existsSync(base) ? readdirSync(base).sort((a, b) => Number(b) - Number(a)) : [];
  const v = versions.find((d) => existsSync(join(base, d, "bin", "initdb")));
  return v ? join(base, v, "bin") : null;
})();

export const hasPostgres = POSTGRES_BIN !== null;

export function realClockEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env.LD_PRELOAD;
  delete env.FAKETIME;
  return env;
}

/** Runs one of PostgreSQL's programs, as the postgres user when this process is root; what it said, or an error with it. */
export function runPostgres(cmd: string, args: string[]): { ok: boolean; said: string } {
  if (!POSTGRES_BIN) throw new Error("PostgreSQL (Debian's postgresql: /usr/lib/postgresql/*/bin/initdb) is not installed");
  const asRoot = process.getuid?.() === 0;
  const [file, argv] = asRoot ? ["runuser", ["-u", "postgres", "--", join(POSTGRES_BIN, cmd), ...args]] : [join(POSTGRES_BIN, cmd), args];
  const r = spawnSync(file, argv, { env: realClockEnv(), encoding: "utf8" });
  return { ok: r.status === 0, said: (r.stderr || r.stdout || "").trim() };
}

function mustRun(cmd: string, args: string[]): void {
  const r = runPostgres(cmd, args);
  if (!r.ok) throw new Error(`${cmd} failed: ${r.said}`);
}

export interface ClusterOptions {
  /**
   * fsync, synchronous commits and full-page writes off: for tests, which kill kyso, never the database.
   * Without it the server keeps PostgreSQL's defaults (every commit flushed), as a production one does.
   */
  unsafe?: boolean;
}

export interface RunningCluster {
  /** the folder: the cluster's files in data/, its socket, server.log */
  dir: string;
  /** the cluster's files (PGDATA) */
  data: string;
  port: number;
  /** the URL of database `name` (kyso's user, trusted from loopback) */
  url(name: string): string;
  /** makes database `name` unless it exists */
  ensureDatabase(name: string): void;
  /** stopped (its shared buffers gone with it), `whileStopped` run, and started again on the same port */
  restart(whileStopped?: () => void): void;
  /** `immediate`: no checkpoint (a throwaway cluster); default `fast`: a clean shutdown */
  stop(mode?: "fast" | "immediate"): void;
}

/**
 * The cluster in `dir`, made there unless it already is (a kept one), started on a free port. A server
 * left running in it (a run that was killed) is stopped first.
 */
export async function startCluster(dir: string, o: ClusterOptions = {}): Promise<RunningCluster> {
  const data = join(dir, "data");
  if (!existsSync(join(data, "PG_VERSION"))) {
    mkdirSync(dir, { recursive: true });
    chmodSync(dir, 0o777);
    mustRun("initdb", ["-D", data, "-A", "trust", "-U", "kyso", "-E", "UTF8", "--locale=C.UTF-8", ...(o.unsafe ? ["--no-sync"] : [])]);
  } else if (runPostgres("pg_ctl", ["-D", data, "status"]).ok) mustRun("pg_ctl", ["-D", data, "-m", "fast", "-w", "stop"]);
  const port = await freePort();
  const unsafe = o.unsafe ? " -c fsync=off -c synchronous_commit=off -c full_page_writes=off" : "";
  const opts = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1${unsafe} -c max_connections=200`;
  const start = () => mustRun("pg_ctl", ["-D", data, "-o", opts, "-l", join(dir, "server.log"), "-w", "start"]);
  const stop = (mode: "fast" | "immediate" = "fast") => mustRun("pg_ctl", ["-D", data, "-m", mode, "-w", "stop"]);
  start();
  return {
    dir,
    data,
    port,
    url: (name) => `postgres://kyso@127.0.0.1:${port}/${name}`,
    ensureDatabase(name) {
      const r = runPostgres("createdb", ["-h", "127.0.0.1", "-p", String(port), "-U", "kyso", name]);
      if (!r.ok && !/already exists/.test(r.said)) throw new Error(`createdb failed: ${r.said}`);
    },
    restart(whileStopped) {
      stop();
      whileStopped?.();
      start();
    },
    stop,
  };
}
