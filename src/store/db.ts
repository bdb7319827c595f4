// The embedded store: one SQLite file (better-sqlite3, WAL) in KYSO_DATA_DIR, with versioned migrations
// applied at start (PRAGMA user_version). One process writes (the API node); workers never touch it.
import Database from "better-sqlite3";
import { statSync } from "node:fs";
import { open, type FileHandle } from "node:fs/promises";
import { ConfigError } from "../config.js";
import { makeFolder, refusalWords, writeRefusal } from "./folders.js";
import { storageProblem } from "./storage-errors.js";
import { storePaths } from "./paths.js";
import { fillTree } from "./audit-tree.js";

export type Db = Database.Database;

const MIGRATIONS: string[] = [
  // 1: agencies, documents, deliveries, analyses, signatures, and a daily rollup for fast statistics
  `
  CREATE TABLE agencies (
    code TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    parent TEXT,
    kind TEXT NOT NULL
  );
  CREATE TABLE documents (
    id TEXT PRIMARY KEY,
    sha256 TEXT,
    bytes INTEGER,
    sender TEXT NOT NULL,
    number TEXT,
    issued_date TEXT,
    type TEXT,
    subject TEXT,
    classification TEXT NOT NULL DEFAULT 'none',
    urgency TEXT,
    received_at TEXT NOT NULL,
    channel TEXT NOT NULL,
    status TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    failure TEXT,
    between_admin INTEGER NOT NULL,
    verdict TEXT,
    content_kind TEXT,
    nd30_complete INTEGER NOT NULL DEFAULT 0,
    category TEXT,
    counts INTEGER NOT NULL DEFAULT 0,
    period_date TEXT NOT NULL,
    created_at TEXT NOT NULL
  );
  CREATE UNIQUE INDEX documents_sha ON documents(sha256) WHERE sha256 IS NOT NULL;
  CREATE UNIQUE INDEX documents_unit ON documents(sender, number, issued_date) WHERE number IS NOT NULL AND issued_date IS NOT NULL;
  CREATE INDEX documents_status ON documents(status, created_at);
  CREATE INDEX documents_period ON documents(period_date, sender);
  CREATE TABLE deliveries (
    document_id TEXT NOT NULL REFERENCES documents(id),
    recipient TEXT NOT NULL,
    PRIMARY KEY (document_id, recipient)
  );
  CREATE TABLE analyses (
    id INTEGER PRIMARY KEY,
    document_id TEXT NOT NULL REFERENCES documents(id),
    engine TEXT NOT NULL,
    trust_store TEXT NOT NULL,
    validation_time TEXT NOT NULL,
    duration_ms REAL NOT NULL,
    report TEXT NOT NULL,
    created_at TEXT NOT NULL
  );
  CREATE INDEX analyses_document ON analyses(document_id, id);
  CREATE TABLE signatures (
    analysis_id INTEGER NOT NULL REFERENCES analyses(id),
    idx INTEGER NOT NULL,
    kind TEXT NOT NULL,
    indication TEXT NOT NULL,
    sub_indication TEXT,
    signer_subject TEXT,
    signer_kind TEXT,
    PRIMARY KEY (analysis_id, idx)
  );
  -- one row per (day, sender, category, counts, nd30): statistics read this, never the documents
  CREATE TABLE rollup (
    period_date TEXT NOT NULL,
    sender TEXT NOT NULL,
    category TEXT NOT NULL,
    counts INTEGER NOT NULL,
    nd30 INTEGER NOT NULL,
    n INTEGER NOT NULL,
    PRIMARY KEY (period_date, sender, category, counts, nd30)
  ) WITHOUT ROWID;
  CREATE TRIGGER rollup_insert AFTER INSERT ON documents WHEN NEW.category IS NOT NULL BEGIN
    INSERT INTO rollup VALUES (NEW.period_date, NEW.sender, NEW.category, NEW.counts, NEW.nd30_complete, 1)
      ON CONFLICT DO UPDATE SET n = n + 1;
  END;
  CREATE TRIGGER rollup_update AFTER UPDATE OF category, counts, nd30_complete ON documents BEGIN
    UPDATE rollup SET n = n - 1 WHERE OLD.category IS NOT NULL AND period_date = OLD.period_date AND sender = OLD.sender
      AND category = OLD.category AND counts = OLD.counts AND nd30 = OLD.nd30_complete;
    INSERT INTO rollup SELECT NEW.period_date, NEW.sender, NEW.category, NEW.counts, NEW.nd30_complete, 1 WHERE NEW.category IS NOT NULL
      ON CONFLICT DO UPDATE SET n = n + 1;
  END;
  `,
  // 2: a monthly rollup beside a daily one, sums instead of per-flag rows: a year of statistics reads at
  //    most months × agencies × categories rows, whatever the number of documents
  `
  DROP TRIGGER rollup_insert;
  DROP TRIGGER rollup_update;
  DROP TABLE rollup;
  CREATE TABLE rollup_daily (
    period_date TEXT NOT NULL, sender TEXT NOT NULL, category TEXT NOT NULL,
    n INTEGER NOT NULL, n_counts INTEGER NOT NULL, n_nd30 INTEGER NOT NULL,
    PRIMARY KEY (period_date, sender, category)
  ) WITHOUT ROWID;
  CREATE TABLE rollup_monthly (
    month TEXT NOT NULL, sender TEXT NOT NULL, category TEXT NOT NULL,
    n INTEGER NOT NULL, n_counts INTEGER NOT NULL, n_nd30 INTEGER NOT NULL,
    PRIMARY KEY (month, sender, category)
  ) WITHOUT ROWID;
  CREATE TRIGGER rollup_insert AFTER INSERT ON documents WHEN NEW.category IS NOT NULL BEGIN
    INSERT INTO rollup_daily VALUES (NEW.period_date, NEW.sender, NEW.category, 1, NEW.counts, NEW.nd30_complete)
      ON CONFLICT DO UPDATE SET n = n + 1, n_counts = n_counts + excluded.n_counts, n_nd30 = n_nd30 + excluded.n_nd30;
    INSERT INTO rollup_monthly VALUES (substr(NEW.period_date, 1, 7), NEW.sender, NEW.category, 1, NEW.counts, NEW.nd30_complete)
      ON CONFLICT DO UPDATE SET n = n + 1, n_counts = n_counts + excluded.n_counts, n_nd30 = n_nd30 + excluded.n_nd30;
  END;
  CREATE TRIGGER rollup_update AFTER UPDATE OF category, counts, nd30_complete ON documents BEGIN
    UPDATE rollup_daily SET n = n - 1, n_counts = n_counts - OLD.counts, n_nd30 = n_nd30 - OLD.nd30_complete
      WHERE OLD.category IS NOT NULL AND period_date = OLD.period_date AND sender = OLD.sender AND category = OLD.category;
    UPDATE rollup_monthly SET n = n - 1, n_counts = n_counts - OLD.counts, n_nd30 = n_nd30 - OLD.nd30_complete
      WHERE OLD.category IS NOT NULL AND month = substr(OLD.period_date, 1, 7) AND sender = OLD.sender AND category = OLD.category;
    INSERT INTO rollup_daily SELECT NEW.period_date, NEW.sender, NEW.category, 1, NEW.counts, NEW.nd30_complete WHERE NEW.category IS NOT NULL
      ON CONFLICT DO UPDATE SET n = n + 1, n_counts = n_counts + excluded.n_counts, n_nd30 = n_nd30 + excluded.n_nd30;
    INSERT INTO rollup_monthly SELECT substr(NEW.period_date, 1, 7), NEW.sender, NEW.category, 1, NEW.counts, NEW.nd30_complete WHERE NEW.category IS NOT NULL
      ON CONFLICT DO UPDATE SET n = n + 1, n_counts = n_counts + excluded.n_counts, n_nd30 = n_nd30 + excluded.n_nd30;
  END;
  INSERT INTO rollup_daily SELECT period_date, sender, category, count(*), sum(counts), sum(nd30_complete) FROM documents WHERE category IS NOT NULL GROUP BY 1, 2, 3;
  INSERT INTO rollup_monthly SELECT substr(period_date, 1, 7), sender, category, count(*), sum(counts), sum(nd30_complete) FROM documents WHERE category IS NOT NULL GROUP BY 1, 2, 3;
  `,
  // 3: API keys (only a hash of each key is kept) and the verification log, a hash chain whose head is
  //    also kept apart, so that removing the newest entries shows too
  `
  CREATE TABLE api_keys (
    id TEXT PRIMARY KEY,
    role TEXT NOT NULL CHECK (role IN ('ingest', 'viewer', 'auditor', 'admin')),
    label TEXT NOT NULL,
    hash TEXT NOT NULL,
    created_at TEXT NOT NULL,
    revoked_at TEXT
  );
  CREATE TABLE audit_log (
    seq INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    subject TEXT NOT NULL,
    document_id TEXT,
    agency TEXT,
    engine TEXT,
    trust_store TEXT,
    details TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
  );
  CREATE INDEX audit_document ON audit_log(document_id, seq) WHERE document_id IS NOT NULL;
  CREATE INDEX audit_agency ON audit_log(agency, seq) WHERE agency IS NOT NULL;
  CREATE TABLE audit_head (
    one INTEGER PRIMARY KEY CHECK (one = 1),
    seq INTEGER NOT NULL,
    hash TEXT NOT NULL
  );
  `,
  // 4: edXML messages as received (the raw message is a blob), and the document each one carried
  `
  CREATE TABLE edxml_messages (
    sha256 TEXT PRIMARY KEY,
    received_at TEXT NOT NULL,
    sender TEXT NOT NULL,
    number TEXT,
    document_id TEXT REFERENCES documents(id),
    attachments TEXT NOT NULL
  );
  `,
  // 5: the document's life (issue 11): facts recorded, figures derived from them. Agencies get explicit
  //    legacy codes and validity periods with successors; documents the edXML DocumentId, their file's
  //    kind, versions (a replaced version stays, superseded), revocation, the agency they count for, and
  //    why they are held out of the figures; status and business events; register rows for
  //    reconciliation; settings (the policy the figures were derived with). The unit and byte indexes
  //    hold among current versions only, and the rollups are keyed by the agency a document counts for.
  `
  ALTER TABLE agencies ADD COLUMN aliases TEXT NOT NULL DEFAULT '';
  ALTER TABLE agencies ADD COLUMN valid_from TEXT;
  ALTER TABLE agencies ADD COLUMN valid_to TEXT;
  ALTER TABLE agencies ADD COLUMN successor TEXT;
  ALTER TABLE documents ADD COLUMN agency TEXT NOT NULL DEFAULT '';
  UPDATE documents SET agency = sender;
  ALTER TABLE documents ADD COLUMN source TEXT NOT NULL DEFAULT 'upload';
  ALTER TABLE documents ADD COLUMN exchange_id TEXT;
  ALTER TABLE documents ADD COLUMN file_kind TEXT;
  UPDATE documents SET file_kind = 'pdf' WHERE sha256 IS NOT NULL;
  ALTER TABLE documents ADD COLUMN file_name TEXT;
  ALTER TABLE documents ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
  ALTER TABLE documents ADD COLUMN supersedes TEXT;
  ALTER TABLE documents ADD COLUMN superseded_by TEXT;
  ALTER TABLE documents ADD COLUMN revoked_at TEXT;
  ALTER TABLE documents ADD COLUMN revocation_reason TEXT;
  ALTER TABLE documents ADD COLUMN paper_copy INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE documents ADD COLUMN held TEXT;
  DROP INDEX documents_sha;
  CREATE UNIQUE INDEX documents_sha ON documents(sha256) WHERE sha256 IS NOT NULL AND superseded_by IS NULL;
  DROP INDEX documents_unit;
  CREATE UNIQUE INDEX documents_unit ON documents(sender, number, issued_date) WHERE number IS NOT NULL AND issued_date IS NOT NULL AND superseded_by IS NULL;
  CREATE INDEX documents_exchange ON documents(exchange_id) WHERE exchange_id IS NOT NULL;
  CREATE INDEX documents_held ON documents(held) WHERE held IS NOT NULL;
  DROP TRIGGER rollup_insert;
  DROP TRIGGER rollup_update;
  CREATE TRIGGER rollup_insert AFTER INSERT ON documents WHEN NEW.category IS NOT NULL BEGIN
    INSERT INTO rollup_daily VALUES (NEW.period_date, NEW.agency, NEW.category, 1, NEW.counts, NEW.nd30_complete)
      ON CONFLICT DO UPDATE SET n = n + 1, n_counts = n_counts + excluded.n_counts, n_nd30 = n_nd30 + excluded.n_nd30;
    INSERT INTO rollup_monthly VALUES (substr(NEW.period_date, 1, 7), NEW.agency, NEW.category, 1, NEW.counts, NEW.nd30_complete)
      ON CONFLICT DO UPDATE SET n = n + 1, n_counts = n_counts + excluded.n_counts, n_nd30 = n_nd30 + excluded.n_nd30;
  END;
  CREATE TRIGGER rollup_update AFTER UPDATE OF category, counts, nd30_complete, agency, period_date ON documents BEGIN
    UPDATE rollup_daily SET n = n - 1, n_counts = n_counts - OLD.counts, n_nd30 = n_nd30 - OLD.nd30_complete
      WHERE OLD.category IS NOT NULL AND period_date = OLD.period_date AND sender = OLD.agency AND category = OLD.category;
    UPDATE rollup_monthly SET n = n - 1, n_counts = n_counts - OLD.counts, n_nd30 = n_nd30 - OLD.nd30_complete
      WHERE OLD.category IS NOT NULL AND month = substr(OLD.period_date, 1, 7) AND sender = OLD.agency AND category = OLD.category;
    INSERT INTO rollup_daily SELECT NEW.period_date, NEW.agency, NEW.category, 1, NEW.counts, NEW.nd30_complete WHERE NEW.category IS NOT NULL
      ON CONFLICT DO UPDATE SET n = n + 1, n_counts = n_counts + excluded.n_counts, n_nd30 = n_nd30 + excluded.n_nd30;
    INSERT INTO rollup_monthly SELECT substr(NEW.period_date, 1, 7), NEW.agency, NEW.category, 1, NEW.counts, NEW.nd30_complete WHERE NEW.category IS NOT NULL
      ON CONFLICT DO UPDATE SET n = n + 1, n_counts = n_counts + excluded.n_counts, n_nd30 = n_nd30 + excluded.n_nd30;
  END;
  DELETE FROM rollup_daily;
  DELETE FROM rollup_monthly;
  INSERT INTO rollup_daily SELECT period_date, agency, category, count(*), sum(counts), sum(nd30_complete) FROM documents WHERE category IS NOT NULL GROUP BY 1, 2, 3;
  INSERT INTO rollup_monthly SELECT substr(period_date, 1, 7), agency, category, count(*), sum(counts), sum(nd30_complete) FROM documents WHERE category IS NOT NULL GROUP BY 1, 2, 3;
  CREATE TABLE document_events (
    seq INTEGER PRIMARY KEY,
    document_id TEXT REFERENCES documents(id),
    exchange_id TEXT,
    kind TEXT NOT NULL,
    code TEXT,
    description TEXT,
    at TEXT NOT NULL,
    source TEXT NOT NULL,
    source_key TEXT NOT NULL UNIQUE,
    details TEXT NOT NULL DEFAULT '{}',
    created_at TEXT NOT NULL
  );
  CREATE INDEX document_events_document ON document_events(document_id, seq);
  CREATE INDEX document_events_exchange ON document_events(exchange_id) WHERE exchange_id IS NOT NULL;
  ALTER TABLE edxml_messages ADD COLUMN kind TEXT NOT NULL DEFAULT 'document';
  ALTER TABLE edxml_messages ADD COLUMN exchange_id TEXT;
  CREATE TABLE register_rows (
    id INTEGER PRIMARY KEY,
    owner TEXT NOT NULL,
    register TEXT NOT NULL,
    row_key TEXT NOT NULL,
    line INTEGER NOT NULL,
    sender TEXT NOT NULL,
    recipients TEXT NOT NULL,
    number TEXT,
    issued_date TEXT,
    received_date TEXT,
    type TEXT,
    subject TEXT,
    document_id TEXT NOT NULL REFERENCES documents(id),
    matched INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    UNIQUE (owner, register, row_key)
  );
  CREATE INDEX register_rows_document ON register_rows(document_id);
  CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
  `,
  // 6: bytes looked up across versions (the same bytes again are the same document, superseded or not)
  //    without a scan of the table: the unique index above holds current versions only
  `
  CREATE INDEX documents_sha_any ON documents(sha256) WHERE sha256 IS NOT NULL;
  `,
  // 7: the log as a Merkle tree with signed heads (issue 12): each entry keeps the tree head after it (the
  //    root and the instance key's signature, outside its hash), the head keeps the tree's right edge
  `
  ALTER TABLE audit_log ADD COLUMN root TEXT;
  ALTER TABLE audit_log ADD COLUMN key_id TEXT;
  ALTER TABLE audit_log ADD COLUMN sig TEXT;
  ALTER TABLE audit_head ADD COLUMN frontier TEXT;
  ALTER TABLE audit_head ADD COLUMN key_id TEXT;
  ALTER TABLE documents ADD COLUMN facts_logged TEXT;
  ALTER TABLE documents ADD COLUMN existence_at TEXT;
  ALTER TABLE documents ADD COLUMN existence_basis TEXT;
  ALTER TABLE api_keys ADD COLUMN senders TEXT;
  `,
  // 8: the log's perfect subtrees as they complete (audit.ts), so inclusion and consistency proofs read
  //    O(log² n) hashes instead of hashing the whole log; tree_size: the entries they cover, in order
  `
  CREATE TABLE audit_tree (
    height INTEGER NOT NULL,
    lo INTEGER NOT NULL,
    hash TEXT NOT NULL,
    PRIMARY KEY (height, lo)
  ) WITHOUT ROWID;
  ALTER TABLE audit_head ADD COLUMN tree_size INTEGER;
  `,
  // 9: identity is the lineage (issue 23): a document's versions share its DocumentId and may share
  //    everything but their bytes, so sender + number + date identify only documents without one; one
  //    current version per DocumentId (an older store's second current version of one DocumentId, made
  //    when an update named another document, is superseded by the newest); what the store refuses is
  //    a listed conflict, never an error that stops the rest
  `
  UPDATE documents SET superseded_by = (
    SELECT d2.id FROM documents d2 WHERE d2.exchange_id = documents.exchange_id AND d2.superseded_by IS NULL AND d2.id <> documents.id
    ORDER BY d2.received_at DESC, d2.created_at DESC, d2.id DESC LIMIT 1)
  WHERE exchange_id IS NOT NULL AND superseded_by IS NULL AND EXISTS (
    SELECT 1 FROM documents d3 WHERE d3.exchange_id = documents.exchange_id AND d3.superseded_by IS NULL AND d3.id <> documents.id
      AND (d3.received_at > documents.received_at OR (d3.received_at = documents.received_at AND (d3.created_at > documents.created_at OR (d3.created_at = documents.created_at AND d3.id > documents.id)))));
  DROP INDEX documents_unit;
  CREATE UNIQUE INDEX documents_unit ON documents(sender, number, issued_date) WHERE number IS NOT NULL AND issued_date IS NOT NULL AND superseded_by IS NULL AND exchange_id IS NULL;
  CREATE INDEX documents_unit_current ON documents(sender, number, issued_date) WHERE superseded_by IS NULL;
  CREATE UNIQUE INDEX documents_lineage ON documents(exchange_id) WHERE exchange_id IS NOT NULL AND superseded_by IS NULL;
  CREATE INDEX documents_lineage_versions ON documents(exchange_id, received_at) WHERE exchange_id IS NOT NULL;
  ALTER TABLE documents ADD COLUMN business TEXT;
  ALTER TABLE register_rows ADD COLUMN form TEXT;
  ALTER TABLE deliveries ADD COLUMN via TEXT;
  -- versions stored before the document they replace or update: looked up when a document is first recorded
  CREATE INDEX document_events_waiting ON document_events(kind) WHERE json_extract(details, '$.found') = 0;
  ALTER TABLE documents ADD COLUMN order_key TEXT;
  CREATE TABLE conflicts (
    id INTEGER PRIMARY KEY,
    source TEXT NOT NULL,
    kind TEXT NOT NULL,
    message_sha256 TEXT,
    exchange_id TEXT,
    sender TEXT,
    number TEXT,
    issued_date TEXT,
    file_sha256 TEXT,
    with_document TEXT,
    reason TEXT NOT NULL,
    at TEXT NOT NULL,
    created_at TEXT NOT NULL
  );
  CREATE UNIQUE INDEX conflicts_once ON conflicts(source, kind, ifnull(message_sha256, ''), ifnull(file_sha256, ''), ifnull(exchange_id, ''), ifnull(sender, ''), ifnull(number, ''), ifnull(issued_date, ''), reason);
  `,
  // 10: who sealed a document (issue 24): the names and certificates agencies sign with, each document's
  //     seals (the valid signatures' signers, from its analysis) and the binding derived from them, and
  //     per rollup row how many were sealed by their sender
  `
  ALTER TABLE agencies ADD COLUMN signer_names TEXT NOT NULL DEFAULT '';
  ALTER TABLE agencies ADD COLUMN certificates TEXT NOT NULL DEFAULT '';
  ALTER TABLE documents ADD COLUMN seals TEXT;
  ALTER TABLE documents ADD COLUMN signer_binding TEXT;
  ALTER TABLE documents ADD COLUMN sealed INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE rollup_daily ADD COLUMN n_sealed INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE rollup_monthly ADD COLUMN n_sealed INTEGER NOT NULL DEFAULT 0;
  DROP TRIGGER rollup_insert;
  DROP TRIGGER rollup_update;
  CREATE TRIGGER rollup_insert AFTER INSERT ON documents WHEN NEW.category IS NOT NULL BEGIN
    INSERT INTO rollup_daily (period_date, sender, category, n, n_counts, n_nd30, n_sealed) VALUES (NEW.period_date, NEW.agency, NEW.category, 1, NEW.counts, NEW.nd30_complete, NEW.sealed)
      ON CONFLICT DO UPDATE SET n = n + 1, n_counts = n_counts + excluded.n_counts, n_nd30 = n_nd30 + excluded.n_nd30, n_sealed = n_sealed + excluded.n_sealed;
    INSERT INTO rollup_monthly (month, sender, category, n, n_counts, n_nd30, n_sealed) VALUES (substr(NEW.period_date, 1, 7), NEW.agency, NEW.category, 1, NEW.counts, NEW.nd30_complete, NEW.sealed)
      ON CONFLICT DO UPDATE SET n = n + 1, n_counts = n_counts + excluded.n_counts, n_nd30 = n_nd30 + excluded.n_nd30, n_sealed = n_sealed + excluded.n_sealed;
  END;
  CREATE TRIGGER rollup_update AFTER UPDATE OF category, counts, nd30_complete, agency, period_date, sealed ON documents BEGIN
    UPDATE rollup_daily SET n = n - 1, n_counts = n_counts - OLD.counts, n_nd30 = n_nd30 - OLD.nd30_complete, n_sealed = n_sealed - OLD.sealed
      WHERE OLD.category IS NOT NULL AND period_date = OLD.period_date AND sender = OLD.agency AND category = OLD.category;
    UPDATE rollup_monthly SET n = n - 1, n_counts = n_counts - OLD.counts, n_nd30 = n_nd30 - OLD.nd30_complete, n_sealed = n_sealed - OLD.sealed
      WHERE OLD.category IS NOT NULL AND month = substr(OLD.period_date, 1, 7) AND sender = OLD.agency AND category = OLD.category;
    INSERT INTO rollup_daily (period_date, sender, category, n, n_counts, n_nd30, n_sealed) SELECT NEW.period_date, NEW.agency, NEW.category, 1, NEW.counts, NEW.nd30_complete, NEW.sealed WHERE NEW.category IS NOT NULL
      ON CONFLICT DO UPDATE SET n = n + 1, n_counts = n_counts + excluded.n_counts, n_nd30 = n_nd30 + excluded.n_nd30, n_sealed = n_sealed + excluded.n_sealed;
    INSERT INTO rollup_monthly (month, sender, category, n, n_counts, n_nd30, n_sealed) SELECT substr(NEW.period_date, 1, 7), NEW.agency, NEW.category, 1, NEW.counts, NEW.nd30_complete, NEW.sealed WHERE NEW.category IS NOT NULL
      ON CONFLICT DO UPDATE SET n = n + 1, n_counts = n_counts + excluded.n_counts, n_nd30 = n_nd30 + excluded.n_nd30, n_sealed = n_sealed + excluded.n_sealed;
  END;
  CREATE INDEX documents_binding ON documents(json_extract(signer_binding, '$.status'), period_date) WHERE signer_binding IS NOT NULL;
  `,
  // 11: reads that do not scan (issue 27): the document list pages along (created_at, id), and /metrics
  //     reads the analyses' count and time from totals kept by a trigger instead of summing the table
  `
  CREATE INDEX documents_created ON documents(created_at, id);
  CREATE TABLE analysis_totals (one INTEGER PRIMARY KEY CHECK (one = 1), n INTEGER NOT NULL, ms REAL NOT NULL);
  INSERT INTO analysis_totals SELECT 1, count(*), coalesce(sum(duration_ms), 0) FROM analyses;
  CREATE TRIGGER analysis_totals_insert AFTER INSERT ON analyses BEGIN
    UPDATE analysis_totals SET n = n + 1, ms = ms + NEW.duration_ms WHERE one = 1;
  END;
  `,
  // 12: documents by status and by place in the figures, kept by triggers, so /metrics reads a few rows
  //     instead of grouping the documents table at every scrape (issue 27)
  `
  CREATE TABLE document_counts (status TEXT NOT NULL, bucket TEXT NOT NULL, n INTEGER NOT NULL, PRIMARY KEY (status, bucket)) WITHOUT ROWID;
  INSERT INTO document_counts SELECT status, coalesce(category, CASE WHEN held IS NULL THEN 'pending' ELSE 'held' END), count(*) FROM documents GROUP BY 1, 2;
  CREATE TRIGGER document_counts_insert AFTER INSERT ON documents BEGIN
    INSERT INTO document_counts VALUES (NEW.status, coalesce(NEW.category, CASE WHEN NEW.held IS NULL THEN 'pending' ELSE 'held' END), 1)
      ON CONFLICT DO UPDATE SET n = n + 1;
  END;
  CREATE TRIGGER document_counts_update AFTER UPDATE OF status, category, held ON documents BEGIN
    UPDATE document_counts SET n = n - 1 WHERE status = OLD.status AND bucket = coalesce(OLD.category, CASE WHEN OLD.held IS NULL THEN 'pending' ELSE 'held' END);
    INSERT INTO document_counts VALUES (NEW.status, coalesce(NEW.category, CASE WHEN NEW.held IS NULL THEN 'pending' ELSE 'held' END), 1)
      ON CONFLICT DO UPDATE SET n = n + 1;
  END;
  CREATE TRIGGER document_counts_delete AFTER DELETE ON documents BEGIN
    UPDATE document_counts SET n = n - 1 WHERE status = OLD.status AND bucket = coalesce(OLD.category, CASE WHEN OLD.held IS NULL THEN 'pending' ELSE 'held' END);
  END;
  `,
  // 13: a directory change derives its documents again in the background (issue 27): the documents it
  //     concerns are queued with the change, in its transaction, and derived in batches after it, so a
  //     crash mid-way resumes; sender and agency are indexed for finding them
  `
  CREATE TABLE pending_derivations (id TEXT PRIMARY KEY, queued_at TEXT NOT NULL) WITHOUT ROWID;
  CREATE INDEX documents_sender ON documents(sender);
  CREATE INDEX documents_agency ON documents(agency);
  `,
];

