// The leadership dashboard in headless Chromium: without a key it asks for one; a viewer key shows the
// period's figure, the per-agency ranking and the monthly chart exactly as the API gives them; a revoked
// key or one of another role is refused with a clear message; the share of validly signed documents sealed
// by their sender, per province and agency, and the documents another agency or an official alone sealed,
// by whom, equal the API's and the sample's ground truth. The page itself holds no data and runs under a
// strict Content-Security-Policy (a violation would stop its script, and this test with it).
import { readFileSync } from "node:fs";
import type { Browser, Page } from "playwright-core";
import { parseCsv } from "../../src/ingest/csv.js";
import { nextStepText, nextStepVi } from "../../src/api/report-words.js";
import type { NextStep } from "../../src/compliance/next-steps.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { enterKey, launchChromium, openPage } from "../helpers/chromium.js";
import { startSampleServer, type SampleServer } from "../helpers/sample-server.js";

let s: SampleServer;
let browser: Browser;
/** a ranked agency that also sent a document to an agency the directory lacks (held, a reason on its page) */
let gapSender: string;

beforeAll(async () => {
  // the demo's own sample: 149 validly signed documents, 11 sealed by another agency, 5 by an official alone
  s = await startSampleServer(240, 2024);
  // an exchange from an agency the directory lacks: held out of the figures, listed for the IT department
  const form = new FormData();
  form.set("file", new Blob(["%PDF-1.7 from an unknown sender"]), "x.pdf");
  for (const [k, v] of Object.entries({ sender: "H53.77", recipients: "H53.02", number: "5/BQLDA", issuedDate: "2024-03-03" })) form.set(k, v);
  await s.as("ingest", "/api/v1/documents", { method: "POST", body: form });
  const ranked = (
    (await (await s.as("viewer", "/api/v1/stats/agencies?from=2024-01-01&to=2024-12-31")).json()) as { agencies: Array<{ code: string; denominator: number }> }
  ).agencies;
  gapSender = ranked.find((g) => g.denominator > 0)!.code;
  const toUnknown = new FormData();
  toUnknown.set("file", new Blob(["%PDF-1.7 to an unknown recipient"]), "y.pdf");
  for (const [k, v] of Object.entries({ sender: gapSender, recipients: "H53.78", number: "6/GAP", issuedDate: "2024-03-05" })) toUnknown.set(k, v);
  await s.as("ingest", "/api/v1/documents", { method: "POST", body: toUnknown });
  await s.server.runner.idle();
  browser = await launchChromium();
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await s?.server.close();
});

async function open(lang = ""): Promise<{ page: Page; errors: string[] }> {
  return openPage(browser, `${s.server.url}/dashboard${lang}`);
}
const enter = enterKey;
/** The rank the page shows: one more than the agencies with a higher rate (equal rates share it), rates compared as fractions. */
const sharedRank = (g: { numerator: number; denominator: number }, all: Array<{ numerator: number; denominator: number }>) =>
  1 + all.filter((o) => o.numerator * g.denominator > g.numerator * o.denominator).length;
/** The API's agencies with documents, in the page's opening order: the largest gap first (a stable sort of the API's order). */
const byGap = <G extends { gap: number }>(list: G[]) => [...list].sort((a, b) => b.gap - a.gap);

