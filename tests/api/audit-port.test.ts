// The auditors' routes on PostgreSQL's ports: the app mounted on a store whose log and documents are in
// PostgreSQL (its keys alone on the embedded store, whose own log holds just their creation) pages and
// exports PostgreSQL's log, gives a document's evidence archive that checks offline (its inclusion proofs
// against the signed head included), and checks PostgreSQL's store from the check thread, full, since a
// verified head, and broken once an entry is edited behind the log's back.
import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { analyzeStructure } from "../../src/analyze.js";
import { checkEvidence } from "../../src/api/evidence-check.js";
import { createApp } from "../../src/api/app.js";
import { DEFAULT_POLICY } from "../../src/compliance/index.js";
import { loadTrustStore } from "../../src/config.js";
import { decideAnalysis } from "../../src/lifecycle/analysis.js";
import type { AuditEntry } from "../../src/log/entry.js";
import { verifyExport } from "../../src/log/export-check.js";
import type { LogPort } from "../../src/store/ports.js";
import { BlobStore } from "../../src/store/blobs.js";
import { openDb } from "../../src/store/sqlite/db.js";
import { createKey } from "../../src/store/sqlite/keys.js";
import { AT, FIXTURES, ROOT } from "../helpers/paths.js";
import { BACKENDS, type OpenedStore } from "../store/contract/backends.js";

const postgres = BACKENDS.find((b) => b.name === "postgres")!;
const SENDER = "000.00.01.H01";
const TO = "000.00.02.H01";
const trust = loadTrustStore([join(ROOT, "fixtures", "trust")], { includeDefault: false });
const pdf = new Uint8Array(readFileSync(join(FIXTURES, "signed-cades-rsa-sha256.pdf")));
const sha = createHash("sha256").update(pdf).digest("hex");

/** A document as a submission leaves it, queued for analysis (the contract suite's columns). */
const queued = (id: string, sha256: string, at: string) => ({
  id,
  sha256,
  bytes: pdf.length,
  sender: SENDER,
  received_at: at,
  channel: "electronic",
  status: "queued",
  between_admin: 1,
  period_date: at.slice(0, 10),
  created_at: at,
  agency: SENDER,
  source: "upload",
  file_kind: "pdf",
});

