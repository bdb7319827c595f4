-- documents by status and by place in the figures, kept by triggers, so /metrics reads a few rows
-- instead of grouping the documents table at every scrape (issue 27)
CREATE TABLE document_counts (status TEXT NOT NULL, bucket TEXT NOT NULL, n INTEGER NOT NULL, PRIMARY KEY (status, bucket)) WITHOUT ROWID;
INSERT INTO document_counts SELECT status, coalesce(category, CASE WHEN held IS NULL THEN 'pending' ELSE 'held' END), count(*) FROM documents GROUP BY 1, 2;
CREATE TRIGGER document_counts_insert AFTER INSERT ON documents BEGIN
  INSERT INTO document_counts VALUES (NEW.status, coalesce(NEW.category, CASE WHEN NEW.held IS NULL THEN 'pending' ELSE 'held' END), 1)
    ON CONFLICT DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER document_counts_update AFTER UPDATE OF status, category, held ON documents BEGIN
  UPDATE document_counts SET n = n - 1 WHERE status = OLD.status AND bucket = coalesce(OLD.category, CASE WHEN OLD.held IS NULL THEN 'pending' ELSE 'held' END);
  INSERT INTO document_counts VALUES (NEW.status, coalesce(NEW.category, CASE WHEN NEW.held IS NULL THEN 'pending' ELSE 'held' END), 1)
    ON CONFLICT DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER document_counts_delete AFTER DELETE ON documents BEGIN
  UPDATE document_counts SET n = n - 1 WHERE status = OLD.status AND bucket = coalesce(OLD.category, CASE WHEN OLD.held IS NULL THEN 'pending' ELSE 'held' END);
END;
