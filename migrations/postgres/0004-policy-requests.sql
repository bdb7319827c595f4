-- a policy change re-derives its documents in the background, as on the embedded store (its 0021): the
-- request keeps the policy before it (the replay accepts it for the documents the walk has not reached)
-- and where the walk is (by category, then id bytewise, along documents_category_order)
CREATE TABLE policy_requests (
  id bigserial PRIMARY KEY,
  previous text NOT NULL,
  actor text NOT NULL,
  requested_at text NOT NULL,
  total integer NOT NULL,
  done integer NOT NULL DEFAULT 0,
  at_category text NOT NULL,
  after_id text NOT NULL DEFAULT ''
);
-- the versions waiting for a DocumentId (document-tx.ts versionsWaitingFor): `found` false or 0, as the
-- query reads it (0002's predicate matched neither a JSON false nor the number once read as text)
DROP INDEX document_events_waiting;
CREATE INDEX document_events_waiting ON document_events (kind) WHERE ((details::jsonb) -> 'found') IN ('false'::jsonb, '0'::jsonb);
-- the derivation queue in the order it is worked, bytewise
CREATE INDEX pending_derivations_order ON pending_derivations ((queued_at COLLATE "C"), (id COLLATE "C"));
