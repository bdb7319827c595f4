-- the documents a directory or policy change queued, read oldest first a batch at a time (issue 27): each
-- background step sorted the whole queue to take its first few, 40 ms a step with 260,000 queued at
-- 600,000 documents, most of a step sized to last 25 ms (PostgreSQL has had this order since its 0004)
CREATE INDEX pending_derivations_order ON pending_derivations(queued_at, id);
