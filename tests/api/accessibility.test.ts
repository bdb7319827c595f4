// Every page people read, in Debian's Chromium at a desktop (1366×900) and a phone (390×844) size: axe-core
// finds no serious or critical violation, nothing is wider than the screen (a wide table scrolls in its
// own box), and a screenshot of each is saved under test-output/screenshots for people to look at. The
// pages are loaded with their data (a key entered, a list shown, a report open).
import { mkdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium } from "../helpers/chromium.js";
import { ROOT } from "../helpers/paths.js";
import { startSampleServer, type SampleServer } from "../helpers/sample-server.js";

const AXE = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");
const SHOTS = join(ROOT, "test-output", "screenshots");
const SIZES = [
  { name: "desktop", width: 1366, height: 900 },
  { name: "phone", width: 390, height: 844 },
] as const;

let s: SampleServer;
let browser: Browser;
let docId: string;

beforeAll(async () => {
  s = await startSampleServer(40, 17);
  browser = await launchChromium();
  mkdirSync(SHOTS, { recursive: true });
  const item = s.items.find((i) => i.kind === "nd30" && i.file && i.meta.classification === "none")!;
  docId = (s.server.db.prepare("SELECT id FROM documents WHERE number = ?").get(item.meta.number) as { id: string }).id;
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await s?.server.close();
});

interface Found {
  violations: Array<{ id: string; impact: string; help: string; nodes: Array<{ target: string[] }> }>;
  wide: string[];
}

/** axe-core's serious and critical violations, and the elements wider than the screen outside a scroll box. */
async function inspect(page: Page): Promise<Found> {
  await page.addScriptTag({ content: AXE });
  const result = (await page.evaluate(async () =>
    (window as unknown as { axe: { run(o: unknown): Promise<{ violations: Found["violations"] }> } }).axe.run({ resultTypes: ["violations"] }),
  )) as { violations: Found["violations"] };
  const wide = await page.evaluate(() => {
    const out: string[] = [];
    const w = document.documentElement.clientWidth;
    for (const e of document.querySelectorAll("body *")) {
      const r = e.getBoundingClientRect();
      if (r.width === 0 || r.right <= w + 1) continue;
      let scrolled = false;
      for (let p = e.parentElement; p && !scrolled; p = p.parentElement) scrolled = ["auto", "scroll"].includes(getComputedStyle(p).overflowX);
      if (!scrolled)
        out.push(
          `${e.tagName.toLowerCase()}${e.id ? "#" + e.id : ""}${e.className ? "." + String(e.className).split(" ")[0] : ""} (${Math.round(r.right)} px)`,
        );
    }
    return out.slice(0, 10);
  });
  return { violations: result.violations.filter((v) => v.impact === "serious" || v.impact === "critical"), wide };
}

async function page(size: (typeof SIZES)[number], headers: Record<string, string> = {}): Promise<Page> {
  // bypassCSP only to add axe-core itself: the pages' own scripts run under their CSP as served
  const context = await browser.newContext({ viewport: { width: size.width, height: size.height }, bypassCSP: true, extraHTTPHeaders: headers });
  return context.newPage();
}

function expectClean(found: Found, what: string): void {
  expect(
    found.violations.map(
      (v) =>
        `${v.id} (${v.impact}): ${v.help} at ${v.nodes
          .map((n) => n.target.join(" "))
          .slice(0, 3)
          .join(", ")}`,
    ),
    `${what}: axe`,
  ).toEqual([]);
  expect(found.wide, `${what}: wider than the screen`).toEqual([]);
}

describe.each(SIZES)("at $name size ($width×$height)", (size) => {
  it("the dashboard, with its figures", async () => {
    const p = await page(size);
    await p.goto(`${s.server.url}/dashboard`);
    await p.fill("#key", s.keys.viewer);
    await p.keyboard.press("Enter");
    await p.waitForSelector("#report:not([hidden])");
    await p.screenshot({ path: join(SHOTS, `dashboard-${size.name}.png`), fullPage: true });
    expectClean(await inspect(p), "dashboard");
  }, 60_000);

  it("the auditors' page, with its list and a report open", async () => {
    const p = await page(size);
    await p.goto(`${s.server.url}/auditor`);
    await p.fill("#key", s.keys.auditor);
    await p.keyboard.press("Enter");
    await p.waitForSelector("#main:not([hidden])");
    await p.fill("#from", "2024-01-01");
    await p.click("#search");
    await p.waitForSelector("#rows tr");
    await p.click("#rows tr button.report");
    await p.waitForSelector("#viewer:not([hidden])");
    await p.screenshot({ path: join(SHOTS, `auditor-${size.name}.png`), fullPage: true });
    expectClean(await inspect(p), "auditors' page");
  }, 60_000);

  it("a document's report page", async () => {
    const p = await page(size, { authorization: `Bearer ${s.keys.auditor}` });
    expect((await p.goto(`${s.server.url}/api/v1/documents/${docId}/report.html`))?.status()).toBe(200);
    await p.click("details.certs summary");
    await p.screenshot({ path: join(SHOTS, `report-${size.name}.png`), fullPage: true });
    expectClean(await inspect(p), "report page");
  }, 60_000);

  it("the page that checks one document", async () => {
    const p = await page(size);
    await p.goto(`${s.server.url}/check`);
    await p.screenshot({ path: join(SHOTS, `check-${size.name}.png`), fullPage: true });
    expectClean(await inspect(p), "check page");
  }, 60_000);
});
