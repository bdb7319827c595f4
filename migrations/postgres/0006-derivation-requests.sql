-- a directory change records the codes it concerns; the background derivation walks the documents by
-- id, a slice at a time, and queues those that name one (as migrations/sqlite/0024: the change commits at
-- once whatever the store's size, and a crash mid-walk resumes where the last slice ended)
CREATE TABLE derivation_requests (
  id bigserial PRIMARY KEY,
  codes text NOT NULL,
  queued_at text NOT NULL,
  after_id text NOT NULL DEFAULT ''
);
