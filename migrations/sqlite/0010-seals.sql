-- who sealed a document (issue 24): the names and certificates agencies sign with, each document's
-- seals (the valid signatures' signers, from its analysis) and the binding derived from them, and
-- per rollup row how many were sealed by their sender
ALTER TABLE agencies ADD COLUMN signer_names TEXT NOT NULL DEFAULT '';
ALTER TABLE agencies ADD COLUMN certificates TEXT NOT NULL DEFAULT '';
ALTER TABLE documents ADD COLUMN seals TEXT;
ALTER TABLE documents ADD COLUMN signer_binding TEXT;
ALTER TABLE documents ADD COLUMN sealed INTEGER NOT NULL DEFAULT 0;
ALTER TABLE rollup_daily ADD COLUMN n_sealed INTEGER NOT NULL DEFAULT 0;
ALTER TABLE rollup_monthly ADD COLUMN n_sealed INTEGER NOT NULL DEFAULT 0;
DROP TRIGGER rollup_insert;
DROP TRIGGER rollup_update;
CREATE TRIGGER rollup_insert AFTER INSERT ON documents WHEN NEW.category IS NOT NULL BEGIN
  INSERT INTO rollup_daily (period_date, sender, category, n, n_counts, n_nd30, n_sealed) VALUES (NEW.period_date, NEW.agency, NEW.category, 1, NEW.counts, NEW.nd30_complete, NEW.sealed)
    ON CONFLICT DO UPDATE SET n = n + 1, n_counts = n_counts + excluded.n_counts, n_nd30 = n_nd30 + excluded.n_nd30, n_sealed = n_sealed + excluded.n_sealed;
  INSERT INTO rollup_monthly (month, sender, category, n, n_counts, n_nd30, n_sealed) VALUES (substr(NEW.period_date, 1, 7), NEW.agency, NEW.category, 1, NEW.counts, NEW.nd30_complete, NEW.sealed)
    ON CONFLICT DO UPDATE SET n = n + 1, n_counts = n_counts + excluded.n_counts, n_nd30 = n_nd30 + excluded.n_nd30, n_sealed = n_sealed + excluded.n_sealed;
END;
CREATE TRIGGER rollup_update AFTER UPDATE OF category, counts, nd30_complete, agency, period_date, sealed ON documents BEGIN
  UPDATE rollup_daily SET n = n - 1, n_counts = n_counts - OLD.counts, n_nd30 = n_nd30 - OLD.nd30_complete, n_sealed = n_sealed - OLD.sealed
    WHERE OLD.category IS NOT NULL AND period_date = OLD.period_date AND sender = OLD.agency AND category = OLD.category;
  UPDATE rollup_monthly SET n = n - 1, n_counts = n_counts - OLD.counts, n_nd30 = n_nd30 - OLD.nd30_complete, n_sealed = n_sealed - OLD.sealed
    WHERE OLD.category IS NOT NULL AND month = substr(OLD.period_date, 1, 7) AND sender = OLD.agency AND category = OLD.category;
  INSERT INTO rollup_daily (period_date, sender, category, n, n_counts, n_nd30, n_sealed) SELECT NEW.period_date, NEW.agency, NEW.category, 1, NEW.counts, NEW.nd30_complete, NEW.sealed WHERE NEW.category IS NOT NULL
    ON CONFLICT DO UPDATE SET n = n + 1, n_counts = n_counts + excluded.n_counts, n_nd30 = n_nd30 + excluded.n_nd30, n_sealed = n_sealed + excluded.n_sealed;
  INSERT INTO rollup_monthly (month, sender, category, n, n_counts, n_nd30, n_sealed) SELECT substr(NEW.period_date, 1, 7), NEW.agency, NEW.category, 1, NEW.counts, NEW.nd30_complete, NEW.sealed WHERE NEW.category IS NOT NULL
    ON CONFLICT DO UPDATE SET n = n + 1, n_counts = n_counts + excluded.n_counts, n_nd30 = n_nd30 + excluded.n_nd30, n_sealed = n_sealed + excluded.n_sealed;
END;
CREATE INDEX documents_binding ON documents(json_extract(signer_binding, '$.status'), period_date) WHERE signer_binding IS NOT NULL;
