// The Vietnamese report is Vietnamese throughout, from keys: every table of words (the findings', what
// changed after signing, the reader's problems, the certificate path's details, the CMS notes) has both
// languages; the English a report carries is its keys' English; the report page of every fixture and
// corpus file, rendered in Vietnamese, has no English sentence left outside names, hashes and the reader's
// technical details, and no instant left in ISO form (the page is in Vietnam time); a report stored before
// the keys is shown in its English, as stored.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { analyze } from "../../src/analyze.js";
import { renderReportHtml } from "../../src/api/report-html.js";
import { loadTrustStore } from "../../src/config.js";
import type { DocumentRow } from "../../src/store/sqlite/documents.js";
import { detailText, WORD_TABLES, WORDS } from "../../src/verify/detail-words.js";
import { englishParams } from "../../src/verify/findings.js";
import { say, type MessageKey } from "../../src/verify/messages.js";
import type { DocumentReport, ReportFinding, SignatureReport } from "../../src/verify/report.js";
import type { Phrase } from "../../src/words/phrase.js";
import { AT, CORPUS, CORPUS_MISSING, FIXTURES, hasCorpus, ROOT } from "../helpers/paths.js";

/** Words that only an English sentence would hold (a DN or a PDF name has none of them as a word). */
const ENGLISH =
  /\b(the|is|was|not|and|of|by|with|signature|signed|field|page|object|added|changed|removed|updated|appearance|catalog|annotations?|valid|certificate|revisions?)\b/;

const placeholders = (s: string): string[] => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!).sort();

