-- a re-verification queues its documents in the background (issue 27): the request is kept with how far
-- it walked the documents (by id), so each batch is its own short transaction and a crash mid-way resumes
-- where it stopped; its log entry is written with the last batch, with the number queued
CREATE TABLE reverify_requests (
  id INTEGER PRIMARY KEY,
  since TEXT,
  agency TEXT,
  actor TEXT NOT NULL,
  requested_at TEXT NOT NULL,
  after_id TEXT NOT NULL DEFAULT '',
  queued INTEGER NOT NULL DEFAULT 0
);
