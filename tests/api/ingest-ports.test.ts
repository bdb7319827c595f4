// The ingest and directory routes run on the store's ports only: an upload, an edXML message and a
// register recorded, the directory changed (its documents derived again in the request), then the gaps, the
// held counts and the reconciliation read, with the same answers from the embedded store's ports and from
// PostgreSQL's (the keys stay on the embedded store, where no document is).
//
// PostgreSQL's half needs LifecycleStore.run on PostgreSQL: until that lands it fails at the first upload
// with "a life-cycle step's script does not run on PostgreSQL yet" (a 500). That failure is expected; the
// test is meant to pass unchanged once run() exists.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { strToU8 } from "fflate";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ApiDeps } from "../../src/api/app.js";
import { createLogKey } from "../../src/log/key.js";
import { postgresDocumentReads } from "../../src/store/postgres/document-reads.js";
import { postgresExchangeReads } from "../../src/store/postgres/exchange-reads.js";
import { postgresLifecycle } from "../../src/store/postgres/lifecycle-store.js";
import { postgresReadModel } from "../../src/store/postgres/read-model.js";
import { migrate, openPool, type Pool } from "../../src/store/postgres/db.js";
import { openDb, type Db } from "../../src/store/sqlite/db.js";
import { createKey } from "../../src/store/sqlite/keys.js";
import { edxml } from "../helpers/edxml.js";
import { FIXTURES } from "../helpers/paths.js";
import { hasPostgres, startCluster, type Cluster } from "../helpers/postgres.js";
import { embeddedApp } from "../helpers/embedded-app.js";

const PDF = readFileSync(join(FIXTURES, "unsigned-empty-field.pdf"));
const AGENCIES = [
  { code: "H53", name: "UBND tỉnh Tây Ninh", parent: null, kind: "administrative" },
  { code: "H53.02", name: "Sở Nội vụ", parent: "H53", kind: "administrative" },
  { code: "H53.03", name: "Sở Tư pháp", parent: "H53", kind: "administrative", aliases: ["000.00.03.H53"] },
  { code: "H53.99", name: "Ban Quản lý dự án", parent: "H53", kind: "administrative", aliases: ["000.00.99.H53"] },
];

type Call = (path: string, init?: RequestInit) => Promise<Response>;

const dirs: string[] = [];
const opened: Db[] = [];
const tempDir = (): string => (dirs.push(mkdtempSync(join(tmpdir(), "kyso-ingest-ports-"))), dirs[dirs.length - 1]!);
afterAll(() => {
  for (const db of opened.splice(0)) db.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** An app on the embedded store's keys (an admin key) and on `ports` (none: the embedded store's own). */
function appOn(ports: Partial<ApiDeps>): { call: Call; db: Db } {
  const db = openDb(tempDir());
  opened.push(db);
  const key = createKey(db, "admin", "ingest-ports", "test").key;
  const app = embeddedApp(db, ports);
  return { db, call: async (path, init = {}) => app.request(path, { ...init, headers: { ...init.headers, authorization: `Bearer ${key}` } }) };
}

const upload = (call: Call, fields: Record<string, string>, bytes: Uint8Array<ArrayBuffer>) => {
  const f = new FormData();
  f.set("file", new Blob([bytes]), "vanban.pdf");
  for (const [k, v] of Object.entries(fields)) f.set(k, v);
  return call("/api/v1/documents", { method: "POST", body: f });
};
const json = async (r: Response | Promise<Response>, status = 200) => {
  const res = await r;
  const body = (await res.json()) as Record<string, unknown>;
  expect(res.status, JSON.stringify(body)).toBe(status);
  return body;
};

/** The scenario's answers, document ids replaced by the order they were first seen in. */
async function scenario(call: Call) {
  const ids = new Map<string, string>();
  const named = (v: unknown): unknown => JSON.parse(JSON.stringify(v), (_k, x: unknown) => (typeof x === "string" && ids.has(x) ? ids.get(x) : x)) as unknown;
  const seen = (id: string) => (ids.has(id) ? undefined : void ids.set(id, `doc-${ids.size + 1}`));

  // an upload from a legacy code the directory does not have yet: held as a directory gap
  const up = await json(
    upload(call, { sender: "000.00.03.H53", recipients: "H53.02", number: "12/STP-VP", issuedDate: "2025-03-04", receivedAt: "2025-03-05T01:00:00Z" }, PDF),
    202,
  );
  seen(up.id as string);
  // a message of another unknown agency, its file not a PDF (settled at once, counted electronic-not-pdf once known)
  const msg = edxml({
    from: "000.00.99.H53",
    to: ["H53.02"],
    codeNumber: "7",
    notation: "BQL",
    date: "2025/03/05",
    attachments: [{ name: "a.doc", bytes: strToU8("\u00d0\u00cf not a pdf") }],
  });
  const ex = await json(
    call("/api/v1/edxml?receivedAt=2025-03-06T00:00:00Z", { method: "POST", headers: { "content-type": "application/xml" }, body: msg }),
    202,
  );
  seen((ex.document as { id: string }).id);
  // H53.02's register: the upload (matched) and a paper exchange
  const rows = [
    {
      sender: "000.00.03.H53",
      recipients: ["H53.02"],
      number: "12/STP-VP",
      issuedDate: "2025-03-04",
      channel: "electronic",
      receivedAt: "2025-03-05T01:00:00Z",
    },
    {
      sender: "H53.03",
      recipients: ["H53.02"],
      number: "3/STP",
      issuedDate: "2025-03-02",
      channel: "paper",
      subject: "Giấy mời",
      receivedAt: "2025-03-03T02:00:00Z",
    },
  ];
  const reg = await json(
    call("/api/v1/exchanges?owner=H53.02", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(rows) }),
    201,
  );
  for (const d of reg.documents as Array<{ id: string }>) seen(d.id);
  const gapsBefore = await json(call("/api/v1/directory-gaps"));

  // the directory learns the agencies: the held documents are derived again in the request
  const put = await json(call("/api/v1/agencies", { method: "PUT", headers: { "content-type": "application/json" }, body: JSON.stringify(AGENCIES) }));
  const gapsAfter = await json(call("/api/v1/directory-gaps"));
  const agencies = await json(call("/api/v1/agencies"));
  // this node forgot the directory it kept: the legacy code is now resolved as the upload arrives
  const later = await json(
    upload(
      call,
      { sender: "000.00.03.H53", recipients: "H53.02", number: "13/STP-VP", issuedDate: "2025-03-07", receivedAt: "2025-03-08T03:00:00Z" },
      new Uint8Array(Buffer.from("%PDF-1.7 two")),
    ),
    202,
  );
  seen(later.id as string);
  const laterDoc = await json(call(`/api/v1/documents/${later.id as string}`));
  const exDoc = await json(call(`/api/v1/documents/${(ex.document as { id: string }).id}`));
  const reconciliation = await json(call("/api/v1/reconciliation?owner=H53.02"));
  return named({
    upload: { ...up, sha256: undefined },
    edxml: { ...ex, message: undefined, document: { ...(ex.document as object), sha256: undefined } },
    register: reg,
    gapsBefore,
    put,
    gapsAfter,
    agencies,
    later: [laterDoc.sender, laterDoc.held],
    edxmlDocument: [exDoc.sender, exDoc.agency, exDoc.held, exDoc.category],
    reconciliation,
  });
}

