// What the check reads, on PostgreSQL (the check itself: ../check, the same as on the embedded store). A
// check runs in one REPEATABLE READ transaction (snapshot): every read sees the store as of one moment
// while other nodes go on writing.
import { DEFAULT_POLICY, type CompliancePolicy } from "../../compliance/index.js";
import { GENESIS } from "../../log/chain.js";
import { entryOfRow, type AuditRow } from "../../log/entry-row.js";
import { leafHash, nodeHash, type Hash } from "../../log/merkle.js";
import { ProofError } from "../../log/proof.js";
import { filesCursor, filesPage, type FileRow } from "../check/files-page.js";
import type { CheckSource, RollupSum, StoredDocument, StoredSignature } from "../ports.js";
import { requestOf, type RequestRow } from "../policy-requests.js";
import { agencyOfRow, directoryFrom, type AgencyRow, type DocumentRow } from "../rows.js";
import type { Client, Pool } from "./db.js";

type Query = Pick<Pool, "query">;

const ANALYSIS_ACTIONS = "('analysis', 'reanalysis', 'analysis-failed', 'document-facts')";

async function withRecipients(q: Query, rows: DocumentRow[]): Promise<StoredDocument[]> {
  const to = new Map<string, string[]>(rows.map((r) => [r.id, []]));
  // bytewise, as the embedded store sorts them (a facts digest covers their order)
  for (const d of (
    await q.query<{ document_id: string; recipient: string }>(
      'SELECT document_id, recipient FROM deliveries WHERE document_id = ANY($1::text[]) ORDER BY document_id, recipient COLLATE "C"',
      [[...to.keys()]],
    )
  ).rows)
    to.get(d.document_id)!.push(d.recipient);
  return rows.map((row) => ({ row, recipients: to.get(row.id)! }));
}

/** Perfect subtrees: stored ones as stored, a missing one hashed from its halves (down to the entries). */
async function subtrees(q: Query, size: number, wanted: ReadonlyArray<readonly [number, number]>): Promise<string[]> {
  const got = new Map<string, Hash>();
  const fetch = async (want: ReadonlyArray<readonly [number, number]>): Promise<void> => {
    const leaves = want.filter(([h]) => h === 0).map(([, lo]) => lo + 1);
    const nodes = want.filter(([h]) => h > 0);
    for (const r of (await q.query<{ seq: number; hash: string }>("SELECT seq, hash FROM audit_log WHERE seq = ANY($1::bigint[])", [leaves])).rows)
      got.set(`0:${r.seq - 1}`, leafHash(r.hash));
    for (const r of (
      await q.query<{ height: number; lo: number; hash: string }>(
        "SELECT t.height, t.lo, t.hash FROM audit_tree t JOIN unnest($1::int[], $2::bigint[]) AS w(height, lo) ON t.height = w.height AND t.lo = w.lo",
        [nodes.map(([h]) => h), nodes.map(([, lo]) => lo)],
      )
    ).rows)
      got.set(`${r.height}:${r.lo}`, Buffer.from(r.hash, "hex"));
    const missing = want.filter(([h, lo]) => !got.has(`${h}:${lo}`));
    const leaf = missing.find(([h]) => h === 0);
    if (leaf) throw new ProofError(`the log has no entry ${leaf[1] + 1} (it should have ${size})`);
    if (missing.length) await fetch(missing.flatMap(([h, lo]) => [[h - 1, lo] as const, [h - 1, lo + 2 ** (h - 1)] as const]));
  };
  await fetch(wanted);
  const hash = (h: number, lo: number): Hash => got.get(`${h}:${lo}`) ?? nodeHash(hash(h - 1, lo), hash(h - 1, lo + 2 ** (h - 1)));
  return wanted.map(([h, lo]) => hash(h, lo).toString("hex"));
}