describe("GET /dashboard", () => {
  it("asks for a key, then shows the figure and the ranking the API gives", async () => {
    const { page, errors } = await open();
    expect(await page.isVisible("#keyForm")).toBe(true);
    expect(await page.isVisible("#report")).toBe(false);
    expect(await page.textContent("h1")).toBe("Tỷ lệ văn bản điện tử có ký số");
    await enter(page, s.keys.viewer);
    await page.waitForSelector("#report:not([hidden])");
    const summary = await (await s.as("viewer", "/api/v1/stats/summary?from=2024-01-01&to=2024-12-31")).json();
    const agencies = await (await s.as("viewer", "/api/v1/stats/agencies?from=2024-01-01&to=2024-12-31")).json();
    // opened on the latest year with documents (the sample's), which the URL now names
    expect(await page.inputValue("#year")).toBe("2024");
    expect(new URL(page.url()).searchParams.get("period")).toBe("2024");
    expect(await page.textContent("#rate")).toBe(`${(summary.rate * 100).toFixed(1).replace(".", ",")}%`);
    expect(await page.textContent("#change")).toBe("Kỳ trước (năm 2023) không có văn bản để so sánh.");
    expect(await page.textContent("#rateOf")).toContain(`${summary.numerator} trên ${summary.denominator} văn bản`);
    expect(await page.textContent("#gap")).toContain(String(summary.gap));
    const rows = await page.$$eval("#agencies tr", (trs) => trs.map((tr) => [...tr.querySelectorAll("td")].map((td) => td.textContent)));
    const want = (agencies.agencies as Array<{ code: string; name: string; numerator: number; denominator: number; gap: number; rank: number | null }>).filter(
      (g) => g.denominator > 0,
    );
    // the laggards first (by gap), each with its rank by rate, equal rates sharing one
    expect(rows.map((r) => [r[0], r[1], r[2]])).toEqual(byGap(want).map((g) => [String(sharedRank(g, want)), g.code, g.name]));
    expect(await page.$$eval("#chart rect", (r) => r.length)).toBe(12);
    expect(await page.isVisible("#keyForm")).toBe(false);
    expect(await page.$$eval("#categories li", (li) => li.map((x) => x.textContent))).toContain(`ký số hợp lệ: ${summary.byCategory["signed-valid"]}`);
    expect(await page.isVisible("#heldSection")).toBe(true);
    expect(await page.$$eval("#held li", (li) => li.map((x) => x.textContent))).toEqual(["có mã cơ quan chưa có trong danh mục: 2"]);
    expect(await page.$$eval("#gaps li", (li) => li.map((x) => x.textContent))).toEqual(["H53.77: 1 văn bản", "H53.78: 1 văn bản"]);
    // what to do next: the API's steps, in the words leadership's report uses too
    const next = await page.$$eval("#next li", (li) => li.map((x) => x.textContent!));
    const steps = ((await (await s.as("viewer", "/api/v1/stats/next?from=2024-01-01&to=2024-12-31")).json()) as { steps: NextStep[] }).steps;
    expect(steps.map((x) => x.kind)).toEqual(["agencies", "reason", "directory"]);
    expect(next).toEqual(steps.map(nextStepVi));
    expect(next[2]).toBe("Bổ sung 2 mã cơ quan vào danh mục: 2 văn bản đang chờ.");
    // an agency chosen: its own months, from the API; then back to the whole province
    const one = want.find((g) => g.denominator >= 3) ?? want[0]!;
    const bars = () => page.$$eval("#chart rect title", (t) => t.map((x) => x.textContent));
    const provinceBars = await bars();
    await page.click(`#agencies tr[data-code="${one.code}"]`);
    await page.waitForFunction((code) => document.getElementById("monthlyH")!.textContent!.includes(code), one.code);
    const series = (await (await s.as("viewer", `/api/v1/stats/timeseries?from=2024-01-01&to=2024-12-31&agency=${one.code}`)).json()).series as Array<{
      month: string;
      numerator: number;
      denominator: number;
    }>;
    expect((await bars()).map((t) => /\((\d+)\/(\d+)\)$/.exec(t!)!.slice(1).map(Number))).toEqual(series.map((m) => [m.numerator, m.denominator]));
    expect(await page.textContent("#monthlyH")).toBe(`Theo tháng — ${one.name} (${one.code})`);
    expect(await page.getAttribute(`#agencies tr[data-code="${one.code}"]`, "class")).toContain("chosen");
    await page.click("#all");
    await page.waitForFunction(() => document.getElementById("monthlyH")!.textContent === "Theo tháng");
    expect(await bars()).toEqual(provinceBars);
    expect(await page.isVisible("#all")).toBe(false);
    // the table as a spreadsheet file: the same agencies, in the same order
    const [download] = await Promise.all([page.waitForEvent("download"), page.click("#csv")]);
    expect(download.suggestedFilename()).toBe("kyso-agencies-2024.csv");
    const csv = parseCsv(readFileSync((await download.path())!, "utf8"));
    // (the file keeps the API's order and its ranks, which part equal rates by volume)
    expect(csv.rows.map((r) => [r[1], r[2]]).sort()).toEqual(rows.map((r) => [r[1], r[2]]).sort());
    // leadership's report for the year shown, to print and for Excel
    for (const [button, name, magic] of [
      ["#pdf", "kyso-bao-cao-2024.pdf", "%PDF-"],
      ["#xlsx", "kyso-bao-cao-2024.xlsx", "PK"],
    ] as const) {
      const [file] = await Promise.all([page.waitForEvent("download"), page.click(button)]);
      expect(file.suggestedFilename()).toBe(name);
      expect(
        readFileSync((await file.path())!)
          .subarray(0, magic.length)
          .toString("latin1"),
      ).toBe(magic);
    }
    expect(errors).toEqual([]);
  }, 60_000);

  it("shows a month, a quarter or any two days, kept in the URL, against the period before", async () => {
    const { page, errors } = await open();
    await enter(page, s.keys.viewer);
    await page.waitForSelector("#report:not([hidden])");
    const rateOf = async (from: string, to: string) =>
      (await (await s.as("viewer", `/api/v1/stats/summary?from=${from}&to=${to}`)).json()) as { rate: number | null };
    const shown = (r: number | null) => (r === null ? "–" : `${(r * 100).toFixed(1).replace(".", ",")}%`);
    await page.selectOption("#kind", "month");
    await page.selectOption("#month", "6");
    await page.waitForFunction(() => new URL(location.href).searchParams.get("period") === "2024-06");
    await page.waitForFunction((want) => document.getElementById("rate")!.textContent === want, shown((await rateOf("2024-06-01", "2024-06-30")).rate));
    const may = await rateOf("2024-05-01", "2024-05-31");
    expect(await page.textContent("#change")).toContain(may.rate === null ? "tháng 05/2024" : `So với tháng 05/2024 (${shown(may.rate)})`);
    // the chart: the twelve months that end with June
    expect(await page.$$eval("#chart rect title", (t) => [t[0]!.textContent!.slice(0, 7), t.at(-1)!.textContent!.slice(0, 7)])).toEqual(["2023-07", "2024-06"]);
    await page.selectOption("#kind", "quarter");
    await page.selectOption("#quarter", "3");
    await page.waitForFunction(() => new URL(location.href).searchParams.get("period") === "2024-Q3");
    await page.waitForFunction((want) => document.getElementById("rate")!.textContent === want, shown((await rateOf("2024-07-01", "2024-09-30")).rate));
    await page.selectOption("#kind", "custom");
    await page.fill("#from", "2024-02-10");
    await page.fill("#to", "2024-04-20");
    await page.dispatchEvent("#to", "change");
    await page.waitForFunction(() => new URL(location.href).searchParams.get("to") === "2024-04-20");
    await page.waitForFunction((want) => document.getElementById("rate")!.textContent === want, shown((await rateOf("2024-02-10", "2024-04-20")).rate));
    expect(await page.isVisible("#pdf")).toBe(false);
    // the URL opens the same period again
    const again = await openPage(browser, `${s.server.url}/dashboard?period=2024-Q3`);
    await enter(again.page, s.keys.viewer);
    await again.page.waitForSelector("#report:not([hidden])");
    expect([await again.page.inputValue("#kind"), await again.page.inputValue("#quarter")]).toEqual(["quarter", "3"]);
    expect(errors).toEqual([]);
  }, 60_000);

  it("sorts, filters and opens an agency's reasons from the keyboard", async () => {
    const { page, errors } = await open();
    await enter(page, s.keys.viewer);
    await page.waitForSelector("#report:not([hidden])");
    const agencies = (
      (await (await s.as("viewer", "/api/v1/stats/agencies?from=2024-01-01&to=2024-12-31")).json()) as {
        target: number;
        agencies: Array<{ code: string; name: string; rate: number | null; gap: number; denominator: number; byCategory: Record<string, number> }>;
      }
    ).agencies.filter((g) => g.denominator > 0);
    const visible = () =>
      page.$$eval("#agencies tr:not([hidden])", (trs) =>
        trs.map((tr) => ({ code: (tr as HTMLElement).dataset.code!, gap: Number(tr.children[5]!.textContent), lag: tr.classList.contains("lag") })),
      );
    // the largest gap first as it opens, said so on the column; the gap's button turns it round
    const opening = await visible();
    expect(opening.map((r) => r.gap)).toEqual([...opening.map((r) => r.gap)].sort((a, b) => b - a));
    expect(opening[0]!.gap).toBeGreaterThan(0);
    expect(await page.$eval("#thGap", (b) => b.parentElement!.getAttribute("aria-sort"))).toBe("descending");
    await page.focus("#thGap");
    await page.keyboard.press("Enter");
    const gapUp = await visible();
    expect(gapUp.map((r) => r.gap)).toEqual([...gapUp.map((r) => r.gap)].sort((a, b) => a - b));
    expect(await page.$eval("#thGap", (b) => b.parentElement!.getAttribute("aria-sort"))).toBe("ascending");
    // only agencies below the target (Space on the checkbox)
    await page.focus("#belowOnly");
    await page.keyboard.press("Space");
    const below = await visible();
    expect(below.length).toBe(agencies.filter((g) => g.rate !== null && g.rate < 0.9).length);
    expect(below.every((r) => r.lag)).toBe(true);
    await page.keyboard.press("Space");
    // the tier and the kind of body, as the directory says them: communes only, then people's committees only
    const shown = new Set((await visible()).map((r) => r.code));
    const tiers = (
      (await (await s.as("viewer", "/api/v1/stats/agencies?from=2024-01-01&to=2024-12-31")).json()) as {
        agencies: Array<{ code: string; tier: string; group: string }>;
      }
    ).agencies.filter((g) => shown.has(g.code));
    await page.focus("#level");
    for (let i = 0; i < 3; i++) await page.keyboard.press("ArrowDown");
    expect(await page.$eval("#level", (x) => (x as HTMLSelectElement).value)).toBe("commune");
    const communes = (await visible()).map((r) => r.code);
    expect(communes.length).toBeGreaterThan(0);
    expect(communes.sort()).toEqual(
      tiers
        .filter((g) => g.tier === "commune")
        .map((g) => g.code)
        .sort(),
    );
    await page.keyboard.press("Home");
    await page.focus("#group");
    await page.keyboard.press("ArrowDown");
    const committees = (await visible()).map((r) => r.code);
    expect(committees.sort()).toEqual(
      tiers
        .filter((g) => g.group === "committee")
        .map((g) => g.code)
        .sort(),
    );
    await page.keyboard.press("Home");
    expect((await visible()).length).toBe(tiers.length);
    // words of a name
    const one = agencies.find((g) => (g.byCategory.unsigned ?? 0) > 0 || (g.byCategory.paper ?? 0) > 0) ?? agencies[0]!;
    await page.focus("#agencyFilter");
    await page.keyboard.type(one.name.split(" ").slice(-2).join(" ").toLocaleLowerCase("vi"));
    const found = await visible();
    expect(found.map((r) => r.code)).toContain(one.code);
    expect(found.length).toBeLessThan(agencies.length);
    // the agency opened with Enter: its months and why its documents do not count
    await page.focus(`#agencies tr[data-code="${one.code}"]`);
    await page.keyboard.press("Enter");
    await page.waitForSelector("#reasonsSection:not([hidden])");
    const pctVi = (x: number) => new Intl.NumberFormat("vi-VN", { minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(x * 100) + "%";
    const oneRank = sharedRank(
      one as unknown as { numerator: number; denominator: number },
      agencies as unknown as Array<{ numerator: number; denominator: number }>,
    );
    expect(await page.textContent("#agencyFigures")).toBe(
      `${one.name} (${one.code}): ${pctVi(one.rate!)} văn bản điện tử có ký số (${(one as unknown as { numerator: number }).numerator} trên ${one.denominator} văn bản), còn thiếu ${one.gap} văn bản so với mục tiêu, xếp hạng ${oneRank}`,
    );
    const reasons = await page.$$eval("#reasons li", (li) => li.map((x) => x.textContent));
    for (const [k, v] of Object.entries(one.byCategory))
      if (v > 0 && k !== "signed-valid" && k !== "excluded") expect(reasons.some((r) => r!.endsWith(`: ${v} văn bản`))).toBe(true);
    // a reason opened with the keyboard: the documents behind it, each linking to its report
    const reason = (await page.getAttribute("#reasons button.reason", "data-category"))!;
    await page.focus("#reasons button.reason");
    await page.keyboard.press("Enter");
    await page.waitForSelector("#reasons ul.documents");
    const behind = (
      (await (await s.as("viewer", `/api/v1/documents?limit=100&agency=${one.code}&category=${reason}&from=2024-01-01&to=2024-12-31`)).json()) as {
        documents: Array<{ id: string }>;
      }
    ).documents;
    const links = await page.$$eval("#reasons ul.documents a", (as) => as.map((a) => a.getAttribute("href")));
    expect(links).toEqual(behind.map((d) => `/auditor?document=${encodeURIComponent(d.id)}`));
    expect(await page.getAttribute("#reasons button.reason", "aria-expanded")).toBe("true");
    // the link opens that document's report here, with the viewer key, and offers its evidence on the auditors' page
    await page.focus("#reasons ul.documents a");
    await page.keyboard.press("Enter");
    await page.waitForSelector("#docViewer:not([hidden])");
    expect(await page.getAttribute("#docViewer", "data-id")).toBe(behind[0]!.id);
    const want = await (await s.as("viewer", `/api/v1/documents/${behind[0]!.id}/report.html`)).text();
    expect(await page.$eval("#docFrame", (f) => (f as HTMLIFrameElement).srcdoc)).toBe(want);
    expect(want).toContain("Báo cáo kiểm tra chữ ký số");
    const frame = page.frames().find((f) => f !== page.mainFrame())!;
    await expect.poll(() => frame.textContent("body")).toContain("Báo cáo kiểm tra chữ ký số");
    expect(await page.getAttribute("#docEvidence", "href")).toBe(links[0]);
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("docClose");
    await page.keyboard.press("Enter");
    expect(await page.isVisible("#docViewer")).toBe(false);
    // an agency's documents that no category holds yet are among its reasons too, listed the same way
    await page.fill("#agencyFilter", "");
    await page.focus(`#agencies tr[data-code="${gapSender}"]`);
    await page.keyboard.press("Enter");
    await page.waitForSelector('#reasons button.reason[data-held="directory-gap"]');
    expect(await page.textContent('#reasons button.reason[data-held="directory-gap"]')).toBe("chưa tính — có mã cơ quan chưa có trong danh mục: 1 văn bản");
    await page.focus('#reasons button.reason[data-held="directory-gap"]');
    await page.keyboard.press("Enter");
    await page.waitForSelector("#reasons ul.documents a");
    expect(await page.$$eval("#reasons ul.documents a", (as) => as.map((a) => a.textContent))).toEqual(["6/GAP (05/03/2024)"]);
    // the evidence link: the auditors' page opens the same report once an auditor key is given
    const auditor = await openPage(browser, `${s.server.url}${links[0]}`);
    await enter(auditor.page, s.keys.auditor);
    await auditor.page.waitForSelector("#viewer:not([hidden])");
    expect(await auditor.page.getAttribute("#viewer", "data-id")).toBe(behind[0]!.id);
    expect(errors).toEqual([]);
  }, 60_000);

  it("shows the share sealed by the sender itself, per agency, and the documents another agency sealed, each opening its report", async () => {
    const { page, errors } = await open();
    await enter(page, s.keys.viewer);
    await page.waitForSelector("#sealedList tr");
    const Y = "from=2024-01-01&to=2024-12-31";
    const pctVi = (x: number) => new Intl.NumberFormat("vi-VN", { minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(x * 100) + "%";
    type Sealed = { signedValid: number; bySender: number; share: number | null };
    const sb = ((await (await s.as("viewer", `/api/v1/stats/summary?${Y}`)).json()) as { sealedBySender: Sealed }).sealedBySender;
    // the API's figure is the sample's ground truth, and the page shows it
    const signed = s.items.filter((i) => i.expected.binding);
    expect([sb.signedValid, sb.bySender]).toEqual([signed.length, signed.filter((i) => i.expected.binding!.status === "sender").length]);
    expect([sb.signedValid, sb.bySender]).toEqual([149, 133]);
    expect(await page.textContent("#sealed")).toBe(
      `Văn bản ký số hợp lệ mang chữ ký số của chính cơ quan gửi: 133 trên 149 văn bản (${pctVi(sb.share!)}) (năm 2024)`,
    );
    expect(pctVi(sb.share!)).toBe("89,3%");
    // each agency's share in its row, as /stats/agencies gives it; some agency's is below 100 %
    const agencies = (
      (await (await s.as("viewer", `/api/v1/stats/agencies?${Y}`)).json()) as { agencies: Array<{ code: string; denominator: number; sealedBySender: Sealed }> }
    ).agencies.filter((g) => g.denominator > 0);
    const column = (await page.$$eval("#agencies tr", (trs) => trs.map((tr) => [(tr as HTMLElement).dataset.code, tr.children[6]!.textContent]))).sort();
    expect(column).toEqual(
      [...agencies]
        .sort((a, b) => (a.code < b.code ? -1 : 1))
        .map((g) => [
          g.code,
          g.sealedBySender.signedValid ? `${pctVi(g.sealedBySender.share!)} (${g.sealedBySender.bySender}/${g.sealedBySender.signedValid})` : "–",
        ]),
    );
    expect(column.filter(([, t]) => /^\d+,\d% \(\d+\/\d+\)$/.test(t!) && !t!.startsWith("100,0%")).length).toBeGreaterThan(0);
    expect(await page.textContent("#thSealed")).toBe("Chính cơ quan ký số");
    // the list: every validly signed document its sender did not seal, with its sender and who sealed it,
    // both as the directory names them (the sample's ground truth says which agency)
    expect(await page.textContent("#sealedH")).toBe("Văn bản ký số hợp lệ không mang chữ ký số của chính cơ quan gửi");
    const names = new Map(
      ((await (await s.as("viewer", "/api/v1/agencies")).json()) as { agencies: Array<{ code: string; name: string }> }).agencies.map((a) => [a.code, a.name]),
    );
    const rows = await page.$$eval("#sealedList tr", (trs) =>
      trs.map((tr) => ({
        binding: (tr as HTMLElement).dataset.binding,
        id: (tr as HTMLElement).dataset.id,
        cells: [...tr.children].map((td) => td.textContent),
      })),
    );
    expect(rows.length).toBe(sb.signedValid - sb.bySender);
    const byAnother = signed.filter((i) => i.expected.binding!.status === "another-agency");
    expect(byAnother.length).toBe(11);
    const shown = rows.filter((r) => r.binding === "another-agency");
    const triple = (x: Array<string | null | undefined>) => x.join(" | ");
    expect(shown.map((r) => triple([r.cells[0], r.cells[2], r.cells[3]])).sort()).toEqual(
      byAnother.map((i) => triple([i.meta.number, names.get(i.meta.sender), names.get(i.expected.binding!.agency!)])).sort(),
    );
    for (const r of shown) expect(r.cells[2]).not.toBe(r.cells[3]);
    // the rest: sealed by an official alone, said so with the official's unit
    const officials = rows.filter((r) => r.binding !== "another-agency");
    expect(officials.length).toBe(signed.filter((i) => i.expected.binding!.status === "no-organisation-signature").length);
    for (const r of officials) expect(r.cells[3]).toMatch(/^chỉ có chữ ký số cá nhân \(.+\)$/);
    expect(await page.isVisible("#sealedMore")).toBe(false);
    // a number opens that document's report on the dashboard, with the viewer key
    const first = rows.find((r) => r.binding === "another-agency")!;
    const doc = (await (await s.as("viewer", `/api/v1/documents/${first.id}`)).json()) as { number: string; signerBinding: { status: string } };
    expect([doc.number, doc.signerBinding.status]).toEqual([first.cells[0], "another-agency"]);
    await page.click(`#sealedList tr[data-id="${first.id}"] a`);
    await page.waitForSelector("#docViewer:not([hidden])");
    expect(await page.getAttribute("#docViewer", "data-id")).toBe(first.id);
    expect(await page.$eval("#docFrame", (f) => (f as HTMLIFrameElement).srcdoc)).toBe(
      await (await s.as("viewer", `/api/v1/documents/${first.id}/report.html`)).text(),
    );
    expect(errors).toEqual([]);
    // in English, the same figure and list
    const english = await open("?lang=en");
    await enter(english.page, s.keys.viewer);
    await english.page.waitForSelector("#sealedList tr");
    expect(await english.page.textContent("#sealed")).toBe("Validly signed documents sealed by their sender itself: 133 of 149 documents (89.3%) (year 2024)");
    expect(await english.page.textContent("#sealedH")).toBe("Validly signed documents their sender did not seal");
    expect(await english.page.$$eval("#sealedList tr", (trs) => trs.length)).toBe(rows.length);
    expect(english.errors).toEqual([]);
  }, 60_000);

  it("says what to do next in English from the same sentences as leadership's report", async () => {
    const { page, errors } = await open("?lang=en");
    await enter(page, s.keys.viewer);
    await page.waitForSelector("#next li");
    const steps = ((await (await s.as("viewer", "/api/v1/stats/next?from=2024-01-01&to=2024-12-31")).json()) as { steps: NextStep[] }).steps;
    const next = await page.$$eval("#next li", (li) => li.map((x) => x.textContent!));
    expect(next).toEqual(steps.map((x) => nextStepText(x, "en")));
    expect(next[2]).toBe("Add 2 agency codes to the directory: 2 documents wait for them.");
    expect(next.join(" ")).not.toMatch(/\{\w+\}/); // every mark filled
    expect(errors).toEqual([]);
  }, 60_000);

  it("refuses a revoked key and a key without the viewer role, saying why", async () => {
    const { page } = await open("?lang=en");
    await enter(page, s.keys.revoked);
    await page.waitForSelector("#error:not([hidden])");
    expect(await page.textContent("#error")).toBe("The key is not valid (unknown or revoked).");
    expect(await page.isVisible("#keyForm")).toBe(true);
    await enter(page, s.keys.ingest);
    await page.waitForFunction(() => document.getElementById("error")?.textContent?.includes("role"));
    expect(await page.textContent("#error")).toBe("This key's role cannot see the statistics.");
    expect(await page.isVisible("#report")).toBe(false);
  }, 60_000);

  it("is the page / leads to, and holds no figures itself", async () => {
    const r = await fetch(`${s.server.url}/`, { redirect: "manual" });
    expect([r.status, r.headers.get("location")]).toEqual([302, "/dashboard"]);
    const html = await (await fetch(`${s.server.url}/dashboard`)).text();
    expect(html).not.toMatch(/H53\.\d/);
  });
});

describe("GET /dashboard cannot mislead", () => {
  /** A page whose clock (Date) reads `now`, so a projected month is past or not as the test says. */
  async function openAt(now: string, query = ""): Promise<{ page: Page; errors: string[] }> {
    const page = await (await browser.newContext()).newPage();
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    await page.clock.setFixedTime(new Date(now));
    await page.goto(`${s.server.url}/dashboard${query}`);
    return { page, errors };
  }

  it("says a projection as a projection, a projected month already past as missed, and no trend for a month", async () => {
    // a quarter whose trend reaches the target in a month after it (the sample's figures are fixed, not the day's)
    type Summary = { rate: number; target: number; trend: { slopePerMonth: number | null; projectedMonth: string | null } };
    const periods = ["2024", "2024-Q1", "2024-Q2", "2024-Q3", "2024-Q4"];
    const bounds = (p: string) =>
      p.length === 4
        ? [`${p}-01-01`, `${p}-12-31`]
        : [
            `2024-${String((Number(p.slice(-1)) - 1) * 3 + 1).padStart(2, "0")}-01`,
            new Date(Date.UTC(2024, Number(p.slice(-1)) * 3, 0)).toISOString().slice(0, 10),
          ];
    let found: { period: string; month: string } | null = null;
    for (const p of periods) {
      const [from, to] = bounds(p);
      const x = (await (await s.as("viewer", `/api/v1/stats/summary?from=${from}&to=${to}`)).json()) as Summary;
      if (x.trend.projectedMonth && x.rate < x.target && x.trend.projectedMonth > to!.slice(0, 7)) found ??= { period: p, month: x.trend.projectedMonth };
    }
    expect(found, "a period of the sample whose trend projects the target after it").not.toBeNull();
    const { period, month } = found!;
    const shownMonth = `${month.slice(5)}/${month.slice(0, 4)}`;
    const label = period.length === 4 ? `năm ${period}` : `quý ${["I", "II", "III", "IV"][Number(period.slice(-1)) - 1]}/2024`;
    // read in the month before the projected one: a projection, said so
    const before = new Date(Date.UTC(Number(month.slice(0, 4)), Number(month.slice(5)) - 2, 15)).toISOString();
    const early = await openAt(before, `?period=${period}`);
    await enter(early.page, s.keys.viewer);
    await early.page.waitForSelector("#report:not([hidden])");
    const projected = (await early.page.textContent("#trend"))!;
    expect(projected).toMatch(
      new RegExp(`^Xu hướng \\(${label}\\): [−-]?\\d+,\\d+ điểm %/tháng; dự kiến theo xu hướng này: đạt mục tiêu vào tháng ${shownMonth}$`),
    );
    // read after it: the month has passed without the period reaching the target, said as missed
    const after = new Date(Date.UTC(Number(month.slice(0, 4)), Number(month.slice(5)) + 1, 15)).toISOString();
    const late = await openAt(after, `?period=${period}`);
    await enter(late.page, s.keys.viewer);
    await late.page.waitForSelector("#report:not([hidden])");
    const missed = (await late.page.textContent("#trend"))!;
    expect(missed).toContain(`theo xu hướng này mục tiêu được dự kiến đạt vào tháng ${shownMonth}, tháng đã qua: không đạt như dự kiến`);
    expect(missed).not.toContain("dự kiến theo xu hướng này: đạt");
    // a month: no trend was computed, and none is judged
    await late.page.selectOption("#kind", "month");
    await late.page.selectOption("#month", "6");
    await late.page.waitForFunction(() => document.getElementById("trend")!.textContent!.includes("tháng 06/2024"));
    expect(await late.page.textContent("#trend")).toBe("Xu hướng (tháng 06/2024): không tính (cần ít nhất hai tháng có văn bản trong kỳ)");
    // every headline figure says its period
    for (const id of ["#ratePeriod", "#rateOf", "#gap", "#nd30", "#sealed"]) expect(await late.page.textContent(id), id).toContain("tháng 06/2024");
    expect([...early.errors, ...late.errors]).toEqual([]);
  }, 60_000);

  it("shows an agency with documents in 5 of 12 months as 12 marks with counts, ranks equal rates alike and explains the gaps' sum", async () => {
    // two agencies the directory gains, neither with a document counted: one sends in 5 months of 2024, one once
    const put = await s.as("admin", "/api/v1/agencies", {
      method: "PUT",
      headers: { "content-type": "text/csv" },
      body: "code,name,parent,kind\nH53.95,Ban Quản lý dự án thử nghiệm,H53,administrative\nH53.96,Ban Thử nghiệm hai,H53,administrative\n",
    });
    expect(put.status).toBe(200);
    const send = async (sender: string, number: string, issuedDate: string) => {
      const form = new FormData();
      form.set("file", new Blob([`%PDF-1.7 not readable ${sender} ${number}`]), "x.pdf");
      for (const [k, v] of Object.entries({ sender, recipients: "H53.02", number, issuedDate })) form.set(k, v);
      expect((await s.as("ingest", "/api/v1/documents", { method: "POST", body: form })).status).toBe(202);
    };
    const months = ["01", "03", "05", "08", "11"];
    for (const [i, m] of months.entries()) await send("H53.95", `${i + 1}/BQL`, `2024-${m}-10`);
    await send("H53.95", "6/BQL", "2024-05-20"); // May holds two
    await send("H53.96", "1/BTN", "2024-02-02");
    await s.server.runner.idle();
    const Y = "from=2024-01-01&to=2024-12-31";
    const series = (
      (await (await s.as("viewer", `/api/v1/stats/timeseries?${Y}&agency=H53.95`)).json()) as {
        series: Array<{ month: string; numerator: number; denominator: number }>;
      }
    ).series;
    expect(series.filter((m) => m.denominator > 0).length).toBe(5);

    const { page, errors } = await open();
    await enter(page, s.keys.viewer);
    await page.waitForSelector("#report:not([hidden])");
    await page.click('#agencies tr[data-code="H53.95"]');
    await page.waitForFunction(() => document.getElementById("monthlyH")!.textContent!.includes("H53.95"));
    const marks = await page.$$eval("#chart g.month", (gs) =>
      gs.map((g) => ({
        month: g.getAttribute("data-month"),
        kind: g.getAttribute("data-kind"),
        height: Number(g.querySelector("rect")!.getAttribute("height")),
        count: g.querySelector("text.count")!.textContent,
        value: g.querySelector("text.value, text.none")!.textContent,
      })),
    );
    // twelve months, each with a mark that can be seen; the five with documents at 0 % with their counts
    expect(marks.length).toBe(12);
    for (const m of marks) expect(m.height, m.month!).toBeGreaterThan(0);
    expect(marks.map((m) => [m.month, m.kind, m.count])).toEqual(
      series.map((p) => [p.month, p.denominator ? "zero" : "empty", p.denominator ? `0/${p.denominator}` : "–"]),
    );
    expect(marks.filter((m) => m.kind === "zero").map((m) => m.value)).toEqual(Array(5).fill("0,0%"));
    expect(marks.find((m) => m.month === "2024-05")!.count).toBe("0/2");
    expect(marks.filter((m) => m.kind === "empty").map((m) => m.value)).toEqual(Array(7).fill("không có"));
    // the chart's text alternative carries the counts too
    const alt = (await page.getAttribute("#chart", "aria-label"))!;
    expect(alt).toContain("05/2024 0,0% (0/2)");
    expect(alt).toContain("02/2024 không có văn bản");

    // equal rates share a rank: both new agencies at 0 %, and every other tie the API's figures hold
    const agencies = (
      (await (await s.as("viewer", `/api/v1/stats/agencies?${Y}`)).json()) as {
        agencies: Array<{ code: string; numerator: number; denominator: number; gap: number }>;
      }
    ).agencies.filter((g) => g.denominator > 0);
    const ranks = new Map(
      await page.$$eval("#agencies tr", (trs) => trs.map((tr) => [(tr as HTMLElement).dataset.code!, tr.children[0]!.textContent!] as [string, string])),
    );
    expect(ranks.get("H53.95")).toBe(ranks.get("H53.96"));
    expect(ranks.get("H53.95")).toBe(String(sharedRank({ numerator: 0, denominator: 6 }, agencies)));
    for (const a of agencies)
      for (const b of agencies)
        if (a.numerator * b.denominator === b.numerator * a.denominator) expect(ranks.get(a.code), `${a.code} ${b.code}`).toBe(ranks.get(b.code));
    // the agencies' gaps and the province's, told apart where they differ
    const province = ((await (await s.as("viewer", `/api/v1/stats/summary?${Y}`)).json()) as { gap: number }).gap;
    const sum = agencies.reduce((n, g) => n + g.gap, 0);
    expect(sum).not.toBe(province);
    expect(await page.isVisible("#gapNote")).toBe(true);
    expect(await page.textContent("#gapNote")).toMatch(new RegExp(`^Cộng số còn thiếu của từng cơ quan được ${sum} văn bản, của toàn tỉnh là ${province}: `));
    expect(errors).toEqual([]);
  }, 60_000);
});
