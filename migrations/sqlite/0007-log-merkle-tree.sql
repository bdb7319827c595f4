-- the log as a Merkle tree with signed heads (issue 12): each entry keeps the tree head after it (the
--    root and the instance key's signature, outside its hash), the head keeps the tree's right edge
ALTER TABLE audit_log ADD COLUMN root TEXT;
ALTER TABLE audit_log ADD COLUMN key_id TEXT;
ALTER TABLE audit_log ADD COLUMN sig TEXT;
ALTER TABLE audit_head ADD COLUMN frontier TEXT;
ALTER TABLE audit_head ADD COLUMN key_id TEXT;
ALTER TABLE documents ADD COLUMN facts_logged TEXT;
ALTER TABLE documents ADD COLUMN existence_at TEXT;
ALTER TABLE documents ADD COLUMN existence_basis TEXT;
ALTER TABLE api_keys ADD COLUMN senders TEXT;
