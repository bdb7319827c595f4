-- the documents sent to one recipient, read by the recipient (as migrations/sqlite/0025)
CREATE INDEX deliveries_recipient ON deliveries (recipient, document_id);