/**
 * A consistent copy of the database in `file`, made in one read transaction (VACUUM INTO): writers going
 * on meanwhile neither stop nor restart it, where SQLite's online backup starts over whenever the source
 * changes between its steps, and so never finished while uploads kept arriving (issue 27).
 */
export function snapshotTo(db: Db, file: string): void {
  db.prepare("VACUUM INTO ?").run(file);
}

export function openDb(dataDir: string): Db {
  makeFolder(dataDir, "data folder");
  // every command that opens a store this way writes to it (the log, migrations, WAL files): a folder it
  // cannot write in is said at start with the folder named (exit 2), not as SQLite's words and a stack
  const refused = writeRefusal(dataDir);
  if (refused) throw new ConfigError(`cannot use the data folder '${dataDir}': ${refused}`);
  let db: Db | undefined;
  try {
    db = new Database(storePaths(dataDir).db);
    return prepare(db);
  } catch (e) {
    db?.close();
    const code = (e as { code?: unknown }).code;
    // what the access check lets through (root under /sys, where no file can be made; a kyso.db that is
    // not a database; a read-only kyso.db) SQLite refuses here
    if (typeof code === "string" && (storageProblem(e) || code === "SQLITE_NOTADB")) throw new ConfigError(`cannot open the store in the data folder '${dataDir}': ${refusalWords(code)} (${code}: ${(e as Error).message})`);
    throw e;
  }
}

