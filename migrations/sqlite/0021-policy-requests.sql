-- a policy change re-derives its documents in the background (issue 27), as a directory change does: the
-- request keeps the policy before it (the replay accepts it for documents the request has not reached
-- yet) and how far it walked the documents a policy can move (by category, then id, along
-- documents_category_order), so each batch is its own short transaction and a crash mid-way resumes
-- where it stopped; `total` (those documents when it was made) and `done` give its progress
CREATE TABLE policy_requests (
  id INTEGER PRIMARY KEY,
  previous TEXT NOT NULL,
  actor TEXT NOT NULL,
  requested_at TEXT NOT NULL,
  total INTEGER NOT NULL,
  done INTEGER NOT NULL DEFAULT 0,
  at_category TEXT NOT NULL,
  after_id TEXT NOT NULL DEFAULT ''
);
