// The verification log: an append-only hash chain. Each entry's hash covers its own fields and the
// previous entry's hash, so editing, deleting or reordering a row breaks the chain at that row; the head
// (last seq and hash) is kept in its own table, so removing the newest rows shows too. Entries are appended
// inside the transaction of the change they record. Someone able to rewrite the whole file and recompute
// every hash is caught only by comparing with an export's head kept elsewhere (DESIGN: exports carry it).
import { createHash } from "node:crypto";
import type { Db } from "./db.js";
import { createLogKey, endorsementMessage, headMessage, readLogKey, type LogKey } from "../../log/key.js";
import { logKeyPath } from "../paths.js";
import { Frontier, leafHash } from "../../log/merkle.js";
import { SignedLogCheck, type KeptHead } from "../../log/signed-history.js";
import type { AuditEntry } from "../../log/entry.js";
import { storeSubtree } from "./audit-tree.js";

export const AUDIT_ACTIONS = [
  "analysis",
  "reanalysis",
  "analysis-failed",
  "category-change",
  "file-attached",
  "another-file",
  "key-create",
  "key-revoke",
  "agencies-update",
  "reverify",
  "policy-change",
  "superseded",
  "revoked",
  "register-import",
  "log-key",
  "document-facts",
  "figures-change",
  "versions-ordered",
  "conflict",
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export interface AuditInput {
  actor: string;
  action: AuditAction;
  subject: string;
  documentId?: string | null;
  agency?: string | null;
  engine?: string | null;
  trustStore?: string | null;
  details: Record<string, unknown>;
}

export type { AuditEntry } from "../../log/entry.js";

export const GENESIS = "0".repeat(64);

/** JSON with object keys sorted at every level: one text per value, so hashes can be recomputed anywhere. */
export function canonicalJson(v: unknown): string {
  if (v === null || typeof v !== "object") return JSON.stringify(v) ?? "null";
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(",")}]`;
  const o = v as Record<string, unknown>;
  return `{${Object.keys(o)
    .filter((k) => o[k] !== undefined)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${canonicalJson(o[k])}`)
    .join(",")}}`;
}

/** The hash of an entry: SHA-256 over the canonical JSON of every field but the hash itself. */
export function entryHash(e: Omit<AuditEntry, "hash">): string {
  return hashWithDetails(e, canonicalJson(e.details));
}

/** entryHash with the details already in canonical text: the same bytes as canonicalJson of the entry. */
function hashWithDetails(e: Omit<AuditEntry, "hash" | "details">, detailsText: string): string {
  const j = JSON.stringify;
  const text = `{"action":${j(e.action)},"actor":${j(e.actor)},"agency":${j(e.agency)},"at":${j(e.at)},"details":${detailsText},"documentId":${j(e.documentId)},"engine":${j(e.engine)},"prev":${j(e.prev)},"seq":${e.seq},"subject":${j(e.subject)},"trustStore":${j(e.trustStore)}}`;
  return createHash("sha256").update(text).digest("hex");
}

/** One export line: the entry's canonical JSON (so a one-byte edit anywhere is detected). */
export function auditLine(e: AuditEntry): string {
  return canonicalJson(e);
}

/** The key that signs this store's tree heads, read once per connection. */
const signers = new WeakMap<Db, LogKey>();

function signerOf(db: Db): LogKey {
  let k = signers.get(db);
  if (!k) {
    const path = logKeyPath(db.name);
    k = readLogKey(path) ?? createLogKey(path);
    signers.set(db, k);
  }
  return k;
}

interface HeadRow {
  seq: number;
  hash: string;
  frontier: string | null;
  key_id: string | null;
  /** entries whose completed subtrees audit_tree holds (null: none yet) */
  tree_size: number | null;
}

/**
 * Appends an entry. It must run inside the transaction of the change it records (so the change and its
 * entry are stored together or not at all): outside one it throws. The entry's tree head is signed with
 * the instance key; a key the log does not know yet is first recorded by a `log-key` entry.
 */
export function appendAudit(db: Db, input: AuditInput, at: Date = new Date()): AuditEntry {
  if (!db.inTransaction) throw new Error("appendAudit must run inside the transaction of the change it records");
  const key = signerOf(db);
  return append(db, key, keyRecorded(db, key, at), input, at);
}

const readHead = (db: Db) => db.prepare("SELECT seq, hash, frontier, key_id, tree_size FROM audit_head WHERE one = 1").get() as HeadRow | undefined;

/** The head, after a `log-key` entry when the key is not the log's yet (a first key, or a key file
 * replaced without `kyso audit rotate-key`: recorded, but not endorsed by the key before it). */
function keyRecorded(db: Db, key: LogKey, at?: Date): HeadRow | undefined {
  const head = readHead(db);
  if ((head?.key_id ?? null) === key.keyId) return head;
  append(
    db,
    key,
    head,
    {
      actor: "system",
      action: "log-key",
      subject: `log key ${key.keyId}`,
      details: { keyId: key.keyId, publicKey: key.publicKey, previous: head?.key_id ?? null, endorsement: null },
    },
    at,
  );
  return readHead(db);
}

/**
 * Replaces the instance key: the new key is recorded in a `log-key` entry endorsed (and signed) by the
 * old one, so a verifier that trusts the old key trusts the new one. The caller stores the new key where
 * the old one was.
 */
export function rotateLogKey(db: Db, next: LogKey, actor: string): AuditEntry {
  const old = signerOf(db);
  return db
    .transaction(() => {
      const head = keyRecorded(db, old);
      const e = append(db, old, head, {
        actor,
        action: "log-key",
        subject: `log key ${next.keyId}`,
        details: { keyId: next.keyId, publicKey: next.publicKey, previous: old.keyId, endorsement: old.sign(endorsementMessage(next.publicKey)) },
      });
      db.prepare("UPDATE audit_head SET key_id = ? WHERE one = 1").run(next.keyId);
      signers.set(db, next);
      return e;
    })
    .immediate();
}

/** The tree's right edge at the head (built from the log once, for a log older than signed heads). */
function frontierAt(db: Db, head: HeadRow | undefined): Frontier {
  if (!head || head.seq === 0) return new Frontier();
  if (head.frontier) return Frontier.parse(head.frontier, head.seq);
  const f = new Frontier();
  for (const r of db.prepare("SELECT hash FROM audit_log WHERE seq <= ? ORDER BY seq").iterate(head.seq) as IterableIterator<{ hash: string }>)
    f.append(leafHash(r.hash));
  return f;
}

function append(db: Db, key: LogKey, head: HeadRow | undefined, input: AuditInput, at: Date = new Date()): AuditEntry {
  const detailsText = canonicalJson(input.details);
  const body = {
    seq: (head?.seq ?? 0) + 1,
    at: at.toISOString(),
    actor: input.actor,
    action: input.action,
    subject: input.subject,
    documentId: input.documentId ?? null,
    agency: input.agency ?? null,
    engine: input.engine ?? null,
    trustStore: input.trustStore ?? null,
    prev: head?.hash ?? GENESIS,
  };
  const hash = hashWithDetails(body, detailsText);
  const frontier = frontierAt(db, head);
  const made = frontier.append(leafHash(hash));
  // the subtrees this entry completes, while the stored ones cover the log up to here (fillTree does the rest)
  const covered = (head?.tree_size ?? 0) === (head?.seq ?? 0);
  if (covered) for (const n of made) storeSubtree(db, n);
  const root = frontier.root().toString("hex");
  const entry: AuditEntry = { ...body, details: input.details, hash, root, keyId: key.keyId, sig: key.sign(headMessage(body.seq, root)) };
  db.prepare(
    "INSERT INTO audit_log (seq, at, actor, action, subject, document_id, agency, engine, trust_store, details, prev_hash, hash, root, key_id, sig) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
  ).run(
    entry.seq,
    entry.at,
    entry.actor,
    entry.action,
    entry.subject,
    entry.documentId,
    entry.agency,
    entry.engine,
    entry.trustStore,
    detailsText,
    entry.prev,
    entry.hash,
    root,
    key.keyId,
    entry.sig,
  );
  db.prepare(
    "INSERT INTO audit_head (one, seq, hash, frontier, key_id, tree_size) VALUES (1, ?, ?, ?, ?, ?) ON CONFLICT(one) DO UPDATE SET seq = excluded.seq, hash = excluded.hash, frontier = excluded.frontier, key_id = excluded.key_id, tree_size = excluded.tree_size",
  ).run(entry.seq, entry.hash, frontier.serialize(), key.keyId, covered ? entry.seq : (head?.tree_size ?? 0));
  return entry;
}

interface AuditRow {
  seq: number;
  at: string;
  actor: string;
  action: string;
  subject: string;
  document_id: string | null;
  agency: string | null;
  engine: string | null;
  trust_store: string | null;
  details: string;
  prev_hash: string;
  hash: string;
  root: string | null;
  key_id: string | null;
  sig: string | null;
}

/** A stored row as an entry. Details that are not JSON stay a string: the hash check then names the row. */
function fromRow(r: AuditRow): AuditEntry {
  let details: unknown;
  try {
    details = JSON.parse(r.details);
  } catch {
    details = r.details;
  }
  return {
    seq: r.seq,
    at: r.at,
    actor: r.actor,
    action: r.action,
    subject: r.subject,
    documentId: r.document_id,
    agency: r.agency,
    engine: r.engine,
    trustStore: r.trust_store,
    details,
    prev: r.prev_hash,
    hash: r.hash,
    ...(r.sig ? { root: r.root!, keyId: r.key_id!, sig: r.sig } : {}),
  };
}

export interface AuditFilter {
  /** entries at or after this day (YYYY-MM-DD) */
  from?: string | undefined;
  /** entries up to the end of this day */
  to?: string | undefined;
  agency?: string | undefined;
  documentId?: string | undefined;
  action?: string | undefined;
}

function where(f: AuditFilter, afterSeq = 0): { sql: string; args: unknown[] } {
  const w: string[] = ["seq > ?"];
  const args: unknown[] = [afterSeq];
  if (f.from) (w.push("at >= ?"), args.push(f.from));
  if (f.to) (w.push("at < ?"), args.push(nextDay(f.to)));
  if (f.agency) (w.push("agency = ?"), args.push(f.agency));
  if (f.documentId) (w.push("document_id = ?"), args.push(f.documentId));
  if (f.action) (w.push("action = ?"), args.push(f.action));
  return { sql: w.join(" AND "), args };
}

function nextDay(day: string): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString();
}

