// The evidence archive and the report page of an analyzed sample document: the original bytes (same
// SHA-256), the report exactly as stored (the hash its log entry holds), every certificate of each path the
// report names, the document's log entries (each verifiable), and a manifest that matches the files.
import { createHash, X509Certificate } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { unzipSync, strFromU8 } from "fflate";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verifyExport } from "../../src/store/sqlite/audit.js";
import type { DocumentReport } from "../../src/verify/report.js";
import { findingTexts, unstatedFindings } from "../../src/api/report-html.js";
import { say } from "../../src/verify/messages.js";
import { moment } from "../../src/api/exports/format.js";
import { startSampleServer, type SampleServer } from "../helpers/sample-server.js";

let s: SampleServer;
const sha256 = (b: Uint8Array | string) => createHash("sha256").update(b).digest("hex");

beforeAll(async () => {
  s = await startSampleServer(20, 5);
}, 120_000);
afterAll(async () => s?.server.close());

function docOf(kind: string): { id: string; file: string } {
  const item = s.items.find((i) => i.kind === kind && i.file && i.meta.classification === "none")!;
  const row = s.server.db.prepare("SELECT id FROM documents WHERE number = ?").get(item.meta.number) as { id: string };
  return { id: row.id, file: join(s.sampleDir, item.file!) };
}

describe("findings rendered from their keys", () => {
  it("are the same in the API's report, the report page and the evidence archive, in both languages", async () => {
    const { id } = docOf("tampered");
    const report = (await (await s.as("auditor", `/api/v1/documents/${id}/report`)).json()) as DocumentReport;
    const sig = report.signatures[0]!;
    expect(sig.findings?.length).toBe(sig.messages.length);
    expect(sig.findings?.map((f) => f.key)).toContain("hash.mismatch");
    expect(sig.findings?.find((f) => f.key === "hash.mismatch")).toMatchObject({ severity: "fail", subIndication: "HASH_FAILURE" });
    const files = unzipSync(new Uint8Array(await (await s.as("auditor", `/api/v1/documents/${id}/evidence`)).arrayBuffer()));
    const esc = (t: string) => t.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
    for (const lang of ["vi", "en"] as const) {
      const page = await (await s.as("auditor", `/api/v1/documents/${id}/report.html?lang=${lang}`)).text();
      const archived = strFromU8(files[`report.${lang}.html`]!);
      // the findings a row of the page states (proof of existence, revocation, anchor) are not repeated as details
      const shown = unstatedFindings(sig.findings, sig.messages);
      expect(shown.findings?.length).toBeGreaterThan(0);
      for (const text of findingTexts(shown.findings, shown.messages, lang)) {
        expect(page).toContain(esc(text));
        expect(archived).toContain(esc(text));
      }
    }
    // the Vietnamese page says in Vietnamese what failed, from the key
    expect(findingTexts(sig.findings, sig.messages, "vi")).toContain(say("hash.mismatch", {}, "vi"));
  });
});

