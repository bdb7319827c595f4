-- bytes looked up across versions (the same bytes again are the same document, superseded or not)
--    without a scan of the table: the unique index above holds current versions only
CREATE INDEX documents_sha_any ON documents(sha256) WHERE sha256 IS NOT NULL;
