// The auditors' page in headless Chromium: an auditor key lists the documents the API lists, shows a
// document's report page in a sandboxed frame, saves the evidence archive and the report byte for byte as
// the API serves them, re-checks the log and saves its export (which verifies offline). A viewer key is
// refused with a clear message. The page holds no data and runs under a strict CSP.
import { readFileSync } from "node:fs";
import { unzipSync } from "fflate";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verifyExport } from "../../src/store/audit.js";
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
    const all = (await (await s.as("auditor", "/api/v1/documents?limit=500")).json()) as { documents: Array<{ id: string; subject: string | null; number: string | null; recipients?: string[]; verdict: string | null }> };
    const withSubject = all.documents.find((d) => d.subject && d.subject.split(" ").length > 2)!;
    const word = withSubject.subject!.split(" ")[2]!;
    const upper = word.toLocaleUpperCase("vi");
    const hits = (await (await s.as("auditor", `/api/v1/documents?limit=500&q=${encodeURIComponent(upper)}`)).json()) as { documents: Array<{ id: string; subject: string | null; number: string | null }> };
    expect(hits.documents.map((d) => d.id)).toContain(withSubject.id);
    for (const d of hits.documents) expect(`${d.number} ${d.subject}`.toLocaleLowerCase("vi")).toContain(word.toLocaleLowerCase("vi"));
    // LIKE's wildcards are searched for as themselves
    expect(((await (await s.as("auditor", "/api/v1/documents?q=%25")).json()) as { documents: unknown[] }).documents).toEqual([]);
    const one = await (await s.as("auditor", `/api/v1/documents/${withSubject.id}`)).json() as { recipients: string[] };
    const byRecipient = (await (await s.as("auditor", `/api/v1/documents?limit=500&recipient=${one.recipients[0]}`)).json()) as { documents: Array<{ id: string }> };
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
    // sorted by number with the keyboard, then the other way
    await page.focus("#sortNumber");
    await page.keyboard.press("Enter");
    const numbers = () => page.$$eval("#rows tr", (trs) => trs.map((tr) => tr.children[1]!.textContent!));
    const asc = await numbers();
    expect(asc).toEqual([...asc].sort((a, b) => a.localeCompare(b, "vi", { numeric: true })));
    expect(await page.$eval("#sortNumber", (b) => b.parentElement!.getAttribute("aria-sort"))).toBe("ascending");
    await page.keyboard.press("Enter");
    expect(await numbers()).toEqual([...asc].reverse());
    expect(errors).toEqual([]);
  }, 60_000);
});

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
    const api = (await (await s.as("auditor", "/api/v1/documents?from=2024-01-01&to=2024-12-31&category=signed-valid&limit=50")).json()) as { documents: Array<{ id: string; sender: string }> };
    expect(api.documents.length).toBeGreaterThan(0);
    await page.waitForFunction((n) => document.querySelectorAll("#rows tr").length === n, api.documents.length);
    const rows = await page.$$eval("#rows tr", (trs) => trs.map((tr) => [(tr as HTMLElement).dataset.id, tr.children[3]!.textContent, tr.children[4]!.textContent]));
    const names = new Map(((await (await s.as("auditor", "/api/v1/agencies")).json()) as { agencies: Array<{ code: string; name: string }> }).agencies.map((a) => [a.code, a.name]));
    // the sender by name, with its code
    expect(rows).toEqual(api.documents.map((d) => [d.id, `${names.get(d.sender)} (${d.sender})`, "validly signed"]));

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

  it("checks the log's chain as it opens, again on request, and saves an export that verifies offline", async () => {
    const { page, errors } = await open();
    await enter(page, s.keys.auditor);
    await page.waitForSelector("#main:not([hidden])");
    // the result is on screen without asking
    await page.waitForFunction(() => (document.getElementById("verifyResult")?.textContent ?? "") !== "");
    const head = (await (await s.as("auditor", "/api/v1/audit/verify?full=true")).json()) as { entries: number; head: { hash: string }; figures: { documents: number } };
    const intact = `Nguyên vẹn: ${head.entries} mục; mã băm của mục cuối là ${head.head.hash}; số liệu tính lại từ nhật ký khớp (${head.figures.documents} văn bản)`;
    expect(await page.textContent("#verifyResult")).toBe(intact);
    // checked again: the server must now also prove it still holds the head this browser kept
    await page.click("#verify");
    await page.waitForFunction(() => (document.getElementById("verifyResult")?.textContent ?? "") !== "");
    expect(await page.textContent("#verifyResult")).toMatch(new RegExp(`^Nguyên vẹn: ${head.entries} mục; mã băm của mục cuối là ${head.head.hash}; vẫn giữ nguyên mục ${head.entries} như trình duyệt này đã thấy ngày \\d{2}\\/\\d{2}\\/\\d{4}; số liệu`));
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
    const row = db.prepare("SELECT month, sender, category FROM rollup_monthly WHERE n > 0 LIMIT 1").get() as { month: string; sender: string; category: string };
    const bump = (d: number) => db.prepare("UPDATE rollup_monthly SET n_counts = n_counts + ? WHERE month = ? AND sender = ? AND category = ?").run(d, row.month, row.sender, row.category);
    bump(7);
    try {
      await page.click("#verify");
      await page.waitForFunction(() => (document.getElementById("verifyResult")?.textContent ?? "") !== "");
      expect(await page.textContent("#verifyResult")).toMatch(new RegExp(`^The log is intact, but the figures do not follow from it: rollup_monthly \\(${row.month}, ${row.sender.replace(/\./g, "\\.")}, ${row.category}\\): it holds`));
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
    const check = async () => {
      await page.evaluate(() => (document.getElementById("verifyResult")!.textContent = ""));
      await page.click("#verify");
      await page.waitForFunction(() => (document.getElementById("verifyResult")?.textContent ?? "") !== "");
    };
    await check();
    const seen = (await (await s.as("auditor", "/api/v1/audit/verify?full=true")).json()) as { head: { seq: number; hash: string } };
    await check();
    expect(await result()).toMatch(new RegExp(`; it still holds entry ${seen.head.seq} as this browser saw it on \\d{4}-\\d\\d-\\d\\d; the figures replayed from it agree \\(\\d+ documents\\)$`));

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
    await check();
    expect(await result()).toMatch(/^Broken at entry 3: entry 3: its recorded tree root is not the root of the entries up to it/);
    expect(await page.getAttribute("#verifyResult", "class")).toBe("lag");
    expect((await s.as("auditor", `/api/v1/audit/verify?seq=${seen.head.seq}`)).status).toBe(400);
  }, 60_000);
});
