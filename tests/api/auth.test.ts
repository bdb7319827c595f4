// The role matrix: every /api/v1 route × {no key, revoked key, ingest, viewer, auditor, admin} gives the
// status written here. The table is the specification: the OpenAPI document must list the same routes
// with the same roles, and the app must have no /api/v1 route outside the table.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSampleServer, type SampleServer } from "../helpers/sample-server.js";

let s: SampleServer;
let docId = "";
let sha = "";

beforeAll(async () => {
  s = await startSampleServer(16, 3);
  const row = s.server.db.prepare("SELECT id, sha256 FROM documents WHERE status = 'done' LIMIT 1").get() as { id: string; sha256: string };
  docId = row.id;
  sha = row.sha256;
}, 120_000);
afterAll(async () => s?.server.close());

type Who = "none" | "revoked" | "ingest" | "viewer" | "auditor" | "admin";
const WHO: Who[] = ["none", "revoked", "ingest", "viewer", "auditor", "admin"];

interface RouteCase {
  method: string;
  /** the OpenAPI path */
  path: string;
  roles: Who[];
  /** the status of a request from an admitted role */
  ok: number;
  request: () => { url: string; init?: RequestInit };
}

const upload = () => {
  const item = s.items.find((i) => i.file)!;
  const form = new FormData();
  form.set("file", new Blob([readFileSync(join(s.sampleDir, item.file!))]), "doc.pdf");
  for (const [k, v] of Object.entries(item.meta)) form.set(k, v);
  return form;
};
const paperRow = () => JSON.stringify([s.items.find((i) => !i.file)?.meta ?? { ...s.items[0]!.meta, channel: "paper", number: "1/TEST" }]);
const viewers: Who[] = ["viewer", "auditor", "admin"];
/** a minimal edXML message carrying an already uploaded sample PDF (so every admitted call is 202) */
const edxmlMessage = () => {
  const item = s.items.find((i) => i.file)!;
  const pdf = readFileSync(join(s.sampleDir, item.file!)).toString("base64");
  return `<edXMLEnvelope><edXMLHeader><MessageHeader><From><OrganId>${item.meta.sender}</OrganId></From><To><OrganId>${item.meta.recipients.split(",")[0]}</OrganId></To><Code><CodeNumber>${item.meta.number.split("/")[0]}</CodeNumber><CodeNotation>${item.meta.number.split("/").slice(1).join("/")}</CodeNotation></Code><PromulgationInfo><PromulgationDate>${item.meta.issuedDate.replace(/-/g, "/")}</PromulgationDate></PromulgationInfo></MessageHeader></edXMLHeader><edXMLBody><AttachmentEncoded><Attachment><Name>a.pdf</Name><Value>${pdf}</Value></Attachment></AttachmentEncoded></edXMLBody></edXMLEnvelope>`;
};

