-- words in a document's number or subject found through an index (issue 27): the text of each document
-- (its number and subject; the trigram tokenizer folds case, Vietnamese letters included) in its own table, keyed
-- by an INTEGER PRIMARY KEY (stable through VACUUM, unlike an implicit rowid) given in the order documents
-- are recorded, and a trigram index over it, so any substring of three characters or more is looked up,
-- not scanned for, newest first by walking the index backwards; kept by triggers that call nothing but
-- SQLite's own functions, so the database stays writable by any SQLite tool
CREATE TABLE document_text (n INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, text TEXT NOT NULL);
CREATE VIRTUAL TABLE document_text_index USING fts5(text, content = 'document_text', content_rowid = 'n', tokenize = 'trigram case_sensitive 0');
INSERT INTO document_text (id, text) SELECT id, coalesce(number, '') || char(10) || coalesce(subject, '') FROM documents ORDER BY created_at, id;
INSERT INTO document_text_index (document_text_index) VALUES ('rebuild');
CREATE TRIGGER document_text_insert AFTER INSERT ON documents BEGIN
  INSERT INTO document_text (id, text) VALUES (new.id, coalesce(new.number, '') || char(10) || coalesce(new.subject, ''));
  INSERT INTO document_text_index (rowid, text) SELECT n, text FROM document_text WHERE id = new.id;
END;
CREATE TRIGGER document_text_update AFTER UPDATE OF id, number, subject ON documents BEGIN
  INSERT INTO document_text_index (document_text_index, rowid, text) SELECT 'delete', n, text FROM document_text WHERE id = old.id;
  UPDATE document_text SET id = new.id, text = coalesce(new.number, '') || char(10) || coalesce(new.subject, '') WHERE id = old.id;
  INSERT INTO document_text_index (rowid, text) SELECT n, text FROM document_text WHERE id = new.id;
END;
CREATE TRIGGER document_text_delete AFTER DELETE ON documents BEGIN
  INSERT INTO document_text_index (document_text_index, rowid, text) SELECT 'delete', n, text FROM document_text WHERE id = old.id;
  DELETE FROM document_text WHERE id = old.id;
END;
