// The check page's own layout (issue 25, point 2), in Debian's Chromium at a desktop's size (1366×900) and
// a phone's (390×844), in Vietnamese and English: signed in with the page's key form, a fixture PDF chosen,
// the page shows the file (name, size, SHA-256), the verdict and one block per signature, and none of a
// register's fields (number, sender, receipt, category, counted, the log); that nothing is kept is said
// once. Its buttons save the report page as HTML and the ETSI report as XML, and print (the browser's print
// to PDF, with a print stylesheet that leaves the page's controls out: the PDF Chromium prints holds the
// report and none of them). Nothing wider than the screen, axe-core finds no violation of any impact, and
// the store holds nothing more after it.
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { UI } from "../../src/api/report-words.js";
import { verdictStatement } from "../../src/api/report-verdict.js";
import { CHECK_WORDS } from "../../src/pages/check/words.js";
import type { DocumentReport } from "../../src/verify/report.js";
import { enterKey, launchChromium } from "../helpers/chromium.js";
import { FIXTURES } from "../helpers/paths.js";
import { startSampleServer, type SampleServer } from "../helpers/sample-server.js";
import { useTestClock } from "../helpers/clock.js";

const AXE = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");
const FILE = "nd30-personal-then-organization.pdf";
const EXPECTED = (JSON.parse(readFileSync(join(FIXTURES, "expected.json"), "utf8")) as Record<string, { verdict: string; signatures: unknown[] }>)[FILE]!;
const BYTES = readFileSync(join(FIXTURES, FILE));
const SHA256 = createHash("sha256").update(BYTES).digest("hex");

let s: SampleServer;
let browser: Browser;
let report: DocumentReport;

let restoreClock = () => {};
beforeAll(async () => {
  // the check judges at kyso's receipt, now: the test clock's now, inside the fixture certificates' validity
  restoreClock = useTestClock();
  s = await startSampleServer(6, 7);
  browser = await launchChromium();
  const form = new FormData();
  form.set("file", new Blob([BYTES]), FILE);
  report = (await (await s.as("auditor", "/api/v1/check", { method: "POST", body: form })).json()) as DocumentReport;
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await s?.server.close();
  restoreClock();
});

const stored = () =>
  s.server.db.prepare("SELECT (SELECT count(*) FROM documents) d, (SELECT count(*) FROM audit_log) a, (SELECT count(*) FROM analyses) n").get();

/** Elements wider than the screen, outside a box that scrolls on its own. */
const tooWide = (page: Page) =>
  page.evaluate(() => {
    const w = document.documentElement.clientWidth;
    const out: string[] = [];
    for (const e of document.querySelectorAll("body *")) {
      const r = e.getBoundingClientRect();
      if (r.width === 0 || r.right <= w + 1) continue;
      let scrolled = false;
      for (let p = e.parentElement; p && !scrolled; p = p.parentElement) scrolled = ["auto", "scroll"].includes(getComputedStyle(p).overflowX);
      if (!scrolled) out.push(`${e.tagName.toLowerCase()}${e.id ? "#" + e.id : ""} (${Math.round(r.right)} px)`);
    }
    return out;
  });

/** axe-core's violations of any impact. */
async function axe(page: Page): Promise<string[]> {
  await page.addScriptTag({ content: AXE });
  const found = (await page.evaluate(async () =>
    (
      window as unknown as { axe: { run(o: unknown): Promise<{ violations: Array<{ id: string; impact: string; nodes: Array<{ target: string[] }> }> }> } }
    ).axe.run({ resultTypes: ["violations"] }),
  )) as { violations: Array<{ id: string; impact: string; nodes: Array<{ target: string[] }> }> };
  return found.violations.map(
    (v) =>
      `${v.id} (${v.impact}) at ${v.nodes
        .map((n) => n.target.join(" "))
        .slice(0, 3)
        .join(", ")}`,
  );
}

async function download(page: Page, button: string): Promise<{ name: string; text: string }> {
  const [d] = await Promise.all([page.waitForEvent("download"), page.click(button)]);
  return { name: d.suggestedFilename(), text: readFileSync((await d.path())!, "utf8") };
}

const SETTINGS = [
  { name: "desktop, Vietnamese", viewport: { width: 1366, height: 900 }, lang: "vi" },
  { name: "desktop, English", viewport: { width: 1366, height: 900 }, lang: "en" },
  { name: "phone, Vietnamese", viewport: { width: 390, height: 844 }, lang: "vi" },
  { name: "phone, English", viewport: { width: 390, height: 844 }, lang: "en" },
] as const;