const ROUTES: RouteCase[] = [
  {
    method: "post",
    path: "/api/v1/documents",
    roles: ["ingest", "admin"],
    ok: 202,
    request: () => ({ url: "/api/v1/documents", init: { method: "POST", body: upload() } }),
  },
  {
    method: "post",
    path: "/api/v1/edxml",
    roles: ["ingest", "admin"],
    ok: 202,
    request: () => ({ url: "/api/v1/edxml", init: { method: "POST", headers: { "content-type": "application/xml" }, body: edxmlMessage() } }),
  },
  {
    method: "post",
    path: "/api/v1/exchanges",
    roles: ["ingest", "admin"],
    ok: 201,
    request: () => ({ url: "/api/v1/exchanges", init: { method: "POST", headers: { "content-type": "application/json" }, body: paperRow() } }),
  },
  {
    method: "post",
    path: "/api/v1/check",
    roles: ["ingest", "auditor", "admin"],
    ok: 200,
    request: () => ({ url: "/api/v1/check", init: { method: "POST", body: upload() } }),
  },
  { method: "get", path: "/api/v1/documents", roles: viewers, ok: 200, request: () => ({ url: "/api/v1/documents?limit=5" }) },
  { method: "get", path: "/api/v1/documents/{id}", roles: viewers, ok: 200, request: () => ({ url: `/api/v1/documents/${docId}` }) },
  { method: "get", path: "/api/v1/documents/{id}/report", roles: viewers, ok: 200, request: () => ({ url: `/api/v1/documents/${docId}/report` }) },
  {
    method: "get",
    path: "/api/v1/documents/{id}/report.html",
    roles: viewers,
    ok: 200,
    request: () => ({ url: `/api/v1/documents/${docId}/report.html?lang=en` }),
  },
  {
    method: "get",
    path: "/api/v1/documents/{id}/evidence",
    roles: ["auditor", "admin"],
    ok: 200,
    request: () => ({ url: `/api/v1/documents/${docId}/evidence` }),
  },
  { method: "get", path: "/api/v1/agencies", roles: ["ingest", "viewer", "auditor", "admin"], ok: 200, request: () => ({ url: "/api/v1/agencies" }) },
  {
    method: "get",
    path: "/api/v1/directory-gaps",
    roles: ["ingest", "viewer", "auditor", "admin"],
    ok: 200,
    request: () => ({ url: "/api/v1/directory-gaps" }),
  },
  { method: "get", path: "/api/v1/reconciliation", roles: viewers, ok: 200, request: () => ({ url: "/api/v1/reconciliation" }) },
  {
    method: "put",
    path: "/api/v1/agencies",
    roles: ["admin"],
    ok: 200,
    request: () => ({
      url: "/api/v1/agencies",
      init: {
        method: "PUT",
        headers: { "content-type": "application/json" },
        body: JSON.stringify([{ code: "H53.99", name: "Test unit", parent: "H53", kind: "other" }]),
      },
    }),
  },
  { method: "get", path: "/api/v1/stats/summary", roles: viewers, ok: 200, request: () => ({ url: "/api/v1/stats/summary?from=2024-01-01&to=2024-12-31" }) },
  { method: "get", path: "/api/v1/stats/periods", roles: viewers, ok: 200, request: () => ({ url: "/api/v1/stats/periods" }) },
  { method: "get", path: "/api/v1/stats/next", roles: viewers, ok: 200, request: () => ({ url: "/api/v1/stats/next?from=2024-01-01&to=2024-12-31" }) },
  {
    method: "get",
    path: "/api/v1/reports/leadership",
    roles: viewers,
    ok: 200,
    request: () => ({ url: "/api/v1/reports/leadership?period=2024&format=xlsx" }),
  },
  { method: "get", path: "/api/v1/stats/agencies", roles: viewers, ok: 200, request: () => ({ url: "/api/v1/stats/agencies?from=2024-01-01&to=2024-12-31" }) },
  {
    method: "get",
    path: "/api/v1/stats/timeseries",
    roles: viewers,
    ok: 200,
    request: () => ({ url: "/api/v1/stats/timeseries?from=2024-01-01&to=2024-12-31" }),
  },
  { method: "get", path: "/api/v1/audit", roles: ["auditor", "admin"], ok: 200, request: () => ({ url: "/api/v1/audit?limit=3" }) },
  { method: "get", path: "/api/v1/audit/verify", roles: ["auditor", "admin"], ok: 200, request: () => ({ url: "/api/v1/audit/verify" }) },
  {
    method: "post",
    path: "/api/v1/audit/verify/full",
    roles: ["auditor", "admin"],
    ok: 202,
    request: () => ({ url: "/api/v1/audit/verify/full", init: { method: "POST" } }),
  },
  { method: "get", path: "/api/v1/audit/verify/full", roles: ["auditor", "admin"], ok: 200, request: () => ({ url: "/api/v1/audit/verify/full" }) },
  {
    method: "post",
    path: "/api/v1/admin/reverify",
    roles: ["admin"],
    ok: 202,
    request: () => ({
      url: "/api/v1/admin/reverify",
      init: { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ since: "2999-01-01" }) },
    }),
  },
  { method: "get", path: "/api/v1/internal/blobs/{sha256}", roles: ["ingest", "admin"], ok: 200, request: () => ({ url: `/api/v1/internal/blobs/${sha}` }) },
  {
    method: "post",
    path: "/api/v1/internal/blobs",
    roles: ["ingest", "admin"],
    ok: 200,
    request: () => ({
      url: "/api/v1/internal/blobs",
      init: { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ sha256: [sha] }) },
    }),
  },
];