describe("the tables of words", () => {
  const entries = Object.entries(WORD_TABLES).flatMap(([table, words]) => Object.entries(words).map(([key, w]) => ({ table, key, w })));

  it.each(entries.map((e) => [`${e.table}: ${e.key}`, e] as const))("%s has both languages with the same placeholders", (_name, { w }) => {
    expect(w.en.trim()).not.toBe("");
    expect(w.vi.trim()).not.toBe("");
    expect(placeholders(w.vi)).toEqual(placeholders(w.en));
  });

  it("hold each key in one table only", () => {
    const seen = new Map<string, string>();
    const twice = entries.filter((e) => seen.has(e.key) || !seen.set(e.key, e.table));
    expect(twice.map((e) => `${e.key} (${seen.get(e.key)}, ${e.table})`)).toEqual([]);
  });

  // a text passed through as it is (a sentence of the content reader's) or made of parameters only
  const PASSED = new Set(["reader.text", "reader.at", "reader.atByte", "change.levelled"]);

  it("say each detail in Vietnamese without an English word, names and numbers kept as they are", () => {
    const details = entries.filter((e) => e.table !== "messages" && !PASSED.has(e.key));
    expect(details.length).toBeGreaterThan(120);
    for (const { key, w } of details) {
      const params = Object.fromEntries(placeholders(w.en).map((p) => [p, p === "error" ? "" : "/Annots"]));
      const vi = detailText({ key, params }, "vi");
      expect(vi.replace(/chi tiết kỹ thuật: [^)]*/, ""), key).not.toMatch(ENGLISH);
      for (const p of placeholders(w.en)) if (p !== "error") expect(vi, key).toContain("/Annots");
    }
  });

  it("are what the producers say: every PDF reader error is a key, and every key is said somewhere", () => {
    const dir = (d: string) => readdirSync(join(ROOT, "src", d)).map((f) => readFileSync(join(ROOT, "src", d, f), "utf8"));
    const pdf = dir("pdf");
    expect(pdf.flatMap((src) => [...src.matchAll(/new PdfError\("[A-Z_]+", [`"][^`"]*[`"]/g)].map((m) => m[0]))).toEqual([]);
    const sources = [...pdf, ...dir("pki"), ...dir("cms"), ...dir("verify")].join("\n");
    // levels and parts are named from their value (`level.${level}`), proofs from their kind
    const unsaid = entries.filter((e) => !["messages", "proof"].includes(e.table) && !/^(level|part)\./.test(e.key) && !sources.includes(`"${e.key}"`));
    expect(unsaid.map((e) => e.key)).toEqual([]);
  });

  it("render nested phrases and lists from their keys", () => {
    const sig: Phrase = { key: "change.sigAppearance" };
    const change: Phrase = {
      key: "change.levelled",
      params: { level: { key: "level.form-fill" }, what: { key: "change.object", params: { num: 12, what: [sig, { key: "change.formResources" }] } } },
    };
    expect(detailText(change, "en")).toBe("form-fill: object 12: signature appearance; form default resources updated");
    expect(detailText(change, "vi")).toBe("điền biểu mẫu: đối tượng 12: hình hiển thị chữ ký; tài nguyên mặc định của biểu mẫu được cập nhật");
    const reader: Phrase = {
      key: "reader.atByte",
      params: { problem: { key: "reader.xrefUnreadable", params: { problem: { key: "reader.badEntry" } } }, offset: 120 },
    };
    expect(detailText(reader, "vi")).toBe(
      "không đọc được chuỗi bảng tham chiếu chéo (một mục của bảng xref sai định dạng); các đối tượng được tìm bằng cách quét tệp (byte 120)",
    );
    // a key this version does not know shows as the key, not as a guess
    expect(detailText({ key: "change.fromLater" }, "vi")).toBe("change.fromLater");
    expect(Object.keys(WORDS).length).toBe(entries.length);
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

/** Where a report's English is not its keys' English: each finding's message, each change's detail and `what`. */
function drift(r: DocumentReport): string[] {
  const out: string[] = [];
  const findings = (fs: readonly ReportFinding[] | undefined, messages: readonly string[]) => {
    expect(fs?.length ?? 0).toBe(messages.length);
    (fs ?? []).forEach((f, i) => {
      const params = { ...f.params, ...englishParams({ ...(f.phrases ?? {}) }) };
      if (say(f.key as MessageKey, params) !== messages[i]) out.push(`${messages[i]} ≠ ${f.key}`);
    });
  };
  findings(r.findings, r.messages);
  for (const s of r.signatures as SignatureReport[]) {
    findings(s.findings, s.messages);
    expect(s.modifications.phrases?.length ?? 0).toBe(s.modifications.details.length);
    s.modifications.details.forEach((d, i) => d !== detailText(s.modifications.phrases![i]!, "en") && out.push(d));
    for (const c of s.modifications.changes ?? []) if (c.what !== detailText(c.phrase!, "en")) out.push(c.what);
  }
  return out;
}

async function pagesOf(files: string[]): Promise<Map<string, string[]>> {
  const trust = loadTrustStore([join(ROOT, "fixtures", "trust"), join(CORPUS, "..", "trust", "vn")].filter((d) => existsSync(d)));
  const found = new Map<string, string[]>();
  for (const f of files) {
    const report = await analyze(new Uint8Array(readFileSync(f)), { now: AT, trust });
    const lines = [
      ...englishLines(renderReportHtml({ document: { ...DOC, verdict: report.verdict }, senderName: "Văn phòng", report, entries: [] }, "vi")),
      ...drift(report).map((d) => `English not from its key: ${d}`),
    ];
    if (lines.length) found.set(f, lines);
  }
  return found;
}

/** A report as one stored before the keys: the English texts only. */
function storedBefore(r: DocumentReport): DocumentReport {
  const { findings: _f, ...doc } = r;
  return {
    ...doc,
    signatures: r.signatures.map(({ findings: _sf, ...s }) => {
      const { phrases: _p, ...modifications } = s.modifications;
      return { ...s, modifications: { ...modifications, changes: (s.modifications.changes ?? []).map(({ phrase: _c, ...c }) => c) } };
    }),
  };
}

describe("a report stored before the keys", () => {
  it("is shown in its English, as stored, on the Vietnamese page", async () => {
    const trust = loadTrustStore([join(ROOT, "fixtures", "trust")]);
    const report = await analyze(new Uint8Array(readFileSync(join(FIXTURES, "page-added-after-signing.pdf"))), { now: AT, trust });
    const sig = report.signatures.find((s) => s.modifications.details.length)!;
    expect(sig.modifications.phrases?.length).toBeGreaterThan(0);
    const page = (r: DocumentReport) => renderReportHtml({ document: { ...DOC, verdict: r.verdict }, senderName: null, report: r, entries: [] }, "vi");
    const esc = (t: string) => t.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
    const old = page(storedBefore(report));
    for (const d of sig.modifications.details) expect(old).toContain(`<li>${esc(d)}</li>`);
    for (const m of sig.messages.filter((m) => !/^(judged at|no revocation|certificate path ends)/.test(m) && !/\d{4}-\d{2}-\d{2}T/.test(m)))
      expect(old).toContain(esc(m));
    // the same report with its keys reads in Vietnamese
    const now = page(report);
    for (const d of sig.modifications.details) expect(now).not.toContain(`<li>${esc(d)}</li>`);
  });
});

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
