// `kyso keys create|list|revoke`: API keys with roles. A new key is printed once; only its hash is kept.
import { parseArgs } from "node:util";
import { isRole, ROLES } from "../store/sqlite/keys.js";
import { openCommandStore } from "./open-ports.js";
import { cliActor } from "./actor.js";
import { dataDirOf } from "./data-dir.js";
import { UsageError } from "./usage.js";

export const KEYS_HELP = `Usage: kyso keys create --role ROLE --label TEXT [--sender CODE]... [--data DIR]
       kyso keys list [--json] [--data DIR]
       kyso keys revoke ID [--data DIR]

API keys for the HTTP API (Authorization: Bearer <key>). Roles:
  ingest    IT systems and \`kyso worker\`: upload documents, register exchanges, fetch PDFs to analyze
  viewer    leadership: documents, their categories and the statistics
  auditor   what a viewer sees, plus reports, evidence archives and the verification log
  admin     everything, including the agency directory and re-verification
--sender CODE binds an ingest key to sender agencies (repeatable): documents, messages and register rows of
other agencies are refused with 403 (a document system of one agency gets a key for that agency only).
The key is printed once: store it now. Only its SHA-256 is kept; a revoked key stops working at once.
Creating and revoking keys are entries of the verification log.
  --data DIR   data folder (default ./data) [KYSO_DATA_DIR]`;

export async function keysCommand(argv: string[], out: NodeJS.WritableStream, err: NodeJS.WritableStream): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      role: { type: "string" },
      label: { type: "string" },
      sender: { type: "string", multiple: true },
      data: { type: "string" },
      json: { type: "boolean", default: false },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  const [sub, ...rest] = positionals;
  if (values.help || !sub) {
    out.write(KEYS_HELP + "\n");
    return values.help ? 0 : 2;
  }
  const dataDir = dataDirOf(values.data);
  switch (sub) {
    case "create": {
      if (!values.role || !isRole(values.role)) throw new UsageError(`--role must be one of ${ROLES.join(", ")}`);
      if (!values.label?.trim()) throw new UsageError("--label TEXT is required (who or what uses the key)");
      const store = await openCommandStore(dataDir, { existing: false });
      try {
        const senders = values.sender?.length
          ? values.sender
              .flatMap((s) => s.split(","))
              .map((s) => s.trim())
              .filter(Boolean)
          : null;
        if (senders && values.role !== "ingest") throw new UsageError("--sender binds an ingest key only");
        const k = await store.access.createKey(values.role, values.label.trim(), cliActor(), senders);
        out.write(`${k.key}\n`);
        err.write(`kyso: key ${k.id} (${k.role}, ${k.label}${k.senders ? `, for ${k.senders.join(", ")} only` : ""}) created; it is shown only this once\n`);
      } finally {
        await store.close();
      }
      return 0;
    }
    case "list": {
      const store = await openCommandStore(dataDir, { existing: true });
      try {
        const keys = await store.access.listKeys();
        if (values.json) out.write(JSON.stringify(keys, null, 2) + "\n");
        else {
          out.write(`${"ID".padEnd(14)}${"ROLE".padEnd(9)}${"CREATED".padEnd(22)}${"STATUS".padEnd(10)}LABEL\n`);
          for (const k of keys)
            out.write(
              `${k.id.padEnd(14)}${k.role.padEnd(9)}${k.createdAt.slice(0, 19).padEnd(22)}${(k.revokedAt ? "revoked" : "active").padEnd(10)}${k.label}${k.senders ? ` (senders: ${k.senders.join(", ")})` : ""}\n`,
            );
        }
      } finally {
        await store.close();
      }
      return 0;
    }
    case "revoke": {
      const id = rest[0];
      if (!id || rest.length > 1) throw new UsageError("kyso keys revoke needs exactly one key ID (see kyso keys list)");
      const store = await openCommandStore(dataDir, { existing: true });
      try {
        if (!(await store.access.revokeKey(id, cliActor()))) throw new UsageError(`no active key '${id}'`);
        out.write(`key ${id} revoked\n`);
      } finally {
        await store.close();
      }
      return 0;
    }
    default:
      throw new UsageError(`unknown keys command '${sub}' (create, list or revoke)`);
  }
}
