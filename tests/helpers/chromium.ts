// Debian's Chromium through playwright-core, headless, with nothing that reaches the network on its own.
import { existsSync } from "node:fs";
import { chromium, type Browser, type Page } from "playwright-core";

const CHROMIUM = "/usr/bin/chromium";

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error("Debian's chromium is needed (apt-get install chromium); .ci/run installs it");
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
      "--disable-quic",
    ],
  });
}

/** A page of its own at `url` that collects script errors; the page must be served under a script-hash CSP. */
export async function openPage(browser: Browser, url: string): Promise<{ page: Page; errors: string[] }> {
  const page = await (await browser.newContext({ acceptDownloads: true })).newPage();
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));
  page.on("console", (m) => m.type() === "error" && errors.push(m.text()));
  const res = await page.goto(url);
  if (res?.status() !== 200) throw new Error(`${url}: HTTP ${res?.status()}`);
  if (!/script-src 'sha256-/.test(res.headers()["content-security-policy"] ?? "")) throw new Error(`${url}: no script-hash Content-Security-Policy`);
  return { page, errors };
}

/** Types an API key into a page's key form and submits it: a valid key signs in, and the page opens again with the session (waited for). */
export async function enterKey(page: Page, key: string): Promise<void> {
  await page.fill("#key", key);
  const answer = page.waitForResponse((r) => new URL(r.url()).pathname === "/sign-in" && r.request().method() === "POST");
  // listened for first: the page opens again at once after a good answer
  const loaded = page.waitForEvent("load");
  loaded.catch(() => undefined);
  await page.click("#show");
  if ((await answer).ok()) await loaded;
}
