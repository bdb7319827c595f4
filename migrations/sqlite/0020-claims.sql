-- who holds a document being analysed and until when (the life-cycle store's claims, the same table as
-- PostgreSQL's): a claim whose lease ended (its node stopped) goes back to the queue
CREATE TABLE claims (
  document_id TEXT PRIMARY KEY REFERENCES documents(id),
  node TEXT NOT NULL,
  until TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX claims_until ON claims(until);