describe("GET /api/v1/documents/:id/evidence", () => {
  it("holds the original, the stored report, the path certificates and the log entries of an ND30 document", async () => {
    const { id, file } = docOf("nd30");
    const res = await s.as("auditor", `/api/v1/documents/${id}/evidence`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/zip");
    const files = unzipSync(new Uint8Array(await res.arrayBuffer()));
    const original = readFileSync(file);
    expect(sha256(files["original.pdf"]!)).toBe(sha256(original));

    const reportText = strFromU8(files["report.json"]!);
    const report = JSON.parse(reportText) as DocumentReport;
    expect(report).toEqual(await (await s.as("auditor", `/api/v1/documents/${id}/report`)).json());
    expect(report.signatures.length).toBe(2);

    const manifest = JSON.parse(strFromU8(files["manifest.json"]!)) as {
      files: Record<string, string>;
      paths: Array<{ signature: number; certificates: Array<{ sha256: string; file: string | null }> }>;
    };
    for (const [name, digest] of Object.entries(manifest.files)) expect(sha256(files[name]!), name).toBe(digest);
    for (const sig of report.signatures) {
      const p = manifest.paths.find((x) => x.signature === sig.index)!;
      expect(sig.chain.trusted).toBe(true);
      expect(p.certificates.map((c) => c.sha256)).toEqual(sig.chain.path);
      for (const c of p.certificates) {
        expect(c.file, `certificate ${c.sha256} of signature ${sig.index}`).not.toBeNull();
        const cert = new X509Certificate(files[c.file!]!);
        expect(cert.fingerprint256.replace(/:/g, "").toLowerCase()).toBe(c.sha256);
      }
      // the path ends at the anchor the report names
      const last = new X509Certificate(files[p.certificates.at(-1)!.file!]!);
      expect(last.subject.split("\n").reverse().join(", ")).toContain(sig.chain.anchor!.split(",")[0]!.replace(/^\s+/, ""));
    }

    const log = strFromU8(files["audit.jsonl"]!);
    expect(verifyExport(log).ok).toBe(true);
    const entries = log
      .trimEnd()
      .split("\n")
      .slice(0, -1)
      .map((l) => JSON.parse(l) as { action: string; documentId: string; details: { reportSha256?: string } });
    expect(entries.every((e) => e.documentId === id)).toBe(true);
    expect(entries.find((e) => e.action === "analysis")!.details.reportSha256).toBe(sha256(reportText));
    expect(strFromU8(files["report.vi.html"]!)).toContain("Báo cáo kiểm tra chữ ký số");
    // the archived pages name the roots of the trust store the verdicts used, as the server's page does
    const anchors = report.signatures.map((x) => x.chain.anchor!);
    for (const lang of ["vi", "en"])
      for (const a of anchors)
        expect(strFromU8(files[`report.${lang}.html`]!).split('id="trusted-roots"')[1]).toContain(
          `<li>${a.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)}</li>`,
        );
  });

  it("answers 404 for an unknown document and for a paper exchange", async () => {
    expect((await s.as("auditor", "/api/v1/documents/nope/evidence")).status).toBe(404);
    const paper = s.server.db.prepare("SELECT id FROM documents WHERE channel = 'paper' LIMIT 1").get() as { id: string } | undefined;
    if (paper) expect((await s.as("auditor", `/api/v1/documents/${paper.id}/evidence`)).status).toBe(404);
  });
});

describe("GET /api/v1/documents/:id/report.html", () => {
  it("says per signature who signed, when, what it covers and the verdict, in Vietnamese by default", async () => {
    const { id } = docOf("nd30");
    const report = (await (await s.as("auditor", `/api/v1/documents/${id}/report`)).json()) as DocumentReport;
    const res = await s.as("auditor", `/api/v1/documents/${id}/report.html`);
    // every HTML answer carries the pages' policy: no script may run in a report page
    expect([res.headers.get("content-security-policy"), res.headers.get("x-content-type-options"), res.headers.get("referrer-policy")]).toEqual([
      expect.stringMatching(/^default-src 'none';.*frame-ancestors 'self'/),
      "nosniff",
      "same-origin",
    ]);
    expect(res.headers.get("content-security-policy")).not.toMatch(/script-src/);
    const vi = await res.text();
    expect(vi).toContain('<html lang="vi">');
    expect(vi).toContain("Văn bản có chữ ký số hợp lệ");
    for (const sig of report.signatures) expect(vi).toContain(sig.signer!.commonName!.replace(/&/g, "&#38;"));
    for (const sig of report.signatures) expect(vi).toContain(`phiên bản ${sig.revision} trên ${sig.revisions}`);
    // how the validation time is proved, in Vietnamese too (the sample's signatures carry time-stamps)
    for (const sig of report.signatures) {
      expect(sig.judgedAt!.proof).toMatch(/^proved by the signature time-stamp of /);
      // times in Vietnam's time (UTC+7), day first, as the page says
      // one proof-of-existence line per signature (issue 25): the time its certificates are judged at
      expect(vi).toContain(`<tr><th>Chứng cứ tồn tại</th><td>${moment(sig.judgedAt!.time, true)}: được chứng minh bằng dấu thời gian chữ ký của `);
      expect(vi).toContain("Thời gian theo giờ Việt Nam (UTC+7).");
    }
    // the document's receipt stated as receipt, not as a second proof of existence
    expect(vi).toContain(`<tr><th>Thời điểm kyso nhận văn bản</th><td>${moment(report.existence!.time, true)}</td></tr>`);
    expect(vi.split("<th>Chứng cứ tồn tại</th>").length - 1).toBe(report.signatures.length);
    const en = await (await s.as("auditor", `/api/v1/documents/${id}/report.html?lang=en`)).text();
    expect(en).toContain("Validly signed");
    expect(en).toContain(`revision ${report.signatures[0]!.revision} of ${report.signatures[0]!.revisions}`);
    expect((await s.as("auditor", `/api/v1/documents/${id}/report.html?lang=fr`)).status).toBe(400);
  });

  it("lists each certificate of each path: subject, issuer, validity, serial and SHA-256 fingerprint", async () => {
    const { id } = docOf("nd30");
    const report = (await (await s.as("auditor", `/api/v1/documents/${id}/report`)).json()) as DocumentReport;
    const vi = await (await s.as("auditor", `/api/v1/documents/${id}/report.html`)).text();
    const esc = (t: string) => t.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
    for (const sig of report.signatures) {
      expect(sig.chain.certificates?.map((c) => c.sha256)).toEqual(sig.chain.path);
      expect(sig.chain.certificates![0]!.subject).toBe(sig.signer!.subject);
      for (const [i, c] of sig.chain.certificates!.entries()) {
        expect(vi).toContain(
          `<td>${i + 1}. ${i === 0 ? "người ký" : i === sig.chain.path.length - 1 ? "chứng thư gốc tin cậy" : "tổ chức cấp trung gian"}</td><td>${esc(c.subject)}</td><td>${esc(c.issuer)}</td><td>từ ${moment(c.notBefore, true)} đến ${moment(c.notAfter, true)}</td><td><code>${c.serialNumber}</code></td>`,
        );
        expect(vi).toContain(c.sha256.toUpperCase().match(/../g)!.join(":"));
      }
    }
  });

  it("explains a tampered document in plain words", async () => {
    const { id } = docOf("tampered");
    const vi = await (await s.as("auditor", `/api/v1/documents/${id}/report.html`)).text();
    expect(vi).toContain("Chữ ký số không hợp lệ");
    expect(vi).toMatch(/Không hợp lệ: (nội dung đã bị thay đổi sau khi ký|chữ ký không đúng định dạng)/);
  });
});

describe("GET /api/v1/documents/:id/report.html without an analysis", () => {
  it("is a page that says why there is no report: a paper exchange, a file that is not a PDF, one waiting", async () => {
    const paper = (s.server.db.prepare("SELECT id FROM documents WHERE channel = 'paper' AND sha256 IS NULL LIMIT 1").get() as { id: string }).id;
    const vi = await s.as("auditor", `/api/v1/documents/${paper}/report.html`);
    expect(vi.status).toBe(200);
    expect(vi.headers.get("content-type")).toMatch(/text\/html/);
    const page = await vi.text();
    expect(page).toContain('<html lang="vi">');
    expect(page).toMatch(/<p class="why" id="why">Văn bản giấy: trao đổi không qua đường điện tử/);
    expect(page).toContain("Văn bản giấy"); // the category, in Vietnamese
    expect(await (await s.as("auditor", `/api/v1/documents/${paper}/report.html?lang=en`)).text()).toMatch(
      /A paper exchange: it did not travel electronically/,
    );
    // the JSON report stays a 404 for programs
    expect((await s.as("auditor", `/api/v1/documents/${paper}/report`)).status).toBe(404);
    // a .doc uploaded: kept, counted electronic-not-pdf, and its page says so
    const form = new FormData();
    form.set("file", new Blob([Buffer.from("\xD0\xCF\x11\xE0 a Word 97 file", "latin1")]), "cong-van.doc");
    for (const [k, v] of Object.entries({ sender: "H53.02", recipients: "H53.03", number: "9/SNV-doc", issuedDate: "2024-04-04" })) form.set(k, v);
    const up = await s.as("ingest", "/api/v1/documents", { method: "POST", body: form });
    const doc = ((await up.json()) as { id: string }).id;
    expect(await (await s.as("auditor", `/api/v1/documents/${doc}/report.html`)).text()).toMatch(/Tệp không phải PDF/);
    expect((await s.as("auditor", "/api/v1/documents/no-such-id/report.html")).status).toBe(404);
  });
});

describe("POST /api/v1/check", () => {
  it("gives one document's report, as JSON or as the report page, and stores, logs and counts nothing", async () => {
    const { readFileSync } = await import("node:fs");
    const { join } = await import("node:path");
    const { FIXTURES } = await import("../helpers/paths.js");
    const count = () =>
      s.server.db.prepare("SELECT (SELECT count(*) FROM documents) d, (SELECT count(*) FROM audit_log) a, (SELECT count(*) FROM analyses) n").get();
    const before = count();
    const post = (file: string, q = "") => {
      const form = new FormData();
      form.set("file", new Blob([readFileSync(join(FIXTURES, file))]), file);
      return s.as("auditor", `/api/v1/check${q}`, { method: "POST", body: form });
    };
    const json = await post("nd30-personal-then-organization.pdf");
    expect(json.status).toBe(200);
    const report = (await json.json()) as { verdict: string; signatures: unknown[]; existence: { proof: string } };
    expect(report.signatures).toHaveLength(2);
    expect(report.existence.proof).toBe("kyso's own receipt of the document");
    const pageRes = await post("tampered-signed-byte.pdf", "?format=html");
    expect([pageRes.headers.get("x-content-type-options"), pageRes.headers.get("referrer-policy")]).toEqual(["nosniff", "same-origin"]);
    expect(pageRes.headers.get("content-security-policy")).toMatch(/^default-src 'none'/);
    const page = await pageRes.text();
    expect(page).toContain('<html lang="vi">');
    expect(page).toMatch(/Chữ ký không hợp lệ|không hợp lệ/);
    expect(await (await post("not-a-pdf.pdf")).json()).toMatchObject({ verdict: "unreadable", error: { code: "NOT_PDF" } });
    // as an ETSI validation report, with the same indications
    const xml = await post("tampered-signed-byte.pdf", "?format=xml");
    expect(xml.headers.get("content-type")).toMatch(/^application\/xml/);
    const xmlText = await xml.text();
    expect(xmlText).toContain("<vr:MainIndication>urn:etsi:019102:mainindication:total-failed</vr:MainIndication>");
    expect(xmlText).toContain("<vr:SubIndication>urn:etsi:019102:subindication:HASH_FAILURE</vr:SubIndication>");
    expect(count()).toEqual(before);
    expect((await s.as("viewer", "/api/v1/check", { method: "POST", body: new FormData() })).status).toBe(403);
    const html = await (await s.as("none", "/check")).text();
    expect(html).toContain('id="file"');
  });
});
