// The `kyso` command: dispatches to subcommands; bad usage is one clear line and exit code 2.
import { verifyCommand, VERIFY_HELP } from "./verify.js";
import { serveCommand, SERVE_HELP } from "./serve.js";
import { workerCommand, WORKER_HELP } from "./worker.js";
import { scanCommand, SCAN_HELP } from "./scan.js";
import { statsCommand, STATS_HELP } from "./stats.js";
import { keysCommand, KEYS_HELP } from "./keys.js";
import { auditCommand, AUDIT_HELP } from "./audit.js";
import { reverifyCommand, REVERIFY_HELP } from "./reverify.js";
import { backupCommand, BACKUP_HELP } from "./backup.js";
import { reconcileCommand, RECONCILE_HELP } from "./reconcile.js";
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
  help [COMMAND]     this help, or a command's`;

const HELPS: Record<string, string> = { verify: VERIFY_HELP, serve: SERVE_HELP, worker: WORKER_HELP, scan: SCAN_HELP, stats: STATS_HELP, keys: KEYS_HELP, audit: AUDIT_HELP, reverify: REVERIFY_HELP, backup: BACKUP_HELP, reconcile: RECONCILE_HELP };

export async function main(argv: string[], out: NodeJS.WritableStream = process.stdout, err: NodeJS.WritableStream = process.stderr): Promise<number> {
  const [cmd, ...rest] = argv;
  try {
    switch (cmd) {
      case "verify":
        return await verifyCommand(rest, out, err);
      case "serve":
        return await serveCommand(rest, out);
      case "worker":
        return await workerCommand(rest, out);
      case "scan":
        return await scanCommand(rest, out, err);
      case "stats":
        return statsCommand(rest, out);
      case "reconcile":
        return reconcileCommand(rest, out);
      case "keys":
        return keysCommand(rest, out, err);
      case "audit":
        return await auditCommand(rest, out);
      case "reverify":
        return await reverifyCommand(rest, out);
      case "backup":
        return await backupCommand(rest, out, err);
      case undefined:
      case "help":
      case "--help":
      case "-h":
        out.write((HELPS[rest[0] ?? ""] ?? HELP) + "\n");
        return 0;
      case "--version":
      case "-V":
        out.write(`kyso ${ENGINE_VERSION}\n`);
        return 0;
      default:
        throw new UsageError(`unknown command '${cmd}'`);
    }
  } catch (e) {
    const usage = e instanceof UsageError || (e as { code?: string }).code?.startsWith("ERR_PARSE_ARGS");
    if (!usage) throw e;
    err.write(`kyso: ${(e as Error).message}\nRun 'kyso --help' for usage.\n`);
    return 2;
  }
}
