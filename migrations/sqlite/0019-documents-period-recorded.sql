-- the document list of a period, newest first (issue 27): by the document's date, then the order recorded,
-- walked backwards from the period's last day, so a page of a year's list costs its rows, not a sort of
-- the year (the auditors' page always asks for a period)
CREATE INDEX documents_period_recorded ON documents(period_date, created_at, id);
