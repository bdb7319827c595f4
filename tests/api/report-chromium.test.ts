// The report page rendered by headless Chromium (Debian's, driven by playwright-core): the screenshot is
// read back with Tesseract's Vietnamese model and compared with the page's text content, word by word, so
// a missing glyph or a broken encoding of the diacritics shows (the comparison is of text, not pixels).
import { spawnSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium } from "../helpers/chromium.js";
import { startSampleServer, type SampleServer } from "../helpers/sample-server.js";

let s: SampleServer;
let browser: Browser;

beforeAll(async () => {
  if (spawnSync("tesseract", ["--list-langs"], { encoding: "utf8" }).stdout?.includes("vie") !== true)
    throw new Error("tesseract with Vietnamese is needed (apt-get install tesseract-ocr tesseract-ocr-vie); .ci/run installs it");
  s = await startSampleServer(20, 5);
  browser = await launchChromium();
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await s?.server.close();
});

/** Words as a reader sees them: NFC, lower case, letters and digits only. */
const words = (text: string) =>
  text
    .normalize("NFC")
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w.length >= 2);
const vietnamese = (w: string) => /[^\x00-\x7f]/.test(w);

describe("the report page in headless Chromium", () => {
  it("shows the Vietnamese text the page holds", async () => {
    const item = s.items.find((i) => i.kind === "nd30" && i.file && i.meta.classification === "none")!;
    const { id } = s.server.db.prepare("SELECT id FROM documents WHERE number = ?").get(item.meta.number) as { id: string };
    const context = await browser.newContext({
      extraHTTPHeaders: { authorization: `Bearer ${s.keys.auditor}` },
      viewport: { width: 1100, height: 900 },
      deviceScaleFactor: 2,
    });
    const page = await context.newPage();
    const res = await page.goto(`${s.server.url}/api/v1/documents/${id}/report.html`);
    expect(res?.status()).toBe(200);
    const shown = await page.innerText("body");
    expect(shown).toContain("Báo cáo kiểm tra chữ ký số");
    expect(shown).toContain("Văn bản có chữ ký số hợp lệ");
    const png = join(mkdtempSync(join(tmpdir(), "kyso-shot-")), "report.png");
    await page.screenshot({ path: png, fullPage: true });
    await context.close();

    const ocr = spawnSync("tesseract", [png, "stdout", "-l", "vie", "--psm", "3"], { encoding: "utf8", timeout: 60_000 });
    expect(ocr.status, ocr.stderr).toBe(0);
    const read = new Set(words(ocr.stdout));
    // the Vietnamese words of the page (diacritics are where a wrong font or encoding fails), outside hashes
    const expected = [...new Set(words(shown.replace(/\b[0-9a-f]{16,}\b…?/g, "")).filter(vietnamese))];
    expect(expected.length).toBeGreaterThan(40);
    const missed = expected.filter((w) => !read.has(w));
    expect(missed.length / expected.length, `words not read back: ${missed.join(" ")}`).toBeLessThan(0.1);
    for (const phrase of ["báo cáo kiểm tra chữ ký số", "người ký", "thời điểm ký"])
      expect(ocr.stdout.normalize("NFC").toLowerCase(), phrase).toContain(phrase);
  }, 60_000);
});
