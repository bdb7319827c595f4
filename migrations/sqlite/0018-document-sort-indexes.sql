-- the document list's sort orders (issue 25, point 4: the auditors' page sorts on the server), each walked
-- along an index of its keys, the id last, so a page does not sort the table; the expressions are those of
-- src/store/document-sorts.ts
CREATE INDEX documents_received_order ON documents(received_at, id);
CREATE INDEX documents_number_order ON documents(CAST(coalesce(number, '') AS INTEGER), coalesce(number, ''), id);
CREATE INDEX documents_sender_order ON documents(sender, id);
CREATE INDEX documents_category_order ON documents(coalesce(category, ''), id);
