-- A document's life and the figures' rollups: the meaning of SQLite's migrations 1–19 (their final
-- schema), in PostgreSQL's words. Times are ISO-8601 text as on SQLite (they sort as they read, and rows
-- read back the same on both backends); flags are 0/1 integers for the same reason. The rollups and
-- counts are kept by triggers in the writing transaction, as on SQLite. Text search comes with the read
-- model's port (a later step). Claims are held with a lease (claims) so several nodes can share the queue.
CREATE TABLE agencies (
  code text PRIMARY KEY,
  name text NOT NULL,
  parent text,
  kind text NOT NULL,
  aliases text NOT NULL DEFAULT '',
  valid_from text,
  valid_to text,
  successor text,
  signer_names text NOT NULL DEFAULT '',
  certificates text NOT NULL DEFAULT ''
);

CREATE TABLE documents (
  id text PRIMARY KEY,
  sha256 text,
  bytes integer,
  sender text NOT NULL,
  number text,
  issued_date text,
  type text,
  subject text,
  classification text NOT NULL DEFAULT 'none',
  urgency text,
  received_at text NOT NULL,
  channel text NOT NULL,
  status text NOT NULL,
  attempts integer NOT NULL DEFAULT 0,
  failure text,
  between_admin integer NOT NULL,
  verdict text,
  content_kind text,
  nd30_complete integer NOT NULL DEFAULT 0,
  category text,
  counts integer NOT NULL DEFAULT 0,
  period_date text NOT NULL,
  created_at text NOT NULL,
  agency text NOT NULL DEFAULT '',
  source text NOT NULL DEFAULT 'upload',
  exchange_id text,
  file_kind text,
  file_name text,
  version integer NOT NULL DEFAULT 1,
  supersedes text,
  superseded_by text,
  revoked_at text,
  revocation_reason text,
  paper_copy integer NOT NULL DEFAULT 0,
  held text,
  facts_logged text,
  existence_at text,
  existence_basis text,
  business text,
  order_key text,
  seals text,
  signer_binding text,
  sealed integer NOT NULL DEFAULT 0
);
CREATE INDEX documents_status ON documents (status, created_at, id);
-- the queue in the order a claim takes it (bytewise, as SQLite sorts, whatever the database's collation)
CREATE INDEX documents_queue ON documents ((created_at COLLATE "C"), (id COLLATE "C")) WHERE status = 'queued';
CREATE INDEX documents_period ON documents (period_date, sender);
CREATE UNIQUE INDEX documents_sha ON documents (sha256) WHERE sha256 IS NOT NULL AND superseded_by IS NULL;
CREATE INDEX documents_sha_any ON documents (sha256) WHERE sha256 IS NOT NULL;
CREATE INDEX documents_exchange ON documents (exchange_id) WHERE exchange_id IS NOT NULL;
CREATE INDEX documents_held ON documents (held) WHERE held IS NOT NULL;
CREATE UNIQUE INDEX documents_unit ON documents (sender, number, issued_date)
  WHERE number IS NOT NULL AND issued_date IS NOT NULL AND superseded_by IS NULL AND exchange_id IS NULL;
CREATE INDEX documents_unit_current ON documents (sender, number, issued_date) WHERE superseded_by IS NULL;
CREATE UNIQUE INDEX documents_lineage ON documents (exchange_id) WHERE exchange_id IS NOT NULL AND superseded_by IS NULL;
CREATE INDEX documents_lineage_versions ON documents (exchange_id, received_at) WHERE exchange_id IS NOT NULL;
CREATE INDEX documents_binding ON documents (((signer_binding::jsonb) ->> 'status'), period_date) WHERE signer_binding IS NOT NULL;
CREATE INDEX documents_created ON documents (created_at, id);
CREATE INDEX documents_sender ON documents (sender);
CREATE INDEX documents_agency ON documents (agency);
CREATE INDEX documents_received_order ON documents (received_at, id);
CREATE INDEX documents_sender_order ON documents (sender, id);
CREATE INDEX documents_category_order ON documents ((coalesce(category, '')), id);
CREATE INDEX documents_period_recorded ON documents (period_date, created_at, id);
-- who holds a document being analysed and until when: a node that dies leaves a lease the others take back
CREATE TABLE claims (
  document_id text PRIMARY KEY REFERENCES documents (id),
  node text NOT NULL,
  until text NOT NULL
);
CREATE INDEX claims_until ON claims (until);

CREATE TABLE deliveries (
  document_id text NOT NULL REFERENCES documents (id),
  recipient text NOT NULL,
  via text,
  PRIMARY KEY (document_id, recipient)
);

CREATE TABLE analyses (
  id bigserial PRIMARY KEY,
  document_id text NOT NULL REFERENCES documents (id),
  engine text NOT NULL,
  trust_store text NOT NULL,
  validation_time text NOT NULL,
  duration_ms double precision NOT NULL,
  report text NOT NULL,
  created_at text NOT NULL
);
CREATE INDEX analyses_document ON analyses (document_id, id);

CREATE TABLE signatures (
  analysis_id bigint NOT NULL REFERENCES analyses (id),
  idx integer NOT NULL,
  kind text NOT NULL,
  indication text NOT NULL,
  sub_indication text,
  signer_subject text,
  signer_kind text,
  PRIMARY KEY (analysis_id, idx)
);

CREATE TABLE rollup_daily (
  period_date text NOT NULL,
  sender text NOT NULL,
  category text NOT NULL,
  n integer NOT NULL,
  n_counts integer NOT NULL,
  n_nd30 integer NOT NULL,
  n_sealed integer NOT NULL DEFAULT 0,
  PRIMARY KEY (period_date, sender, category)
);
CREATE TABLE rollup_monthly (
  month text NOT NULL,
  sender text NOT NULL,
  category text NOT NULL,
  n integer NOT NULL,
  n_counts integer NOT NULL,
  n_nd30 integer NOT NULL,
  n_sealed integer NOT NULL DEFAULT 0,
  PRIMARY KEY (month, sender, category)
);

CREATE TABLE api_keys (
  id text PRIMARY KEY,
  role text NOT NULL CHECK (role IN ('ingest', 'viewer', 'auditor', 'admin')),
  label text NOT NULL,
  hash text NOT NULL,
  created_at text NOT NULL,
  revoked_at text,
  senders text
);

CREATE TABLE edxml_messages (
  sha256 text PRIMARY KEY,
  received_at text NOT NULL,
  sender text NOT NULL,
  number text,
  document_id text REFERENCES documents (id),
  attachments text NOT NULL,
  kind text NOT NULL DEFAULT 'document',
  exchange_id text
);

CREATE TABLE document_events (
  seq bigserial PRIMARY KEY,
  document_id text REFERENCES documents (id),
  exchange_id text,
  kind text NOT NULL,
  code text,
  description text,
  at text NOT NULL,
  source text NOT NULL,
  source_key text NOT NULL UNIQUE,
  details text NOT NULL DEFAULT '{}',
  created_at text NOT NULL
);
CREATE INDEX document_events_document ON document_events (document_id, seq);
CREATE INDEX document_events_exchange ON document_events (exchange_id) WHERE exchange_id IS NOT NULL;
CREATE INDEX document_events_waiting ON document_events (kind) WHERE ((details::jsonb) ->> 'found') = '0';

CREATE TABLE register_rows (
  id bigserial PRIMARY KEY,
  owner text NOT NULL,
  register text NOT NULL,
  row_key text NOT NULL,
  line integer NOT NULL,
  sender text NOT NULL,
  recipients text NOT NULL,
  number text,
  issued_date text,
  received_date text,
  type text,
  subject text,
  document_id text NOT NULL REFERENCES documents (id),
  matched integer NOT NULL,
  created_at text NOT NULL,
  form text,
  UNIQUE (owner, register, row_key)
);
CREATE INDEX register_rows_document ON register_rows (document_id);

CREATE TABLE settings (key text PRIMARY KEY, value text NOT NULL);

CREATE TABLE conflicts (
  id bigserial PRIMARY KEY,
  source text NOT NULL,
  kind text NOT NULL,
  message_sha256 text,
  exchange_id text,
  sender text,
  number text,
  issued_date text,
  file_sha256 text,
  with_document text,
  reason text NOT NULL,
  at text NOT NULL,
  created_at text NOT NULL
);
CREATE UNIQUE INDEX conflicts_once ON conflicts (source, kind, coalesce(message_sha256, ''), coalesce(file_sha256, ''), coalesce(exchange_id, ''),
  coalesce(sender, ''), coalesce(number, ''), coalesce(issued_date, ''), reason);

CREATE TABLE analysis_totals (one integer PRIMARY KEY CHECK (one = 1), n bigint NOT NULL, ms double precision NOT NULL);
INSERT INTO analysis_totals VALUES (1, 0, 0);
CREATE TABLE document_counts (status text NOT NULL, bucket text NOT NULL, n integer NOT NULL, PRIMARY KEY (status, bucket));
CREATE TABLE pending_derivations (id text PRIMARY KEY, queued_at text NOT NULL);

CREATE TABLE sessions (
  token_hash text PRIMARY KEY,
  key_id text REFERENCES api_keys (id),
  subject text,
  name text,
  role text CHECK (role IS NULL OR role IN ('ingest', 'viewer', 'auditor', 'admin')),
  created_at text NOT NULL,
  expires_at text NOT NULL,
  CHECK (key_id IS NOT NULL OR (subject IS NOT NULL AND role IS NOT NULL))
);
CREATE INDEX sessions_expiry ON sessions (expires_at);

CREATE TABLE reverify_requests (
  id bigserial PRIMARY KEY,
  since text,
  agency text,
  actor text NOT NULL,
  requested_at text NOT NULL,
  after_id text NOT NULL DEFAULT '',
  queued integer NOT NULL DEFAULT 0
);

CREATE TABLE report_trust_stores (trust_store text PRIMARY KEY, documents integer NOT NULL);

-- the figures' rollups follow each document's category, counts, ND30 completeness, agency, period and seal;
-- document_counts its status and place. Each counter row is changed by adding to it (a row first made at
-- its first use).
CREATE FUNCTION kyso_daily(d text, a text, c text, n integer, k integer, nd integer, s integer) RETURNS void LANGUAGE sql AS $$
  INSERT INTO rollup_daily AS r (period_date, sender, category, n, n_counts, n_nd30, n_sealed) VALUES (d, a, c, n, k, nd, s)
    ON CONFLICT (period_date, sender, category) DO UPDATE SET n = r.n + excluded.n, n_counts = r.n_counts + excluded.n_counts,
      n_nd30 = r.n_nd30 + excluded.n_nd30, n_sealed = r.n_sealed + excluded.n_sealed;
$$;
CREATE FUNCTION kyso_monthly(m text, a text, c text, n integer, k integer, nd integer, s integer) RETURNS void LANGUAGE sql AS $$
  INSERT INTO rollup_monthly AS r (month, sender, category, n, n_counts, n_nd30, n_sealed) VALUES (m, a, c, n, k, nd, s)
    ON CONFLICT (month, sender, category) DO UPDATE SET n = r.n + excluded.n, n_counts = r.n_counts + excluded.n_counts,
      n_nd30 = r.n_nd30 + excluded.n_nd30, n_sealed = r.n_sealed + excluded.n_sealed;
$$;
CREATE FUNCTION kyso_count(st text, b text, n integer) RETURNS void LANGUAGE sql AS $$
  INSERT INTO document_counts AS c VALUES (st, b, n) ON CONFLICT (status, bucket) DO UPDATE SET n = c.n + excluded.n;
$$;

CREATE FUNCTION kyso_bucket(status text, category text, held text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
  SELECT coalesce(category, CASE WHEN held IS NULL THEN 'pending' ELSE 'held' END)
$$;

-- A change takes its counter rows in one order, whatever way it moves a document (document_counts, then
-- the daily rollup, then the monthly one, each by key; one row when the key stays): two nodes moving
-- documents in opposite directions (a claim, a requeue) then never wait on each other in a circle.
CREATE FUNCTION kyso_documents_changed() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  had boolean := TG_OP <> 'INSERT';
  has boolean := TG_OP <> 'DELETE';
  o record;
  w record;
BEGIN
  -- both records always hold a row (plpgsql may read either side of an AND): the flags say which are real
  IF had THEN o := OLD; ELSE o := NEW; END IF;
  IF has THEN w := NEW; ELSE w := OLD; END IF;
  -- document_counts
  IF had AND has AND (o.status, kyso_bucket(o.status, o.category, o.held)) = (w.status, kyso_bucket(w.status, w.category, w.held)) THEN
    NULL;
  ELSIF had AND has AND (o.status, kyso_bucket(o.status, o.category, o.held)) > (w.status, kyso_bucket(w.status, w.category, w.held)) THEN
    PERFORM kyso_count(w.status, kyso_bucket(w.status, w.category, w.held), 1);
    PERFORM kyso_count(o.status, kyso_bucket(o.status, o.category, o.held), -1);
  ELSE
    IF had THEN PERFORM kyso_count(o.status, kyso_bucket(o.status, o.category, o.held), -1); END IF;
    IF has THEN PERFORM kyso_count(w.status, kyso_bucket(w.status, w.category, w.held), 1); END IF;
  END IF;
  had := had AND o.category IS NOT NULL;
  has := has AND w.category IS NOT NULL;
  -- the daily rollup
  IF had AND has AND (o.period_date, o.agency, o.category) = (w.period_date, w.agency, w.category) THEN
    IF (o.counts, o.nd30_complete, o.sealed) IS DISTINCT FROM (w.counts, w.nd30_complete, w.sealed) THEN
      PERFORM kyso_daily(w.period_date, w.agency, w.category, 0, w.counts - o.counts, w.nd30_complete - o.nd30_complete, w.sealed - o.sealed);
    END IF;
  ELSIF had AND has AND (o.period_date, o.agency, o.category) > (w.period_date, w.agency, w.category) THEN
    PERFORM kyso_daily(w.period_date, w.agency, w.category, 1, w.counts, w.nd30_complete, w.sealed);
    PERFORM kyso_daily(o.period_date, o.agency, o.category, -1, -o.counts, -o.nd30_complete, -o.sealed);
  ELSE
    IF had THEN PERFORM kyso_daily(o.period_date, o.agency, o.category, -1, -o.counts, -o.nd30_complete, -o.sealed); END IF;
    IF has THEN PERFORM kyso_daily(w.period_date, w.agency, w.category, 1, w.counts, w.nd30_complete, w.sealed); END IF;
  END IF;
  -- the monthly rollup
  IF had AND has AND (substr(o.period_date, 1, 7), o.agency, o.category) = (substr(w.period_date, 1, 7), w.agency, w.category) THEN
    IF (o.counts, o.nd30_complete, o.sealed) IS DISTINCT FROM (w.counts, w.nd30_complete, w.sealed) THEN
      PERFORM kyso_monthly(substr(w.period_date, 1, 7), w.agency, w.category, 0, w.counts - o.counts, w.nd30_complete - o.nd30_complete, w.sealed - o.sealed);
    END IF;
  ELSIF had AND has AND (substr(o.period_date, 1, 7), o.agency, o.category) > (substr(w.period_date, 1, 7), w.agency, w.category) THEN
    PERFORM kyso_monthly(substr(w.period_date, 1, 7), w.agency, w.category, 1, w.counts, w.nd30_complete, w.sealed);
    PERFORM kyso_monthly(substr(o.period_date, 1, 7), o.agency, o.category, -1, -o.counts, -o.nd30_complete, -o.sealed);
  ELSE
    IF had THEN PERFORM kyso_monthly(substr(o.period_date, 1, 7), o.agency, o.category, -1, -o.counts, -o.nd30_complete, -o.sealed); END IF;
    IF has THEN PERFORM kyso_monthly(substr(w.period_date, 1, 7), w.agency, w.category, 1, w.counts, w.nd30_complete, w.sealed); END IF;
  END IF;
  RETURN NULL;
END $$;

-- an update that changes none of the figures' columns leaves the rollups alone (as SQLite's UPDATE OF)
CREATE TRIGGER documents_figures_insert AFTER INSERT ON documents FOR EACH ROW EXECUTE FUNCTION kyso_documents_changed();
CREATE TRIGGER documents_figures_delete AFTER DELETE ON documents FOR EACH ROW EXECUTE FUNCTION kyso_documents_changed();
CREATE TRIGGER documents_figures_update AFTER UPDATE ON documents FOR EACH ROW
  WHEN ((OLD.category, OLD.counts, OLD.nd30_complete, OLD.agency, OLD.period_date, OLD.sealed, OLD.status, OLD.held)
    IS DISTINCT FROM (NEW.category, NEW.counts, NEW.nd30_complete, NEW.agency, NEW.period_date, NEW.sealed, NEW.status, NEW.held))
  EXECUTE FUNCTION kyso_documents_changed();

CREATE FUNCTION kyso_analysis_added() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE analysis_totals SET n = n + 1, ms = ms + NEW.duration_ms WHERE one = 1;
  UPDATE report_trust_stores SET documents = documents - 1
    WHERE trust_store = (SELECT trust_store FROM analyses WHERE document_id = NEW.document_id AND id < NEW.id ORDER BY id DESC LIMIT 1);
  INSERT INTO report_trust_stores AS t VALUES (NEW.trust_store, 1) ON CONFLICT (trust_store) DO UPDATE SET documents = t.documents + 1;
  RETURN NULL;
END $$;
CREATE TRIGGER analyses_added AFTER INSERT ON analyses FOR EACH ROW EXECUTE FUNCTION kyso_analysis_added();
