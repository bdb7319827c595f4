// The operations a life-cycle step asks of the embedded store (store/document-tx.ts), each one statement
// in the caller's transaction; a part run alone is a savepoint whose refusal by a unique index is undone
// alone and returned as the collision it is.
import { DOCUMENT_COLUMNS, runScript, type Attempt, type DocumentTx, type EventRow, type NewDocumentRow, type TxScript } from "../document-tx.js";
import type { DocumentRow } from "../rows.js";
import { appendAudit } from "./audit.js";
import { collisionOf } from "./constraint.js";
import type { Db } from "./db.js";
import { directoryOf, forgetDirectory } from "./directory.js";
import {
  dropPending,
  expandRequest,
  pendingBatch,
  queuedDerivations,
  recipientsOf,
  requestDerivations,
  recordedPolicy,
  storedPolicy,
  storePolicy,
} from "./lifecycle.js";
import { categoryBatch, movePolicyRequest, oldestPolicyRequest, policyRequests } from "./policy-change.js";
import type { AgencyRow } from "../rows.js";

const INSERT = `INSERT INTO documents (${DOCUMENT_COLUMNS.join(", ")}) VALUES (${DOCUMENT_COLUMNS.map((c) => `@${c}`).join(", ")})`;
const UPDATABLE = new Set<string>(DOCUMENT_COLUMNS.filter((c) => c !== "id"));

const made = new WeakMap<Db, DocumentTx>();

export function sqliteDocumentTx(db: Db): DocumentTx {
  let tx = made.get(db);
  if (!tx) made.set(db, (tx = operationsOn(db)));
  return tx;
}

