// The operations a life-cycle step asks of PostgreSQL (store/document-tx.ts), each a statement on the
// step's transaction, answering as the embedded store does: text ordered bytewise (COLLATE "C", SQLite's
// BINARY), INSERT … ON CONFLICT DO NOTHING where SQLite ignores a repeated row, JSON read as jsonb the way
// SQLite's json functions read it. A part run alone is a savepoint.
//
// Concurrency (READ COMMITTED, several nodes): a step checks before it writes (is this file, DocumentId or
// unit known?), and two steps on the same document at once would both find nothing: two current versions
// refused by a unique index become a conflict, and an event kept for a document that is not there yet (a
// revocation, a status, a forward) would miss the document inserted meanwhile. So every operation that
// names a document's identity (its DocumentId, its file, its sender and number) first takes a
// transaction-scoped advisory lock on it: steps on the same document run one after the other, and as each
// statement at READ COMMITTED sees what committed before it began, the second step finds the first's rows
// and answers as it would have sequentially. Steps on different documents do not wait on each other; two
// that take the same identities in opposite orders meet in a deadlock, and the one PostgreSQL ends is run
// again from its start (db.ts inTransaction).
//
// The log's entries are appended when the step ends (a refused part's entries dropped with it): the log's
// head row, which every append locks until commit, is then the step's last lock, so a step waiting for an
// identity never holds the head another step needs.
import { DEFAULT_POLICY, type CompliancePolicy } from "../../compliance/index.js";
import type { Directory } from "../../compliance/directory.js";
import type { AuditInput } from "../../log/input.js";
import type { LogKey } from "../../log/key.js";
import { DOCUMENT_COLUMNS, runScriptAsync, type AsyncDocumentTx, type Attempt, type EventRow, type TxScript } from "../document-tx.js";
import { agencyOfRow, directoryFrom, type AgencyRow, type DocumentRow } from "../rows.js";
import { collisionOf } from "./constraint.js";
import { requestOf, type RequestRow } from "../policy-requests.js";
import type { Client } from "./db.js";
import { appendIn } from "./log-port.js";

const INSERT = `INSERT INTO documents (${DOCUMENT_COLUMNS.join(", ")}) VALUES (${DOCUMENT_COLUMNS.map((_, i) => `$${i + 1}`).join(", ")})`;
const UPDATABLE = new Set<string>(DOCUMENT_COLUMNS.filter((c) => c !== "id"));

/** The versions of a lineage in the order the exchange sent them (document-tx.ts versionsOf), bytewise as SQLite. */
const VERSIONS_ORDER = `received_at COLLATE "C", CASE business WHEN 'update' THEN 1 WHEN 'replacement' THEN 2 ELSE 0 END, coalesce(order_key, '') COLLATE "C", created_at COLLATE "C", id COLLATE "C"`;

/**
 * SQLite's `json_extract(details, '$.found') = 0` (JSON false, or the number 0) and `EXISTS (SELECT 1 FROM
 * json_each(details, '$.replaces') WHERE value = ?)`: json_each walks an array's elements and gives a
 * string itself as its one value, so `replaces` matches as a DocumentId or as an array holding it (an
 * element that is itself an array does not match).
 */
const WAITING = `SELECT DISTINCT e.document_id AS id FROM document_events e
  WHERE e.kind IN ('update', 'replacement') AND e.document_id IS NOT NULL AND (e.details::jsonb -> 'found') IN ('false'::jsonb, '0'::jsonb)
    AND EXISTS (SELECT 1 FROM jsonb_array_elements(CASE jsonb_typeof(e.details::jsonb -> 'replaces') WHEN 'array' THEN e.details::jsonb -> 'replaces'
      ELSE jsonb_build_array(e.details::jsonb -> 'replaces') END) v WHERE v = to_jsonb($1::text))`;

/** pg_advisory_xact_lock's two-key space for a document's identities (apart from the one-key migrations lock); the second key a hash of the identity. */
const IDENTITY_LOCKS = 0x6b79;

/** A step's operations on one transaction, and the log entries it asked for, appended by `finish`. */
export interface PostgresStep {
  ops: AsyncDocumentTx;
  alone: <U>(part: TxScript<U>) => Promise<Attempt<U>>;
  finish(): Promise<void>;
}

