-- The document list on PostgreSQL (store/document-list decides its order and what a text query matches;
-- these are the indexes that make a page cost its rows): the same answers and pages as SQLite's list.
--
-- Words in a document's number or subject: as SQLite's migration 14, the text of each document in its own
-- table, numbered in the order documents are recorded (a search's pages are newest recorded first along
-- that number), and a trigram index over it (pg_trgm, in Debian's postgresql package), so a substring of
-- three characters or more is looked up, not scanned for. FTS5's trigram index folds case, letter by
-- letter, but not Unicode forms: kyso_fold is Unicode's lower case, whatever the database's collation
-- ("C" lowers ASCII only); kyso_lower_vi composes first, as the embedded store's lower_vi for the words of
-- one or two letters.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE FUNCTION kyso_fold(t text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE RETURN lower(t COLLATE "und-x-icu");
CREATE FUNCTION kyso_lower_vi(t text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE RETURN lower(normalize(t, NFC) COLLATE "und-x-icu");

CREATE TABLE document_text (n bigserial PRIMARY KEY, id text NOT NULL UNIQUE, text text NOT NULL);
CREATE INDEX document_text_words ON document_text USING gin (kyso_fold(text) gin_trgm_ops);
INSERT INTO document_text (id, text)
  SELECT id, coalesce(number, '') || E'\n' || coalesce(subject, '') FROM documents ORDER BY created_at COLLATE "C", id COLLATE "C";

CREATE FUNCTION kyso_document_text() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO document_text (id, text) VALUES (NEW.id, coalesce(NEW.number, '') || E'\n' || coalesce(NEW.subject, ''));
  ELSIF TG_OP = 'UPDATE' THEN
    UPDATE document_text SET id = NEW.id, text = coalesce(NEW.number, '') || E'\n' || coalesce(NEW.subject, '') WHERE id = OLD.id;
  ELSE
    DELETE FROM document_text WHERE id = OLD.id;
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER documents_text_kept AFTER INSERT OR DELETE ON documents FOR EACH ROW EXECUTE FUNCTION kyso_document_text();
CREATE TRIGGER documents_text_changed AFTER UPDATE OF id, number, subject ON documents FOR EACH ROW
  WHEN ((OLD.id, OLD.number, OLD.subject) IS DISTINCT FROM (NEW.id, NEW.number, NEW.subject))
  EXECUTE FUNCTION kyso_document_text();

-- A number's leading integer as SQLite's CAST(text AS INTEGER) reads it ("2/UBND" before "10/UBND"):
-- blanks, a sign and digits at the start, 0 without them, clamped to 64 bits.
CREATE FUNCTION kyso_leading_integer(t text) RETURNS bigint LANGUAGE sql IMMUTABLE PARALLEL SAFE
  RETURN least(greatest(coalesce(substring(coalesce(t, '') FROM '^[ \t\n\r\f\v]*([+-]?[0-9]+)')::numeric, 0), -9223372036854775808), 9223372036854775807)::bigint;

-- The list's orders compare text bytewise, as SQLite does, whatever the database's collation: their
-- indexes are in "C", replacing those of 0002 that a "C" order cannot walk.
DROP INDEX documents_created, documents_received_order, documents_sender_order, documents_category_order, documents_period_recorded;
CREATE INDEX documents_recorded ON documents (created_at COLLATE "C", id COLLATE "C");
CREATE INDEX documents_period_recorded ON documents (period_date COLLATE "C", created_at COLLATE "C", id COLLATE "C");
CREATE INDEX documents_received_order ON documents (received_at COLLATE "C", id COLLATE "C");
CREATE INDEX documents_number_order ON documents (kyso_leading_integer(number), (coalesce(number, '')) COLLATE "C", id COLLATE "C");
CREATE INDEX documents_sender_order ON documents (sender COLLATE "C", id COLLATE "C");
CREATE INDEX documents_category_order ON documents ((coalesce(category, '')) COLLATE "C", id COLLATE "C");
