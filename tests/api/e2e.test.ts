// End to end on each backend (the embedded default, and PostgreSQL in a throwaway cluster): a server, the
// sample province uploaded over HTTP, processed by the in-process runner; the figures must equal those
// computed independently from the generator's ground truth. Then bad input: each refused with the right
// status, nothing stored.
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_POLICY, figure, perAgency, type Counted } from "../../src/compliance/index.js";
import { hasPostgres, pgSelect, startCluster, type Cluster } from "../helpers/postgres.js";
import { startServer, type RunningServer } from "../../src/server.js";
import { AGENCIES_CSV, generateSample, SAMPLE_TRUST, type SampleItem } from "../../fixtures/sample/generate.js";

for (const backend of ["sqlite", "postgres"] as const)
  describe.skipIf(backend === "postgres" && !hasPostgres)(`end to end on ${backend}`, () => {
    let cluster: Cluster | undefined;
    let select: (sql: string) => Promise<Array<Record<string, unknown>>>;
    let server: RunningServer;
    let adminKey = "";
    /** a request with the admin key (the role matrix is tested in auth.test.ts) */
    const api = (path: string, init: RequestInit = {}) =>
      fetch(`${server.url}${path}`, { ...init, headers: { ...(init.headers as Record<string, string>), authorization: `Bearer ${adminKey}` } });
    let sampleDir: string;
    let items: SampleItem[];

    async function upload(item: SampleItem): Promise<Response> {
      const form = new FormData();
      form.set("file", new Blob([readFileSync(join(sampleDir, item.file!))], { type: "application/pdf" }), item.file!.split("/").pop());
      for (const [k, v] of Object.entries(item.meta)) form.set(k, v);
      return api(`/api/v1/documents`, { method: "POST", body: form });
    }

    const count = async () => Number((await select("SELECT count(*) n FROM documents"))[0]!.n);

    beforeAll(async () => {
      const root = mkdtempSync(join(tmpdir(), "kyso-e2e-"));
      sampleDir = join(root, "sample");
      items = generateSample(sampleDir, { documents: 120, seed: 7 });
      if (backend === "postgres") cluster = await startCluster();
      const databaseUrl = cluster?.database();
      select = databaseUrl ? pgSelect(databaseUrl) : async (sql) => server.db.prepare(sql).all() as Array<Record<string, unknown>>;
      server = await startServer({
        ...(databaseUrl ? { databaseUrl } : {}),
        dataDir: join(root, "data"),
        port: 0,
        host: "127.0.0.1",
        trustDirs: [SAMPLE_TRUST],
        concurrency: 2,
        timeoutMs: 20_000,
        policy: DEFAULT_POLICY,
        maxBodyBytes: 50 * 1024 * 1024,
      });
      adminKey = (await server.store.access.createKey("admin", "e2e", "test")).key;
      const put = await api(`/api/v1/agencies`, { method: "PUT", headers: { "content-type": "text/csv" }, body: readFileSync(AGENCIES_CSV) });
      expect(put.status).toBe(200);
      for (const item of items.filter((i) => i.file)) expect((await upload(item)).status).toBe(202);
      const paper = items.filter((i) => !i.file).map((i) => i.meta);
      const ex = await api(`/api/v1/exchanges`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(paper) });
      expect(ex.status).toBe(201);
      await server.runner.idle();
    }, 300_000);

    afterAll(async () => {
      await server?.close();
      cluster?.stop();
    });

    describe("the sample province through the embedded pipeline", () => {
      const truth = (): Counted[] =>
        items.map((i) => ({
          category: i.expected.category as Counted["category"],
          counts: i.expected.counts,
          nd30Complete: i.expected.nd30Complete,
          date: i.meta.issuedDate,
          sender: i.meta.sender,
        }));

      it("processes every document: none left queued, none failed", async () => {
        const rows = (await select("SELECT status, count(*) n FROM documents GROUP BY status")).map((r) => ({ status: String(r.status), n: Number(r.n) }));
        expect(Object.fromEntries(rows.map((r) => [r.status, r.n]))).toEqual({
          done: items.filter((i) => i.file).length,
          paper: items.filter((i) => !i.file).length,
        });
      });

      it("puts each document in the category it was built for", async () => {
        const byNumber = new Map(items.map((i) => [`${i.meta.sender} ${i.meta.number}`, i]));
        const rows = (await select("SELECT sender, number, category FROM documents")) as Array<{ sender: string; number: string; category: string }>;
        const wrong = rows
          .filter((r) => byNumber.get(`${r.sender} ${r.number}`)?.expected.category !== r.category)
          .map((r) => `${r.number}: ${r.category} (built as ${byNumber.get(`${r.sender} ${r.number}`)?.kind})`);
        expect(wrong).toEqual([]);
      });

      it("reports the province figure the ground truth gives", async () => {
        const s = await (await api(`/api/v1/stats/summary?from=2024-01-01&to=2024-12-31`)).json();
        const want = figure(truth(), DEFAULT_POLICY);
        expect(s.byCategory).toEqual(want.byCategory);
        expect([s.denominator, s.numerator, s.gap, s.nd30Complete]).toEqual([want.denominator, want.numerator, want.gap, want.nd30Complete]);
        expect(s.rate).toBeCloseTo(want.rate!, 10);
        expect(s.target).toBe(0.9);
        expect(s.trend).toHaveProperty("slopePerMonth");
      });

      it("reports a period of partial months (daily and monthly rollups combined) as the ground truth gives", async () => {
        const s = await (await api(`/api/v1/stats/summary?from=2024-02-10&to=2024-07-20`)).json();
        const want = figure(
          truth().filter((t) => t.date >= "2024-02-10" && t.date <= "2024-07-20"),
          DEFAULT_POLICY,
        );
        expect([s.denominator, s.numerator, s.byCategory]).toEqual([want.denominator, want.numerator, want.byCategory]);
        const one = await (await api(`/api/v1/stats/summary?from=2024-03-05&to=2024-03-25&agency=H53.02`)).json();
        const wantOne = figure(
          truth().filter((t) => t.date >= "2024-03-05" && t.date <= "2024-03-25" && t.sender === "H53.02"),
          DEFAULT_POLICY,
        );
        expect([one.denominator, one.numerator]).toEqual([wantOne.denominator, wantOne.numerator]);
      });

      it("reports per-agency figures and ranks as the ground truth gives", async () => {
        const a = await (await api(`/api/v1/stats/agencies?from=2024-01-01&to=2024-12-31`)).json();
        const admin = (a.agencies as Array<{ code: string }>).map((x) => x.code);
        const want = new Map(perAgency(truth(), admin, DEFAULT_POLICY).map((f) => [f.code, f]));
        for (const got of a.agencies as Array<{ code: string; denominator: number; numerator: number; rank: number | null }>) {
          const w = want.get(got.code)!;
          expect([got.code, got.denominator, got.numerator, got.rank]).toEqual([w.code, w.denominator, w.numerator, w.rank]);
        }
      });

      it("gives the same document for the same bytes, without a second analysis", async () => {
        const item = items.find((i) => i.file)!;
        const before = Number((await select("SELECT count(*) n FROM analyses"))[0]!.n);
        const r = await (await upload(item)).json();
        expect(r.existing).toBe(true);
        await server.runner.idle();
        expect(Number((await select("SELECT count(*) n FROM analyses"))[0]!.n)).toBe(before);
      });

      it("serves the report, the document, the OpenAPI document, health and metrics", async () => {
        const id = String((await select("SELECT id FROM documents WHERE category = 'signed-valid' LIMIT 1"))[0]!.id);
        const report = await (await api(`/api/v1/documents/${id}/report`)).json();
        expect(report.verdict).toBe("signed-valid");
        expect((await (await api(`/api/v1/documents/${id}`)).json()).category).toBe("signed-valid");
        const openapi = await (await api(`/api/v1/openapi.json`)).json();
        expect(Object.keys(openapi.paths)).toEqual(
          expect.arrayContaining(["/api/v1/documents", "/api/v1/exchanges", "/api/v1/stats/summary", "/api/v1/stats/agencies", "/api/v1/stats/timeseries"]),
        );
        expect((await fetch(`${server.url}/readyz`)).status).toBe(200);
        expect(await (await fetch(`${server.url}/metrics`)).text()).toMatch(/kyso_documents\{status="done"\} \d+/);
      });
    });

    describe("bad input is refused and nothing is stored", () => {
      const form = (fields: Record<string, string>, file?: Blob) => {
        const f = new FormData();
        if (file) f.set("file", file, "x.pdf");
        for (const [k, v] of Object.entries(fields)) f.set(k, v);
        return f;
      };
      const ok = { sender: "H53.02", recipients: "H53.03", number: "999/SNV", issuedDate: "2024-05-05" };
      const pdf = () => new Blob([readFileSync(join(sampleDir, items.find((i) => i.file)!.file!))]);

      it.each([
        ["an empty file", () => form(ok, new Blob([])), 400, "EMPTY_FILE"],
        ["no file", () => form(ok), 400, "NO_FILE"],
        ["a classification that does not exist", () => form({ ...ok, classification: "secret" }, new Blob(["%PDF-1.7 other2"])), 400, "BAD_METADATA"],
        ["a malformed date", () => form({ ...ok, issuedDate: "05/05/2024" }, new Blob(["%PDF-1.7 other3"])), 400, "BAD_METADATA"],
      ] as const)("%s", async (_name, body, status, code) => {
        const before = await count();
        const r = await api(`/api/v1/documents`, { method: "POST", body: body() });
        expect(r.status).toBe(status);
        expect((await r.json()).error.code).toBe(code);
        expect(await count()).toBe(before);
        void pdf;
      });

      it("keeps what was exchanged although kyso cannot count it yet: a .doc, an agency the directory lacks", async () => {
        const doc = await api(`/api/v1/documents`, {
          method: "POST",
          body: form({ ...ok, number: "1000/SNV" }, new Blob(["\u00d0\u00cf\u0011\u00e0 a Word file"])),
        });
        expect(doc.status).toBe(202);
        const d = await (await api(`/api/v1/documents/${((await doc.json()) as { id: string }).id}`)).json();
        expect([d.status, d.fileKind, d.category, d.held]).toEqual(["done", "not-pdf", "electronic-not-pdf", null]);
        const gap = await api(`/api/v1/documents`, { method: "POST", body: form({ ...ok, number: "1001/X", sender: "X99" }, new Blob(["%PDF-1.7 other"])) });
        expect(gap.status).toBe(202);
        await server.runner.idle();
        const g = await (await api(`/api/v1/documents/${((await gap.json()) as { id: string }).id}`)).json();
        expect([g.sender, g.held, g.category]).toEqual(["X99", "directory-gap", null]);
        const gaps = await (await api(`/api/v1/directory-gaps`)).json();
        expect(gaps.gaps).toEqual(expect.arrayContaining([expect.objectContaining({ code: "X99", asSender: 1 })]));
        const metrics = await (await api(`/metrics`)).text();
        expect(metrics).toMatch(/^kyso_documents_held\{reason="directory-gap"\} [1-9]\d*$/m);
        expect(metrics).toMatch(/^kyso_documents_by_category\{category="held"\} [1-9]\d*$/m);
        // without a key, /metrics shows how the service runs, not the province's figures
        const open = await (await fetch(`${server.url}/metrics`)).text();
        expect(open).toMatch(/^kyso_queue_depth \d+$/m);
        expect(open).toMatch(/^kyso_store_intact 1$/m);
        expect(open).not.toMatch(/kyso_documents_by_category/);
      });

      it("refuses days that do not exist in a period with 400, never 500", async () => {
        for (const q of ["from=2024-13-45", "to=2024-02-30", "from=2024-06-31&to=2024-07-01"]) {
          for (const route of ["summary", "agencies", "timeseries"]) {
            const r = await api(`/api/v1/stats/${route}?${q}`);
            expect([route, q, r.status]).toEqual([route, q, 400]);
            expect((await r.json()).error.code).toBe("BAD_PERIOD");
          }
        }
      });

      it("refuses an empty body and a body over the limit (413)", async () => {
        const before = await count();
        const empty = await api(`/api/v1/documents`, { method: "POST", headers: { "content-type": "multipart/form-data; boundary=x" }, body: "" });
        expect(empty.status).toBe(400);
        const big = await api(`/api/v1/documents`, { method: "POST", body: form(ok, new Blob([Buffer.alloc(60 * 1024 * 1024, 0x25)])) });
        expect(big.status).toBe(413);
        expect((await big.json()).error.code).toBe("TOO_LARGE");
        expect(await count()).toBe(before);
      });

      it("refuses a CSV whose one row is malformed, storing none of its rows", async () => {
        const before = await count();
        const csv = "sender,recipients,number,issuedDate,channel\nH53.02,H53.03,1/SNV-test,2024-03-03,paper\nH53.02,H53.03,2/SNV-test,2024-13-45,paper\n";
        const r = await api(`/api/v1/exchanges`, { method: "POST", headers: { "content-type": "text/csv" }, body: csv });
        expect(r.status).toBe(400);
        expect((await r.json()).error.message).toMatch(/^row 3: /);
        expect(await count()).toBe(before);
      });

      it("refuses a body that is neither JSON nor CSV (415)", async () => {
        const r = await api(`/api/v1/exchanges`, { method: "POST", headers: { "content-type": "application/xml" }, body: "<x/>" });
        expect(r.status).toBe(415);
      });
    });
  });
