// Checks of the log's chain that need no database: one entry against the one before it, and an export
// (JSONL, one canonical entry a line and a head line) checked offline, line by line, with its signed
// history. The stored chain's own walk (store/sqlite/audit.ts) judges each entry with entryProblem too.
import { canonicalJson, entryHash, GENESIS } from "./chain.js";
import type { AuditEntry } from "./entry.js";
import { SignedLogCheck, type KeptHead } from "./signed-history.js";

/** What a check trusts beyond the log itself: public keys pinned by the auditor, heads kept outside. */
export interface TrustedHistory {
  pinned?: readonly string[];
  kept?: readonly KeptHead[];
}

export interface ChainCheck {
  ok: boolean;
  /** entries checked */
  entries: number;
  /** entries whose signed tree head verified */
  signed?: number;
  /** heads kept outside the store that were checked against it */
  keptHeads?: number;
  head: { seq: number; hash: string };
  /** the first entry found broken, and why */
  broken: null | { seq: number; reason: string };
}

/** The head line of an export, or null when the text has none. */
export function exportHead(text: string): { seq: number; hash: string } | null {
  const last = text.trimEnd().split("\n").pop() ?? "";
  try {
    const h = (JSON.parse(last) as { head?: { seq: unknown; hash: unknown } }).head;
    return h && typeof h.seq === "number" && typeof h.hash === "string" ? { seq: h.seq, hash: h.hash } : null;
  } catch {
    return null;
  }
}

export function entryProblem(e: AuditEntry, prevHash: string | null): string | null {
  if (prevHash !== null && e.prev !== prevHash) return "its previous-hash does not match the entry before it (an entry was changed, removed or moved)";
  if (entryHash(e) !== e.hash) return "its content does not match its hash (the entry was edited)";
  return null;
}

/**
 * Checks an export offline: every line canonical (so any edited byte shows), every hash, every link, and
 * the head line. A filtered export is checked link by link where its entries are consecutive.
 */
export function verifyExport(text: string, trusted: TrustedHistory = {}): ChainCheck {
  const lines = text.split("\n");
  // the signed history is checked while the entries run from entry 1 without a gap (a complete export)
  const sc = new SignedLogCheck(trusted);
  let signedProblem: { seq: number; reason: string } | null = null;
  if (lines[lines.length - 1] === "") lines.pop();
  let prev: { seq: number; hash: string } | null = null;
  let n = 0;
  /** the first entry missing between two exported ones (an error only in a complete export) */
  let gap: number | null = null;
  const noHead = { seq: 0, hash: GENESIS };
  const fail = (seq: number, reason: string, head = noHead): ChainCheck => ({ ok: false, entries: n, head, broken: { seq, reason } });
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    let v: unknown;
    try {
      v = JSON.parse(line);
    } catch {
      return fail(prev ? prev.seq + 1 : 0, `line ${i + 1} is not JSON (the export was edited or cut)`);
    }
    if (canonicalJson(v) !== line) return fail((v as { seq?: number }).seq ?? 0, `line ${i + 1} is not as exported (edited)`);
    const o = v as Record<string, unknown>;
    if ("head" in o) {
      const head = o.head as { seq: number; hash: string; complete: boolean };
      if (i !== lines.length - 1) return fail(head.seq, `line ${i + 1}: the head line is not the last line`);
      if (head.complete && gap !== null) return fail(gap, `entry ${gap} is missing from a complete export`, head);
      if (head.complete && (prev?.seq ?? 0) !== head.seq)
        return fail(head.seq, `the export ends at entry ${prev?.seq ?? 0}, its head says entry ${head.seq}`, head);
      if (prev && prev.seq === head.seq && prev.hash !== head.hash) return fail(head.seq, `entry ${head.seq} does not match the head line`, head);
      if (head.complete) {
        const p = signedProblem ?? sc.finish();
        if (p) return fail(p.seq, p.reason, head);
      }
      return {
        ok: true,
        entries: n,
        ...(head.complete ? { signed: sc.signed, keptHeads: trusted.kept?.length ?? 0 } : {}),
        head: { seq: head.seq, hash: head.hash },
        broken: null,
      };
    }
    const e = o as unknown as AuditEntry;
    if (typeof e.seq !== "number" || typeof e.hash !== "string") return fail(0, `line ${i + 1} is not a log entry`);
    const last: { seq: number; hash: string } = prev ?? { seq: 0, hash: GENESIS };
    const linked = e.seq === last.seq + 1 ? last.hash : null;
    const problem = entryProblem(e, linked);
    if (problem) return fail(e.seq, `entry ${e.seq}: ${problem}`);
    if (e.seq <= last.seq) return fail(e.seq, `entry ${e.seq} comes after entry ${last.seq} (reordered)`);
    if (gap === null && e.seq !== last.seq + 1) gap = last.seq + 1;
    if (gap === null && !signedProblem) signedProblem = sc.add(e);
    prev = { seq: e.seq, hash: e.hash };
    n++;
  }
  return fail(prev ? prev.seq : 0, "the export has no head line (it was cut)");
}
