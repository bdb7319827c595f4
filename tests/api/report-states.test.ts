// Each report page says its document's state once and without contradiction (issue 25, point 2), read
// as text the way a person reads it: a signature invalid because the content changed after signing, an
// expired certificate with nothing to prove the signature came before, a valid signature whose revocation
// could not be checked (soft-fail), and a paper document. One proof-of-existence line per signature, the
// receipt said as receipt, times in Vietnam's time, the trusted roots named, in both languages.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { analyzeStructure as analyze } from "../../src/analyze.js";
import { loadTrustStore } from "../../src/config.js";
import { renderReportHtml } from "../../src/api/report-html.js";
import { renderNoReportHtml } from "../../src/api/no-report-html.js";
import { trustView } from "../../src/api/report-trust.js";
import type { AuditEntry } from "../../src/store/sqlite/audit.js";
import type { DocumentRow } from "../../src/store/sqlite/documents.js";
import type { DocumentReport } from "../../src/verify/report.js";
import { AT, FIXTURES, ROOT } from "../helpers/paths.js";

const trust = loadTrustStore([join(ROOT, "fixtures", "trust")]);
const doc = {
  id: "d1",
  number: "12/UBND",
  sender: "H53.01",
  subject: "x",
  received_at: "2024-05-06T01:02:03.000Z",
  category: "signed-indeterminate",
  counts: 0,
} as unknown as DocumentRow;
const entry = { seq: 1, at: "2026-11-26T03:00:01.000Z", action: "analysis", actor: "kyso", hash: "ab".repeat(32) } as unknown as AuditEntry;
type Lang = "vi" | "en";

/** The report as the service makes it: received by kyso the day before the fixed test time. */
const reportOf = (file: string): DocumentReport =>
  analyze(readFileSync(join(FIXTURES, file)), {
    now: AT,
    trust,
    receivedAt: "2026-11-26T03:00:00.000Z",
    existenceBasis: "receipt",
    declaredReceivedAt: doc.received_at,
  });

