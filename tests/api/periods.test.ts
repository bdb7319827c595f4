// The reporting periods of Nghị định 09/2019/NĐ-CP through the API and leadership's report: a server with
// KYSO_REPORTING_PERIODS=nd09 and sample documents issued on the edges (the 14th and the 15th, 14 and 15
// December) counts them in the periods the decree gives, says so in every figure, and its PDF and workbook
// print the same bounds and counts; the same store read under the calendar is as before.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../../src/api/app.js";
import { pct } from "../../src/api/exports/format.js";
import { parseCsv } from "../../src/ingest/csv.js";
import { DEFAULT_POLICY } from "../../src/compliance/index.js";
import { loadTrustStore } from "../../src/config.js";
import { startServer, type RunningServer } from "../../src/server.js";
import { BlobStore } from "../../src/store/blobs.js";
import { createKey } from "../../src/store/sqlite/keys.js";
import { enterKey, launchChromium, openPage } from "../helpers/chromium.js";
import { ROOT } from "../helpers/paths.js";
import { AGENCIES_CSV, generateSample, SAMPLE_TRUST, type SampleItem } from "../../fixtures/sample/generate.js";

/** the days the sample is issued on, in turn: each pair straddles a closing day */
const EDGES = ["2023-12-14", "2023-12-15", "2024-03-14", "2024-03-15", "2024-06-14", "2024-06-15", "2024-12-14", "2024-12-15"];

let server: RunningServer;
let viewer: string;
let items: SampleItem[];
const hasPdftotext = spawnSync("pdftotext", ["-v"]).error === undefined;

beforeAll(async () => {
  const root = mkdtempSync(join(tmpdir(), "kyso-periods-"));
  const sampleDir = join(root, "sample");
  items = generateSample(sampleDir, { documents: 40, seed: 9 }).map((it, i) => ({ ...it, meta: { ...it.meta, issuedDate: EDGES[i % EDGES.length]! } }));
  server = await startServer({
    dataDir: join(root, "data"),
    port: 0,
    host: "127.0.0.1",
    trustDirs: [SAMPLE_TRUST],
    concurrency: 2,
    timeoutMs: 20_000,
    policy: { ...DEFAULT_POLICY, periods: "nd09" },
    maxBodyBytes: 50 << 20,
    publishHeads: null,
  });
  viewer = createKey(server.db, "viewer", "leadership", "test").key;
  const admin = createKey(server.db, "admin", "IT", "test").key;
  const ingest = createKey(server.db, "ingest", "document system", "test").key;
  const put = await fetch(`${server.url}/api/v1/agencies`, {
    method: "PUT",
    headers: { authorization: `Bearer ${admin}`, "content-type": "text/csv" },
    body: readFileSync(AGENCIES_CSV),
  });
  expect(put.status).toBe(200);
  for (const item of items.filter((i) => i.file)) {
    const form = new FormData();
    form.set("file", new Blob([readFileSync(join(sampleDir, item.file!))], { type: "application/pdf" }), "doc.pdf");
    for (const [k, v] of Object.entries(item.meta)) form.set(k, v);
    const r = await fetch(`${server.url}/api/v1/documents`, { method: "POST", headers: { authorization: `Bearer ${ingest}` }, body: form });
    expect(r.status).toBe(202);
  }
  const paper = items.filter((i) => !i.file).map((i) => i.meta);
  if (paper.length)
    await fetch(`${server.url}/api/v1/exchanges`, {
      method: "POST",
      headers: { authorization: `Bearer ${ingest}`, "content-type": "application/json" },
      body: JSON.stringify(paper),
    });
  await server.runner.idle();
}, 180_000);
afterAll(async () => server?.close());

const get = async <T>(path: string): Promise<T> => {
  const r = await fetch(`${server.url}${path}`, { headers: { authorization: `Bearer ${viewer}` } });
  expect(r.status, path).toBe(200);
  return (await r.json()) as T;
};

/** The sample's own truth: documents of the days [from, to] that are in the denominator, and those that count. */
function truth(from: string, to: string): { denominator: number; numerator: number } {
  const inside = items.filter((i) => i.meta.issuedDate >= from && i.meta.issuedDate <= to && i.expected.category !== "excluded");
  return { denominator: inside.length, numerator: inside.filter((i) => i.expected.counts).length };
}

type Summary = {
  period: { from: string; to: string };
  periods: string;
  policy: { periods?: string };
  denominator: number;
  numerator: number;
  rate: number | null;
};
type Series = { periods: string; series: Array<{ month: string; denominator: number; numerator: number }> };

