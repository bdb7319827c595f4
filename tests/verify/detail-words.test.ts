// The Vietnamese report is Vietnamese throughout: every phrase a change rule or the path validator writes
// has its Vietnamese (read from the sources, so a new rule without one fails here), and the report page of
// every fixture and corpus file, rendered in Vietnamese, has no English sentence left outside names,
// hashes and the reader's technical details, and no instant left in ISO form (the page is in Vietnam time).
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { analyze } from "../../src/analyze.js";
import { renderReportHtml } from "../../src/api/report-html.js";
import { loadTrustStore } from "../../src/config.js";
import type { DocumentRow } from "../../src/store/sqlite/documents.js";
import { changeDetailVi, detailVi } from "../../src/verify/detail-words.js";
import { translate } from "../../src/verify/messages.js";
import { AT, CORPUS, CORPUS_MISSING, FIXTURES, hasCorpus, ROOT } from "../helpers/paths.js";

/** Words that only an English sentence would hold (a DN or a PDF name has none of them as a word). */
const ENGLISH =
  /\b(the|is|was|not|and|of|by|with|signature|signed|field|page|object|added|changed|removed|updated|appearance|catalog|annotations?|valid|certificate|revisions?)\b/;

/** Each `what:` literal of a source, its `${…}` parameters filled with a sample value. */
function whats(file: string): string[] {
  const src = readFileSync(join(ROOT, file), "utf8");
  const out: string[] = [];
  for (const m of src.matchAll(/what: (?:"([^"]+)"|`([^`]+)`)/g)) {
    const text = (m[1] ?? m[2]!).replace(/\$\{[^}]*\}/g, (p) =>
      /bad|keys|foreign/.test(p)
        ? "/Annots, /Tabs"
        : /page|num|trailingBytes/.test(p)
          ? "3"
          : /kind/.test(p)
            ? "dss"
            : /key/.test(p)
              ? "Encrypt"
              : /what/.test(p)
                ? "AcroForm field list"
                : "Ý kiến",
    );
    out.push(text);
  }
  return out;
}