/** The page's text as a reader sees it: tags gone, entities read, cells apart. */
const text = (html: string) =>
  html
    .replace(/<style>[\s\S]*?<\/style>/, "")
    .replace(/<\/(tr|p|h1|h2|li|table|summary)>/g, "\n")
    .replace(/<\/t[hd]>/g, " | ")
    .replace(/<[^>]+>/g, "")
    .replace(/&#(\d+);/g, (_, n: string) => String.fromCharCode(Number(n)));
const count = (haystack: string, needle: string) => haystack.split(needle).length - 1;

function page(file: string, lang: Lang) {
  const report = reportOf(file);
  const html = renderReportHtml({ document: doc, senderName: null, report, entries: [entry], trust: trustView(trust) }, lang);
  return { report, html, text: text(html), verdict: /<p class="verdict (\w+)" id="verdict" data-state="([\w-]+)">/.exec(html)?.slice(1) };
}

const WORDS = {
  en: {
    proof: "Proof of existence",
    receipt: "Received by kyso",
    ownReceipt: "kyso's own receipt of the document",
    untrusted: "does not reach a trusted anchor",
    roots: "Trusted roots",
  },
  vi: {
    proof: "Chứng cứ tồn tại",
    receipt: "Thời điểm kyso nhận văn bản",
    ownReceipt: "thời điểm kyso nhận văn bản",
    untrusted: "không tới được chứng thư gốc tin cậy",
    roots: "Chứng thư gốc tin cậy",
  },
};

describe.each(["en", "vi"] as const)("report pages in %s", (lang) => {
  const w = WORDS[lang];

  it("every page has one proof-of-existence line per signature, the receipt as receipt, and no UTC instant", () => {
    for (const file of [
      "content-replaced-after-signing.pdf",
      "expired-signer.pdf",
      "signed-cades-rsa-sha256.pdf",
      "nd30-personal-then-organization.pdf",
      "revocation-checked-good.pdf",
    ]) {
      const p = page(file, lang);
      const signatures = p.report.signatures.length;
      expect(signatures, file).toBeGreaterThan(0);
      expect(count(p.text, `${w.proof} |`), file).toBe(signatures);
      // the document's receipt is a row of its own, stated as the time kyso received it, never as proof
      expect(count(p.text, `${w.receipt} | 26/11/2026 10:00:00 |`), file).toBe(1);
      // the judged-at finding repeated the proof line under "details": said once now
      expect(p.text, file).not.toMatch(/judged at \d|thẩm định tại thời điểm \d/);
      expect(p.text, file).not.toMatch(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/);
      expect(p.text, file).toMatch(/26\/11\/2026 10:00:01/);
    }
    // with no time-stamp, what proves existence is kyso's receipt: named on the signature's line only
    const p = page("expired-signer.pdf", lang);
    expect(count(p.text.toLowerCase(), w.ownReceipt.toLowerCase())).toBe(lang === "en" ? 1 : 2);
  });

  it("a signature invalid because the content changed after signing says so once, without 'no later revision' or a malformed signature", () => {
    const p = page("content-replaced-after-signing.pdf", lang);
    expect(p.report.signatures[0]).toMatchObject({ indication: "TOTAL_FAILED", subIndication: "FORMAT_FAILURE", modifications: { level: "other" } });
    expect(p.verdict).toEqual(["bad", "invalid"]);
    const changed = lang === "en" ? "the content was changed after signing (in a later revision)" : "nội dung đã bị thay đổi sau khi ký (ở một phiên bản sau)";
    expect(p.text).toContain(lang === "en" ? `Verdict: The signature is invalid: ${changed}` : `Kết luận: Chữ ký số không hợp lệ: ${changed}`);
    expect(p.text).not.toMatch(/no revision after the signed one|không có phiên bản nào sau phiên bản đã ký/);
    expect(p.text).not.toMatch(/malformed|không đúng định dạng/);
    expect(p.text).not.toMatch(/Changes after signing \| none|Thay đổi sau khi ký \| không \|/);
  });

  it("an expired certificate without a proof of existence says expiry, names its anchor and the roots, and never 'not trusted'", () => {
    const p = page("expired-signer.pdf", lang);
    const anchor = p.report.signatures[0]!.chain.anchor!;
    expect(p.report.signatures[0]).toMatchObject({ indication: "INDETERMINATE", subIndication: "OUT_OF_BOUNDS_NO_POE", chain: { trusted: false } });
    expect(p.verdict).toEqual(["warn", "indeterminate"]);
    const verdictLine = p.text.split("\n").find((l) => l.startsWith(lang === "en" ? "Verdict:" : "Kết luận:"))!;
    expect(verdictLine).toMatch(
      lang === "en" ? /the certificate has expired and no time-stamp proves the signature came before/ : /chứng thư đã hết hạn và không có dấu thời gian/,
    );
    expect(verdictLine).not.toMatch(/trust|tin cậy/);
    expect(p.text).not.toContain(w.untrusted);
    expect(p.text).not.toMatch(/no certificate path to a trusted authority|không tìm thấy chuỗi chứng thư tới tổ chức tin cậy/);
    // the anchor the path reached is one of the roots the page lists
    expect(p.text).toContain(anchor);
    const roots = p.html.slice(p.html.indexOf('id="trusted-roots"'));
    expect(roots).toContain(`<li>${anchor.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)}</li>`);
    expect(/data-count="(\d+)"/.exec(roots)?.[1]).toBe(String(trust.anchors.length));
  });

  it("a valid signature whose revocation could not be checked is a warning, neither green nor red, in words and style", () => {
    const p = page("signed-cades-rsa-sha256.pdf", lang);
    expect(p.report.verdict).toBe("signed-valid");
    expect(p.report.signatures[0]!.revocation.status).toBe("unknown");
    expect(p.verdict).toEqual(["warn", "valid-revocation-unchecked"]);
    expect(p.text).toContain(
      lang === "en"
        ? "Verdict: Validly signed, but whether the certificate was revoked could not be checked"
        : "Kết luận: Văn bản có chữ ký số hợp lệ, nhưng chưa kiểm tra được chứng thư số có bị thu hồi hay không",
    );
    expect(p.html).toMatch(/<span class="warn" data-state="valid-revocation-unchecked">/);
    expect(p.text).toContain(
      lang === "en"
        ? "The policy in force (soft-fail) lets such a signature count without revocation data"
        : "Chính sách hiện hành (soft-fail) cho phép chữ ký này được tính khi không có dữ liệu thu hồi",
    );
    expect(p.html).not.toMatch(/class="ok"/);
    expect(p.text).toContain(
      lang === "en" ? "Revocation | not checked (no revocation data) |" : "Tình trạng thu hồi chứng thư | chưa kiểm tra được (không có dữ liệu thu hồi) |",
    );
    // said in the verdict, the revocation row and the result: not again among the details
    expect(p.text).not.toMatch(/no revocation data could be checked|không kiểm tra được tình trạng thu hồi của đường dẫn/);
    // the style sets the warning apart from both other states
    expect(p.html).toMatch(/\.verdict\.warn \{ border-left: [^}]*#b26a00/);

    const checked = page("revocation-checked-good.pdf", lang);
    expect(checked.verdict).toEqual(["ok", "valid"]);
    expect(checked.text).toContain(
      lang === "en"
        ? "Revocation | not revoked (by the revocation data the file carries) |"
        : "Tình trạng thu hồi chứng thư | không bị thu hồi (theo dữ liệu thu hồi kèm trong tệp) |",
    );
  });

  it("with revocation checking off, the warning says it was not checked, not that it could not be", () => {
    const report = analyze(readFileSync(join(FIXTURES, "signed-cades-rsa-sha256.pdf")), { now: AT, trust, revocation: "off" });
    const html = renderReportHtml({ document: doc, senderName: null, report, entries: [], trust: trustView(trust) }, lang);
    const t = text(html);
    expect(html).toContain('data-state="valid-revocation-unchecked"');
    expect(t).toContain(
      lang === "en"
        ? "Verdict: Validly signed, but whether the certificate was revoked was not checked (revocation checking is off)"
        : "Kết luận: Văn bản có chữ ký số hợp lệ, nhưng không kiểm tra chứng thư số có bị thu hồi hay không (chính sách tắt kiểm tra thu hồi)",
    );
    expect(t).toContain(
      lang === "en"
        ? "Revocation | not checked (revocation checking is off) |"
        : "Tình trạng thu hồi chứng thư | không kiểm tra (chính sách tắt kiểm tra thu hồi) |",
    );
    expect(t).not.toMatch(/soft-fail|could not be checked|chưa kiểm tra được/);
  });

  it("a paper document says it is paper once, with its receipt in Vietnam's time", () => {
    const html = renderNoReportHtml({ ...doc, channel: "paper", sha256: null, status: "paper", category: "paper" } as DocumentRow, null, lang);
    const t = text(html);
    expect(count(t, lang === "en" ? "A paper exchange" : "Văn bản giấy:")).toBe(1);
    expect(t).not.toMatch(/signature is|chữ ký số hợp lệ|Proof of existence|Chứng cứ tồn tại/);
    expect(t).not.toMatch(/\d{4}-\d{2}-\d{2}T/);
    expect(t).toContain("06/05/2024 08:02:03");
    expect(t).toContain(lang === "en" ? "Times are Vietnam time (UTC+7)." : "Thời gian theo giờ Việt Nam (UTC+7).");
  });

  it("gives every instant in Vietnam's time on every fixture's page", () => {
    const files = readdirSync(FIXTURES).filter((f) => f.endsWith(".pdf"));
    expect(files.length).toBeGreaterThan(50);
    for (const file of files) {
      const t = page(file, lang).text;
      expect(t, file).not.toMatch(/\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}/);
      expect(t, file).toMatch(/\d{2}\/\d{2}\/\d{4} \d{2}:\d{2}:\d{2}/);
    }
  }, 60_000);

  it("a report made under another trust store says so instead of naming roots it did not use", () => {
    const report = reportOf("signed-cades-rsa-sha256.pdf");
    const other = trustView(loadTrustStore([]));
    expect(other.id).not.toBe(report.engine.trustStore);
    const html = renderReportHtml({ document: doc, senderName: null, report, entries: [], trust: other }, lang);
    expect(html).toContain('id="trust-other"');
    expect(html).not.toContain('id="trusted-roots"');
    expect(text(html)).toContain(`${report.engine.trustStore.slice(0, 12)}…`);
    for (const root of other.anchors) expect(html).not.toContain(`<li>${root}</li>`);
  });
});
