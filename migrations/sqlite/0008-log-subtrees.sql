-- the log's perfect subtrees as they complete (audit.ts), so inclusion and consistency proofs read
--    O(log² n) hashes instead of hashing the whole log; tree_size: the entries they cover, in order
CREATE TABLE audit_tree (
  height INTEGER NOT NULL,
  lo INTEGER NOT NULL,
  hash TEXT NOT NULL,
  PRIMARY KEY (height, lo)
) WITHOUT ROWID;
ALTER TABLE audit_head ADD COLUMN tree_size INTEGER;
