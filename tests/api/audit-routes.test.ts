// The log through the API: cursor paging returns every entry once and in order, the filters select what
// they say, the JSONL stream is the export `kyso audit verify FILE` checks, and an admin's re-verification
// re-analyzes the documents with new entries while the old ones stay.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verifyExport, type AuditEntry } from "../../src/store/sqlite/audit.js";
import { startSampleServer, type SampleServer } from "../helpers/sample-server.js";

let s: SampleServer;
beforeAll(async () => {
  s = await startSampleServer(16, 13);
}, 120_000);
afterAll(async () => s?.server.close());

async function all(query: string): Promise<AuditEntry[]> {
  const out: AuditEntry[] = [];
  let cursor: number | null = 0;
  while (cursor !== null) {
    const r = await s.as("auditor", `/api/v1/audit?limit=4&cursor=${cursor}${query}`);
    expect(r.status).toBe(200);
    const page = (await r.json()) as { entries: AuditEntry[]; next: number | null };
    out.push(...page.entries);
    cursor = page.next;
  }
  return out;
}

describe("GET /api/v1/audit", () => {
  it("pages through every entry once, in order", async () => {
    const entries = await all("");
    const total = (s.server.db.prepare("SELECT count(*) n FROM audit_log").get() as { n: number }).n;
    expect(entries.map((e) => e.seq)).toEqual(Array.from({ length: total }, (_, i) => i + 1));
  });

  it("filters by action, agency, document and period", async () => {
    const analyses = await all("&action=analysis");
    expect(analyses.length).toBe((s.server.db.prepare("SELECT count(*) n FROM analyses").get() as { n: number }).n);
    const one = analyses[0]!;
    expect((await all(`&document=${one.documentId}`)).every((e) => e.documentId === one.documentId)).toBe(true);
    const byAgency = await all(`&agency=${one.agency}&action=analysis`);
    expect(byAgency.length).toBeGreaterThan(0);
    expect(byAgency.every((e) => e.agency === one.agency)).toBe(true);
    const today = new Date().toISOString().slice(0, 10);
    expect((await all(`&from=${today}&to=${today}`)).length).toBe((await all("")).length);
    expect(await all("&to=2000-01-01")).toEqual([]);
    expect((await s.as("auditor", "/api/v1/audit?action=deleted")).status).toBe(400);
    expect((await s.as("auditor", "/api/v1/audit?from=yesterday")).status).toBe(400);
  });

  it("streams the JSONL export, which verifies offline", async () => {
    const r = await s.as("auditor", "/api/v1/audit?format=jsonl");
    expect(r.headers.get("content-type")).toContain("application/x-ndjson");
    const text = await r.text();
    const check = verifyExport(text);
    expect(check.ok, check.broken?.reason).toBe(true);
    expect(check.entries).toBe((s.server.db.prepare("SELECT count(*) n FROM audit_log").get() as { n: number }).n);
  });
});

describe("POST /api/v1/admin/reverify", () => {
  it("re-analyzes an agency's documents: new entries, the old ones kept, the chain intact", async () => {
    const agency = s.server.db.prepare("SELECT sender, count(*) n FROM documents WHERE status = 'done' GROUP BY sender ORDER BY n DESC LIMIT 1").get() as {
      sender: string;
      n: number;
    };
    const before = await all("");
    const r = await s.as("admin", "/api/v1/admin/reverify", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ agency: agency.sender }),
    });
    expect(r.status).toBe(202);
    expect(((await r.json()) as { queued: number }).queued).toBe(agency.n);
    await s.server.runner.idle();
    const after = await all("");
    expect(after.slice(0, before.length)).toEqual(before);
    const added = after.slice(before.length);
    expect(added[0]).toMatchObject({ action: "reverify", actor: expect.stringMatching(/^key:[0-9a-f]{12} \(admin, IT department\)$/) });
    const re = added.filter((e) => e.action === "reanalysis");
    expect(re.length).toBe(agency.n);
    expect(re.every((e) => e.agency === agency.sender)).toBe(true);
    expect((await (await s.as("auditor", "/api/v1/audit/verify")).json()).ok).toBe(true);
    const bad = await s.as("admin", "/api/v1/admin/reverify", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ since: "last week" }),
    });
    expect(bad.status).toBe(400);
  });
});

describe("a file attached to a registered paper row", () => {
  it("is logged with who attached it and the category the row leaves, then analyzed and logged again", async () => {
    const signed = s.items.find((i) => i.file && i.expected.category === "signed-valid")!;
    const meta = { ...signed.meta, number: "77/TB-ATTACH", channel: "paper" };
    const reg = await s.as("ingest", "/api/v1/exchanges", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify([meta]) });
    expect(reg.status).toBe(201);
    const row = s.server.db.prepare("SELECT id, category FROM documents WHERE number = '77/TB-ATTACH'").get() as { id: string; category: string };
    expect(row.category).toBe("paper");
    // the same document arrives electronically later; a copy of another PDF stands for it (new bytes)
    const form = new FormData();
    const pdf = Buffer.concat([readFileSync(join(s.sampleDir, signed.file!)), Buffer.from("\n% attached later\n")]);
    form.set("file", new Blob([pdf], { type: "application/pdf" }), "doc.pdf");
    for (const [k, v] of Object.entries({ ...meta, channel: "electronic" })) form.set(k, v);
    const up = await s.as("ingest", "/api/v1/documents", { method: "POST", body: form });
    expect(up.status).toBe(202);
    expect(((await up.json()) as { id: string }).id).toBe(row.id);
    await s.server.runner.idle();
    const entries = await all(`&document=${row.id}`);
    // the paper row's facts (it was in the figures), then the file, then the analysis
    expect(entries.map((e) => e.action)).toEqual(["document-facts", "file-attached", "analysis"]);
    expect(entries[1]).toMatchObject({
      actor: expect.stringMatching(/^key:[0-9a-f]{12} \(ingest, document system\)$/),
      details: { from: "paper", channel: "paper", bytes: pdf.length },
    });
    expect((await (await s.as("auditor", "/api/v1/audit/verify")).json()).ok).toBe(true);
  });
});