describe("role matrix", () => {
  for (const r of ROUTES) {
    it(`${r.method.toUpperCase()} ${r.path}`, async () => {
      const got: Record<string, number> = {};
      const want: Record<string, number> = {};
      for (const who of WHO) {
        const { url, init } = r.request();
        const res = await s.as(who, url, init);
        got[who] = res.status;
        want[who] = who === "none" || who === "revoked" ? 401 : r.roles.includes(who) ? r.ok : 403;
        if (res.status === 401 || res.status === 403) {
          const body = (await res.json()) as { error: { code: string; message: string } };
          expect(body.error.code).toBe(res.status === 401 ? "UNAUTHORIZED" : "FORBIDDEN");
          expect(body.error.message).not.toContain(s.keys.admin.slice(5));
        } else await res.arrayBuffer();
      }
      expect(got).toEqual(want);
    });
  }

  it("the OpenAPI document lists the bearer scheme and each route's roles, as in this table", async () => {
    expect((await s.as("none", "/api/v1/openapi.json")).status).toBe(401);
    const doc = (await (await s.as("viewer", "/api/v1/openapi.json")).json()) as {
      components: { securitySchemes: Record<string, { type: string; scheme: string }> };
      paths: Record<string, Record<string, { security: unknown[]; "x-kyso-roles": string[]; description: string }>>;
    };
    expect(Object.values(doc.components.securitySchemes)).toContainEqual(expect.objectContaining({ type: "http", scheme: "bearer" }));
    const listed = Object.entries(doc.paths).flatMap(([p, ops]) => Object.keys(ops).map((m) => `${m} ${p}`));
    expect(listed.sort()).toEqual(ROUTES.map((r) => `${r.method} ${r.path}`).sort());
    for (const r of ROUTES) {
      const op = doc.paths[r.path]![r.method]!;
      expect(op.security.length, `${r.method} ${r.path}`).toBeGreaterThan(0);
      expect([...op["x-kyso-roles"]].sort(), `${r.method} ${r.path}`).toEqual([...r.roles].sort());
      expect(op.description).toContain("Roles:");
    }
  });

  it("has no /api/v1 route outside the table", () => {
    const registered = new Set(
      s.server.app.routes
        .filter((r) => r.path.startsWith("/api/v1/") && r.method !== "ALL" && r.path !== "/api/v1/openapi.json")
        .map((r) => `${r.method.toLowerCase()} ${r.path.replace(/:(\w+)/g, "{$1}")}`),
    );
    expect([...registered].sort()).toEqual(ROUTES.map((r) => `${r.method} ${r.path}`).sort());
  });

  it("leaves the operations routes open", async () => {
    for (const p of ["/healthz", "/readyz", "/metrics", "/check"]) expect((await s.as("none", p)).status).toBe(200);
    expect(await (await s.as("none", "/metrics")).text()).toMatch(/^kyso_audit_entries [1-9]\d*$/m);
  });

  it("refuses malformed and unknown bearer tokens alike", async () => {
    // the key with its last character changed (to another one: a key may end in "A" already)
    const altered = s.keys.admin.slice(0, -1) + (s.keys.admin.endsWith("A") ? "B" : "A");
    for (const h of ["Bearer", "Bearer kyso_", `Bearer ${s.keys.admin}x`, `Basic ${s.keys.admin}`, `Bearer ${altered}`]) {
      const r = await fetch(`${s.server.url}/api/v1/agencies`, { headers: { authorization: h } });
      expect(r.status, h).toBe(401);
      expect(r.headers.get("www-authenticate")).toMatch(/^Bearer/);
    }
  });
});

