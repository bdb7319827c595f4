-- a period's document list in a sort order (issue 27, point 2): the indexes of the sort orders (migration
-- 18) carry the document's period_date after their keys (the id last of them), so a page of a period in
-- any order walks its order's index and tests the period on each entry, reading only the rows it lists,
-- instead of sorting the period (a year of 2.5 million documents is half a million rows); each keeps its
-- name and what it served, its keys being the leading columns, the expressions of
-- src/store/sqlite/document-sorts.ts letter for letter
DROP INDEX documents_received_order;
DROP INDEX documents_number_order;
DROP INDEX documents_sender_order;
DROP INDEX documents_category_order;
CREATE INDEX documents_received_order ON documents(received_at, id, period_date);
CREATE INDEX documents_number_order ON documents(CAST(coalesce(number, '') AS INTEGER), coalesce(number, ''), id, period_date);
CREATE INDEX documents_sender_order ON documents(sender, id, period_date);
CREATE INDEX documents_category_order ON documents(coalesce(category, ''), id, period_date);
