// Issue 25's acceptance matrix for the keyboard and phones (point 5), in one Debian Chromium: at 1366×900
// and 390×844, in Vietnamese and English, the sign-in page, the dashboard, the auditors' page, the check
// page and a document's report page each have no axe-core violation of any impact, nothing wider than the
// screen (not even in a box that scrolls: on a phone the auditors' list is one card a document), and a
// skip link as the first Tab stop that moves focus to the main landmark. Signing in opens the dashboard
// with focus on its heading; a refused key's message takes focus. On the dashboard: the ranking is one
// Tab stop (a row far down is reached with the arrow keys), on a phone it fits the screen with rank,
// agency, rate and gap, the chart's labels are at least 12 px, and dashboard → agency → reason → document
// report is readable (the viewer at least 80 % of the screen's width and most of its height, its text at
// least 12 px), focus following each step and back; a failure is said in an alert that takes focus.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium } from "../helpers/chromium.js";
import { startSampleServer, type SampleServer } from "../helpers/sample-server.js";

const AXE = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");
const SKIP = { vi: "Bỏ qua, đến nội dung chính", en: "Skip to the main content" } as const;

let s: SampleServer;
let browser: Browser;
let docId: string;

beforeAll(async () => {
  s = await startSampleServer(40, 17);
  browser = await launchChromium();
  const item = s.items.find((i) => i.kind === "nd30" && i.file && i.meta.classification === "none")!;
  docId = (s.server.db.prepare("SELECT id FROM documents WHERE number = ?").get(item.meta.number) as { id: string }).id;
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await s?.server.close();
});

const SETTINGS = [
  { name: "desktop", width: 1366, height: 900, lang: "vi" },
  { name: "desktop", width: 1366, height: 900, lang: "en" },
  { name: "phone", width: 390, height: 844, lang: "vi" },
  { name: "phone", width: 390, height: 844, lang: "en" },
] as const;

/** axe-core's violations of any impact, one line each. */
async function axe(page: Page): Promise<string[]> {
  await page.addScriptTag({ content: AXE });
  return page.evaluate(async () => {
    const run = (
      window as unknown as { axe: { run(o: unknown): Promise<{ violations: Array<{ id: string; impact: string; nodes: Array<{ target: string[] }> }> }> } }
    ).axe.run;
    const { violations } = await run({ resultTypes: ["violations"] });
    return violations.map(
      (v) =>
        `${v.id} (${v.impact}) at ${v.nodes
          .map((n) => n.target.join(" "))
          .slice(0, 3)
          .join(", ")}`,
    );
  });
}

/** Elements past the screen's right edge (inside a box that scrolls on its own too: nothing is read sideways), and whether the page scrolls sideways. */
async function wide(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const w = document.documentElement.clientWidth;
    const out: string[] = document.documentElement.scrollWidth > w ? [`the page scrolls sideways (${document.documentElement.scrollWidth} px)`] : [];
    for (const e of document.querySelectorAll("body *")) {
      const r = e.getBoundingClientRect();
      if (r.width > 0 && r.right > w + 1) out.push(`${e.tagName.toLowerCase()}${e.id ? "#" + e.id : ""} (${Math.round(r.right)} px)`);
    }
    return out.slice(0, 10);
  });
}

const active = (page: Page): Promise<string> =>
  page.evaluate(() => {
    const a = document.activeElement;
    return a ? `${a.tagName.toLowerCase()}${a.id ? "#" + a.id : ""}${a.className ? "." + String(a.className).split(" ")[0] : ""}` : "none";
  });

/** axe, the screen's width, and the skip link: the first Tab stop, saying so in the page's language, taking focus to main. */
async function expectReadable(page: Page, lang: "vi" | "en", what: string): Promise<void> {
  expect(await axe(page), `${what}: axe`).toEqual([]);
  expect(await wide(page), `${what}: wider than the screen`).toEqual([]);
  expect(await page.locator("main").count(), `${what}: one main`).toBe(1);
  // from the top of the page (nothing focused), the first Tab
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  await page.keyboard.press("Tab");
  expect(await active(page), `${what}: first Tab stop`).toBe("a.kyso-skip");
  expect(await page.evaluate(() => document.activeElement?.textContent)).toBe(SKIP[lang]);
  // seen once it has focus
  const box = await page.locator("a.kyso-skip").boundingBox();
  expect(box && box.y >= 0 && box.x >= 0, `${what}: the focused skip link on screen`).toBe(true);
  await page.keyboard.press("Enter");
  expect(await active(page), `${what}: focus after the skip link`).toBe("main#kyso-main");
}