function prepare(db: Db): Db {
  db.pragma("journal_mode = WAL");
  // FULL: a committed transaction is on disk before the commit returns (NORMAL may lose the last ones at a
  // power cut), so whatever was acknowledged survives one; analysis results are written with redoable()
  db.pragma("synchronous = FULL");
  db.pragma("foreign_keys = ON");
  // Other processes write this store too (kyso scan, kyso keys while kyso serve runs). Writes that read
  // first run as BEGIN IMMEDIATE (`.immediate()`): in WAL mode a deferred transaction that read before
  // another process committed cannot become a writer (SQLITE_BUSY_SNAPSHOT, no waiting); an immediate
  // one waits for the lock, up to this long.
  db.pragma("busy_timeout = 5000");
  migrate(db);
  cacheStatements(db);
  // a log from before audit_tree gets its subtrees once (a pass over the log), so proofs stay cheap
  fillTree(db);
  // SQLite's lower() folds ASCII only: searching Vietnamese text needs the whole alphabet folded
  db.function("lower_vi", { deterministic: true }, (v: unknown) => (typeof v === "string" ? v.normalize("NFC").toLocaleLowerCase("vi") : v));
  return db;
}

/**
 * A write that can be redone if a power cut loses it (an analysis result: its document is still queued
 * or processing in the durable state, so it is analyzed again): committed without waiting for the disk.
 * Whatever a later durable commit or checkpoint flushes is durable with it (durablePoint).
 */
