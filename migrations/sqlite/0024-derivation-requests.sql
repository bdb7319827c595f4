-- a directory change over a fifth of the store queued every document it concerns in its own transaction,
-- on the request's thread: seconds at 250,000 documents, a minute and more at 2.5 million (issue 27). The
-- change now records the codes it concerns; the background derivation walks the documents by id, a slice
-- at a time, and queues those that name one (after_id: where the walk is), so the change commits at once
-- and a crash mid-walk resumes where the last slice ended
CREATE TABLE derivation_requests (
  id INTEGER PRIMARY KEY,
  codes TEXT NOT NULL,
  queued_at TEXT NOT NULL,
  after_id TEXT NOT NULL DEFAULT ''
);