/** A page of entries in log order, after the entry `afterSeq`. */
export function listAudit(db: Db, f: AuditFilter, afterSeq: number, limit: number): { entries: AuditEntry[]; next: number | null } {
  const w = where(f, afterSeq);
  const rows = db.prepare(`SELECT * FROM audit_log WHERE ${w.sql} ORDER BY seq LIMIT ?`).all(...w.args, limit + 1) as AuditRow[];
  const page = rows.slice(0, limit).map(fromRow);
  return { entries: page, next: rows.length > limit ? page[page.length - 1]!.seq : null };
}

/** The entries after `afterSeq` in log order, read as they are iterated. */
export function* entriesAfter(db: Db, afterSeq: number): Generator<AuditEntry> {
  for (const r of db.prepare("SELECT * FROM audit_log WHERE seq > ? ORDER BY seq").iterate(afterSeq) as IterableIterator<AuditRow>) yield fromRow(r);
}

/** The entry numbered `seq`, or null when there is none (a gap shows as null, never as the next entry). */
export function entryAt(db: Db, seq: number): AuditEntry | null {
  const r = db.prepare("SELECT * FROM audit_log WHERE seq = ?").get(seq) as AuditRow | undefined;
  return r ? fromRow(r) : null;
}

export function auditHead(db: Db): { seq: number; hash: string } {
  return (db.prepare("SELECT seq, hash FROM audit_head WHERE one = 1").get() as { seq: number; hash: string } | undefined) ?? { seq: 0, hash: GENESIS };
}

