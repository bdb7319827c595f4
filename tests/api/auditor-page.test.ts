// The auditors' page in headless Chromium: an auditor key lists the documents the API lists, from the
// latest year with documents, in the server's order and with its count, filtered by a sender's name, saved
// as CSV and Excel with exactly those rows; a document named by ?document= opens with its evidence button;
// statuses are words; a document's report page shows in a sandboxed frame, the evidence archive and the
// report are saved byte for byte as the API serves them; the log is checked since the server's last
// verified head or in full, the two said apart, and its export verifies offline. A viewer key is refused
// with a clear message. The page holds no data and runs under a strict CSP.
import { readFileSync } from "node:fs";
import { unzipSync } from "fflate";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { matchingAgencies } from "../../src/pages/auditor/agencies.js";
import { verifyExport } from "../../src/store/sqlite/audit.js";
import { rewriteLog } from "../helpers/forge-log.js";
import { enterKey, launchChromium, openPage } from "../helpers/chromium.js";
import { startSampleServer, type SampleServer } from "../helpers/sample-server.js";

let s: SampleServer;
let browser: Browser;

beforeAll(async () => {
  s = await startSampleServer(24, 29);
  browser = await launchChromium();
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await s?.server.close();
});

const open = (lang = "") => openPage(browser, `${s.server.url}/auditor${lang}`);
const enter = enterKey;

async function saved(page: Page, click: () => Promise<void>): Promise<{ name: string; bytes: Buffer }> {
  const [download] = await Promise.all([page.waitForEvent("download"), click()]);
  return { name: download.suggestedFilename(), bytes: readFileSync((await download.path())!) };
}

describe("the documents list", () => {
  it("filters by words of the number or subject (Vietnamese, any case), recipient and verdict, in the API and on the page", async () => {
    const all = (await (await s.as("auditor", "/api/v1/documents?limit=500")).json()) as {
      documents: Array<{ id: string; subject: string | null; number: string | null; recipients?: string[]; verdict: string | null }>;
    };
    const withSubject = all.documents.find((d) => d.subject && d.subject.split(" ").length > 2)!;
    const word = withSubject.subject!.split(" ")[2]!;
    const upper = word.toLocaleUpperCase("vi");
    const hits = (await (await s.as("auditor", `/api/v1/documents?limit=500&q=${encodeURIComponent(upper)}`)).json()) as {
      documents: Array<{ id: string; subject: string | null; number: string | null }>;
    };
    expect(hits.documents.map((d) => d.id)).toContain(withSubject.id);
    for (const d of hits.documents) expect(`${d.number} ${d.subject}`.toLocaleLowerCase("vi")).toContain(word.toLocaleLowerCase("vi"));
    // LIKE's wildcards are searched for as themselves
    expect(((await (await s.as("auditor", "/api/v1/documents?q=%25")).json()) as { documents: unknown[] }).documents).toEqual([]);
    const one = (await (await s.as("auditor", `/api/v1/documents/${withSubject.id}`)).json()) as { recipients: string[] };
    const byRecipient = (await (await s.as("auditor", `/api/v1/documents?limit=500&recipient=${one.recipients[0]}`)).json()) as {
      documents: Array<{ id: string }>;
    };
    expect(byRecipient.documents.map((d) => d.id)).toContain(withSubject.id);
    expect(byRecipient.documents.length).toBeLessThan(all.documents.length);
    const verdict = all.documents.find((d) => d.verdict && d.verdict !== "signed-valid")!.verdict!;
    const byVerdict = (await (await s.as("auditor", `/api/v1/documents?limit=500&verdict=${verdict}`)).json()) as { documents: Array<{ verdict: string }> };
    expect(byVerdict.documents.length).toBeGreaterThan(0);
    expect(byVerdict.documents.length).toBe(all.documents.filter((d) => d.verdict === verdict).length);
    expect(new Set(byVerdict.documents.map((d) => d.verdict))).toEqual(new Set([verdict]));

    const { page, errors } = await open();
    await enter(page, s.keys.auditor);
    await page.waitForSelector("#main:not([hidden])");
    await page.fill("#from", "");
    await page.fill("#q", upper);
    await page.click("#search");
    await page.waitForFunction((n) => document.querySelectorAll("#rows tr").length === n, hits.documents.length);
    // sorted by number with the keyboard: the server's order, then the other way
    const numbers = () => page.$$eval("#rows tr", (trs) => trs.map((tr) => tr.children[1]!.textContent!));
    const inOrder = async (sort: string) =>
      (
        (await (
          await s.as("auditor", `/api/v1/documents?limit=500&q=${encodeURIComponent(upper)}&to=${await page.inputValue("#to")}&sort=${sort}`)
        ).json()) as { documents: Array<{ number: string | null }> }
      ).documents.map((d) => d.number ?? "–");
    await page.focus("#sortNumber");
    const listed = () => page.waitForResponse((r) => r.url().includes("/api/v1/documents?") && r.url().includes("sort=number"));
    await Promise.all([listed(), page.keyboard.press("Enter")]);
    await page.waitForFunction(() => document.getElementById("sortNumber")!.parentElement!.getAttribute("aria-sort") === "ascending");
    expect(await numbers()).toEqual(await inOrder("number"));
    await Promise.all([listed(), page.keyboard.press("Enter")]);
    await page.waitForFunction(() => document.getElementById("sortNumber")!.parentElement!.getAttribute("aria-sort") === "descending");
    expect(await numbers()).toEqual(await inOrder("number-desc"));
    expect(errors).toEqual([]);
  }, 60_000);
});