describe.each(SETTINGS)("the check page in Chromium ($name)", ({ viewport, lang }) => {
  it("shows the file, the verdict and each signature, no register field, and saves the report as HTML, XML and PDF", async () => {
    expect(report.verdict).toBe(EXPECTED.verdict);
    const before = stored();
    // bypassCSP only to add axe-core itself: the page's own script runs under its CSP as served
    const context = await browser.newContext({ viewport, bypassCSP: true, acceptDownloads: true });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    // an answer in error is listed with its address; the browser's own fetch of /favicon.ico (no page sees it) is not
    page.on("console", (m) => m.type() === "error" && !m.text().startsWith("Failed to load resource") && errors.push(m.text()));
    page.on("response", (r) => r.status() >= 400 && errors.push(`${r.status()} ${r.url()}`));
    await page.goto(`${s.server.url}/check${lang === "en" ? "?lang=en" : ""}`);
    expect(await page.isVisible("#keyForm")).toBe(true);
    await enterKey(page, s.keys.auditor);
    expect(await page.textContent("#kyso-who")).toMatch(/inspectorate \(auditor\)/);
    expect(await page.isVisible("#keyForm")).toBe(false);
    await page.setInputFiles("#file", join(FIXTURES, FILE));
    await page.click("#check");
    await page.waitForSelector("#result:not([hidden]) #verdict");
    // focus goes where the answer is
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("result");

    // the file: its name, size and SHA-256
    const file = await page.$$eval("#checked-file tr", (rows) => rows.map((r) => [r.querySelector("th")!.textContent!, r.querySelector("td")!.textContent!]));
    const row = (k: string) => file.find(([th]) => th === UI[k]![lang])?.[1];
    expect(row("fileName")).toBe(FILE);
    expect(row("size")).toBe(`${BYTES.length} ${lang === "en" ? "bytes" : "byte"}`);
    expect(row("sha256")).toBe(SHA256);
    expect(row("checkedAt")).toMatch(/^\d{2}\/\d{2}\/\d{4} \d{2}:\d{2}/);
    // the verdict, as the report's own statement, and one block per signature
    const verdict = verdictStatement(report, lang);
    expect(await page.getAttribute("#result #verdict", "data-state")).toBe(verdict.state);
    expect(await page.textContent("#result #verdict")).toContain(verdict.text);
    expect(await page.locator("#result h2.signature").count()).toBe(EXPECTED.signatures.length);
    // none of a register's fields, no log: nothing of them is true of a file checked alone
    const labels = await page.$$eval("#result th", (ths) => ths.map((th) => th.textContent));
    for (const k of ["number", "sender", "subject", "received", "receipt", "category", "counts", "sealedBy", "log", "action"])
      expect(labels, k).not.toContain(UI[k]![lang]);
    const text = await page.innerText("main");
    expect(text).not.toContain(UI.log![lang]);
    expect(text).not.toContain(UI.counts![lang]);
    // that nothing was kept is said once (the page's own note gives way to the report's)
    expect(text.split(UI.checkedAlone![lang]).length - 1).toBe(1);
    expect(await page.isVisible("#note")).toBe(false);

    // saved as HTML: the report page itself, in the page's language
    const html = await download(page, "#saveHtml");
    expect(html.name).toBe("nd30-personal-then-organization.kyso-report.html");
    expect(html.text).toContain(`<html lang="${lang}">`);
    expect(html.text).toContain('id="checked-file"');
    expect(html.text).toContain(`<code>${SHA256}</code>`);
    expect(html.text).toContain(`data-state="${verdict.state}"`);
    // saved as XML: the ETSI validation report of the same file
    const xml = await download(page, "#saveXml");
    expect(xml.name).toBe("nd30-personal-then-organization.kyso-report.xml");
    expect(xml.text).toMatch(/^<\?xml/);
    expect(xml.text.match(/<vr:SignatureValidationReport\b/g)?.length).toBe(report.signatures.filter((x) => x.kind === "signature").length);

    // to PDF: the button opens the browser's print, and what prints is the report without the page's controls
    await page.evaluate(() => {
      const w = window as unknown as { printed: number };
      w.printed = 0;
      window.print = () => void w.printed++;
    });
    await page.click("#print");
    expect(await page.evaluate(() => (window as unknown as { printed: number }).printed)).toBe(1);
    await page.emulateMedia({ media: "print" });
    for (const hidden of [".kyso-top", "#form", "#saves", "#status"]) expect(await page.isVisible(hidden), hidden).toBe(false);
    expect(await page.isVisible("#result #verdict")).toBe(true);
    // compared without spaces or hyphens: long words wrap at the page's edge
    const flat = (x: string) => x.replace(/[\s-]+/g, "");
    const printed = flat(execFileSync("pdftotext", ["-", "-"], { input: await page.pdf({ format: "A4" }) }).toString("utf8"));
    for (const shown of [SHA256, FILE, verdict.text]) expect(printed).toContain(flat(shown));
    expect(printed.split(flat(UI.checkedAlone![lang])).length - 1).toBe(1);
    for (const control of [
      CHECK_WORDS[lang].note,
      CHECK_WORDS[lang].saveHtml,
      CHECK_WORDS[lang].print,
      CHECK_WORDS[lang].key,
      lang === "en" ? "Sign out" : "Đăng xuất",
    ])
      expect(printed).not.toContain(flat(control));
    await page.emulateMedia({ media: "screen" });

    // at this size: nothing wider than the screen, with the certificate tables open too; axe: no violation
    await page.$$eval("#result details", (ds) => ds.forEach((d) => ((d as HTMLDetailsElement).open = true)));
    expect(await tooWide(page)).toEqual([]);
    expect(await axe(page)).toEqual([]);

    // another file checked next: its report takes the place of the first, nothing of the first left on show
    await page.setInputFiles("#file", join(FIXTURES, "tampered-signed-byte.pdf"));
    await page.click("#check");
    await page.waitForSelector("#result:not([hidden]) #verdict[data-state=invalid]");
    expect(await page.locator("#verdict").count()).toBe(1);
    expect(await page.textContent("#checked-file")).toContain("tampered-signed-byte.pdf");
    expect(await page.textContent("#result")).not.toContain(FILE);
    expect(stored()).toEqual(before);
    expect(errors).toEqual([]);
    await context.close();
  }, 90_000);
});
