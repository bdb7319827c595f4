-- the documents sent to one recipient, read by the recipient (issue 27: the document list's recipient
-- filter counted its total by probing every document's deliveries, 0.5 s at 500,000 documents; a directory
-- change's walk and the figures' recipient lookups read the same way)
CREATE INDEX deliveries_recipient ON deliveries(recipient, document_id);
