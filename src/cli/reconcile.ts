// `kyso reconcile`: the registers against the electronic exchanges, for the IT department: register rows
// that no electronic document matched (counted as paper exchanges), electronic documents that the
// registers of their agencies do not list, agency codes the directory does not know (their documents are
// held out of the figures), and the documents held out by reason.
import { parseArgs } from "node:util";
import { gapsOf } from "../compliance/gaps.js";
import { directoryFrom } from "../store/rows.js";
import { dataDirOf } from "./data-dir.js";
import { openCommandStore } from "./open-ports.js";
import { UsageError } from "./usage.js";

export const RECONCILE_HELP = `Usage: kyso reconcile [--owner CODE] [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--json] [--data DIR]

Compares the registers loaded (kyso scan --register, POST /api/v1/exchanges) with the electronic
documents, both ways:
  - register rows with no electronic document of the same sender, số/ký hiệu and date: paper
    exchanges, in the denominator until a file comes;
  - electronic documents of an agency, within the dates its register covers, that the register does
    not list (they still count: a register missing them is the agency's to check);
and lists the agency codes the exchanges name that the directory does not know: their documents stay out
of the figures until the directory has them (PUT /api/v1/agencies, kyso scan --agencies).
  --owner CODE    one agency's registers only
  --from, --to    register rows dated within (YYYY-MM-DD)
  --json          {registers, unmatchedRows, unregistered, unknownDocuments, gaps, held, conflicts}
Also lists the status messages and revocations that answer a document kyso never received, and the
conflicts: messages and rows the store could not take as they are (their file is already another
document's current version, another DocumentId with the same sender, number and date, …), each with the
document it collides with. A conflict is not counted; every other message was taken all the same.`;

const DATE = /^\d{4}-\d{2}-\d{2}$/;

export async function reconcileCommand(argv: string[], out: NodeJS.WritableStream): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      owner: { type: "string" },
      from: { type: "string" },
      to: { type: "string" },
      json: { type: "boolean", default: false },
      data: { type: "string" },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  if (values.help) {
    out.write(RECONCILE_HELP + "\n");
    return 0;
  }
  for (const k of ["from", "to"] as const)
    if (values[k] !== undefined && !DATE.test(values[k]!)) throw new UsageError(`--${k}: '${values[k]}' is not a date (YYYY-MM-DD)`);
  const store = await openCommandStore(dataDirOf(values.data), { existing: true });
  try {
    const r = await store.exchanges.reconciliation({ owner: values.owner, from: values.from, to: values.to });
    const gaps = gapsOf(directoryFrom(await store.readModel.agencies()), await store.readModel.gapDocuments());
    const held = await store.exchanges.heldCounts();
    const conflicts = await store.exchanges.conflicts(1000);
    if (values.json) {
      out.write(JSON.stringify({ ...r, gaps, held, conflicts }) + "\n");
      return 0;
    }
    out.write(r.registers.length ? "Registers:\n" : "No register loaded.\n");
    for (const g of r.registers)
      out.write(
        `  ${g.owner || "(kyso columns)"} ${g.register}: ${g.rows} rows ${g.from ?? ""}…${g.to ?? ""}, ${g.matched} matched to an electronic document, ${g.rows - g.matched} paper\n`,
      );
    out.write(`\nRegister rows with no electronic document (counted as paper): ${r.unmatchedRows.length}\n`);
    for (const x of r.unmatchedRows.slice(0, 50))
      out.write(
        `  ${x.owner} ${x.register} row ${x.line}: ${x.number ?? "?"} of ${x.issuedDate ?? "?"} from ${x.sender}${x.subject ? ` — ${x.subject}` : ""}\n`,
      );
    out.write(`\nElectronic documents the agency's register does not list (they count all the same): ${r.unregistered.length}\n`);
    for (const x of r.unregistered.slice(0, 50))
      out.write(`  ${x.owner} ${x.register}: ${x.number ?? "?"} of ${x.issuedDate ?? "?"} from ${x.sender} (${x.category ?? "pending"})\n`);
    out.write(`\nAgency codes not in the directory (documents held out of the figures): ${gaps.length}\n`);
    for (const g of gaps.slice(0, 50))
      out.write(`  ${g.code}: ${g.documents} document(s), ${g.asSender} as sender, ${g.asRecipient} as recipient, first seen ${g.firstSeen.slice(0, 10)}\n`);
    out.write(`\nMessages answering a document kyso never received (kept; applied if it comes): ${r.unknownDocuments.length}\n`);
    for (const e of r.unknownDocuments.slice(0, 50))
      out.write(
        `  ${e.kind}${e.code ? ` ${e.code}` : ""} at ${e.at.slice(0, 19)} for DocumentId ${e.exchangeId ?? "(none)"}${e.description ? ` — ${e.description}` : ""}\n`,
      );
    out.write(`\nConflicts (taken as they are would count a document twice or under another's name; not counted): ${conflicts.length}\n`);
    for (const c of conflicts.slice(0, 50))
      out.write(
        `  ${c.kind} ${c.number ?? ""}${c.sender ? ` from ${c.sender}` : ""}${c.exchange_id ? ` (DocumentId ${c.exchange_id})` : ""} at ${c.at.slice(0, 19)}: ${c.reason}${c.with_document ? ` — document ${c.with_document}` : ""}\n`,
      );
    const h = Object.entries(held);
    out.write(`\nHeld out of the figures: ${h.length ? h.map(([k, n]) => `${n} ${k}`).join(", ") : "none"}\n`);
    return 0;
  } finally {
    await store.close();
  }
}
