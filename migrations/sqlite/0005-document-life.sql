-- the document's life (issue 11): facts recorded, figures derived from them. Agencies get explicit
--    legacy codes and validity periods with successors; documents the edXML DocumentId, their file's
--    kind, versions (a replaced version stays, superseded), revocation, the agency they count for, and
--    why they are held out of the figures; status and business events; register rows for
--    reconciliation; settings (the policy the figures were derived with). The unit and byte indexes
--    hold among current versions only, and the rollups are keyed by the agency a document counts for.
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
