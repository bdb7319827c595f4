-- a directory change derives its documents again in the background (issue 27): the documents it
-- concerns are queued with the change, in its transaction, and derived in batches after it, so a
-- crash mid-way resumes; sender and agency are indexed for finding them
CREATE TABLE pending_derivations (id TEXT PRIMARY KEY, queued_at TEXT NOT NULL) WITHOUT ROWID;
CREATE INDEX documents_sender ON documents(sender);
CREATE INDEX documents_agency ON documents(agency);