describe("an ingest key bound to sender agencies", () => {
  it("submits documents, messages and register rows of its agencies only (403 for others), a legacy code naming its agency", async () => {
    const { createKey } = await import("../../src/store/sqlite/keys.js");
    const { edxmlMessage } = await import("../../fixtures/lib/edxml.js");
    const bound = createKey(s.server.db, "ingest", "Sở Nội vụ's document system", "test", ["H53.02"]).key;
    const as = (path: string, init: RequestInit) =>
      fetch(`${s.server.url}${path}`, { ...init, headers: { ...(init.headers as Record<string, string>), authorization: `Bearer ${bound}` } });
    const pdf = readFileSync(join(s.sampleDir, s.items.find((i) => i.file)!.file!));
    const upload = (sender: string, n: number) => {
      const form = new FormData();
      form.set("file", new Blob([Buffer.concat([pdf, Buffer.from(`\n% bound ${n}\n`)])], { type: "application/pdf" }), "d.pdf");
      for (const [k, v] of Object.entries({ sender, recipients: "H53.03", number: `${n}/SNV-bound`, issuedDate: "2024-05-02" })) form.set(k, v);
      return as("/api/v1/documents", { method: "POST", body: form });
    };
    expect((await upload("H53.02", 1)).status).toBe(202);
    expect((await upload("000.00.02.H53", 2)).status).toBe(202); // its legacy code
    const other = await upload("H53.05", 3);
    expect(other.status).toBe(403);
    expect(((await other.json()) as { error: { code: string; message: string } }).error).toEqual({
      code: "FORBIDDEN_SENDER",
      message: "this key submits documents of H53.02 only; this one is from H53.05",
    });
    expect(s.server.db.prepare("SELECT count(*) n FROM documents WHERE number = '3/SNV-bound'").get()).toEqual({ n: 0 });
    const message = (from: string) =>
      edxmlMessage({
        from: { id: from, name: "x" },
        to: [{ id: "H53.03", name: "Sở Tư pháp" }],
        documentId: `${from},2024/05/03,9/X`,
        codeNumber: "9",
        notation: "X",
        date: "2024/05/03",
        attachments: [{ name: "a.pdf", contentType: "application/pdf", bytes: pdf }],
      });
    expect((await as("/api/v1/edxml", { method: "POST", headers: { "content-type": "application/xml" }, body: message("H53.05") })).status).toBe(403);
    expect((await as("/api/v1/edxml", { method: "POST", headers: { "content-type": "application/xml" }, body: message("H53.02") })).status).toBe(202);
    const row = (sender: string) =>
      JSON.stringify([{ sender, recipients: ["H53.03"], number: `1/${sender}-paper`, issuedDate: "2024-05-04", channel: "paper" }]);
    expect((await as("/api/v1/exchanges", { method: "POST", headers: { "content-type": "application/json" }, body: row("H53.05") })).status).toBe(403);
    expect((await as("/api/v1/exchanges", { method: "POST", headers: { "content-type": "application/json" }, body: row("H53.02") })).status).toBe(201);
    const csv = "sender,recipients,number,issuedDate,channel\nH53.05,H53.02,7/STC,2024-05-05,paper\n";
    expect((await as("/api/v1/exchanges?owner=H53.05", { method: "POST", headers: { "content-type": "text/csv" }, body: csv })).status).toBe(403);
    expect((await as("/api/v1/exchanges?owner=H53.02", { method: "POST", headers: { "content-type": "text/csv" }, body: csv })).status).toBe(201);
    // an unbound ingest key still submits for anyone
    expect((await s.as("ingest", "/api/v1/exchanges", { method: "POST", headers: { "content-type": "application/json" }, body: row("H53.06") })).status).toBe(
      201,
    );
  });
});