describe.skipIf(!postgres.available)("the auditors' routes on PostgreSQL's ports", () => {
  let store: OpenedStore;
  let log: LogPort;
  let get: (path: string) => Promise<Response>;
  const db = openDb(mkdtempSync(join(tmpdir(), "kyso-audit-port-")));
  const key = createKey(db, "auditor", "audit on postgres", "test").key;

  beforeAll(async () => {
    await postgres.setup();
    store = await postgres.open();
    await store.seedRows([
      ["agencies", { code: SENDER, name: "Sở Nội vụ", parent: null, kind: "administrative" }],
      ["agencies", { code: TO, name: "Sở Tài chính", parent: null, kind: "administrative" }],
      ["documents", queued("pg-signed", sha, "2026-01-05T08:00:00.000Z")],
      ["documents", queued("pg-other", createHash("sha256").update("other").digest("hex"), "2026-01-05T09:00:00.000Z")],
      ["deliveries", { document_id: "pg-signed", recipient: TO }],
      ["deliveries", { document_id: "pg-other", recipient: TO }],
    ]);
    log = await store.connect();
    await log.append([{ actor: "test", action: "agencies-update", subject: "directory", details: { codes: [SENDER, TO] } }]);
    // both analysed through the life-cycle port, as a runner on PostgreSQL would
    const report = analyzeStructure(pdf, { now: AT, trust });
    const node = await store.lifecycle();
    for (let doc = await node.claim("a", 60_000); doc; doc = await node.claim("a", 60_000)) {
      const change = decideAnalysis((await node.analysisFacts(doc.id, DEFAULT_POLICY))!, { ...report, sha256: doc.sha256! }, 12, "runner", new Date(AT));
      expect(await node.commit(change)).toBe(true);
    }
    await node.close();
    const blobs = new BlobStore(mkdtempSync(join(tmpdir(), "kyso-audit-port-blobs-")));
    expect(blobs.put(pdf)).toBe(sha);
    const app = createApp({
      db,
      documents: await store.documentReads(),
      readModel: await store.readModel(),
      auditLog: await store.logReads(),
      store: store.location,
      blobs,
      policy: DEFAULT_POLICY,
      onQueued: () => {},
      trust: () => trust,
    });
    get = async (path) => app.request(path, { headers: { authorization: `Bearer ${key}` } });
  }, 120_000);
  afterAll(async () => {
    await log?.close();
    await postgres.teardown();
  });

  it("pages PostgreSQL's log by cursor, filtered by document, and exports it whole, verifying offline", async () => {
    const entries = await log.entries(0, 1000);
    // PostgreSQL's log, not the embedded store's (which holds the key's creation)
    expect(entries.map((e) => e.action)).toEqual(["log-key", "agencies-update", "analysis", "analysis"]);
    const seen: AuditEntry[] = [];
    for (let cursor: number | null = 0; cursor !== null;) {
      const page = (await (await get(`/api/v1/audit?limit=2&cursor=${cursor}`)).json()) as { entries: AuditEntry[]; next: number | null };
      seen.push(...page.entries);
      cursor = page.next;
    }
    expect(seen).toEqual(entries);
    const mine = (await (await get("/api/v1/audit?document=pg-signed&action=analysis")).json()) as { entries: AuditEntry[]; next: null };
    expect(mine.entries.map((e) => e.seq)).toEqual(entries.filter((e) => e.documentId === "pg-signed" && e.action === "analysis").map((e) => e.seq));
    expect(mine.entries).toHaveLength(1);

    const res = await get("/api/v1/audit?format=jsonl");
    expect(res.headers.get("content-type")).toMatch(/^application\/x-ndjson/);
    const head = await log.head();
    expect(verifyExport(await res.text())).toMatchObject({ ok: true, entries: head.seq, signed: head.seq, head });
  });

  it("gives a document's evidence archive whose entries are proven in PostgreSQL's log and whose checks all hold offline", async () => {
    const res = await get("/api/v1/documents/pg-signed/evidence");
    expect(res.status).toBe(200);
    const r = await checkEvidence(new Uint8Array(await res.arrayBuffer()), async (bytes, at) => analyzeStructure(bytes, { now: at, trust }), {
      // the key PostgreSQL's log signs with, as an auditor would pin it
      pinned: [(await log.proveInclusion(1)).head.publicKey],
    });
    expect(r.checks.filter((c) => !c.ok)).toEqual([]);
    expect(r.outcome).toBe("holds");
    const docEntries = (await log.entries(0, 1000)).filter((e) => e.documentId === "pg-signed").length;
    expect(r.checks.map((c) => c.what)).toContain(
      `each of the ${docEntries} log entries is in the log's tree of ${(await log.head()).seq} entries (inclusion proofs verify)`,
    );
    // one whose PDF the blob store does not hold: said so, no archive
    expect((await get("/api/v1/documents/pg-other/evidence")).status).toBe(404);
  });

  it("checks PostgreSQL's store in the check thread: full, then since the head it verified, then broken by an edited entry", async () => {
    const head = await log.head();
    const full = (await (await get("/api/v1/audit/verify")).json()) as Record<string, unknown>;
    expect(full).toMatchObject({ ok: true, mode: "full", entries: head.seq, signed: head.seq, head, figures: { ok: true, documents: 2, analyses: 2 } });
    await log.append([{ actor: "test", action: "agencies-update", subject: "directory", details: { again: true } }]);
    const since = (await (await get("/api/v1/audit/verify")).json()) as Record<string, unknown>;
    expect(since).toMatchObject({ ok: true, mode: "since", since: head.seq, head: await log.head() });
    expect((await get(`/api/v1/audit/verify?seq=${head.seq}&hash=${head.hash}`)).status).toBe(200);
    expect((await get(`/api/v1/audit/verify?seq=${head.seq}&hash=${"0".repeat(64)}`)).status).toBe(409);
    await store.exec("UPDATE audit_log SET subject = subject || ' (edited)' WHERE seq = 2");
    const broken = await get("/api/v1/audit/verify?full=true");
    expect(broken.status).toBe(409);
    expect(await broken.json()).toMatchObject({ ok: false, mode: "full", broken: { seq: 2 }, error: { code: "AUDIT_CHAIN_BROKEN" } });
  }, 60_000);
});