export function redoable<T>(db: Db, write: () => T): T {
  const depth = relaxed.get(db) ?? 0;
  // prepared once (the statement cache): db.pragma() would prepare it again on every write
  if (depth === 0) db.prepare("PRAGMA synchronous = NORMAL").run();
  relaxed.set(db, depth + 1);
  try {
    return write();
  } finally {
    relaxed.set(db, depth);
    if (depth === 0) db.prepare("PRAGMA synchronous = FULL").run();
  }
}
const relaxed = new WeakMap<Db, number>();

/**
 * What `redoable` committed is on disk when this resolves: the write-ahead log is flushed (fsync) from
 * the thread pool, so the HTTP event loop does not wait for the disk, and concurrent requests share the
 * flushes. A request answers its 202 only after this (uploads, messages, register rows).
 */
export function flushed(db: Db): Promise<void> {
  // group commit: a flush under way covers what was committed before it started; requests that commit
  // meanwhile share the one flush that follows it
  const g = flushes.get(db) ?? { running: null, next: null };
  flushes.set(db, g);
  if (!g.running) {
    g.running = flushWal(db).finally(() => (g.running = null));
    return g.running;
  }
  g.next ??= g.running.catch(() => undefined).then(() => {
    g.next = null;
    return flushed(db);
  });
  return g.next;
}
const flushes = new WeakMap<Db, { running: Promise<void> | null; next: Promise<void> | null }>();

