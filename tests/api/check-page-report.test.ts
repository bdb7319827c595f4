// The page POST /api/v1/check?format=html answers for a file checked alone (issue 25): what is true of that
// file (its name, size, SHA-256, pages and revisions with English plurals, when kyso checked it, once that
// nothing was kept) and none of a register's fields or a log, read as the text the server sends, in both
// languages; the same file's JSON report says the same size and hash.
import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_POLICY } from "../../src/compliance/index.js";
import { UI } from "../../src/api/report-words.js";
import { startServer, type RunningServer } from "../../src/server.js";
import { createKey } from "../../src/store/sqlite/keys.js";
import { FIXTURES, ROOT } from "../helpers/paths.js";

let s: RunningServer;
let key = "";
beforeAll(async () => {
  s = await startServer({
    dataDir: mkdtempSync(join(tmpdir(), "kyso-check-html-")),
    port: 0,
    host: "127.0.0.1",
    trustDirs: [join(ROOT, "fixtures", "trust")],
    concurrency: 1,
    timeoutMs: 20_000,
    policy: DEFAULT_POLICY,
    maxBodyBytes: 50 << 20,
    publishHeads: null,
  });
  key = createKey(s.db, "ingest", "document system", "test").key;
}, 60_000);
afterAll(async () => s?.close());

async function check(file: string, query: string): Promise<Response> {
  const form = new FormData();
  form.set("file", new Blob([readFileSync(join(FIXTURES, file))]), file);
  return fetch(`${s.url}/api/v1/check${query}`, { method: "POST", body: form, headers: { authorization: `Bearer ${key}` } });
}

/** The rows of the page's tables as "label: value" text, tags dropped and characters unescaped. */
const text = (s: string): string => s.replace(/<[^>]+>/g, "").replace(/&#(\d+);/g, (_, n: string) => String.fromCharCode(Number(n)));
const rows = (html: string): string[] => [...html.matchAll(/<tr><th>(.*?)<\/th><td>(.*?)<\/td><\/tr>/gs)].map((m) => `${text(m[1]!)}: ${text(m[2]!)}`);

describe("the page of a file checked alone", () => {
  it.each(["en", "vi"] as const)(
    "says what is true of the file and nothing of a register (%s)",
    async (lang) => {
      const bytes = readFileSync(join(FIXTURES, "unsigned.pdf"));
      const report = (await (await check("unsigned.pdf", "")).json()) as { bytes: number; sha256: string; pdf: { pages: number; revisions: number } };
      expect([report.bytes, report.sha256, report.pdf.pages, report.pdf.revisions]).toEqual([
        bytes.length,
        createHash("sha256").update(bytes).digest("hex"),
        1,
        1,
      ]);
      const html = await (await check("unsigned.pdf", `?format=html&lang=${lang}`)).text();
      const r = rows(html);
      const t = (k: string) => UI[k]![lang];
      expect(r).toContain(`${t("fileName")}: unsigned.pdf`);
      expect(r).toContain(`${t("size")}: ${bytes.length} ${lang === "en" ? "bytes" : "byte"}`);
      expect(r).toContain(`${t("sha256")}: ${report.sha256}`);
      // English plurals: one page, one revision
      expect(r).toContain(`${t("pdfHolds")}: ${lang === "en" ? "1 page, 1 revision" : "1 trang, 1 phiên bản"}`);
      expect(r.find((x) => x.startsWith(`${t("checkedAt")}: `))).toMatch(/: \d{2}\/\d{2}\/\d{4} \d{2}:\d{2}:\d{2}$/);
      expect(text(html).split(t("checkedAlone")).length - 1).toBe(1);
      // no register field, no log: the file's name is not a number, nobody sent it, it counts in nothing
      for (const k of ["number", "sender", "subject", "received", "receipt", "category", "counts", "sealedBy", "document", "log", "actor"])
        expect(
          r.some((x) => x.startsWith(`${t(k)}:`)),
          k,
        ).toBe(false);
      expect(html).not.toContain(`<h2>${t("log")}</h2>`);
      expect(html).not.toContain(`<h2>${t("document")}</h2>`);
      expect(html).toContain(`<title>${t("title")}: unsigned.pdf</title>`);
    },
    60_000,
  );
});
