// The log port on the embedded store: its synchronous functions (audit.ts, heads.ts) behind the port's
// promises. Each append is one immediate transaction, so entries written by other processes on the same
// file (kyso scan, kyso keys) stay one chain.
import type { AuditEntry } from "../../log/entry.js";
import type { AuditInput } from "../../log/input.js";
import type { LogPort, LogReads } from "../ports.js";
import { appendAudit, auditHead, entryAt, listAudit } from "./audit.js";
import type { Db } from "./db.js";
import { ProofError, proveConsistency, proveEntries, proveInclusion } from "./heads.js";

export function sqliteLog(db: Db): LogPort {
  return {
    append: async (inputs: readonly AuditInput[], at?: Date): Promise<AuditEntry[]> =>
      db.transaction(() => inputs.map((i) => appendAudit(db, i, at))).immediate(),
    head: async () => auditHead(db),
    entries: async (afterSeq, limit) => listAudit(db, {}, afterSeq, limit).entries,
    proveInclusion: async (seq, size) => {
      const entry = entryAt(db, seq);
      if (!entry) throw new ProofError(`no entry ${seq} in the log`);
      return proveInclusion(db, seq, entry, size);
    },
    proveConsistency: async (first, second) => proveConsistency(db, first, second),
    close: async () => void db.close(),
  };
}

/** The auditors' reads of the log on the embedded store. */
export function sqliteLogReads(db: Db): LogReads {
  return {
    head: async () => auditHead(db),
    page: async (f, afterSeq, limit) => listAudit(db, f, afterSeq, limit),
    proveEntries: async (seqs, size) => proveEntries(db, seqs, size),
  };
}