async function flushWal(db: Db): Promise<void> {
  const path = `${db.name}-wal`;
  try {
    // the file the handle holds must still be the WAL (SQLite removes it when the last connection closes
    // and makes a new one at the next write): a handle on a removed file would flush nothing of use
    const ino = statSync(path).ino;
    let held = walHandles.get(db);
    if (held && held.ino !== ino) {
      walHandles.delete(db);
      void held.fh.then((h) => h.close()).catch(() => undefined);
      held = undefined;
    }
    if (!held) {
      held = { fh: open(path, "r"), ino };
      walHandles.set(db, held);
    }
    await (await held.fh).sync();
  } catch (e) {
    walHandles.delete(db);
    // no WAL (nothing written yet, or a checkpoint removed it): a durable commit says the same
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return durablePoint(db);
    throw e;
  }
}
const walHandles = new WeakMap<Db, { fh: Promise<FileHandle>; ino: number }>();

/** Closes what flushed() keeps open (before the database closes). */
export async function closeFlushed(db: Db): Promise<void> {
  const held = walHandles.get(db);
  walHandles.delete(db);
  if (held) await (await held.fh.catch(() => null))?.close();
}

/** Everything committed so far is on disk when this returns (before a log head is published). */
export function durablePoint(db: Db): void {
  db.transaction(() => db.prepare("INSERT INTO settings (key, value) VALUES ('durable', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value").run(new Date().toISOString())).immediate();
}

