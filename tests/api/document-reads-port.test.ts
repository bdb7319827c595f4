// The API's document routes read through the store's DocumentReads port, whichever backend gives it: an
// app whose keys are on the embedded store (where no document is) and whose documents are on PostgreSQL
// lists, shows, reports and exports PostgreSQL's documents.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrate, openPool, type Pool } from "../../src/store/postgres/db.js";
import { postgresDocumentReads } from "../../src/store/postgres/document-reads.js";
import { openDb } from "../../src/store/sqlite/db.js";
import { createKey } from "../../src/store/sqlite/keys.js";
import { hasPostgres, startCluster, type Cluster } from "../helpers/postgres.js";
import { embeddedApp } from "../helpers/embedded-app.js";

const doc = (id: string, number: string, subject: string, createdAt: string) => ({
  id,
  sender: "000.00.01.H53",
  number,
  subject,
  received_at: createdAt,
  channel: "electronic",
  status: "done",
  between_admin: 1,
  category: "unsigned",
  period_date: createdAt.slice(0, 10),
  created_at: createdAt,
  agency: "000.00.01.H53",
});

describe.skipIf(!hasPostgres)("the document routes on another backend's DocumentReads", () => {
  let cluster: Cluster;
  let pool: Pool;
  const db = openDb(mkdtempSync(join(tmpdir(), "kyso-reads-port-")));
  const key = createKey(db, "auditor", "reads", "test").key;
  let get: (path: string) => Response | Promise<Response>;

  beforeAll(async () => {
    cluster = await startCluster();
    pool = openPool(cluster.database(), 2);
    await migrate(pool);
    for (const d of [doc("pg-1", "1/BC", "Báo cáo quý một", "2025-01-02T00:00:00.000Z"), doc("pg-2", "2/TTr", "Tờ trình", "2025-01-03T00:00:00.000Z")]) {
      const cols = Object.keys(d);
      await pool.query(`INSERT INTO documents (${cols.join(", ")}) VALUES (${cols.map((_, i) => `$${i + 1}`).join(", ")})`, Object.values(d));
    }
    await pool.query("INSERT INTO deliveries (document_id, recipient) VALUES ('pg-1', 'H53.b'), ('pg-1', 'H53.B')");
    await pool.query(
      "INSERT INTO analyses (document_id, engine, trust_store, validation_time, duration_ms, report, created_at) VALUES ('pg-1', 'kyso', 't', $1, 1, $2, $1)",
      ["2025-01-02T00:00:00.000Z", '{"stored":"on postgres"}'],
    );
    await pool.query(
      "INSERT INTO document_events (document_id, kind, code, description, at, source, source_key, created_at) VALUES ('pg-1', 'status', '03', 'Đã nhận', $1, 'edxml', 'k1', $1)",
      ["2025-01-02T01:00:00.000Z"],
    );
    const app = embeddedApp(db, { documents: postgresDocumentReads(pool) });
    get = (path) => app.request(path, { headers: { authorization: `Bearer ${key}` } });
  }, 60_000);
  afterAll(async () => {
    await pool?.end();
    cluster?.stop();
  });

  it("lists, searches and pages the port's documents", async () => {
    const all = (await (await get("/api/v1/documents?limit=1")).json()) as { documents: Array<{ id: string }>; next: string; total: unknown };
    expect(all.documents.map((d) => d.id)).toEqual(["pg-2"]);
    expect(all.total).toEqual({ count: 2, exact: true });
    const next = (await (await get(`/api/v1/documents?limit=1&cursor=${all.next}`)).json()) as { documents: Array<{ id: string }> };
    expect(next.documents.map((d) => d.id)).toEqual(["pg-1"]);
    const found = (await (await get(`/api/v1/documents?q=${encodeURIComponent("BÁO CÁO")}`)).json()) as { documents: Array<{ id: string }> };
    expect(found.documents.map((d) => d.id)).toEqual(["pg-1"]);
    expect((await get(`/api/v1/documents?sort=number&cursor=${all.next}`)).status).toBe(400);
    const csv = await (await get("/api/v1/documents?format=csv")).text();
    expect(csv).toContain("Tờ trình");
    expect(csv).toContain("Báo cáo quý một");
  });

  it("shows one document with its recipients and events, its report as stored, and its page", async () => {
    const d = (await (await get("/api/v1/documents/pg-1")).json()) as { recipients: string[]; events: Array<{ kind: string; at: string }> };
    expect(d.recipients).toEqual(["H53.B", "H53.b"]);
    expect(d.events).toEqual([{ kind: "status", code: "03", description: "Đã nhận", at: "2025-01-02T01:00:00.000Z", source: "edxml" }]);
    expect(await (await get("/api/v1/documents/pg-1/report")).json()).toEqual({ stored: "on postgres" });
    expect((await get("/api/v1/documents/pg-2/report")).status).toBe(404);
    const page = await get("/api/v1/documents/pg-2/report.html");
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("2/TTr");
    expect((await get("/api/v1/documents/nothing")).status).toBe(404);
  });
});
