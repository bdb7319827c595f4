-- sign-in sessions of the pages (issue 25): a browser's cookie names its row by the SHA-256 of its token.
-- A key's session reads the key's role and revocation at every request (a revoked key ends it); a session
-- of the identity provider keeps the subject, name and role its sign-in gave. Sign-out deletes the row.
CREATE TABLE sessions (
  token_hash TEXT PRIMARY KEY,
  key_id TEXT REFERENCES api_keys(id),
  subject TEXT,
  name TEXT,
  role TEXT CHECK (role IS NULL OR role IN ('ingest', 'viewer', 'auditor', 'admin')),
  created_at TEXT NOT NULL,
  expires_at TEXT NOT NULL,
  CHECK (key_id IS NOT NULL OR (subject IS NOT NULL AND role IS NOT NULL))
) WITHOUT ROWID;
CREATE INDEX sessions_expiry ON sessions(expires_at);
