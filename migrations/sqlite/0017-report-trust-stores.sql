-- which trust store made each document's current report (its latest analysis), kept by a trigger, so
-- /readyz can say how many reports a server with other trusted roots did not make without reading the
-- analyses (issue 25, point 6); analyses are never deleted or rewritten
CREATE TABLE report_trust_stores (trust_store TEXT PRIMARY KEY, documents INTEGER NOT NULL) WITHOUT ROWID;
INSERT INTO report_trust_stores
  SELECT a.trust_store, count(*) FROM analyses a
  WHERE a.id = (SELECT max(b.id) FROM analyses b WHERE b.document_id = a.document_id)
  GROUP BY a.trust_store;
CREATE TRIGGER report_trust_stores_insert AFTER INSERT ON analyses BEGIN
  UPDATE report_trust_stores SET documents = documents - 1
    WHERE trust_store = (SELECT trust_store FROM analyses WHERE document_id = NEW.document_id AND id < NEW.id ORDER BY id DESC LIMIT 1);
  INSERT INTO report_trust_stores VALUES (NEW.trust_store, 1)
    ON CONFLICT DO UPDATE SET documents = documents + 1;
END;