/**
 * The export format (JSONL): one canonical entry per line, then a final line `{"head": …}` with the chain
 * head at export time and the filter used. Streams: rows are read in pages.
 */
export function* exportAudit(db: Db, f: AuditFilter = {}): Generator<string> {
  const head = auditHead(db);
  const signed = signedHead(db, head.seq);
  let after = 0;
  let n = 0;
  for (;;) {
    const page = listAudit(db, f, after, 1000);
    for (const e of page.entries) {
      if (e.seq > head.seq) return yield* finish();
      n++;
      yield auditLine(e) + "\n";
    }
    if (page.next === null) break;
    after = page.next;
  }
  yield* finish();
  function* finish(): Generator<string> {
    const filtered = Object.values(f).some((v) => v !== undefined);
    yield (
      canonicalJson({
        head: {
          seq: head.seq,
          hash: head.hash,
          entries: n,
          complete: !filtered,
          ...(filtered ? { filter: f } : {}),
          ...(signed ? { root: signed.root, keyId: signed.keyId, sig: signed.sig } : {}),
        },
      }) + "\n"
    );
  }
}

/** The signed tree head at an entry (the head of the log when it had `seq` entries), if it has one. */
export function signedHead(db: Db, seq: number): KeptHead | null {
  const r = db.prepare("SELECT seq, root, key_id, sig, at FROM audit_log WHERE seq = ?").get(seq) as
    { seq: number; root: string | null; key_id: string | null; sig: string | null; at: string } | undefined;
  return r?.sig ? { size: r.seq, root: r.root!, keyId: r.key_id!, sig: r.sig, at: r.at } : null;
}

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