export function postgresStep(c: Client, key: LogKey): PostgresStep {
  const entries: AuditInput[] = [];
  const locked = new Set<string>();
  let directory: Promise<Directory> | undefined;
  let policy: Promise<CompliancePolicy> | undefined;
  let savepoints = 0;

  const rows = async <R>(sql: string, args: unknown[] = []): Promise<R[]> => (await c.query(sql, args)).rows as R[];
  const one = async (sql: string, args: unknown[]): Promise<DocumentRow | undefined> => (await rows<DocumentRow>(sql, args))[0];
  /** Waits for any other step on this identity to end (then each statement sees what it wrote). */
  const hold = async (...identities: Array<string | null>): Promise<void> => {
    for (const id of identities) {
      if (id === null || locked.has(id)) continue;
      await c.query("SELECT pg_advisory_xact_lock($1, hashtext($2))", [IDENTITY_LOCKS, id]);
      locked.add(id);
    }
  };
  const lineage = (x: string | null | undefined) => (x ? `lineage ${x}` : null);
  const file = (sha: string | null | undefined) => (sha ? `file ${sha}` : null);
  // a unit lock covers its sender and number whatever the date: a dateless register row is looked up by those
  const unit = (sender: string, number: string | null | undefined) => (number ? `unit ${sender}\n${number}` : null);

  const ops: AsyncDocumentTx = {
    documentRow: (id) => one("SELECT * FROM documents WHERE id = $1", [id]),
    recipientsOf: async (id) =>
      (await rows<{ recipient: string }>('SELECT recipient FROM deliveries WHERE document_id = $1 ORDER BY recipient COLLATE "C"', [id])).map(
        (r) => r.recipient,
      ),
    currentBySha: async (sha) => (await hold(file(sha)), one("SELECT * FROM documents WHERE sha256 = $1 AND superseded_by IS NULL", [sha])),
    anyBySha: async (sha) => (await hold(file(sha)), one("SELECT * FROM documents WHERE sha256 = $1 ORDER BY version DESC LIMIT 1", [sha])),
    anyByExchange: async (x) => (await hold(lineage(x)), one("SELECT * FROM documents WHERE exchange_id = $1 ORDER BY version DESC LIMIT 1", [x])),
    currentByUnit: async (sender, number, date) => (
      await hold(unit(sender, number)),
      one("SELECT * FROM documents WHERE sender = $1 AND number = $2 AND issued_date = $3 AND superseded_by IS NULL", [sender, number, date])
    ),
    currentBySenderNumber: async (sender, number, dateless) => (
      await hold(unit(sender, number)),
      rows<DocumentRow>(
        `SELECT * FROM documents WHERE sender = $1 AND number = $2${dateless ? " AND issued_date IS NULL" : ""} AND superseded_by IS NULL LIMIT 2`,
        [sender, number],
      )
    ),
    versionsOf: async (x) => (await hold(lineage(x)), rows<DocumentRow>(`SELECT * FROM documents WHERE exchange_id = $1 ORDER BY ${VERSIONS_ORDER}`, [x])),
    lineageRevocation: async (x) => (
      await hold(lineage(x)),
      (
        await rows<{ at: string; description: string | null }>(
          `SELECT at, description FROM document_events WHERE exchange_id = $1 AND kind = 'revocation' ORDER BY at COLLATE "C", coalesce(description, '') COLLATE "C", seq LIMIT 1`,
          [x],
        )
      )[0]
    ),
    forwardedTo: async (x) => (
      await hold(lineage(x)),
      (await rows<{ details: string }>("SELECT details FROM document_events WHERE exchange_id = $1 AND kind = 'delivery' ORDER BY seq", [x])).flatMap(
        (e) => (JSON.parse(e.details) as { recipients?: string[] }).recipients ?? [],
      )
    ),
    orphanEvents: async (x) => (
      await hold(lineage(x)),
      rows<EventRow>("SELECT * FROM document_events WHERE document_id IS NULL AND exchange_id = $1 ORDER BY seq", [x])
    ),
    isOriginal: async (id) => !(await rows("SELECT 1 FROM document_events WHERE document_id = $1 AND kind IN ('update', 'replacement') LIMIT 1", [id])).length,
    versionsWaitingFor: async (l) => (await hold(lineage(l)), (await rows<{ id: string }>(WAITING, [l])).map((r) => r.id)),
    messageKnown: async (sha) => (await rows("SELECT 1 FROM edxml_messages WHERE sha256 = $1", [sha])).length > 0,
    // read once per step: a step derives many rows with the directory and policy it began with
    directory: () =>
      (directory ??= rows<AgencyRow>(
        'SELECT code, name, parent, kind, aliases, valid_from, valid_to, successor, signer_names, certificates FROM agencies ORDER BY code COLLATE "C"',
      ).then((r) => directoryFrom(r.map(agencyOfRow)))),
    policy: () =>
      (policy ??= rows<{ value: string }>("SELECT value FROM settings WHERE key = 'policy'").then(([r]) =>
        r ? { ...DEFAULT_POLICY, ...(JSON.parse(r.value) as Partial<CompliancePolicy>) } : DEFAULT_POLICY,
      )),

    async insertDocument(row) {
      await hold(lineage(row.exchange_id), file(row.sha256), unit(row.sender, row.number));
      await c.query(
        INSERT,
        DOCUMENT_COLUMNS.map((k) => row[k]),
      );
    },
    async updateDocument(id, columns) {
      const keys = Object.keys(columns) as Array<keyof typeof columns>;
      if (!keys.length) return;
      const bad = keys.find((k) => !UPDATABLE.has(k));
      if (bad) throw new Error(`not a column a step may write: ${bad}`);
      await hold(lineage(columns.exchange_id), file(columns.sha256));
      await c.query(`UPDATE documents SET ${keys.map((k, i) => `${k} = $${i + 2}`).join(", ")} WHERE id = $1`, [id, ...keys.map((k) => columns[k])]);
    },
    async addDeliveries(id, recipients, via) {
      for (const r of recipients)
        await c.query("INSERT INTO deliveries (document_id, recipient, via) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING", [id, r, via]);
    },
    dropForwardDeliveries: async (id) => (await c.query("DELETE FROM deliveries WHERE document_id = $1 AND via = 'forward'", [id])).rowCount ?? 0,
    async addEvent(e) {
      await hold(lineage(e.exchangeId));
      const r = await c.query(
        `INSERT INTO document_events (document_id, exchange_id, kind, code, description, at, source, source_key, details, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT DO NOTHING`,
        [
          e.documentId,
          e.exchangeId,
          e.kind,
          e.code ?? null,
          e.description ?? null,
          e.at,
          e.source,
          e.sourceKey,
          JSON.stringify(e.details ?? {}),
          new Date().toISOString(),
        ],
      );
      return (r.rowCount ?? 0) > 0;
    },
    async moveLineageEvents(x, documentId) {
      await hold(lineage(x));
      await c.query(
        "UPDATE document_events SET document_id = $1 WHERE exchange_id = $2 AND kind IN ('status', 'revocation', 'delivery') AND (document_id IS NULL OR document_id <> $1)",
        [documentId, x],
      );
    },
    recordConflict: async (k) =>
      ((
        await c.query(
          `INSERT INTO conflicts (source, kind, message_sha256, exchange_id, sender, number, issued_date, file_sha256, with_document, reason, at, created_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) ON CONFLICT DO NOTHING`,
          [
            k.source,
            k.kind,
            k.messageSha256 ?? null,
            k.exchangeId ?? null,
            k.sender ?? null,
            k.number ?? null,
            k.issuedDate ?? null,
            k.fileSha256 ?? null,
            k.withDocument ?? null,
            k.reason,
            k.at,
            new Date().toISOString(),
          ],
        )
      ).rowCount ?? 0) > 0,
    async recordMessage(m) {
      await c.query(
        `INSERT INTO edxml_messages (sha256, received_at, sender, number, document_id, attachments, kind, exchange_id)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT DO NOTHING`,
        [m.sha256, m.receivedAt, m.sender, m.number, m.documentId, JSON.stringify(m.attachments), m.kind, m.exchangeId],
      );
    },
    async keepRegisterRow(r) {
      await c.query(
        `INSERT INTO register_rows (owner, register, row_key, line, sender, recipients, number, issued_date, received_date, type, subject, document_id, matched, created_at, form)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)
         ON CONFLICT (owner, register, row_key) DO UPDATE SET document_id = excluded.document_id, matched = excluded.matched, line = excluded.line, form = excluded.form`,
        [r.owner, r.register, r.key, r.line, r.sender, r.recipients, r.number, r.issued, r.received, r.type, r.subject, r.doc, r.matched, r.at, r.form],
      );
    },
    log: async (entry) => void entries.push(entry),

    agencyRow: async (code) =>
      (
        await rows<AgencyRow>(
          "SELECT code, name, parent, kind, aliases, valid_from, valid_to, successor, signer_names, certificates FROM agencies WHERE code = $1",
          [code],
        )
      )[0],
    async putAgency(r) {
      await c.query(
        `INSERT INTO agencies (code, name, parent, kind, aliases, valid_from, valid_to, successor, signer_names, certificates) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
         ON CONFLICT (code) DO UPDATE SET name = excluded.name, parent = excluded.parent, kind = excluded.kind, aliases = excluded.aliases, valid_from = excluded.valid_from,
           valid_to = excluded.valid_to, successor = excluded.successor, signer_names = excluded.signer_names, certificates = excluded.certificates`,
        [r.code, r.name, r.parent, r.kind, r.aliases, r.valid_from, r.valid_to, r.successor, r.signer_names, r.certificates],
      );
      directory = undefined; // the step reads the directory it wrote
    },
    sealedSenders: async () =>
      (await rows<{ sender: string }>("SELECT DISTINCT sender FROM documents WHERE seals IS NOT NULL AND seals <> '[]'")).map((d) => d.sender),
    async queueDerivations(codes, at) {
      await c.query("INSERT INTO derivation_requests (codes, queued_at) VALUES ($1, $2)", [JSON.stringify([...new Set(codes)].sort()), at]);
    },
    async expandDerivations(limit) {
      // the oldest change's walk, one node's step at a time (another waits for the slice, then takes the next)
      const [r] = await rows<{ id: string; codes: string; queued_at: string; after_id: string }>(
        "SELECT id, codes, queued_at, after_id FROM derivation_requests ORDER BY id LIMIT 1 FOR UPDATE",
      );
      if (!r) return false;
      // along the primary key, in its own order (the walk's cursor compares the same way)
      const slice = await rows<{ id: string }>("SELECT id FROM documents WHERE id > $1 ORDER BY id LIMIT $2", [r.after_id, limit]);
      const last = slice.at(-1)?.id;
      if (last !== undefined) {
        const codes = JSON.parse(r.codes) as string[];
        await c.query(
          `INSERT INTO pending_derivations (id, queued_at)
           SELECT d.id, $1 FROM documents d WHERE d.id > $2 AND d.id <= $3 AND (d.held = 'directory-gap'
             OR d.sender = ANY($4::text[]) OR d.agency = ANY($4::text[])
             OR EXISTS (SELECT 1 FROM deliveries v WHERE v.document_id = d.id AND v.recipient = ANY($4::text[])))
           ON CONFLICT DO NOTHING`,
          [r.queued_at, r.after_id, last, codes],
        );
      }
      if (slice.length < limit) await c.query("DELETE FROM derivation_requests WHERE id = $1", [r.id]);
      else await c.query("UPDATE derivation_requests SET after_id = $1 WHERE id = $2", [last, r.id]);
      return true;
    },
    // the queue's head taken by one node's step at a time: another node's background work takes the next
    queuedBatch: async (limit) =>
      (
        await rows<{ id: string }>('SELECT id FROM pending_derivations ORDER BY queued_at COLLATE "C", id COLLATE "C" LIMIT $1 FOR UPDATE SKIP LOCKED', [limit])
      ).map((r) => r.id),
    dropQueued: async (id) => void (await c.query("DELETE FROM pending_derivations WHERE id = $1", [id])),
    queuedCount: async () =>
      (await rows<{ n: number }>("SELECT ((SELECT count(*) FROM pending_derivations) + (SELECT count(*) FROM derivation_requests))::int n"))[0]!.n,
    recordedPolicy: async () => {
      const [r] = await rows<{ value: string }>("SELECT value FROM settings WHERE key = 'policy'");
      return r ? { ...DEFAULT_POLICY, ...(JSON.parse(r.value) as Partial<CompliancePolicy>) } : undefined;
    },
    async storePolicy(p) {
      await c.query("INSERT INTO settings (key, value) VALUES ('policy', $1) ON CONFLICT (key) DO UPDATE SET value = excluded.value", [JSON.stringify(p)]);
      policy = Promise.resolve(p);
    },
    countInCategories: async (categories) =>
      (await rows<{ n: number }>("SELECT coalesce(sum(n), 0)::int n FROM document_counts WHERE bucket = ANY($1::text[])", [[...categories]]))[0]!.n,
    openPolicyRequest: async (r) =>
      (
        await rows<{ id: number }>("INSERT INTO policy_requests (previous, actor, requested_at, total, at_category) VALUES ($1, $2, $3, $4, $5) RETURNING id", [
          JSON.stringify(r.previous),
          r.actor,
          r.at,
          r.total,
          r.category,
        ])
      )[0]!.id,
    // the walk's row locked by the step that moves it: two nodes never derive the same batch
    oldestPolicyRequest: async () => {
      const [r] = await rows<RequestRow>("SELECT * FROM policy_requests ORDER BY id LIMIT 1 FOR UPDATE");
      return r && requestOf(r);
    },
    openPolicyRequests: async () => (await rows<{ n: number }>("SELECT count(*)::int n FROM policy_requests"))[0]!.n,
    categoryBatch: async (category, afterId, limit) =>
      (
        await rows<{ id: string }>(
          `SELECT id FROM documents WHERE coalesce(category, '') COLLATE "C" = $1 AND id COLLATE "C" > $2 ORDER BY coalesce(category, '') COLLATE "C", id COLLATE "C" LIMIT $3`,
          [category, afterId, limit],
        )
      ).map((d) => d.id),
    async movePolicyRequest(id, at) {
      if (at) await c.query("UPDATE policy_requests SET at_category = $1, after_id = $2, done = $3 WHERE id = $4", [at.category, at.afterId, at.done, id]);
      else await c.query("DELETE FROM policy_requests WHERE id = $1", [id]);
    },
    openReverifyRequest: async (r) =>
      (
        await rows<{ id: number }>("INSERT INTO reverify_requests (since, agency, actor, requested_at) VALUES ($1, $2, $3, $4) RETURNING id", [
          r.since,
          r.agency,
          r.actor,
          r.at,
        ])
      )[0]!.id,
    // the walk's row locked by the step that moves it: two nodes never queue the same window
    oldestReverifyRequest: async () => {
      const [r] = await rows<{ id: number; since: string | null; agency: string | null; actor: string; after_id: string; queued: number }>(
        "SELECT * FROM reverify_requests ORDER BY id LIMIT 1 FOR UPDATE",
      );
      return r && { id: r.id, since: r.since, agency: r.agency, actor: r.actor, afterId: r.after_id, queued: r.queued };
    },
    openReverifyRequests: async () => (await rows<{ n: number }>("SELECT count(*)::int n FROM reverify_requests"))[0]!.n,
    async queueWindowForAnalysis(r, afterId, window) {
      // PDFs only (a .doc has nothing to verify), current versions only (a superseded one counts nowhere)
      const args: unknown[] = r.agency ? [r.agency, afterId] : [afterId];
      const scope = r.agency ? 'sender = $1 AND id COLLATE "C" > $2' : 'id COLLATE "C" > $1';
      const seen = await rows<{ id: string }>(`SELECT id FROM documents WHERE ${scope} ORDER BY id COLLATE "C" LIMIT $${args.length + 1}`, [...args, window]);
      const last = seen[seen.length - 1]?.id;
      if (last === undefined) return { seen: 0, last, queued: 0 };
      const w = ["status IN ('done', 'failed')", "sha256 IS NOT NULL", "file_kind = 'pdf'", "superseded_by IS NULL", `id COLLATE "C" <= $${args.length + 1}`];
      const all = [...args, last];
      if (r.since) (all.push(r.since), w.push(`received_at COLLATE "C" >= $${all.length}`));
      const n = await c.query(`UPDATE documents SET status = 'queued', attempts = 0 WHERE ${scope} AND ${w.join(" AND ")}`, all);
      return { seen: seen.length, last, queued: n.rowCount ?? 0 };
    },
    async moveReverifyRequest(id, at) {
      if (at) await c.query("UPDATE reverify_requests SET after_id = $1, queued = $2 WHERE id = $3", [at.afterId, at.queued, id]);
      else await c.query("DELETE FROM reverify_requests WHERE id = $1", [id]);
    },
  };

  const alone = async <U>(part: TxScript<U>): Promise<Attempt<U>> => {
    const name = `part_${++savepoints}`;
    const logged = entries.length;
    await c.query(`SAVEPOINT ${name}`);
    try {
      const value = await runScriptAsync(ops, part, alone);
      await c.query(`RELEASE SAVEPOINT ${name}`);
      return { ok: true, value };
    } catch (e) {
      await c.query(`ROLLBACK TO SAVEPOINT ${name}`);
      await c.query(`RELEASE SAVEPOINT ${name}`);
      entries.length = logged;
      // the part's identity locks may have gone with it: taken again when next named
      locked.clear();
      const collision = collisionOf(e);
      if (!collision) throw e;
      return { ok: false, collision, message: (e as Error).message };
    }
  };

  return {
    ops,
    alone,
    finish: async () => void (entries.length && (await appendIn(c, key, entries))),
  };
}

/** Runs a step's script in the caller's transaction on PostgreSQL, its log entries appended at its end. */
export async function runIn<T>(c: Client, key: LogKey, script: TxScript<T>): Promise<T> {
  const step = postgresStep(c, key);
  const out = await runScriptAsync(step.ops, script, step.alone);
  await step.finish();
  return out;
}