describe("KYSO_REPORTING_PERIODS=nd09 through the API", () => {
  it("bounds the year 2024 from 15/12/2023 to 14/12/2024 and counts the documents of those days", async () => {
    const s = await get<Summary>("/api/v1/stats/summary?period=2024");
    expect(s.period).toMatchObject({ from: "2023-12-15", to: "2024-12-14", key: "2024", kind: "year" });
    expect(s.periods).toBe("nd09");
    expect(s.policy.periods).toBe("nd09");
    const want = truth("2023-12-15", "2024-12-14");
    expect(want.denominator).toBeGreaterThan(10);
    expect({ denominator: s.denominator, numerator: s.numerator }).toEqual(want);
    // 14 December 2023 is the year before's; 15 December 2024 the next's
    const next = await get<Summary>("/api/v1/stats/summary?period=2025");
    expect({ denominator: next.denominator, numerator: next.numerator }).toEqual(truth("2024-12-15", "2025-12-14"));
    expect(next.denominator).toBeGreaterThan(0);
  });

  it("puts a document of the 14th and one of the 15th in different months", async () => {
    const t = await get<Series>("/api/v1/stats/timeseries?period=2024");
    expect(t.periods).toBe("nd09");
    expect(t.series.map((m) => m.month)).toEqual([
      "2024-01",
      "2024-02",
      "2024-03",
      "2024-04",
      "2024-05",
      "2024-06",
      "2024-07",
      "2024-08",
      "2024-09",
      "2024-10",
      "2024-11",
      "2024-12",
    ]);
    const month = (m: string) => t.series.find((x) => x.month === m)!;
    // 15/12/2023 opens reporting month 01/2024; 14/03 closes 03/2024, 15/03 opens 04/2024
    expect(month("2024-01").denominator).toBe(truth("2023-12-15", "2023-12-15").denominator);
    expect(month("2024-03").denominator).toBe(truth("2024-03-14", "2024-03-14").denominator);
    expect(month("2024-04").denominator).toBe(truth("2024-03-15", "2024-03-15").denominator);
    expect(month("2024-03").denominator).toBeGreaterThan(0);
    expect(month("2024-04").denominator).toBeGreaterThan(0);
    expect(month("2024-02").denominator).toBe(0);
    // a month asked by name is those days
    const march = await get<Summary>("/api/v1/stats/summary?period=2024-03");
    expect(march.period).toMatchObject({ from: "2024-02-15", to: "2024-03-14" });
    expect(march.denominator).toBe(month("2024-03").denominator);
    // the series' months add up to the year's figure, per agency too
    const s = await get<Summary>("/api/v1/stats/summary?period=2024");
    expect(t.series.reduce((n, m) => n + m.denominator, 0)).toBe(s.denominator);
    expect(t.series.reduce((n, m) => n + m.numerator, 0)).toBe(s.numerator);
    // the spreadsheet's table names its months reporting months
    const csv = await (await fetch(`${server.url}/api/v1/stats/timeseries?period=2024&format=csv`, { headers: { authorization: `Bearer ${viewer}` } })).text();
    const { header, rows } = parseCsv(csv);
    expect(header[0]).toBe("reporting_month");
    expect(rows.map((r) => [r[0], Number(r[2])])).toEqual(t.series.map((m) => [m.month, m.denominator]));
  });

  it("lists reporting months with documents, the latest where the dashboard opens", async () => {
    const p = await get<{ periods: string; months: string[]; latest: string }>("/api/v1/stats/periods");
    expect(p.periods).toBe("nd09");
    expect(p.months).toEqual(["2023-12", "2024-01", "2024-03", "2024-04", "2024-06", "2024-07", "2024-12", "2025-01"]);
    expect(p.latest).toBe("2025-01");
  });

  it("says its convention on the agencies and the next steps, and refuses a period with from/to", async () => {
    const a = await get<{ periods: string; period: { from: string; to: string }; agencies: Array<{ denominator: number }> }>(
      "/api/v1/stats/agencies?period=2024-Q1",
    );
    expect(a).toMatchObject({ periods: "nd09", period: { from: "2023-12-15", to: "2024-03-14" } });
    expect(a.agencies.reduce((n, g) => n + g.denominator, 0)).toBe(truth("2023-12-15", "2024-03-14").denominator);
    expect((await get<{ periods: string }>("/api/v1/stats/next?period=2024")).periods).toBe("nd09");
    const both = await fetch(`${server.url}/api/v1/stats/summary?period=2024&from=2024-01-01`, { headers: { authorization: `Bearer ${viewer}` } });
    expect(both.status).toBe(400);
    const bad = await fetch(`${server.url}/api/v1/stats/summary?period=2024-Q5`, { headers: { authorization: `Bearer ${viewer}` } });
    expect(((await bad.json()) as { error: { code: string } }).error.code).toBe("BAD_PERIOD");
  });
});

