// Sign in once per browser session (issue 25, point 1), in Debian's Chromium: with a key on the sign-in
// page, with the province's account at a real OpenID Connect provider, and with a page's own key form;
// then the dashboard and the auditors' page open in new tabs of the same browser with nothing entered
// again, each with the header naming who is signed in (and no wider than the screen); after sign-out the
// API answers 401. At a desktop's size in Vietnamese and a phone's in English.
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium } from "../helpers/chromium.js";
import { freePort, startTestProvider, type TestProvider } from "../helpers/oidc-provider.js";
import { startSampleServer, type SampleServer } from "../helpers/sample-server.js";

let s: SampleServer;
let provider: TestProvider;
let browser: Browser;

beforeAll(async () => {
  const port = await freePort();
  const redirect = `http://127.0.0.1:${port}/sign-in/oidc/callback`;
  provider = await startTestProvider([redirect], { "kiem-toan": { name: "Trần Thị Kiểm", kysoRoles: ["auditor"] } });
  s = await startSampleServer(6, 7, {
    port,
    signIn: {
      sessionTtlMs: 12 * 3600_000,
      publicUrl: null,
      oidc: {
        issuer: provider.issuer,
        clientId: provider.clientId,
        clientSecret: provider.clientSecret,
        redirectUrl: redirect,
        scope: "openid profile kyso",
        roleClaim: "kyso_roles",
        roleMap: null,
      },
    },
  });
  browser = await launchChromium();
}, 180_000);
afterAll(async () => {
  await browser?.close();
  await s?.server.close();
  await provider?.close();
});

interface Setting {
  name: string;
  viewport: { width: number; height: number };
  lang: "vi" | "en";
}
const SETTINGS: Setting[] = [
  { name: "desktop, Vietnamese", viewport: { width: 1366, height: 900 }, lang: "vi" },
  { name: "desktop, English", viewport: { width: 1366, height: 900 }, lang: "en" },
  { name: "phone, Vietnamese", viewport: { width: 390, height: 844 }, lang: "vi" },
  { name: "phone, English", viewport: { width: 390, height: 844 }, lang: "en" },
];
const WORDS = { vi: { signedOut: "Đã đăng xuất.", notSignedIn: "Chưa đăng nhập" }, en: { signedOut: "Signed out.", notSignedIn: "Not signed in" } };

/** A page of a context that collects script errors. */
async function tab(context: BrowserContext, errors: string[]): Promise<Page> {
  const page = await context.newPage();
  page.on("pageerror", (e) => errors.push(e.message));
  page.on("console", (m) => m.type() === "error" && !/401|Failed to load resource/.test(m.text()) && errors.push(m.text()));
  return page;
}

/** In new tabs of the same browser: the dashboard shows its figures and the auditors' page its log check, nothing entered. */
async function pagesOpenSignedIn(context: BrowserContext, who: RegExp, errors: string[], q = ""): Promise<void> {
  const dashboard = await tab(context, errors);
  await dashboard.goto(`${s.server.url}/dashboard${q}`);
  await dashboard.waitForSelector("#report:not([hidden])");
  expect(await dashboard.isVisible("#keyForm")).toBe(false);
  expect(await dashboard.textContent("#kyso-who")).toMatch(who);
  // the header fits the screen (a phone's too)
  expect(await dashboard.evaluate(() => document.querySelector(".kyso-top")!.scrollWidth <= window.innerWidth)).toBe(true);
  const auditor = await tab(context, errors);
  await auditor.goto(`${s.server.url}/auditor${q}`);
  await auditor.waitForSelector("#main:not([hidden])");
  // its first call with the session: the log's check, an auditor's
  await auditor.waitForSelector("#verifyResult.ok");
  expect(await auditor.isVisible("#keyForm")).toBe(false);
  expect(await auditor.textContent("#kyso-who")).toMatch(who);
}

/** Signs out from a page's header; then the same browser's API calls are refused and the pages ask to sign in. */
async function signOutEndsIt(context: BrowserContext, errors: string[], lang: "vi" | "en"): Promise<void> {
  const q = lang === "en" ? "?lang=en" : "";
  const page = await tab(context, errors);
  await page.goto(`${s.server.url}/check${q}`);
  await Promise.all([page.waitForURL(/\/sign-in\?error=signed-out/), page.click(".kyso-signout button")]);
  expect(await page.textContent("#message")).toBe(WORDS[lang].signedOut);
  await page.goto(`${s.server.url}/dashboard${q}`);
  expect(await page.evaluate(async () => (await fetch("/api/v1/stats/periods")).status)).toBe(401);
  expect(await page.isVisible("#keyForm")).toBe(true);
  expect(await page.isVisible("#report")).toBe(false);
  expect(await page.textContent("#kyso-who")).toBe(WORDS[lang].notSignedIn);
}

