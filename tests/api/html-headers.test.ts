// Every HTML answer of the API carries the pages' policy, nosniff and a same-origin referrer policy (issue 28, point 6): the
// three pages, a document's report page (analyzed or not), the check's report page, each in both
// languages; the OpenAPI document lists no other HTML route; and a page a route sends without the headers
// still gets the no-script policy.
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../../src/api/app.js";
import { DEFAULT_POLICY } from "../../src/compliance/index.js";
import { loadTrustStore } from "../../src/config.js";
import { BlobStore } from "../../src/store/blobs.js";
import { FIXTURES } from "../helpers/paths.js";
import { startSampleServer, type SampleServer } from "../helpers/sample-server.js";

let s: SampleServer;
beforeAll(async () => {
  s = await startSampleServer(12, 5);
}, 180_000);
afterAll(async () => s?.server.close());

/** The three headers every HTML answer must carry, with a policy that admits at most the page's own script. */
function expectPageHeaders(res: Response, what: string, script: "none" | "own"): void {
  expect(res.status, what).toBe(200);
  expect(res.headers.get("content-type"), what).toMatch(/^text\/html/);
  const csp = res.headers.get("content-security-policy") ?? "";
  expect(csp, what).toMatch(/^default-src 'none';/);
  expect(csp, what).toMatch(/base-uri 'none'/);
  // the three pages post only to this origin (the header's sign-out); a report page posts nowhere
  expect(csp, what).toMatch(script === "own" ? /form-action '(self|none)'/ : /form-action 'none'/);
  if (script === "none") expect(csp, what).not.toMatch(/script-src/);
  else expect(csp, what).toMatch(/script-src 'sha256-[A-Za-z0-9+/]+=*'(;|$)/);
  expect(csp, what).not.toMatch(/unsafe-eval|script-src[^;]*unsafe-inline/);
  expect(res.headers.get("x-content-type-options"), what).toBe("nosniff");
  expect(res.headers.get("referrer-policy"), what).toBe("same-origin");
}

describe("HTML answers", () => {
  it("the dashboard, the auditors' page and the check page, in both languages", async () => {
    for (const page of ["/dashboard", "/auditor", "/check", "/"]) {
      for (const q of ["", "?lang=en"]) {
        const res = await s.as("none", `${page}${q}`);
        expectPageHeaders(res, `${page}${q}`, "own");
        expect(res.headers.get("content-security-policy"), `${page}${q}`).toMatch(/form-action 'self'/);
      }
    }
  });

  it("a document's report page, analyzed or not, and the check's report page", async () => {
    const analyzed = (s.server.db.prepare("SELECT document_id id FROM analyses LIMIT 1").get() as { id: string }).id;
    // a file that is not a PDF: kept and counted, never analyzed, so its page says why there is no report
    const form = new FormData();
    form.set("file", new Blob(["not a PDF"]), "note.txt");
    for (const [k, v] of Object.entries({ ...s.items.find((i) => i.file)!.meta, number: "1/NOT-PDF" })) form.set(k, v);
    const notPdf = ((await (await s.as("ingest", "/api/v1/documents", { method: "POST", body: form })).json()) as { id: string }).id;
    expect(s.server.db.prepare("SELECT count(*) n FROM analyses WHERE document_id = ?").get(notPdf)).toEqual({ n: 0 });
    for (const id of [analyzed, notPdf]) {
      for (const q of ["", "?lang=en"]) expectPageHeaders(await s.as("auditor", `/api/v1/documents/${id}/report.html${q}`), `report.html of ${id}${q}`, "none");
    }
    for (const q of ["?format=html", "?format=html&lang=en"]) {
      const form = new FormData();
      form.set("file", new Blob([readFileSync(join(FIXTURES, "content-blank.pdf"))]), "x.pdf");
      expectPageHeaders(await s.as("auditor", `/api/v1/check${q}`, { method: "POST", body: form }), `check${q}`, "none");
    }
  }, 60_000);

  it("are only those the OpenAPI document lists as HTML", async () => {
    const doc = (await (await s.as("viewer", "/api/v1/openapi.json")).json()) as {
      paths: Record<string, Record<string, { responses: Record<string, { content?: Record<string, unknown> }> }>>;
    };
    const html = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.entries(ops)
        .filter(([, op]) => Object.values(op.responses ?? {}).some((r) => r.content?.["text/html"]))
        .map(([method]) => `${method} ${path}`),
    );
    // each is requested above: a new HTML route needs its line there
    expect(html.sort()).toEqual(["get /api/v1/documents/{id}/report.html", "post /api/v1/check"]);
  });

  it("a page sent without the headers still gets the no-script policy, and one with its own keeps it", async () => {
    const app = createApp({
      db: s.server.db,
      blobs: new BlobStore(mkdtempSync(join(tmpdir(), "kyso-blobs-"))),
      policy: DEFAULT_POLICY,
      onQueued: () => {},
      trust: () => loadTrustStore(),
    });
    app.get("/bare", (c) => c.html("<p>a page</p>"));
    app.get("/own", (c) =>
      c.html("<p>a page</p>", 200, { "content-security-policy": "default-src 'none'; base-uri 'none'; form-action 'none'; script-src 'sha256-AAAA'" }),
    );
    expectPageHeaders(await app.request("/bare"), "bare", "none");
    const own = await app.request("/own");
    expectPageHeaders(own, "own", "own");
    expect(own.headers.get("content-security-policy")).toContain("'sha256-AAAA'");
    expect((await app.request("/healthz")).headers.get("content-security-policy")).toBeNull();
  });
});
