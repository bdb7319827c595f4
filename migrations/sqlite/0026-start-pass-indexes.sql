-- the one-time passes `kyso serve` runs at every start (facts logged for a store from before they were,
-- seals read for one from before they were kept) looked for their documents by reading the documents
-- table whole: ~1 s of a cold start at 500,000 documents, growing with the store (issue 27). These
-- partial indexes hold only the documents a pass still has to do (none once it has run), so a start
-- finds there is nothing left without reading the table
CREATE INDEX documents_unanchored ON documents(id) WHERE facts_logged IS NULL AND (category IS NOT NULL OR held IS NOT NULL);
CREATE INDEX documents_unsealed ON documents(status) WHERE status = 'done' AND seals IS NULL;
