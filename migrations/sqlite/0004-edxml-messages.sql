-- edXML messages as received (the raw message is a blob), and the document each one carried
CREATE TABLE edxml_messages (
  sha256 TEXT PRIMARY KEY,
  received_at TEXT NOT NULL,
  sender TEXT NOT NULL,
  number TEXT,
  document_id TEXT REFERENCES documents(id),
  attachments TEXT NOT NULL
);