describe("kyso stats under nd09", () => {
  const kyso = (...args: string[]) =>
    spawnSync(process.execPath, [join(ROOT, "bin", "kyso.js"), "stats", ...args, "--data", dirname(server.db.name)], {
      encoding: "utf8",
      env: { ...process.env, KYSO_REPORTING_PERIODS: "nd09" },
    });
  it("reads --period by the decree, prints its bounds and convention, and its months as reporting months", async () => {
    const j = kyso("--period", "2024", "--json");
    expect(j.status, j.stderr).toBe(0);
    const s = JSON.parse(j.stdout) as Summary;
    expect(s.period).toEqual({ from: "2023-12-15", to: "2024-12-14" });
    expect(s.periods).toBe("nd09");
    expect({ denominator: s.denominator, numerator: s.numerator }).toEqual(truth("2023-12-15", "2024-12-14"));
    const t = kyso("--period", "2024", "--by", "month");
    expect(t.stdout).toContain("2023-12-15 – 2024-12-14 (reporting periods of Nghị định 09/2019/NĐ-CP, closed on the 14th)");
    const api = await get<Series>("/api/v1/stats/timeseries?period=2024");
    const april = api.series.find((m) => m.month === "2024-04")!;
    expect(t.stdout).toMatch(new RegExp(`  2024-04 +\\S+ +${april.numerator}/${april.denominator}\\n`));
    expect(kyso("--period", "2024", "--from", "2024-01-01").status).toBe(2);
  });
});

describe("leadership's report under nd09", () => {
  it.skipIf(!hasPdftotext)(
    "prints the bounds, the convention and the API's counts",
    async () => {
      const res = await fetch(`${server.url}/api/v1/reports/leadership?period=2024`, { headers: { authorization: `Bearer ${viewer}` } });
      expect(res.status).toBe(200);
      const file = join(mkdtempSync(join(tmpdir(), "kyso-periods-pdf-")), "r.pdf");
      writeFileSync(file, new Uint8Array(await res.arrayBuffer()));
      const text = spawnSync("pdftotext", ["-raw", "-enc", "UTF-8", file, "-"], { encoding: "utf8" }).stdout.replace(/\s+/g, " ");
      const s = await get<Summary>("/api/v1/stats/summary?period=2024");
      expect(text).toContain("Kỳ báo cáo: năm 2024 (từ 15/12/2023 đến 14/12/2024), kỳ báo cáo theo Nghị định 09/2019/NĐ-CP");
      expect(text).toContain(`Tỷ lệ toàn tỉnh: ${pct(s.rate)}`);
      expect(text).toContain(`Văn bản điện tử có chữ ký số hợp lệ: ${s.numerator} trên ${s.denominator} văn bản được tính.`);
      // the period before is the decree's year 2023, which holds 14/12/2023
      expect(text).toMatch(/năm 2023/);
    },
    60_000,
  );

  it("as a workbook gives the bounds, the convention and each reporting month's days and counts", async () => {
    const res = await fetch(`${server.url}/api/v1/reports/leadership?period=2024&format=xlsx`, { headers: { authorization: `Bearer ${viewer}` } });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(await res.arrayBuffer()) as never);
    const sum = new Map<string, unknown>();
    wb.getWorksheet("Tổng hợp")!.eachRow((r) => sum.set(String(r.getCell(1).value), r.getCell(2).value));
    expect(sum.get("Từ ngày")).toBe("15/12/2023");
    expect(sum.get("Đến ngày")).toBe("14/12/2024");
    expect(String(sum.get("Cách tính kỳ"))).toContain("Nghị định 09/2019/NĐ-CP");
    const s = await get<Summary>("/api/v1/stats/summary?period=2024");
    expect(sum.get("Tổng số văn bản được tính")).toBe(s.denominator);
    const months = wb.getWorksheet("Theo tháng")!;
    expect((months.getRow(1).values as unknown[]).slice(1, 4)).toEqual(["Tháng báo cáo", "Từ ngày", "Đến ngày"]);
    const t = await get<Series>("/api/v1/stats/timeseries?period=2024");
    const rows: unknown[][] = [];
    for (let i = 2; i <= months.rowCount; i++) rows.push((months.getRow(i).values as unknown[]).slice(1, 6));
    expect(rows).toHaveLength(12);
    expect(rows[0]!.slice(0, 3)).toEqual(["01/2024", "15/12/2023", "14/01/2024"]);
    expect(rows[11]!.slice(0, 3)).toEqual(["12/2024", "15/11/2024", "14/12/2024"]);
    expect(rows.map((r) => [r[3], r[4]])).toEqual(t.series.map((m) => [m.numerator, m.denominator]));
  }, 60_000);
});