function operationsOn(db: Db): DocumentTx {
  const one = (sql: string, ...args: unknown[]) => db.prepare(sql).get(...args) as DocumentRow | undefined;
  const many = (sql: string, ...args: unknown[]) => db.prepare(sql).all(...args) as DocumentRow[];
  return {
    documentRow: (id) => one("SELECT * FROM documents WHERE id = ?", id),
    recipientsOf: (id) => recipientsOf(db, id),
    currentBySha: (sha) => one("SELECT * FROM documents WHERE sha256 = ? AND superseded_by IS NULL", sha),
    anyBySha: (sha) => one("SELECT * FROM documents WHERE sha256 = ? ORDER BY version DESC LIMIT 1", sha),
    anyByExchange: (x) => one("SELECT * FROM documents WHERE exchange_id = ? ORDER BY version DESC LIMIT 1", x),
    currentByUnit: (sender, number, date) =>
      one("SELECT * FROM documents WHERE sender = ? AND number = ? AND issued_date = ? AND superseded_by IS NULL", sender, number, date),
    currentBySenderNumber: (sender, number, dateless) =>
      many(
        `SELECT * FROM documents WHERE sender = ? AND number = ?${dateless ? " AND issued_date IS NULL" : ""} AND superseded_by IS NULL LIMIT 2`,
        sender,
        number,
      ),
    versionsOf: (x) =>
      many(
        "SELECT * FROM documents WHERE exchange_id = ? ORDER BY received_at, CASE business WHEN 'update' THEN 1 WHEN 'replacement' THEN 2 ELSE 0 END, ifnull(order_key, ''), created_at, id",
        x,
      ),
    lineageRevocation: (x) =>
      db
        .prepare("SELECT at, description FROM document_events WHERE exchange_id = ? AND kind = 'revocation' ORDER BY at, ifnull(description, ''), seq LIMIT 1")
        .get(x) as { at: string; description: string | null } | undefined,
    forwardedTo: (x) =>
      (db.prepare("SELECT details FROM document_events WHERE exchange_id = ? AND kind = 'delivery' ORDER BY seq").all(x) as Array<{ details: string }>).flatMap(
        (e) => (JSON.parse(e.details) as { recipients?: string[] }).recipients ?? [],
      ),
    orphanEvents: (x) => db.prepare("SELECT * FROM document_events WHERE document_id IS NULL AND exchange_id = ? ORDER BY seq").all(x) as EventRow[],
    isOriginal: (id) => !db.prepare("SELECT 1 FROM document_events WHERE document_id = ? AND kind IN ('update', 'replacement') LIMIT 1").get(id),
    versionsWaitingFor: (lineage) =>
      (
        db
          .prepare(
            "SELECT DISTINCT e.document_id AS id FROM document_events e WHERE e.kind IN ('update', 'replacement') AND e.document_id IS NOT NULL AND json_extract(e.details, '$.found') = 0 AND EXISTS (SELECT 1 FROM json_each(e.details, '$.replaces') WHERE value = ?)",
          )
          .all(lineage) as Array<{ id: string }>
      ).map((r) => r.id),
    messageKnown: (sha) => db.prepare("SELECT 1 FROM edxml_messages WHERE sha256 = ?").get(sha) !== undefined,
    directory: () => directoryOf(db),
    policy: () => storedPolicy(db),

    insertDocument: (row: NewDocumentRow) => void db.prepare(INSERT).run(row),
    updateDocument(id, columns) {
      const keys = Object.keys(columns);
      if (!keys.length) return;
      const bad = keys.find((k) => !UPDATABLE.has(k));
      if (bad) throw new Error(`not a column a step may write: ${bad}`);
      db.prepare(`UPDATE documents SET ${keys.map((k) => `${k} = @${k}`).join(", ")} WHERE id = @id`).run({ ...columns, id });
    },
    addDeliveries(id, recipients, via) {
      const stmt = db.prepare("INSERT OR IGNORE INTO deliveries (document_id, recipient, via) VALUES (?, ?, ?)");
      for (const r of recipients) stmt.run(id, r, via);
    },
    dropForwardDeliveries: (id) => db.prepare("DELETE FROM deliveries WHERE document_id = ? AND via = 'forward'").run(id).changes,
    addEvent: (e) =>
      db
        .prepare(
          "INSERT OR IGNORE INTO document_events (document_id, exchange_id, kind, code, description, at, source, source_key, details, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        )
        .run(
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
        ).changes > 0,
    moveLineageEvents: (x, documentId) =>
      void db
        .prepare(
          "UPDATE document_events SET document_id = ? WHERE exchange_id = ? AND kind IN ('status', 'revocation', 'delivery') AND (document_id IS NULL OR document_id <> ?)",
        )
        .run(documentId, x, documentId),
    recordConflict: (c) =>
      db
        .prepare(
          "INSERT OR IGNORE INTO conflicts (source, kind, message_sha256, exchange_id, sender, number, issued_date, file_sha256, with_document, reason, at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        )
        .run(
          c.source,
          c.kind,
          c.messageSha256 ?? null,
          c.exchangeId ?? null,
          c.sender ?? null,
          c.number ?? null,
          c.issuedDate ?? null,
          c.fileSha256 ?? null,
          c.withDocument ?? null,
          c.reason,
          c.at,
          new Date().toISOString(),
        ).changes > 0,
    recordMessage: (m) =>
      void db
        .prepare(
          "INSERT OR IGNORE INTO edxml_messages (sha256, received_at, sender, number, document_id, attachments, kind, exchange_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        )
        .run(m.sha256, m.receivedAt, m.sender, m.number, m.documentId, JSON.stringify(m.attachments), m.kind, m.exchangeId),
    keepRegisterRow: (r) =>
      void db
        .prepare(
          `INSERT INTO register_rows (owner, register, row_key, line, sender, recipients, number, issued_date, received_date, type, subject, document_id, matched, created_at, form)
     VALUES (@owner, @register, @key, @line, @sender, @recipients, @number, @issued, @received, @type, @subject, @doc, @matched, @at, @form)
     ON CONFLICT (owner, register, row_key) DO UPDATE SET document_id = excluded.document_id, matched = excluded.matched, line = excluded.line, form = excluded.form`,
        )
        .run(r),
    log: (entry) => void appendAudit(db, entry),

    agencyRow: (code) =>
      db
        .prepare("SELECT code, name, parent, kind, aliases, valid_from, valid_to, successor, signer_names, certificates FROM agencies WHERE code = ?")
        .get(code) as AgencyRow | undefined,
    putAgency(r) {
      db.prepare(
        `INSERT INTO agencies (code, name, parent, kind, aliases, valid_from, valid_to, successor, signer_names, certificates) VALUES (@code, @name, @parent, @kind, @aliases, @valid_from, @valid_to, @successor, @signer_names, @certificates)
     ON CONFLICT(code) DO UPDATE SET name = excluded.name, parent = excluded.parent, kind = excluded.kind, aliases = excluded.aliases, valid_from = excluded.valid_from, valid_to = excluded.valid_to, successor = excluded.successor, signer_names = excluded.signer_names, certificates = excluded.certificates`,
      ).run(r);
      forgetDirectory(db);
    },
    sealedSenders: () =>
      (db.prepare("SELECT DISTINCT sender FROM documents WHERE seals IS NOT NULL AND seals <> '[]'").all() as Array<{ sender: string }>).map((d) => d.sender),
    queueDerivations: (codes, at) => requestDerivations(db, codes, at),
    expandDerivations: (limit) => expandRequest(db, limit),
    queuedBatch: (limit) => pendingBatch(db, limit),
    dropQueued: (id) => dropPending(db, id),
    queuedCount: () => queuedDerivations(db),
    recordedPolicy: () => recordedPolicy(db),
    storePolicy: (p) => storePolicy(db, p),
    countInCategories: (categories) =>
      (
        db.prepare(`SELECT coalesce(sum(n), 0) n FROM document_counts WHERE bucket IN (${categories.map(() => "?").join(", ")})`).get(...categories) as {
          n: number;
        }
      ).n,
    openPolicyRequest: (r) =>
      Number(
        db
          .prepare("INSERT INTO policy_requests (previous, actor, requested_at, total, at_category) VALUES (?, ?, ?, ?, ?)")
          .run(JSON.stringify(r.previous), r.actor, r.at, r.total, r.category).lastInsertRowid,
      ),
    oldestPolicyRequest: () => oldestPolicyRequest(db),
    openPolicyRequests: () => policyRequests(db).length,
    categoryBatch: (category, afterId, limit) => categoryBatch(db, category, afterId, limit),
    movePolicyRequest: (id, at) => movePolicyRequest(db, id, at),

    openReverifyRequest: (r) =>
      Number(
        db.prepare("INSERT INTO reverify_requests (since, agency, actor, requested_at) VALUES (?, ?, ?, ?)").run(r.since, r.agency, r.actor, r.at)
          .lastInsertRowid,
      ),
    oldestReverifyRequest: () => {
      const r = db.prepare("SELECT * FROM reverify_requests ORDER BY id LIMIT 1").get() as
        { id: number; since: string | null; agency: string | null; actor: string; after_id: string; queued: number } | undefined;
      return r && { id: r.id, since: r.since, agency: r.agency, actor: r.actor, afterId: r.after_id, queued: r.queued };
    },
    openReverifyRequests: () => (db.prepare("SELECT count(*) AS n FROM reverify_requests").get() as { n: number }).n,
    queueWindowForAnalysis(r, afterId, window) {
      // PDFs only (a .doc has nothing to verify), current versions only (a superseded one counts nowhere)
      const w = ["status IN ('done', 'failed')", "sha256 IS NOT NULL", "file_kind = 'pdf'", "superseded_by IS NULL"];
      const args: unknown[] = [];
      if (r.since) (w.push("received_at >= ?"), args.push(r.since));
      if (r.agency) (w.push("sender = ?"), args.push(r.agency));
      // one agency's documents along its index; every document along the primary key
      const scope = r.agency ? "sender = ? AND id > ?" : "id > ?";
      const scopeArgs = r.agency ? [r.agency, afterId] : [afterId];
      const seen = db.prepare(`SELECT id FROM documents WHERE ${scope} ORDER BY id LIMIT ?`).all(...scopeArgs, window) as Array<{ id: string }>;
      const last = seen[seen.length - 1]?.id;
      const queued =
        last === undefined
          ? 0
          : db
              .prepare(`UPDATE documents SET status = 'queued', attempts = 0 WHERE ${scope} AND id <= ? AND ${w.join(" AND ")}`)
              .run(...scopeArgs, last, ...args).changes;
      return { seen: seen.length, last, queued };
    },
    moveReverifyRequest(id, at) {
      if (at) db.prepare("UPDATE reverify_requests SET after_id = ?, queued = ? WHERE id = ?").run(at.afterId, at.queued, id);
      else db.prepare("DELETE FROM reverify_requests WHERE id = ?").run(id);
    },
  };
}

/** Runs a step's script in the caller's transaction on the embedded store. */
export function runOn<T>(db: Db, script: TxScript<T>): T {
  const tx = sqliteDocumentTx(db);
  const alone = <U>(part: TxScript<U>): Attempt<U> => {
    try {
      return { ok: true, value: db.transaction(() => runScript(tx, part, alone))() };
    } catch (e) {
      const collision = collisionOf(e);
      if (!collision) throw e;
      return { ok: false, collision, message: (e as Error).message };
    }
  };
  return runScript(tx, script, alone);
}
