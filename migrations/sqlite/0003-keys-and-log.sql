-- API keys (only a hash of each key is kept) and the verification log, a hash chain whose head is
--    also kept apart, so that removing the newest entries shows too
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