describe("issue 25's auditors' page", () => {
  type Doc = { id: string; number: string | null; sender: string; sha256: string | null; status: string };
  type Listed = { documents: Doc[]; next: string | null; total: { count: number; exact: boolean } | null };
  const listed = async (query: string) => (await (await s.as("auditor", `/api/v1/documents?${query}`)).json()) as Listed;

  it("opens on the latest year with documents (the sample's 2024), in the server's order, with its count and statuses in Vietnamese", async () => {
    const periods = (await (await s.as("auditor", "/api/v1/stats/periods")).json()) as { latest: string };
    expect(periods.latest.slice(0, 4)).toBe("2024");
    const { page, errors } = await open();
    await enter(page, s.keys.auditor);
    await page.waitForSelector("#main:not([hidden])");
    const api = await listed("from=2024-01-01&to=2024-12-31&sort=received-desc&limit=50");
    expect(api.documents.length).toBeGreaterThan(0);
    await page.waitForFunction((n) => document.querySelectorAll("#rows tr").length === n, api.documents.length);
    expect([await page.inputValue("#from"), await page.inputValue("#to")]).toEqual(["2024-01-01", "2024-12-31"]);
    expect(await page.$$eval("#rows tr", (trs) => trs.map((tr) => (tr as HTMLElement).dataset.id))).toEqual(api.documents.map((d) => d.id));
    expect(await page.$eval("#sortReceived", (b) => b.parentElement!.getAttribute("aria-sort"))).toBe("descending");
    // the count is the API's total, in Vietnamese number form
    expect(await page.textContent("#count")).toBe(`${new Intl.NumberFormat("vi-VN").format(api.total!.count)} văn bản`);
    // statuses in words: the sample has analysed documents and paper ones
    const statuses = await page.$$eval("#rows tr", (trs) => trs.map((tr) => tr.children[5]!.textContent!));
    const words: Record<string, string> = {
      done: "đã kiểm tra",
      paper: "văn bản giấy (không có tệp)",
      queued: "chờ kiểm tra",
      processing: "đang kiểm tra",
      failed: "kiểm tra không thành",
    };
    expect(statuses).toEqual(api.documents.map((d) => words[d.status]));
    expect(new Set(statuses).size).toBeGreaterThan(1);
    expect(statuses.join(" ")).not.toMatch(/\b(done|queued|paper|failed|processing)\b/);
    expect(errors).toEqual([]);
  }, 60_000);

  it("opens ?document= with its report and its evidence button, though the document is not in the list", async () => {
    const doc = (await listed("limit=500")).documents.find((d) => d.sha256)!;
    // a period without documents: the list is empty, the document still opens
    const { page, errors } = await open(`?document=${doc.id}&from=2020-01-01&to=2020-12-31`);
    await enter(page, s.keys.auditor);
    await page.waitForSelector("#viewer:not([hidden])");
    await page.waitForSelector("#empty:not([hidden])");
    expect(await page.$$("#rows tr")).toHaveLength(0);
    expect(await page.isVisible("#viewEvidence")).toBe(true);
    expect(await page.textContent("#viewEvidence")).toBe("Lưu hồ sơ chứng cứ (ZIP)");
    const zip = await saved(page, () => page.click("#viewEvidence"));
    expect(zip.name).toBe(`kyso-evidence-${doc.id}.zip`);
    const got = unzipSync(zip.bytes);
    const ref = unzipSync(Buffer.from(await (await s.as("auditor", `/api/v1/documents/${doc.id}/evidence`)).arrayBuffer()));
    for (const f of ["original.pdf", "report.json"]) expect(Buffer.from(got[f]!).equals(Buffer.from(ref[f]!)), f).toBe(true);
    expect(errors).toEqual([]);
  }, 60_000);

  it("filters by a sender's name, sorts by number on the server across pages, and saves the filtered list as CSV and Excel", async () => {
    const agencies = ((await (await s.as("auditor", "/api/v1/agencies")).json()) as { agencies: Array<{ code: string; name: string }> }).agencies;
    const all = await listed("limit=500&from=2024-01-01&to=2024-12-31");
    // the sender with the most documents, typed by the last two words of its name, in lower case
    const counts = new Map<string, number>();
    for (const d of all.documents) counts.set(d.sender, (counts.get(d.sender) ?? 0) + 1);
    const [busiest] = [...counts].sort((a, b) => b[1] - a[1])[0]!;
    const typed = agencies
      .find((a) => a.code === busiest)!
      .name.split(" ")
      .slice(-2)
      .join(" ")
      .toLocaleLowerCase("vi");
    const codes = matchingAgencies(typed, agencies).map((a) => a.code);
    expect(codes).toContain(busiest);
    const filter = `from=2024-01-01&to=2024-12-31&sender=${codes.join(",")}`;
    const want = await listed(`${filter}&limit=500&sort=number`);
    expect(want.documents.length).toBeGreaterThan(2);
    expect(want.documents.length).toBeLessThan(all.documents.length);

    // pages of two rows: the second page must continue the server's order
    const { page, errors } = await open("?limit=2");
    await enter(page, s.keys.auditor);
    await page.waitForSelector("#main:not([hidden])");
    await page.fill("#agency", typed);
    await page.click("#search");
    await page.waitForFunction((n) => document.getElementById("count")!.textContent === n, `${want.total!.count} văn bản`);
    expect(await page.textContent("#agencyMatch")).toContain(agencies.find((a) => a.code === busiest)!.name);
    await page.click("#sortNumber");
    await page.waitForFunction(() => document.getElementById("sortNumber")!.parentElement!.getAttribute("aria-sort") === "ascending");
    await page.waitForFunction(() => document.querySelectorAll("#rows tr").length === 2);
    await page.click("#more");
    await page.waitForFunction(() => document.querySelectorAll("#rows tr").length === 4);
    const ids = await page.$$eval("#rows tr", (trs) => trs.map((tr) => (tr as HTMLElement).dataset.id));
    expect(ids).toEqual(want.documents.slice(0, 4).map((d) => d.id));
    expect(await page.$$eval("#rows tr", (trs) => trs.map((tr) => tr.children[3]!.textContent!))).toEqual(
      want.documents.slice(0, 4).map((d) => expect.stringContaining(`(${d.sender})`)),
    );

    // the files hold the filtered rows, in the order shown
    const csv = await saved(page, () => page.click("#csv"));
    expect(csv.name).toBe("kyso-documents.csv");
    expect([...csv.bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = csv.bytes.toString("utf8").slice(1).split("\r\n").filter(Boolean);
    expect(lines[0]).toMatch(/^Mã văn bản \(kyso\),/);
    expect(lines.slice(1).map((l) => l.split(",")[0])).toEqual(want.documents.map((d) => d.id));
    const xlsx = await saved(page, () => page.click("#xlsx"));
    expect(xlsx.name).toBe("kyso-documents.xlsx");
    const { default: ExcelJS } = await import("exceljs");
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx.bytes as unknown as ArrayBuffer);
    const rows: unknown[] = [];
    wb.worksheets[0]!.eachRow((row, n) => n > 1 && rows.push(row.getCell(1).value));
    expect(rows).toEqual(want.documents.map((d) => d.id));
    expect(errors).toEqual([]);
  }, 60_000);

  it("says when a name matches no agency instead of listing everything", async () => {
    const { page } = await open("?lang=en");
    await enter(page, s.keys.auditor);
    await page.waitForSelector("#main:not([hidden])");
    await page.fill("#agency", "no such agency anywhere");
    await page.click("#search");
    await page.waitForFunction(() => document.getElementById("agencyMatch")!.textContent !== "");
    expect(await page.textContent("#agencyMatch")).toBe("No agency in the directory has that name or code.");
    expect(await page.$$("#rows tr")).toHaveLength(0);
    expect(await page.textContent("#count")).toBe("0 documents");
  }, 60_000);
});

/** GET /api/v1/audit/verify's answer, as these tests read it. */
interface Answer {
  mode: string;
  since: number | null;
  entries: number;
  head: { seq: number; hash: string };
  fullCheck: { at: string; ok: boolean } | null;
  figures: { documents: number };
}

describe("GET /auditor", () => {
  it("lists documents, shows a report, and saves the evidence and the report as the API serves them", async () => {
    const { page, errors } = await open("?lang=en");
    expect(await page.textContent("h1")).toBe("Verification evidence");
    await enter(page, s.keys.auditor);
    await page.waitForSelector("#main:not([hidden])");
    await page.fill("#from", "2024-01-01");
    await page.fill("#to", "2024-12-31");
    await page.selectOption("#category", "signed-valid");
    await page.click("#search");
    const api = (await (await s.as("auditor", "/api/v1/documents?from=2024-01-01&to=2024-12-31&category=signed-valid&limit=50&sort=received-desc")).json()) as {
      documents: Array<{ id: string; sender: string; status: string }>;
    };
    expect(api.documents.length).toBeGreaterThan(0);
    await page.waitForFunction((n) => document.querySelectorAll("#rows tr").length === n, api.documents.length);
    const rows = await page.$$eval("#rows tr", (trs) =>
      trs.map((tr) => [(tr as HTMLElement).dataset.id, tr.children[3]!.textContent, tr.children[4]!.textContent, tr.children[5]!.textContent]),
    );
    const names = new Map(
      ((await (await s.as("auditor", "/api/v1/agencies")).json()) as { agencies: Array<{ code: string; name: string }> }).agencies.map((a) => [a.code, a.name]),
    );
    // the sender by name, with its code; the status in words (analysed documents: "analysed", never "done")
    expect(api.documents.every((d) => d.status === "done")).toBe(true);
    expect(rows).toEqual(api.documents.map((d) => [d.id, `${names.get(d.sender)} (${d.sender})`, "validly signed", "analysed"]));

    const id = api.documents[0]!.id;
    await page.click(`#rows tr[data-id="${id}"] button.report`);
    await page.waitForSelector("#viewer:not([hidden])");
    const want = await (await s.as("auditor", `/api/v1/documents/${id}/report.html?lang=en`)).text();
    expect(await page.$eval("#view", (f) => (f as HTMLIFrameElement).srcdoc)).toBe(want);
    expect(await page.$eval("#view", (f) => f.getAttribute("sandbox"))).toBe("");
    const frame = page.frames().find((f) => f !== page.mainFrame())!;
    expect(await frame.textContent("body")).toMatch(/revision \d+ of \d+/);

    const report = await saved(page, () => page.click("#saveReport"));
    expect([report.name, report.bytes.toString("utf8")]).toEqual([`kyso-report-${id}.html`, want]);
    const zip = await saved(page, () => page.click(`#rows tr[data-id="${id}"] button.evidence`));
    const wantZip = Buffer.from(await (await s.as("auditor", `/api/v1/documents/${id}/evidence`)).arrayBuffer());
    expect(zip.name).toBe(`kyso-evidence-${id}.zip`);
    // the archive is made at each request (its log part grows): the same files, the same PDF and report
    const got = unzipSync(zip.bytes);
    const ref = unzipSync(wantZip);
    expect(Object.keys(got).sort()).toEqual(Object.keys(ref).sort());
    for (const f of ["original.pdf", "report.json"]) expect(Buffer.from(got[f]!).equals(Buffer.from(ref[f]!)), f).toBe(true);
    expect(errors).toEqual([]);
  }, 60_000);

  it("checks the log as it opens, since the server's last verified head on request, in full with the other button, the two said apart, and saves an export that verifies offline", async () => {
    const { page, errors } = await open();
    const answered = () => page.waitForResponse((r) => new URL(r.url()).pathname === "/api/v1/audit/verify");
    const opening = answered();
    await enter(page, s.keys.auditor);
    await page.waitForSelector("#main:not([hidden])");
    // the result is on screen without asking, and it is not the full check's unless the server had none
    expect(new URL((await opening).url()).searchParams.get("full")).toBeNull();
    await page.waitForFunction(() => (document.getElementById("verifyResult")?.textContent ?? "") !== "");
    const verified = async (click: string) => {
      await page.evaluate(() => (document.getElementById("verifyResult")!.textContent = ""));
      const [r] = await Promise.all([answered(), page.click(click)]);
      await page.waitForSelector("#verifyResult[data-mode]");
      return { url: new URL(r.url()), body: (await r.json()) as Answer, text: (await page.textContent("#verifyResult"))! };
    };
    // the default check: since the head the server verified, its new entries and the last full check
    const since = await verified("#verify");
    expect(since.url.searchParams.get("full")).toBeNull();
    expect(since.body.mode).toBe("since");
    expect(since.body.fullCheck).not.toBeNull();
    const at = new Intl.DateTimeFormat("en-GB", {
      timeZone: "Asia/Ho_Chi_Minh",
      day: "2-digit",
      month: "2-digit",
      year: "numeric",
      hour: "2-digit",
      minute: "2-digit",
      hour12: false,
    })
      .format(new Date(since.body.fullCheck!.at))
      .replace(",", "");
    expect(since.text).toMatch(
      new RegExp(
        `^Nguyên vẹn: kiểm tra từ mục ${since.body.since}: ${since.body.entries} mục mới; mã băm của mục cuối là ${since.body.head.hash}; vẫn giữ nguyên mục \\d+ như trình duyệt này đã thấy ngày \\d{2}/\\d{2}/\\d{4}; số liệu tính lại từ nhật ký khớp \\(${since.body.figures.documents} văn bản\\); lần kiểm tra toàn bộ gần nhất: ${at.replace(/\//g, "\\/")}, nguyên vẹn$`,
      ),
    );
    expect(await page.getAttribute("#verifyResult", "data-mode")).toBe("since");
    // the full check, said as full: every entry of the log; started with a POST and followed, not one
    // request held open while it runs, the bar hidden once it has answered
    await page.evaluate(() => (document.getElementById("verifyResult")!.textContent = ""));
    const [started] = await Promise.all([
      page.waitForResponse((r) => new URL(r.url()).pathname === "/api/v1/audit/verify/full" && r.request().method() === "POST"),
      page.click("#verifyFull"),
    ]);
    expect(started.status()).toBe(202);
    await page.waitForSelector("#verifyResult[data-mode]");
    const full = {
      body: ((await (await s.as("auditor", "/api/v1/audit/verify/full")).json()) as { result: Answer }).result,
      text: (await page.textContent("#verifyResult"))!,
    };
    expect(await page.isHidden("#verifyProgress")).toBe(true);
    expect(full.body.mode).toBe("full");
    expect(full.body.entries).toBe(full.body.head.seq);
    expect(full.text).toMatch(
      new RegExp(
        `^Kiểm tra toàn bộ: nguyên vẹn, ${full.body.entries} mục; mã băm của mục cuối là ${full.body.head.hash}; vẫn giữ nguyên mục \\d+ như trình duyệt này đã thấy ngày \\d{2}/\\d{2}/\\d{4}; số liệu tính lại từ nhật ký khớp \\(${full.body.figures.documents} văn bản\\)$`,
      ),
    );
    expect(full.text).not.toMatch(/kiểm tra toàn bộ gần nhất/);
    expect(await page.getAttribute("#verifyResult", "data-mode")).toBe("full");
    const exp = await saved(page, () => page.click("#exportLog"));
    expect(exp.name).toBe("kyso-audit.jsonl");
    expect(verifyExport(exp.bytes.toString("utf8")).ok).toBe(true);
    expect(errors).toEqual([]);
  }, 60_000);

  it("refuses a viewer key, saying which role it needs, and holds no data itself", async () => {
    const { page } = await open("?lang=en");
    await enter(page, s.keys.viewer);
    await page.waitForSelector("#error:not([hidden])");
    expect(await page.textContent("#error")).toBe("This key's role cannot see verification evidence (it needs auditor or admin).");
    expect(await page.isVisible("#keyForm")).toBe(true);
    expect(await page.isVisible("#main")).toBe(false);
    const html = await (await fetch(`${s.server.url}/auditor`)).text();
    expect(html).not.toMatch(/H53\.\d/);
  }, 60_000);

  it("says when the log is intact but the figures do not follow from it, naming the row", async () => {
    const { page } = await open("?lang=en");
    await enter(page, s.keys.auditor);
    await page.waitForSelector("#main:not([hidden])");
    const db = s.server.db;
    const row = db.prepare("SELECT month, sender, category FROM rollup_monthly WHERE n > 0 LIMIT 1").get() as {
      month: string;
      sender: string;
      category: string;
    };
    const bump = (d: number) =>
      db
        .prepare("UPDATE rollup_monthly SET n_counts = n_counts + ? WHERE month = ? AND sender = ? AND category = ?")
        .run(d, row.month, row.sender, row.category);
    bump(7);
    try {
      await page.click("#verifyFull");
      await page.waitForSelector("#verifyResult[data-mode]");
      expect(await page.textContent("#verifyResult")).toMatch(
        new RegExp(
          `^Full check: the log is intact, but the figures do not follow from it: rollup_monthly \\(${row.month}, ${row.sender.replace(/\./g, "\\.")}, ${row.category}\\): it holds`,
        ),
      );
      expect(await page.getAttribute("#verifyResult", "class")).toBe("lag");
    } finally {
      bump(-7);
    }
  }, 60_000);

  it("catches a log rewritten whole with every hash recomputed, against the head this browser saw", async () => {
    const { page } = await open("?lang=en");
    await enter(page, s.keys.auditor);
    await page.waitForSelector("#main:not([hidden])");
    const result = () => page.textContent("#verifyResult");
    const check = async (button = "#verifyFull") => {
      await page.evaluate(() => (document.getElementById("verifyResult")!.textContent = ""));
      await page.click(button);
      await page.waitForSelector("#verifyResult[data-mode]");
    };
    await check();
    const seen = (await (await s.as("auditor", "/api/v1/audit/verify?full=true")).json()) as { head: { seq: number; hash: string } };
    await check();
    expect(await result()).toMatch(
      new RegExp(
        `; it still holds entry ${seen.head.seq} as this browser saw it on \\d{4}-\\d\\d-\\d\\d; the figures replayed from it agree \\(\\d+ documents\\)$`,
      ),
    );

    rewriteLog(s.server.db, 3, (d) => ({ ...d, forged: true }));
    // the chain alone cannot tell; the signed tree heads can, without the instance key no head verifies
    // from the head the server verified before, the rewrite breaks the log's consistency with it; the full
    // check names the entry
    expect((await s.as("auditor", "/api/v1/audit/verify")).status).toBe(409);
    const alone = await s.as("auditor", "/api/v1/audit/verify?full=true");
    expect(alone.status).toBe(409);
    expect(((await alone.json()) as { broken: { seq: number } }).broken.seq).toBe(3);
    const against = await s.as("auditor", `/api/v1/audit/verify?seq=${seen.head.seq}&hash=${seen.head.hash}`);
    expect(against.status).toBe(409);
    // after a failed check the server checks in full even when asked the default check, and the page says so
    await check("#verify");
    expect(await result()).toMatch(/^Full check: broken at entry 3: /);
    await check();
    expect(await result()).toMatch(/^Full check: broken at entry 3: entry 3: its recorded tree root is not the root of the entries up to it/);
    expect(await page.getAttribute("#verifyResult", "class")).toBe("lag");
    expect((await s.as("auditor", `/api/v1/audit/verify?seq=${seen.head.seq}`)).status).toBe(400);
  }, 60_000);
});