function expectTheAnswers(a: Awaited<ReturnType<typeof scenario>>) {
  expect(a).toMatchObject({
    upload: { id: "doc-1", status: "queued", existing: false },
    edxml: { kind: "document", document: { id: "doc-2", status: "done", existing: false } },
    register: {
      recorded: 2,
      layout: "kyso",
      matched: 1,
      documents: [
        { id: "doc-1", existing: true, matched: true },
        { id: "doc-3", status: "paper", existing: false, matched: false },
      ],
    },
    gapsBefore: { held: { "directory-gap": 3 }, conflicts: [] },
    put: { updated: 4, pendingDerivations: 0 },
    gapsAfter: { gaps: [], held: {}, conflicts: [] },
    agencies: { agencies: AGENCIES.map((x) => expect.objectContaining({ code: x.code, name: x.name })) },
    later: ["H53.03", null],
    edxmlDocument: ["000.00.99.H53", "H53.99", null, "electronic-not-pdf"],
    reconciliation: {
      registers: [{ owner: "H53.02", register: "kyso", rows: 2, matched: 1, from: "2025-03-02", to: "2025-03-04" }],
      unmatchedRows: [
        { owner: "H53.02", register: "kyso", line: 2, sender: "H53.03", number: "3/STP", issuedDate: "2025-03-02", subject: "Giấy mời", documentId: "doc-3" },
      ],
      unregistered: [],
      unknownDocuments: [],
    },
  });
  // the codes the directory lacked, most documents first (H53.02 receives all three held)
  expect((a as { gapsBefore: { gaps: unknown } }).gapsBefore.gaps).toEqual([
    { code: "H53.02", documents: 3, asSender: 0, asRecipient: 3, firstSeen: "2025-03-03T02:00:00.000Z" },
    { code: "000.00.03.H53", documents: 1, asSender: 1, asRecipient: 0, firstSeen: "2025-03-05T01:00:00.000Z" },
    { code: "000.00.99.H53", documents: 1, asSender: 1, asRecipient: 0, firstSeen: "2025-03-06T00:00:00.000Z" },
    { code: "H53.03", documents: 1, asSender: 1, asRecipient: 0, firstSeen: "2025-03-03T02:00:00.000Z" },
  ]);
}

let reference: Awaited<ReturnType<typeof scenario>>;

describe("the ingest and directory routes on the embedded store's ports", () => {
  it("record, change the directory and read the gaps and the reconciliation", async () => {
    reference = await scenario(appOn({}).call);
    expectTheAnswers(reference);
  });
});

// Runs once PostgreSQL's LifecycleStore.run exists (until then: "does not run on PostgreSQL yet", expected)
describe.skipIf(!hasPostgres)("the ingest and directory routes on PostgreSQL's ports", () => {
  let cluster: Cluster;
  let pool: Pool;
  beforeAll(async () => {
    cluster = await startCluster();
    pool = openPool(cluster.database(), 4);
    await migrate(pool);
  }, 60_000);
  afterAll(async () => {
    await pool?.end();
    cluster?.stop();
  });

  it("record, change the directory and read the gaps and the reconciliation, as the embedded store answers", async () => {
    const { call, db } = appOn({
      lifecycle: postgresLifecycle(pool, createLogKey(join(tempDir(), "log-key.pem"))),
      readModel: postgresReadModel(pool),
      documents: postgresDocumentReads(pool),
      exchanges: postgresExchangeReads(pool),
    });
    const answers = await scenario(call);
    expectTheAnswers(answers);
    if (reference) expect(answers).toEqual(reference);
    // nothing of it went to the embedded store the keys are on
    expect(db.prepare("SELECT count(*) n FROM documents").get()).toEqual({ n: 0 });
    expect((await pool.query<{ n: number }>("SELECT count(*)::int n FROM documents")).rows[0]!.n).toBe(4);
  });
});
