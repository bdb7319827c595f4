-- The verification log (the meaning of SQLite's migrations 3, 7 and 8): entries in order with their
-- hashes and signed tree heads, the head row every append locks (so concurrent nodes write one chain),
-- and the log's perfect subtrees as they complete, for proofs.
CREATE TABLE audit_log (
  seq bigint PRIMARY KEY,
  at text NOT NULL,
  actor text NOT NULL,
  action text NOT NULL,
  subject text NOT NULL,
  document_id text,
  agency text,
  engine text,
  trust_store text,
  details text NOT NULL,
  prev_hash text NOT NULL,
  hash text NOT NULL,
  root text,
  key_id text,
  sig text
);
CREATE INDEX audit_document ON audit_log (document_id, seq) WHERE document_id IS NOT NULL;
CREATE INDEX audit_agency ON audit_log (agency, seq) WHERE agency IS NOT NULL;
CREATE INDEX audit_log_key ON audit_log ((details::jsonb ->> 'keyId'), seq) WHERE action = 'log-key';
CREATE TABLE audit_head (
  one integer PRIMARY KEY CHECK (one = 1),
  seq bigint NOT NULL,
  hash text NOT NULL,
  frontier text,
  key_id text,
  tree_size bigint
);
INSERT INTO audit_head (one, seq, hash, frontier, key_id, tree_size) VALUES (1, 0, repeat('0', 64), NULL, NULL, 0);
CREATE TABLE audit_tree (
  height integer NOT NULL,
  lo bigint NOT NULL,
  hash text NOT NULL,
  PRIMARY KEY (height, lo)
);
