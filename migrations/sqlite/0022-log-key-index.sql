-- the log's key entries found without reading the log: the start-up check learns its keys from them, and
--    a head's public key is looked up by them (a handful of rows in millions)
CREATE INDEX audit_log_keys ON audit_log(seq) WHERE action = 'log-key';