describe("change and certificate details in Vietnamese", () => {
  it("has Vietnamese for every phrase the change rules and the diff write", () => {
    const all = [...whats("src/pdf/change-rules.ts"), ...whats("src/pdf/diff.ts"), "content object added", "content object changed"];
    expect(all.length).toBeGreaterThan(35);
    for (const w of all) {
      const vi = changeDetailVi(`other: object 7: ${w}`);
      expect(vi.startsWith("thay đổi khác: đối tượng 7: "), w).toBe(true);
      expect(vi, w).not.toMatch(ENGLISH);
    }
  });

  it("keeps each part of a joined detail, and the names and numbers in it", () => {
    expect(changeDetailVi("form-fill: object 12: signature appearance; form default resources updated")).toBe(
      "điền biểu mẫu: đối tượng 12: hình hiển thị chữ ký; tài nguyên mặc định của biểu mẫu được cập nhật",
    );
    expect(changeDetailVi("other: object 4: page 1 changed (/Annots, /Tabs)")).toBe("thay đổi khác: đối tượng 4: trang 1 thay đổi (/Annots, /Tabs)");
    expect(changeDetailVi("other: object 9 rewritten")).toBe("thay đổi khác: đối tượng 9 được ghi lại");
    expect(changeDetailVi("other: the locked field 'Ý kiến' was changed")).toBe("thay đổi khác: trường 'Ý kiến' đã bị khóa nhưng bị thay đổi");
    // a phrase nobody wrote a translation for stays as it is rather than being guessed
    expect(changeDetailVi("other: object 2: something new")).toBe("thay đổi khác: đối tượng 2: something new");
    expect(detailVi("CN=Somebody")).toBeNull();
  });

  it("has Vietnamese for every problem the PDF reader reports (its PdfError messages, read from the sources)", () => {
    const messages: string[] = [];
    for (const f of readdirSync(join(ROOT, "src/pdf"))) {
      const src = readFileSync(join(ROOT, "src/pdf", f), "utf8");
      for (const m of src.matchAll(/new PdfError\("[A-Z]+", (?:"([^"]+)"|`([^`]+)`)/g))
        messages.push(
          (m[1] ?? m[2]!).replace(/\$\{[^}]*\}/g, (p) =>
            /kw/.test(p)
              ? "endobj"
              : /tok|latin1/.test(p)
                ? "xyz"
                : /toString\(16\)/.test(p)
                  ? "ff"
                  : /name/.test(p)
                    ? "LZWDecode"
                    : /message/.test(p)
                      ? "incorrect header check"
                      : "9",
          ),
        );
    }
    expect(messages.length).toBeGreaterThan(40);
    for (const msg of messages) {
      const vi = detailVi(`object 7: ${msg} (byte 120)`);
      expect(vi, msg).not.toBeNull();
      expect(vi!.startsWith("không đọc được đối tượng 7: ") && vi!.endsWith(" (byte 120)"), vi!).toBe(true);
      // the zlib's own words stay, marked as a technical detail
      expect(vi!.replace(/chi tiết kỹ thuật: [^)]*/, ""), msg).not.toMatch(ENGLISH);
    }
    expect(translate("reader: xref chain unreadable (malformed xref entry); objects found by scanning", "vi")).toBe(
      "bộ đọc: không đọc được chuỗi bảng tham chiếu chéo (một mục của bảng xref sai định dạng); các đối tượng được tìm bằng cách quét tệp",
    );
  });

  it("translates the path validator's details, and a message passed whole as a parameter", () => {
    const src = readFileSync(join(ROOT, "src/pki/validate.ts"), "utf8");
    const details = [...src.matchAll(/add\("[\w-]+", [\w.]+, (?:"([^"]+)"|`([^`]+)`)\)/g)].map((m) => (m[1] ?? m[2]!).replace(/\$\{[^}]*\}/g, "1024"));
    details.push(...[...readFileSync(join(ROOT, "src/cms/timestamp.ts"), "utf8").matchAll(/problems\.push\("([^"]+)"\)/g)].map((m) => m[1]!));
    expect(details.length).toBeGreaterThan(13);
    for (const d of details) expect(detailVi(d), d).not.toBeNull();
    const nested = translate(
      "the time-stamp authority is not trusted, so the time-stamp proves nothing: no certificate path to a trusted anchor was found (the last issuer found is CN=Root, C=FR)",
      "vi",
    );
    expect(nested).toBe(
      "đơn vị cấp dấu thời gian không được tin cậy nên dấu thời gian không chứng minh được gì: không tìm thấy đường dẫn chứng thư tới chứng thư gốc tin cậy (bên cấp cuối cùng tìm được: CN=Root, C=FR)",
    );
  });
});

const DOC: DocumentRow = {
  id: "d1",
  sha256: "00",
  bytes: 1,
  sender: "H53.01",
  number: "12/QĐ-UBND",
  issued_date: "2024-01-01",
  type: null,
  subject: "Về việc thử",
  classification: "none",
  urgency: null,
  received_at: "2024-01-02T01:00:00Z",
  channel: "electronic",
  status: "done",
  attempts: 1,
  failure: null,
  between_admin: 1,
  verdict: null,
  content_kind: null,
  nd30_complete: 0,
  category: "unsigned",
  counts: 1,
  period_date: "2024-01-01",
  created_at: "2024-01-02",
  agency: "H53.01",
  source: "upload",
  exchange_id: null,
  file_kind: "pdf",
  file_name: "a.pdf",
} as DocumentRow;

/** The lines of a Vietnamese page that read as English: text outside code, with English words and no Vietnamese letter. */
function englishLines(html: string): string[] {
  const text = html
    .replace(/<style[\s\S]*?<\/style>/g, "")
    .replace(/<code>[\s\S]*?<\/code>/g, " ")
    .replace(/<[^>]+>/g, "\n")
    .replace(/&#(\d+);/g, (_, n: string) => String.fromCharCode(Number(n)));
  return (
    text
      .split("\n")
      .map((l) => l.trim())
      // distinguished names and names of things are data, not sentences
      .map((l) => l.replace(/\b(?:CN|OU|O|C|L|E|SN|GN|title|serialNumber|organizationIdentifier)=[^,()]*/g, ""))
      // English sentences, the modification levels' English names, and instants left in ISO form (UTC)
      .filter(
        (l) => (ENGLISH.test(l) && !/[^\x00-\x7f]/.test(l)) || /\b(?:signatures|form-fill|annotations)\b/.test(l) || /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(l),
      )
  );
}

async function pagesOf(files: string[]): Promise<Map<string, string[]>> {
  const trust = loadTrustStore([join(ROOT, "fixtures", "trust"), join(CORPUS, "..", "trust", "vn")].filter((d) => existsSync(d)));
  const found = new Map<string, string[]>();
  for (const f of files) {
    const report = await analyze(new Uint8Array(readFileSync(f)), { now: AT, trust });
    const lines = englishLines(renderReportHtml({ document: { ...DOC, verdict: report.verdict }, senderName: "Văn phòng", report, entries: [] }, "vi"));
    if (lines.length) found.set(f, lines);
  }
  return found;
}

describe("the Vietnamese report page", () => {
  it("has no English sentence on any fixture's page", async () => {
    const files = readdirSync(FIXTURES)
      .filter((f) => f.endsWith(".pdf"))
      .map((f) => join(FIXTURES, f));
    expect(files.length).toBeGreaterThan(50);
    expect([...(await pagesOf(files))]).toEqual([]);
  }, 120_000);

  it.skipIf(!hasCorpus)(
    "has no English sentence on any corpus file's page",
    async () => {
      const files: string[] = [];
      const walk = (d: string) => {
        for (const e of readdirSync(d, { withFileTypes: true }))
          e.isDirectory() ? walk(join(d, e.name)) : e.name.endsWith(".pdf") && files.push(join(d, e.name));
      };
      walk(CORPUS);
      expect(files.length).toBeGreaterThan(50);
      expect([...(await pagesOf(files))]).toEqual([]);
    },
    300_000,
  );
  it.skipIf(hasCorpus)(CORPUS_MISSING, () => {});
});
