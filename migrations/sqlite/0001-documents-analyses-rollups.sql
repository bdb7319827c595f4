-- agencies, documents, deliveries, analyses, signatures, and a daily rollup for fast statistics
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
