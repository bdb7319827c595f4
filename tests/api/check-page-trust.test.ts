// The check page (and the dashboard) warn when the server's trust store differs from the one its stored reports were made
// under (issue 25, point 6): a store analysed under the fixture PKI's trust folder, then the server started
// again without it. The page says nothing under the store's own trust store; started without it, it says,
// in the page's language and above the result of a check, how many stored reports another store made.
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_POLICY } from "../../src/compliance/index.js";
import { startServer, type RunningServer } from "../../src/server.js";
import { createKey } from "../../src/store/sqlite/keys.js";
import { enterKey, launchChromium } from "../helpers/chromium.js";
import { FIXTURES, ROOT } from "../helpers/paths.js";

const FIXTURE_TRUST = join(ROOT, "fixtures", "trust");
const AGENCIES = [
  { code: "000.00.00.H53", name: "Ủy ban nhân dân tỉnh Tây Ninh", parent: null, kind: "administrative" },
  { code: "000.00.01.H53", name: "Sở Tài chính tỉnh Tây Ninh", parent: "000.00.00.H53", kind: "administrative" },
];
const dataDir = mkdtempSync(join(tmpdir(), "kyso-check-trust-"));
let running: RunningServer | null = null;
let browser: Browser;
let key = "";

const start = async (trustDirs: string[]) => {
  await running?.close();
  running = await startServer({
    dataDir,
    port: 0,
    host: "127.0.0.1",
    trustDirs,
    concurrency: 1,
    timeoutMs: 20_000,
    policy: DEFAULT_POLICY,
    maxBodyBytes: 50 << 20,
    publishHeads: null,
  });
  return running;
};

beforeAll(async () => {
  browser = await launchChromium();
  const s = await start([FIXTURE_TRUST]);
  key = createKey(s.db, "admin", "IT department", "test").key;
  const as = (path: string, init: RequestInit) =>
    fetch(`${s.url}${path}`, { ...init, headers: { ...(init.headers as Record<string, string>), authorization: `Bearer ${key}` } });
  expect((await as("/api/v1/agencies", { method: "PUT", headers: { "content-type": "application/json" }, body: JSON.stringify(AGENCIES) })).status).toBe(200);
  const form = new FormData();
  form.set("file", new Blob([readFileSync(join(FIXTURES, "signed-cades-rsa-sha256.pdf"))], { type: "application/pdf" }), "a.pdf");
  for (const [k, v] of Object.entries({ sender: "000.00.01.H53", recipients: "000.00.00.H53", number: "1/QĐ-STC", issuedDate: "2024-06-15" })) form.set(k, v);
  expect((await as("/api/v1/documents", { method: "POST", body: form })).status).toBe(202);
  await s.runner.idle();
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await running?.close();
});

/** The check page, once it has read the server's trust. */
async function checkPage(lang: "vi" | "en"): Promise<Page> {
  const page = await (await browser.newContext({ viewport: { width: 390, height: 844 } })).newPage();
  await page.goto(`${running!.url}/check${lang === "en" ? "?lang=en" : ""}`);
  await page.waitForSelector("#trustWarning[data-read]", { state: "attached" });
  return page;
}

describe("the check page's trust warning", () => {
  it("says nothing when the stored reports were made under the server's own trust store", async () => {
    const page = await checkPage("en");
    expect(await page.isVisible("#trustWarning")).toBe(false);
    expect(await page.textContent("#trustWarning")).toBe("");
    await page.context().close();
  }, 60_000);

  it("warns, in both languages and above the result, when the server starts without the folder the reports used", async () => {
    await start([]);
    const vi = await checkPage("vi");
    expect(await vi.isVisible("#trustWarning")).toBe(true);
    expect(await vi.textContent("#trustWarning")).toMatch(/^1 báo cáo đã lưu được lập với một bộ chứng thư gốc khác/);
    await vi.context().close();

    const page = await checkPage("en");
    expect(await page.textContent("#trustWarning")).toMatch(
      /^1 stored report was made under another trust store than the one this server uses \([0-9a-f]{12}…, \d+ roots?\): a document checked here can get another verdict/,
    );
    await enterKey(page, key);
    await page.waitForSelector("#trustWarning[data-read]:not([hidden])");
    await page.setInputFiles("#file", join(FIXTURES, "signed-cades-rsa-sha256.pdf"));
    await page.click("#check");
    await page.waitForSelector("#result:not([hidden]) #verdict");
    const [warning, result] = await Promise.all(["#trustWarning", "#result"].map(async (sel) => (await page.locator(sel).boundingBox())!));
    expect(warning!.y + warning!.height).toBeLessThanOrEqual(result!.y);
    await page.context().close();

    // the dashboard's figures come from the same stored reports: it says so too, above them
    const dash = await (await browser.newContext({ viewport: { width: 1366, height: 900 } })).newPage();
    await dash.goto(`${running!.url}/dashboard?lang=en`);
    await dash.waitForSelector("#trustWarning[data-read]", { state: "attached" });
    expect(await dash.isVisible("#trustWarning")).toBe(true);
    expect(await dash.textContent("#trustWarning")).toMatch(/^1 stored report was made under another trust store than the one this server uses/);
    await dash.context().close();
  }, 60_000);
});