function reads(q: Query): Omit<CheckSource, "snapshot" | "close"> {
  const rows = async <T extends object>(sql: string, args: unknown[] = []): Promise<T[]> => (await q.query<T>(sql, args)).rows;
  return {
    async recordedHead() {
      const [h] = await rows<{ seq: number; hash: string }>("SELECT seq, hash FROM audit_head WHERE one = 1");
      return h ?? { seq: 0, hash: GENESIS };
    },
    entries: async (afterSeq, limit) =>
      (await rows<AuditRow>("SELECT * FROM audit_log WHERE seq > $1 ORDER BY seq LIMIT $2", [afterSeq, limit])).map(entryOfRow),
    async entryAt(seq) {
      const [r] = await rows<AuditRow>("SELECT * FROM audit_log WHERE seq = $1", [seq]);
      return r ? entryOfRow(r) : null;
    },
    keyEntries: () => rows("SELECT seq, details FROM audit_log WHERE action = 'log-key' ORDER BY seq"),
    subtrees: (size, wanted) => subtrees(q, size, wanted),
    async signedHead(seq) {
      const [r] = await rows<AuditRow>("SELECT * FROM audit_log WHERE seq = $1", [seq]);
      if (!r?.sig) return null;
      const [k] = await rows<{ details: string }>(
        "SELECT details FROM audit_log WHERE action = 'log-key' AND (details::jsonb ->> 'keyId') = $1 ORDER BY seq LIMIT 1",
        [r.key_id],
      );
      const publicKey = k ? ((JSON.parse(k.details) as { publicKey?: string }).publicKey ?? "") : "";
      return { size: r.seq, root: r.root!, keyId: r.key_id!, sig: r.sig, publicKey, at: r.at };
    },
    async lastAnalysisEntry(seq) {
      const [r] = await rows<{ details: string }>(
        "SELECT details FROM audit_log WHERE seq <= $1 AND action IN ('analysis', 'reanalysis') ORDER BY seq DESC LIMIT 1",
        [seq],
      );
      return r?.details ?? null;
    },
    analysesAfter: async (afterId, limit) =>
      (
        await rows<{ id: number; document_id: string; stored: boolean }>(
          "SELECT id, document_id, EXISTS (SELECT 1 FROM documents d WHERE d.id = a.document_id) stored FROM analyses a WHERE id > $1 ORDER BY id LIMIT $2",
          [afterId, limit],
        )
      ).map((r) => ({ id: r.id, documentId: r.document_id, documentStored: r.stored })),
    async documents(after, limit) {
      // along the primary key: every row once (an id is never null here)
      const page =
        after === null
          ? await rows<DocumentRow>("SELECT * FROM documents ORDER BY id LIMIT $1", [limit])
          : await rows<DocumentRow>("SELECT * FROM documents WHERE id > $1 ORDER BY id LIMIT $2", [after, limit]);
      return { documents: await withRecipients(q, page), next: page.length === limit ? page[page.length - 1]!.id : null };
    },
    documentsIn: async (ids) => withRecipients(q, await rows<DocumentRow>("SELECT * FROM documents WHERE id = ANY($1::text[]) ORDER BY id", [ids])),
    documentEntries: async (ids) =>
      (
        await rows<{ seq: number; action: string; document_id: string; details: string }>(
          `SELECT seq, action, document_id, details FROM audit_log WHERE document_id = ANY($1::text[]) AND action IN ${ANALYSIS_ACTIONS} ORDER BY seq`,
          [ids],
        )
      ).map((r) => ({ seq: r.seq, action: r.action, documentId: r.document_id, details: r.details })),
    analysesOf: async (ids) =>
      (
        await rows<{ id: number; document_id: string; report: string }>(
          "SELECT id, document_id, report FROM analyses WHERE document_id = ANY($1::text[]) ORDER BY id",
          [ids],
        )
      ).map((a) => ({ id: a.id, documentId: a.document_id, report: a.report })),
    signaturesOf: (ids) =>
      rows<StoredSignature>(
        `SELECT analysis_id "analysisId", idx, kind, indication, sub_indication, signer_subject, signer_kind FROM signatures WHERE analysis_id = ANY($1::bigint[]) ORDER BY analysis_id, idx`,
        [ids],
      ),
    async orphanAnalysis() {
      const [r] = await rows<{ id: number; document_id: string }>(
        "SELECT a.id, a.document_id FROM analyses a WHERE NOT EXISTS (SELECT 1 FROM documents d WHERE d.id = a.document_id) LIMIT 1",
      );
      return r ? { id: r.id, documentId: r.document_id } : null;
    },
    documentSums: (by, days) =>
      rows<RollupSum>(
        `SELECT ${by === "day" ? "period_date" : "substr(period_date, 1, 7)"} period, agency sender, category, count(*) n, sum(counts) counts, sum(nd30_complete) nd30, sum(sealed) sealed FROM documents WHERE category IS NOT NULL${days ? " AND period_date = ANY($1::text[])" : ""} GROUP BY 1, 2, 3`,
        days ? [days] : [],
      ),
    rollups: (table, periods) =>
      rows<RollupSum>(
        `SELECT ${table === "daily" ? "period_date" : "month"} period, sender, category, n, n_counts counts, n_nd30 nd30, n_sealed sealed FROM rollup_${table === "daily" ? "daily" : "monthly"} WHERE (n != 0 OR n_counts != 0 OR n_nd30 != 0 OR n_sealed != 0)${periods ? ` AND ${table === "daily" ? "period_date" : "month"} = ANY($1::text[])` : ""}`,
        periods ? [periods] : [],
      ),
    documentBuckets: () => rows("SELECT status, category, held IS NOT NULL held, count(*) n FROM documents GROUP BY 1, 2, 3"),
    documentCounts: () => rows("SELECT status, bucket, n FROM document_counts WHERE n != 0"),
    pendingDerivations: async () => (await rows<{ id: string }>("SELECT id FROM pending_derivations")).map((r) => r.id),
    derivationRequests: async () =>
      (await rows<{ codes: string }>("SELECT codes FROM derivation_requests ORDER BY id")).map((r) => JSON.parse(r.codes) as string[]),
    directory: async () =>
      directoryFrom(
        (
          await rows<AgencyRow>(
            'SELECT code, name, parent, kind, aliases, valid_from, valid_to, successor, signer_names, certificates FROM agencies ORDER BY code COLLATE "C"',
          )
        ).map(agencyOfRow),
      ),
    async policy() {
      // as the embedded store reads it: the recorded settings over the defaults
      const [r] = await rows<{ value: string }>("SELECT value FROM settings WHERE key = 'policy'");
      return r ? ({ ...DEFAULT_POLICY, ...(JSON.parse(r.value) as Partial<CompliancePolicy>) } as CompliancePolicy) : undefined;
    },
    async policyRequests() {
      // policy changes are worked on the embedded store only so far: none open where the table is not
      const [t] = await rows<{ t: string | null }>("SELECT to_regclass('policy_requests')::text t");
      return t?.t ? (await rows<RequestRow>("SELECT * FROM policy_requests ORDER BY id")).map(requestOf) : [];
    },
    async namedFiles(after, limit) {
      const at = filesCursor(after);
      const page =
        at.table === "documents"
          ? await rows<FileRow>("SELECT id key, sha256 FROM documents WHERE id > $1 AND sha256 IS NOT NULL ORDER BY id LIMIT $2", [at.key, limit])
          : await rows<FileRow>("SELECT sha256 key, sha256 FROM edxml_messages WHERE sha256 > $1 ORDER BY sha256 LIMIT $2", [at.key, limit]);
      return filesPage(at, page, limit);
    },
  };
}

/** The check's reads on PostgreSQL; `snapshot` runs a check in one read-only REPEATABLE READ transaction. */
export function postgresCheckSource(pool: Pool): CheckSource {
  return {
    ...reads(pool),
    async snapshot(work) {
      const c: Client = await pool.connect();
      let broken: Error | undefined;
      try {
        await c.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
        // a snapshot asked for inside this one is this one
        const inner: CheckSource = { ...reads(c), snapshot: (w) => w(inner), close: async () => undefined };
        const out = await work(inner);
        await c.query("COMMIT");
        return out;
      } catch (e) {
        await c.query("ROLLBACK").catch((r: Error) => void (broken = r));
        throw e;
      } finally {
        c.release(broken);
      }
    },
    close: () => pool.end(),
  };
}