describe.each(SETTINGS)("signing in once in Chromium ($name)", ({ viewport, lang }) => {
  const q = lang === "en" ? "?lang=en" : "";
  it("with a key on the sign-in page: an HttpOnly, SameSite=Strict cookie, and every page opens with it", async () => {
    const context = await browser.newContext({ viewport });
    const errors: string[] = [];
    const page = await tab(context, errors);
    await page.goto(`${s.server.url}/sign-in?next=${encodeURIComponent("/dashboard?lang=en")}${lang === "en" ? "&lang=en" : ""}`);
    await page.fill("#key", s.keys.auditor);
    await Promise.all([page.waitForURL(/\/dashboard\?/), page.click("#sign-in")]);
    await page.waitForSelector("#report:not([hidden])");
    // focus went where signing in led: the page's main heading, not the top of the page
    expect(await page.evaluate(() => document.activeElement?.matches("main h1"))).toBe(true);
    const [cookie] = (await context.cookies()).filter((c) => c.name === "kyso_session");
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: "Strict", secure: false, path: "/" });
    // the cookie's expiry is the session's: 12 hours from now
    expect(Math.abs(cookie!.expires - (Date.now() / 1000 + 12 * 3600))).toBeLessThan(120);
    // the page's script cannot read it
    expect(await page.evaluate(() => document.cookie)).not.toContain("kyso_session");
    await pagesOpenSignedIn(context, /inspectorate \(auditor\)/, errors, q);
    await signOutEndsIt(context, errors, lang);
    expect(errors).toEqual([]);
    await context.close();
  }, 90_000);

  it("with the province's account at its identity provider", async () => {
    const context = await browser.newContext({ viewport });
    const errors: string[] = [];
    const page = await tab(context, errors);
    await page.goto(`${s.server.url}/sign-in?next=${encodeURIComponent(`/dashboard${q}`)}${lang === "en" ? "&lang=en" : ""}`);
    await page.click("#oidc");
    // the provider's own login form
    await page.waitForURL((u) => u.href.startsWith(provider.issuer));
    await page.fill("input[name=login]", "kiem-toan");
    await page.fill("input[name=password]", "any");
    // opened at the page's main heading, where focus starts
    await Promise.all([page.waitForURL(`${s.server.url}/dashboard${q}#h`), page.click("button[type=submit]")]);
    await page.waitForSelector("#report:not([hidden])");
    expect(await page.evaluate(() => document.activeElement?.matches("main h1"))).toBe(true);
    expect(await page.textContent("#kyso-who")).toMatch(/Trần Thị Kiểm \(auditor\)/);
    await pagesOpenSignedIn(context, /Trần Thị Kiểm \(auditor\)/, errors, q);
    await signOutEndsIt(context, errors, lang);
    expect(errors).toEqual([]);
    await context.close();
  }, 90_000);

  it("with a page's own key form: the key signs in, and the page opens again with the session", async () => {
    const context = await browser.newContext({ viewport });
    const errors: string[] = [];
    const page = await tab(context, errors);
    await page.goto(`${s.server.url}/auditor${q}`);
    expect(await page.textContent("#kyso-who")).toBe(WORDS[lang].notSignedIn);
    await page.fill("#key", s.keys.revoked);
    await page.click("#show");
    await page.waitForSelector("#error:not([hidden])");
    expect(await page.textContent("#error")).toMatch(lang === "en" ? /not valid/ : /không hợp lệ/);
    await page.fill("#key", s.keys.auditor);
    await Promise.all([page.waitForEvent("load"), page.click("#show")]);
    await page.waitForSelector("#main:not([hidden])");
    expect(await page.evaluate(() => document.activeElement?.matches("main h1"))).toBe(true);
    expect(await page.textContent("#kyso-who")).toMatch(/inspectorate \(auditor\)/);
    // nothing of the key is kept by the page: the tab's storage is empty
    expect(await page.evaluate(() => JSON.stringify({ ...sessionStorage }))).toBe("{}");
    await pagesOpenSignedIn(context, /inspectorate/, errors, q);
    expect(errors).toEqual([]);
    await context.close();
  }, 90_000);
});
