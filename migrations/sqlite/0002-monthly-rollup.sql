-- a monthly rollup beside a daily one, sums instead of per-flag rows: a year of statistics reads at
--    most months × agencies × categories rows, whatever the number of documents
DROP TRIGGER rollup_insert;
DROP TRIGGER rollup_update;
DROP TABLE rollup;
CREATE TABLE rollup_daily (
  period_date TEXT NOT NULL, sender TEXT NOT NULL, category TEXT NOT NULL,
  n INTEGER NOT NULL, n_counts INTEGER NOT NULL, n_nd30 INTEGER NOT NULL,
  PRIMARY KEY (period_date, sender, category)
) WITHOUT ROWID;
CREATE TABLE rollup_monthly (
  month TEXT NOT NULL, sender TEXT NOT NULL, category TEXT NOT NULL,
  n INTEGER NOT NULL, n_counts INTEGER NOT NULL, n_nd30 INTEGER NOT NULL,
  PRIMARY KEY (month, sender, category)
) WITHOUT ROWID;
CREATE TRIGGER rollup_insert AFTER INSERT ON documents WHEN NEW.category IS NOT NULL BEGIN
  INSERT INTO rollup_daily VALUES (NEW.period_date, NEW.sender, NEW.category, 1, NEW.counts, NEW.nd30_complete)
    ON CONFLICT DO UPDATE SET n = n + 1, n_counts = n_counts + excluded.n_counts, n_nd30 = n_nd30 + excluded.n_nd30;
  INSERT INTO rollup_monthly VALUES (substr(NEW.period_date, 1, 7), NEW.sender, NEW.category, 1, NEW.counts, NEW.nd30_complete)
    ON CONFLICT DO UPDATE SET n = n + 1, n_counts = n_counts + excluded.n_counts, n_nd30 = n_nd30 + excluded.n_nd30;
END;
CREATE TRIGGER rollup_update AFTER UPDATE OF category, counts, nd30_complete ON documents BEGIN
  UPDATE rollup_daily SET n = n - 1, n_counts = n_counts - OLD.counts, n_nd30 = n_nd30 - OLD.nd30_complete
    WHERE OLD.category IS NOT NULL AND period_date = OLD.period_date AND sender = OLD.sender AND category = OLD.category;
  UPDATE rollup_monthly SET n = n - 1, n_counts = n_counts - OLD.counts, n_nd30 = n_nd30 - OLD.nd30_complete
    WHERE OLD.category IS NOT NULL AND month = substr(OLD.period_date, 1, 7) AND sender = OLD.sender AND category = OLD.category;
  INSERT INTO rollup_daily SELECT NEW.period_date, NEW.sender, NEW.category, 1, NEW.counts, NEW.nd30_complete WHERE NEW.category IS NOT NULL
    ON CONFLICT DO UPDATE SET n = n + 1, n_counts = n_counts + excluded.n_counts, n_nd30 = n_nd30 + excluded.n_nd30;
  INSERT INTO rollup_monthly SELECT substr(NEW.period_date, 1, 7), NEW.sender, NEW.category, 1, NEW.counts, NEW.nd30_complete WHERE NEW.category IS NOT NULL
    ON CONFLICT DO UPDATE SET n = n + 1, n_counts = n_counts + excluded.n_counts, n_nd30 = n_nd30 + excluded.n_nd30;
END;
INSERT INTO rollup_daily SELECT period_date, sender, category, count(*), sum(counts), sum(nd30_complete) FROM documents WHERE category IS NOT NULL GROUP BY 1, 2, 3;
INSERT INTO rollup_monthly SELECT substr(period_date, 1, 7), sender, category, count(*), sum(counts), sum(nd30_complete) FROM documents WHERE category IS NOT NULL GROUP BY 1, 2, 3;
