-- reads that do not scan (issue 27): the document list pages along (created_at, id), and /metrics
-- reads the analyses' count and time from totals kept by a trigger instead of summing the table
CREATE INDEX documents_created ON documents(created_at, id);
CREATE TABLE analysis_totals (one INTEGER PRIMARY KEY CHECK (one = 1), n INTEGER NOT NULL, ms REAL NOT NULL);
INSERT INTO analysis_totals SELECT 1, count(*), coalesce(sum(duration_ms), 0) FROM analyses;
CREATE TRIGGER analysis_totals_insert AFTER INSERT ON analyses BEGIN
  UPDATE analysis_totals SET n = n + 1, ms = ms + NEW.duration_ms WHERE one = 1;
END;