describe("the dashboard under nd09", () => {
  it("shows the convention and the server's bounds beside the period, the API's counts and reporting months, and its PDF agrees", async () => {
    const browser = await launchChromium();
    try {
      const { page, errors } = await openPage(browser, `${server.url}/dashboard?period=2024`);
      await enterKey(page, viewer);
      await page.waitForSelector("#report:not([hidden])");
      const s = await get<Summary>("/api/v1/stats/summary?period=2024");
      expect(await page.textContent("#periodBounds")).toBe("Kỳ báo cáo theo Nghị định 09/2019/NĐ-CP (số liệu chốt ngày 14): từ 15/12/2023 đến 14/12/2024");
      expect(await page.textContent("#rateOf")).toContain(`${s.numerator} trên ${s.denominator} văn bản`);
      expect(await page.textContent("#rate")).toBe(pct(s.rate));
      // the chart: the decree's twelve reporting months, each bar the API's count
      const t = await get<Series>("/api/v1/stats/timeseries?period=2024");
      const bars = await page.$$eval("#chart rect title", (ts) => ts.map((x) => x.textContent!));
      expect(bars.map((b) => b.slice(0, 7))).toEqual(t.series.map((m) => m.month));
      expect(bars.map((b) => /\((\d+)\/(\d+)\)$/.exec(b)?.slice(1).map(Number) ?? [0, 0])).toEqual(t.series.map((m) => [m.numerator, m.denominator]));
      // the period before is the decree's year 2023 (15/12/2022–14/12/2023), which holds 14/12/2023
      const before = await get<Summary>("/api/v1/stats/summary?period=2023");
      expect(before.denominator).toBeGreaterThan(0);
      expect(await page.textContent("#change")).toContain(`So với năm 2023 (${pct(before.rate)})`);
      // leadership's PDF from the dashboard's button: the same days and counts
      if (hasPdftotext) {
        const [file] = await Promise.all([page.waitForEvent("download"), page.click("#pdf")]);
        const text = spawnSync("pdftotext", ["-raw", "-enc", "UTF-8", (await file.path())!, "-"], { encoding: "utf8" }).stdout.replace(/\s+/g, " ");
        expect(text).toContain("(từ 15/12/2023 đến 14/12/2024), kỳ báo cáo theo Nghị định 09/2019/NĐ-CP");
        expect(text).toContain(`${s.numerator} trên ${s.denominator} văn bản được tính`);
      }
      // a month by name: the 15th opens April's reporting month
      await page.goto(`${server.url}/dashboard?period=2024-04`);
      await page.waitForSelector("#report:not([hidden])");
      const april = await get<Summary>("/api/v1/stats/summary?period=2024-04");
      await page.waitForFunction(() => document.getElementById("periodBounds")!.textContent!.endsWith("từ 15/03/2024 đến 14/04/2024"));
      expect(await page.textContent("#rateOf")).toContain(`${april.numerator} trên ${april.denominator} văn bản`);
      expect(april.denominator).toBe(truth("2024-03-15", "2024-03-15").denominator);
      expect(errors).toEqual([]);
    } finally {
      await browser.close();
    }
  }, 90_000);
});

describe("the same store under the calendar", () => {
  it("is bounded by calendar days, keeps the 14th and the 15th in one month, and says calendar", async () => {
    const app = createApp({
      db: server.db,
      blobs: new BlobStore(mkdtempSync(join(tmpdir(), "kyso-blobs-"))),
      policy: DEFAULT_POLICY,
      onQueued: () => {},
      trust: () => loadTrustStore(),
    });
    const ask = async <T>(path: string): Promise<T> => (await (await app.request(path, { headers: { authorization: `Bearer ${viewer}` } })).json()) as T;
    const s = await ask<Summary>("/api/v1/stats/summary?period=2024");
    expect(s.period).toMatchObject({ from: "2024-01-01", to: "2024-12-31" });
    expect(s.periods).toBe("calendar");
    expect(s.policy.periods).toBeUndefined();
    expect({ denominator: s.denominator, numerator: s.numerator }).toEqual(truth("2024-01-01", "2024-12-31"));
    // from/to as before: the same figure
    expect((await ask<Summary>("/api/v1/stats/summary?from=2024-01-01&to=2024-12-31")).denominator).toBe(s.denominator);
    const t = await ask<Series>("/api/v1/stats/timeseries?from=2024-01-01&to=2024-12-31");
    expect(t.periods).toBe("calendar");
    expect(t.series.find((m) => m.month === "2024-03")!.denominator).toBe(truth("2024-03-01", "2024-03-31").denominator);
    const p = await ask<{ periods: string; months: string[] }>("/api/v1/stats/periods");
    expect(p).toEqual({ periods: "calendar", months: ["2023-12", "2024-03", "2024-06", "2024-12"], latest: "2024-12" });
  });
});
