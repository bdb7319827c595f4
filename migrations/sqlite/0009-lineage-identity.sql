-- identity is the lineage (issue 23): a document's versions share its DocumentId and may share
--    everything but their bytes, so sender + number + date identify only documents without one; one
--    current version per DocumentId (an older store's second current version of one DocumentId, made
--    when an update named another document, is superseded by the newest); what the store refuses is
--    a listed conflict, never an error that stops the rest
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