/** A connection that only reads (a check in another thread): no migration, no writes. */
export function openReadOnly(file: string): Db {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  db.pragma("busy_timeout = 5000");
  cacheStatements(db);
  return db;
}

/** Statements are prepared once per SQL text: preparing costs more than running on the hot paths. */
function cacheStatements(db: Db): void {
  const prepare = db.prepare.bind(db);
  const cache = new Map<string, ReturnType<typeof prepare>>();
  (db as { prepare: typeof prepare }).prepare = ((sql: string) => {
    let s = cache.get(sql);
    if (!s) {
      s = prepare(sql);
      if (cache.size < 500) cache.set(sql, s);
    }
    return s;
  }) as typeof prepare;
}

/** Applies what is missing, one step per transaction; the version is read inside it, so processes
 * opening a new store at once (kyso serve and kyso keys, say) take turns instead of racing. */
export function migrate(db: Db): void {
  for (;;) {
    const finished = db.transaction((): boolean => {
      const v = db.pragma("user_version", { simple: true }) as number;
      if (v > MIGRATIONS.length) throw new Error(`the database is from a newer kyso (schema ${v}, this version knows ${MIGRATIONS.length})`);
      if (v === MIGRATIONS.length) return true;
      db.exec(MIGRATIONS[v]!);
      db.pragma(`user_version = ${v + 1}`);
      return false;
    }).immediate();
    if (finished) return;
  }
}
