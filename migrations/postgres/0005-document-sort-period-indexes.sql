-- A period's document list in a sort order (issue 27, point 2): as SQLite's migration 23, the indexes of
-- the sort orders (0003) carry the document's period_date, in "C" as the list compares it, after their
-- keys (the id last of them). A btree tests a condition on any of its columns entry by entry, so a page of
-- a period in an order walks that order's index and fetches only the rows it lists; the planner, with the
-- table's statistics and the period's own dates, walks it for a long period and sorts a short one. Each
-- keeps its name and what it served, its keys being the leading columns, the expressions of
-- src/store/postgres/document-sorts.ts.
DROP INDEX documents_received_order, documents_number_order, documents_sender_order, documents_category_order;
CREATE INDEX documents_received_order ON documents (received_at COLLATE "C", id COLLATE "C", period_date COLLATE "C");
CREATE INDEX documents_number_order ON documents (kyso_leading_integer(number), (coalesce(number, '')) COLLATE "C", id COLLATE "C", period_date COLLATE "C");
CREATE INDEX documents_sender_order ON documents (sender COLLATE "C", id COLLATE "C", period_date COLLATE "C");
CREATE INDEX documents_category_order ON documents ((coalesce(category, '')) COLLATE "C", id COLLATE "C", period_date COLLATE "C");