/**
 * Re-checks every stored entry: its hash, its link to the one before, no gap in seq, the recorded head,
 * each entry's signed tree head, and the heads kept outside (`trusted.kept`).
 */
export function verifyStoredChain(db: Db, trusted: TrustedHistory = {}): ChainCheck {
  const head = auditHead(db);
  let prev = { seq: 0, hash: GENESIS };
  let n = 0;
  const sc = new SignedLogCheck(trusted);
  const fail = (seq: number, reason: string): ChainCheck => ({ ok: false, entries: n, signed: sc.signed, head, broken: { seq, reason } });
  for (const row of db.prepare("SELECT * FROM audit_log ORDER BY seq").iterate() as IterableIterator<AuditRow>) {
    const e = fromRow(row);
    if (e.seq !== prev.seq + 1) return fail(prev.seq + 1, `entry ${prev.seq + 1} is missing (entry ${prev.seq} is followed by entry ${e.seq})`);
    const problem = entryProblem(e, prev.hash);
    if (problem) return fail(e.seq, `entry ${e.seq}: ${problem}`);
    const unsigned = sc.add(e);
    if (unsigned) return fail(unsigned.seq, unsigned.reason);
    prev = { seq: e.seq, hash: e.hash };
    n++;
  }
  if (prev.seq !== head.seq || prev.hash !== head.hash) {
    const reason =
      prev.seq < head.seq
        ? `entry ${prev.seq + 1} is missing: the log ends at entry ${prev.seq}, its recorded head is entry ${head.seq}`
        : `entry ${prev.seq} does not match the recorded head (entry ${head.seq})`;
    return fail(Math.min(prev.seq + 1, head.seq || prev.seq), reason);
  }
  const outside = sc.finish();
  if (outside) return fail(outside.seq, outside.reason);
  return { ok: true, entries: n, signed: sc.signed, keptHeads: trusted.kept?.length ?? 0, head, broken: null };
}

/**
 * The stored chain checked against a head kept elsewhere (an earlier export's last line, a head an auditor noted): the entry
 * at that seq must still carry that hash. This catches a rewrite of the whole log with every hash
 * recomputed, which the chain alone cannot.
 */
export function verifyAgainstHead(db: Db, kept: { seq: number; hash: string }, trusted: TrustedHistory = {}): ChainCheck {
  const r = verifyStoredChain(db, trusted);
  if (!r.ok || kept.seq === 0) return r;
  const row = db.prepare("SELECT hash FROM audit_log WHERE seq = ?").get(kept.seq) as { hash: string } | undefined;
  if (!row)
    return {
      ...r,
      ok: false,
      broken: { seq: kept.seq, reason: `entry ${kept.seq}, a head recorded earlier (an export, an auditor's note), is no longer in the log` },
    };
  if (row.hash !== kept.hash)
    return { ...r, ok: false, broken: { seq: kept.seq, reason: `entry ${kept.seq} no longer has the hash recorded earlier: the log was rewritten` } };
  return r;
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

function entryProblem(e: AuditEntry, prevHash: string | null): string | null {
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
