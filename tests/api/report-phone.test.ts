// The report pages on a phone (issue 25, point 2): at 390 px wide, in Debian's Chromium, no element is wider
// than the screen (not even inside a scroll box: a reader should not have to scroll sideways to read a
// fingerprint), no text is smaller than 12 px and axe-core finds no violation of any impact, with every
// certificate table opened; the pages with the
// longest lines (seven signatures, a changed document, an expired certificate) and a paper document.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { analyzeStructure as analyze } from "../../src/analyze.js";
import { loadTrustStore } from "../../src/config.js";
import { renderNoReportHtml } from "../../src/api/no-report-html.js";
import { renderReportHtml } from "../../src/api/report-html.js";
import { trustView } from "../../src/api/report-trust.js";
import type { AuditEntry } from "../../src/store/sqlite/audit.js";
import type { DocumentRow } from "../../src/store/sqlite/documents.js";
import { launchChromium } from "../helpers/chromium.js";
import { AT, FIXTURES, ROOT } from "../helpers/paths.js";

const AXE = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");
const trust = loadTrustStore([join(ROOT, "fixtures", "trust")]);
const doc = {
  id: "d1",
  number: "1234/QĐ-UBND-KTTC",
  sender: "000.00.01.H53",
  subject: "Về việc phê duyệt kế hoạch chuyển đổi số năm 2025 của các cơ quan, đơn vị trên địa bàn tỉnh",
  received_at: "2024-05-06T01:02:03.000Z",
  category: "signed-valid",
  counts: 1,
} as unknown as DocumentRow;
const entries = [{ seq: 12, at: "2026-11-26T03:00:01.000Z", action: "analysis", actor: "kyso", hash: "ab".repeat(32) }] as unknown as AuditEntry[];

let browser: Browser;
beforeAll(async () => {
  browser = await launchChromium();
}, 60_000);
afterAll(async () => browser?.close());

/** What breaks a phone's reading of `html` at 390×844: elements past the right edge, text under 12 px, axe's findings. */
async function phoneProblems(html: string): Promise<{ wide: string[]; small: string[]; scrollWidth: number; axe: string[] }> {
  const page = await (await browser.newContext({ viewport: { width: 390, height: 844 } })).newPage();
  try {
    await page.setContent(html);
    await page.addScriptTag({ content: AXE });
    // axe-core's violations of any impact
    const axe = (await page.evaluate(async () =>
      (
        await (
          window as unknown as { axe: { run(): Promise<{ violations: Array<{ id: string; impact: string; nodes: Array<{ target: string[] }> }> }> } }
        ).axe.run()
      ).violations.map(
        (v) =>
          `${v.id} (${v.impact}) at ${v.nodes
            .map((n) => n.target.join(" "))
            .slice(0, 3)
            .join(", ")}`,
      ),
    )) as string[];
    const layout = await page.evaluate(() => {
      for (const d of document.querySelectorAll("details")) d.open = true;
      const w = document.documentElement.clientWidth;
      const wide: string[] = [];
      const small: string[] = [];
      for (const e of document.querySelectorAll("body *")) {
        const r = e.getBoundingClientRect();
        const name = `${e.tagName.toLowerCase()}${e.id ? "#" + e.id : ""}: ${(e.textContent ?? "").slice(0, 30)}`;
        if (r.width > 0 && r.right > w + 0.5) wide.push(`${name} (${Math.round(r.right)} px)`);
        const ownText = [...e.childNodes].some((n) => n.nodeType === 3 && (n.textContent ?? "").trim() !== "");
        if (ownText && parseFloat(getComputedStyle(e).fontSize) < 12) small.push(`${name} (${getComputedStyle(e).fontSize})`);
      }
      return { wide: wide.slice(0, 10), small: small.slice(0, 10), scrollWidth: document.documentElement.scrollWidth };
    });
    return { ...layout, axe };
  } finally {
    await page.context().close();
  }
}

describe("report pages at 390 px", () => {
  it.each(["vgca-seven-signatures-page-changed.pdf", "expired-signer.pdf", "signed-cades-rsa-sha256.pdf", "content-replaced-after-signing.pdf"])(
    "%s: nothing wider than the screen, no text under 12 px",
    async (file) => {
      const report = analyze(readFileSync(join(FIXTURES, file)), { now: AT, trust, receivedAt: "2026-11-26T03:00:00.000Z", existenceBasis: "receipt" });
      for (const lang of ["vi", "en"] as const) {
        const found = await phoneProblems(
          renderReportHtml({ document: doc, senderName: "Sở Tài chính tỉnh Tây Ninh", report, entries, trust: trustView(trust) }, lang),
        );
        expect(found.wide, `${file} (${lang})`).toEqual([]);
        expect(found.small, `${file} (${lang})`).toEqual([]);
        expect(found.scrollWidth).toBeLessThanOrEqual(390);
        expect(found.axe, `${file} (${lang})`).toEqual([]);
      }
    },
    60_000,
  );

  it("a paper document's page too", async () => {
    for (const lang of ["vi", "en"] as const) {
      const found = await phoneProblems(
        renderNoReportHtml({ ...doc, channel: "paper", sha256: null, status: "paper", category: "paper" } as DocumentRow, "Sở Tài chính tỉnh Tây Ninh", lang),
      );
      expect([found.wide, found.small, found.axe]).toEqual([[], [], []]);
    }
  }, 60_000);
});