describe.each(SETTINGS)("at $name size ($width×$height), $lang", ({ width, height, lang }) => {
  const q = lang === "en" ? "?lang=en" : "";
  let context: BrowserContext;
  let page: Page;
  const errors: string[] = [];
  beforeAll(async () => {
    // bypassCSP only to add axe-core itself: the pages' own scripts run under their CSP as served
    context = await browser.newContext({ viewport: { width, height }, bypassCSP: true });
    page = await context.newPage();
    page.on("pageerror", (e) => errors.push(e.message));
  });
  afterAll(async () => context?.close());

  it("the sign-in page; a refused key's message takes focus, and signing in opens the dashboard with focus on its heading", async () => {
    await page.goto(`${s.server.url}/sign-in${q}`);
    await expectReadable(page, lang, "sign-in page");
    await page.fill("#key", s.keys.revoked);
    await Promise.all([page.waitForLoadState("load"), page.click("#sign-in")]);
    await page.waitForSelector("#message[role=alert]");
    expect(await active(page)).toBe("p#message.alert");
    await page.fill("#key", s.keys.auditor);
    await Promise.all([page.waitForURL(/\/dashboard/), page.click("#sign-in")]);
    await page.waitForSelector("#report:not([hidden])");
    expect(await active(page)).toBe("h1#h");
  }, 60_000);

  it("the dashboard: the ranking one Tab stop, fitting a phone, the chart's labels at 12 px at least", async () => {
    await page.goto(`${s.server.url}/dashboard${q}`);
    await page.waitForSelector("#agencies tr");
    await expectReadable(page, lang, "dashboard");
    // Tabs from the top of the page to the ranking's first row: the header and the controls above it only
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    // each stop on the way shows a focus ring the screen can see (an outline of 2 px at least)
    let tabs = 0;
    const unringed: string[] = [];
    while (tabs < 60 && !(await page.evaluate(() => document.activeElement?.parentElement?.id === "agencies"))) {
      await page.keyboard.press("Tab");
      tabs++;
      const ring = await page.evaluate(() => {
        const style = getComputedStyle(document.activeElement!);
        return { style: style.outlineStyle, width: parseFloat(style.outlineWidth), what: document.activeElement!.outerHTML.slice(0, 60) };
      });
      if (ring.style === "none" || ring.width < 2) unringed.push(ring.what);
    }
    expect(tabs).toBeLessThanOrEqual(30);
    expect(unringed).toEqual([]);
    const rows = await page.$$eval("#agencies tr", (trs) => trs.map((tr) => (tr as HTMLElement).dataset.code));
    expect(await page.evaluate(() => (document.activeElement as HTMLElement).dataset.code)).toBe(rows[0]);
    // the 38th agency (the sample ranks about 23: then the last) with the arrow keys, no more Tabs
    const far = Math.min(37, rows.length - 1);
    for (let i = 0; i < far; i++) await page.keyboard.press("ArrowDown");
    expect(await page.evaluate(() => (document.activeElement as HTMLElement).dataset.code)).toBe(rows[far]);
    await page.keyboard.press("Home");
    await page.keyboard.press("End");
    expect(await page.evaluate(() => (document.activeElement as HTMLElement).dataset.code)).toBe(rows.at(-1));
    // one Tab stop: the next Tab leaves the table, Shift+Tab comes back to the row last chosen
    await page.keyboard.press("Tab");
    expect(await page.evaluate(() => document.activeElement?.closest("#agencies"))).toBeNull();
    await page.keyboard.press("Shift+Tab");
    expect(await page.evaluate(() => (document.activeElement as HTMLElement).dataset.code)).toBe(rows.at(-1));
    // the ranking in the screen's width, without its own scrolling; on a phone rank, agency, rate and gap
    const table = await page.evaluate(() => {
      const t = document.getElementById("agencyTable")!;
      const box = t.parentElement!;
      return {
        right: t.getBoundingClientRect().right,
        screen: document.documentElement.clientWidth,
        scrolls: box.scrollWidth > box.clientWidth,
        columns: [...t.querySelectorAll("thead th")].filter((th) => th.getBoundingClientRect().width > 0).map((th) => th.querySelector("button")!.id),
      };
    });
    expect(table.right).toBeLessThanOrEqual(table.screen);
    expect(table.scrolls).toBe(false);
    expect(table.columns).toEqual(
      width < 600 ? ["thRank", "thAgency", "thRate", "thGap"] : ["thRank", "thCode", "thAgency", "thRate", "thSigned", "thGap", "thSealed"],
    );
    // every label of the chart at 12 px or more on the screen, inside the chart
    const chart = await page.evaluate(() => {
      const svg = document.getElementById("chart") as unknown as SVGSVGElement;
      const box = svg.getBoundingClientRect();
      const scale = box.width / svg.viewBox.baseVal.width;
      const texts = [...svg.querySelectorAll("text")];
      return {
        shape: svg.dataset.shape,
        count: texts.length,
        small: texts.filter((t) => parseFloat(getComputedStyle(t).fontSize) * scale < 11.99).map((t) => t.textContent),
        outside: texts
          .filter((t) => {
            const r = t.getBoundingClientRect();
            return r.left < box.left - 1 || r.right > box.right + 1;
          })
          .map((t) => t.textContent),
      };
    });
    expect(chart.shape).toBe(width < 600 ? "rows" : "columns");
    expect(chart.count).toBeGreaterThanOrEqual(12 * 3);
    expect(chart.small).toEqual([]);
    expect(chart.outside).toEqual([]);
    // a desktop's window narrowed to a phone's: the chart is drawn again, as rows
    if (width >= 600) {
      await page.setViewportSize({ width: 390, height });
      await expect.poll(() => page.getAttribute("#chart", "data-shape")).toBe("rows");
      await page.setViewportSize({ width, height });
      await expect.poll(() => page.getAttribute("#chart", "data-shape")).toBe("columns");
    }
    expect(errors).toEqual([]);
  }, 60_000);

  it("the dashboard: agency → reason → document report, readable, focus following each step, and an error said where focus goes", async () => {
    const row = page.locator("#agencies tr").first();
    await row.focus();
    await page.keyboard.press("Enter");
    await page.waitForSelector("#reasonsSection:not([hidden])");
    expect(await active(page)).toBe("p#agencyFigures");
    await page.focus("#reasons button.reason");
    await page.keyboard.press("Enter");
    await page.waitForSelector("#reasons ul.documents a");
    await page.focus("#reasons ul.documents a");
    await page.keyboard.press("Enter");
    await page.waitForSelector("#docViewer:not([hidden])");
    expect(await page.evaluate(() => !!document.activeElement?.closest("#docViewer"))).toBe(true);
    const frame = (await page.locator("#docFrame").boundingBox())!;
    expect(frame.width).toBeGreaterThanOrEqual(0.8 * width);
    expect(frame.height).toBeGreaterThan(0.5 * height);
    const report = page.frames().find((f) => f !== page.mainFrame())!;
    await expect.poll(() => report.evaluate(() => document.querySelectorAll("main h1").length)).toBe(1);
    const inside = await report.evaluate(() => {
      const small: string[] = [];
      for (const e of document.querySelectorAll("body *")) {
        const own = [...e.childNodes].some((n) => n.nodeType === 3 && (n.textContent ?? "").trim() !== "");
        if (own && e.getBoundingClientRect().width > 0 && parseFloat(getComputedStyle(e).fontSize) < 12)
          small.push(`${e.tagName}: ${(e.textContent ?? "").slice(0, 30)}`);
      }
      return { small, sideways: document.documentElement.scrollWidth > document.documentElement.clientWidth };
    });
    expect(inside).toEqual({ small: [], sideways: false });
    // closed with Escape: focus back on the document's link it was opened from
    await page.keyboard.press("Escape");
    expect(await page.isVisible("#docViewer")).toBe(false);
    expect(await page.evaluate(() => document.activeElement?.closest("#reasons ul.documents") !== null && document.activeElement?.tagName)).toBe("A");
    // a report the server cannot give: the error is said in an alert, and focus goes to it
    await page.route("**/report.html*", (r) =>
      r.fulfill({ status: 500, contentType: "application/json", body: JSON.stringify({ error: { code: "X", message: "no report" } }) }),
    );
    await page.keyboard.press("Enter");
    await page.waitForSelector("#error:not([hidden])");
    expect(await active(page)).toBe("p#error");
    expect(await page.getAttribute("#error", "role")).toBe("alert");
    expect(await page.textContent("#error")).toBe("no report");
    await page.unroute("**/report.html*");
    expect(errors).toEqual([]);
  }, 60_000);

  it("the auditors' page; a report opened goes to its heading", async () => {
    await page.goto(`${s.server.url}/auditor${q}`);
    await page.waitForSelector("#main:not([hidden])");
    // with its list of documents (it opens on the latest year with documents)
    await page.waitForSelector("#rows tr");
    await expectReadable(page, lang, "auditors' page");
    // a report opened from the keyboard: focus goes to it
    await page.focus("#rows tr button.report");
    await page.keyboard.press("Enter");
    await page.waitForSelector("#viewer:not([hidden])");
    expect(await active(page)).toBe("h2#viewH");
    // opened on the demo's year with documents, and ?document= opens that document with its evidence button
    expect([await page.inputValue("#from"), await page.inputValue("#to")]).toEqual(["2024-01-01", "2024-12-31"]);
    const id = (await page.getAttribute("#rows tr:has(button.evidence)", "data-id"))!;
    await page.goto(`${s.server.url}/auditor?document=${encodeURIComponent(id)}${lang === "en" ? "&lang=en" : ""}`);
    await page.waitForSelector("#viewer:not([hidden])");
    expect(await page.isVisible("#viewEvidence")).toBe(true);
  }, 60_000);

  it("the check page; a check that fails is said in an alert, where focus goes", async () => {
    await page.goto(`${s.server.url}/check${q}`);
    await expectReadable(page, lang, "check page");
    await page.route("**/api/v1/check*", (r) =>
      r.fulfill({ status: 500, contentType: "application/json", body: JSON.stringify({ error: { code: "X", message: "no answer" } }) }),
    );
    await page.setInputFiles("#file", { name: "a.pdf", mimeType: "application/pdf", buffer: Buffer.from("%PDF-1.7\n") });
    await page.click("#check");
    await page.waitForSelector("#error:not([hidden])");
    expect(await active(page)).toBe("p#error");
    expect([await page.getAttribute("#error", "role"), await page.textContent("#error"), await page.textContent("#status")]).toEqual([
      "alert",
      "no answer",
      "",
    ]);
    await page.unroute("**/api/v1/check*");
  }, 60_000);

  it("a document's report page", async () => {
    expect((await page.goto(`${s.server.url}/api/v1/documents/${docId}/report.html${q}`))?.status()).toBe(200);
    await expectReadable(page, lang, "report page");
  }, 60_000);
});

