// The `kyso` command: dispatches to subcommands; bad usage is one clear line and exit code 2. Each
// subcommand is imported when it runs, so `kyso --help` or `kyso keys` never load the verifier, pdfjs,
// BullMQ or Hono.
import { UsageError } from "./usage.js";
import { ENGINE_VERSION } from "../version.js";

const HELP = `kyso ${ENGINE_VERSION}: signed-electronic document compliance for a province

Usage: kyso <command> [options]

Commands:
  verify FILE...     verify every PDF signature of each file (kyso verify --help)
  serve              the compliance monitor: HTTP API and analysis of uploaded documents (kyso serve --help)
  worker             a scale-out analysis worker for kyso serve with REDIS_URL (kyso worker --help)
  scan DIR           ingest a folder export (edXML messages, registers) into the store (kyso scan --help)
  reconcile          registers against electronic exchanges, and directory gaps (kyso reconcile --help)
  stats              the province figure and per-agency table from the store (kyso stats --help)
  keys               API keys with roles: create, list, revoke (kyso keys --help)
  audit              check or export the verification log; check an evidence archive (kyso audit --help)
  reverify           analyze stored documents again after a trust-store change (kyso reverify --help)
  backup DEST        a checked copy of the data folder, safe while kyso serve runs (kyso backup --help)
  migrate            bring the store's schema up to date: SQLite, or PostgreSQL (kyso migrate --help)
  help [COMMAND]     this help, or a command's`;

type Out = NodeJS.WritableStream;

/** The commands that read or write the store's documents and figures: on the embedded store only, so far. */
const STORE_COMMANDS = new Set(["serve", "scan", "reconcile", "stats", "keys", "audit", "reverify"]);

/** A PostgreSQL database named for a command that cannot use it yet is said, never silently ignored. */
function embeddedStoreOnly(cmd: string): void {
  const url = process.env.KYSO_DATABASE_URL?.trim();
  if (url)
    throw Object.assign(
      new Error(
        `KYSO_DATABASE_URL is set, but kyso ${cmd} does not run on PostgreSQL yet (every other store command does; the log key's rotation and single proofs not yet). Unset it to use the embedded store in the data folder`,
      ),
      { name: "ConfigError" }, // said as a setting's problem (main imports little: not config.ts itself)
    );
}
/** What runs on PostgreSQL among the store's commands: all but kyso audit's proofs and key rotation. */
const onPostgres = (cmd: string, rest: readonly string[]): boolean =>
  ["serve", "scan", "keys", "stats", "reconcile", "reverify"].includes(cmd) || (cmd === "audit" && ["verify", "head", "export"].includes(rest[0] ?? ""));

/** Each subcommand: its module, loaded on use, and how it runs and what its help is. */
const COMMANDS: Record<string, () => Promise<{ run: (rest: string[], out: Out, err: Out) => number | Promise<number>; help: string }>> = {
  verify: async () => import("./verify.js").then((m) => ({ run: m.verifyCommand, help: m.VERIFY_HELP })),
  serve: async () => import("./serve.js").then((m) => ({ run: (r, o) => m.serveCommand(r, o), help: m.SERVE_HELP })),
  worker: async () => import("./worker.js").then((m) => ({ run: (r, o) => m.workerCommand(r, o), help: m.WORKER_HELP })),
  scan: async () => import("./scan.js").then((m) => ({ run: m.scanCommand, help: m.SCAN_HELP })),
  stats: async () => import("./stats.js").then((m) => ({ run: (r, o) => m.statsCommand(r, o), help: m.STATS_HELP })),
  reconcile: async () => import("./reconcile.js").then((m) => ({ run: (r, o) => m.reconcileCommand(r, o), help: m.RECONCILE_HELP })),
  keys: async () => import("./keys.js").then((m) => ({ run: m.keysCommand, help: m.KEYS_HELP })),
  audit: async () => import("./audit.js").then((m) => ({ run: (r, o) => m.auditCommand(r, o), help: m.AUDIT_HELP })),
  reverify: async () => import("./reverify.js").then((m) => ({ run: (r, o) => m.reverifyCommand(r, o), help: m.REVERIFY_HELP })),
  backup: async () => import("./backup.js").then((m) => ({ run: m.backupCommand, help: m.BACKUP_HELP })),
  migrate: async () => import("./migrate.js").then((m) => ({ run: m.migrateCommand, help: m.MIGRATE_HELP })),
};

export async function main(argv: string[], out: NodeJS.WritableStream = process.stdout, err: NodeJS.WritableStream = process.stderr): Promise<number> {
  const [cmd, ...rest] = argv;
  try {
    switch (cmd) {
      case undefined:
      case "help":
      case "--help":
      case "-h": {
        const sub = rest[0] !== undefined ? COMMANDS[rest[0]] : undefined;
        out.write((sub ? (await sub()).help : HELP) + "\n");
        return 0;
      }
      case "--version":
      case "-V":
        out.write(`kyso ${ENGINE_VERSION}\n`);
        return 0;
      default: {
        const load = COMMANDS[cmd];
        if (!load) throw new UsageError(`unknown command '${cmd}'`);
        if (STORE_COMMANDS.has(cmd) && !rest.some((a) => a === "--help" || a === "-h") && !onPostgres(cmd, rest)) embeddedStoreOnly(cmd);
        return await (await load()).run(rest, out, err);
      }
    }
  } catch (e) {
    // a setting naming something that is not there (config.ts ConfigError, known by name: main imports little)
    if ((e as Error).name === "ConfigError") {
      err.write(`kyso: ${(e as Error).message}\n`);
      return 2;
    }
    const usage = e instanceof UsageError || (e as { code?: string }).code?.startsWith("ERR_PARSE_ARGS");
    if (!usage) throw e;
    err.write(`kyso: ${(e as Error).message}\nRun 'kyso --help' for usage.\n`);
    return 2;
  }
}