describe("a province's 53 ranked agencies", () => {
  it("the 38th is reached with a few Tabs to the ranking and the arrow keys, not 53 Tabs", async () => {
    const context = await browser.newContext({ viewport: { width: 1366, height: 900 } });
    const page = await context.newPage();
    await page.goto(`${s.server.url}/sign-in`);
    await page.fill("#key", s.keys.viewer);
    await Promise.all([page.waitForURL(/\/dashboard/), page.click("#sign-in")]);
    // the sample ranks about 23 agencies: the ranking's answer is grown to the demo's 53, each with a gap
    await page.route("**/api/v1/stats/agencies?*", async (route) => {
      const answer = (await (await route.fetch()).json()) as { agencies: Array<Record<string, unknown>> };
      const model = answer.agencies.find((g) => (g.denominator as number) > 0)!;
      answer.agencies = Array.from({ length: 53 }, (_, i) => ({
        ...model,
        code: `X${String(i + 1).padStart(2, "0")}`,
        name: `Cơ quan ${i + 1}`,
        numerator: 0,
        denominator: 60 - i,
        rate: 0,
        gap: 60 - i,
      }));
      await route.fulfill({ json: answer });
    });
    await page.goto(`${s.server.url}/dashboard`);
    await page.waitForSelector("#agencies tr:nth-child(53)");
    let tabs = 0;
    while (tabs < 80 && !(await page.evaluate(() => document.activeElement?.parentElement?.id === "agencies"))) {
      await page.keyboard.press("Tab");
      tabs++;
    }
    for (let i = 0; i < 37; i++) await page.keyboard.press("ArrowDown");
    // laggards first: the 38th row is the agency with the 38th largest gap
    expect(await page.evaluate(() => (document.activeElement as HTMLElement).dataset.code)).toBe("X38");
    expect(tabs).toBeLessThanOrEqual(30);
    await context.close();
  }, 60_000);
});
