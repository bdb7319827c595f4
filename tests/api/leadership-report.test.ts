// Leadership's report, as a PDF to print and as an Excel workbook, from a running kyso with a sample
// province: the PDF's text (pdftotext) holds the headline rate, the target, the period in Vietnamese and
// every agency; the workbook reopened (exceljs) holds the same numbers as /stats/agencies and
// /stats/summary; a bad period is a 400; a server without a font says so (503) instead of failing; the
// server answers while reports are laid out on their thread. That the layout libraries stay off the
// server's event loop is tests/architecture.test.ts's; how long the loop waits meanwhile is a benchmark
// figure (npm run bench:export-loop), not a test's: timing fails on a busy machine.
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Worker } from "node:worker_threads";
import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../../src/api/app.js";
import { pct } from "../../src/api/exports/format.js";
import { DEFAULT_POLICY } from "../../src/compliance/index.js";
import { loadTrustStore } from "../../src/config.js";
import { BlobStore } from "../../src/store/blobs.js";
import { nextStepVi } from "../../src/api/report-words.js";
import type { NextStep } from "../../src/compliance/next-steps.js";
import { previousPeriod, reportPeriod } from "../../src/store/leadership.js";
import { startSampleServer, type SampleServer } from "../helpers/sample-server.js";

let s: SampleServer;
const hasPdftotext = spawnSync("pdftotext", ["-v"]).error === undefined;

beforeAll(async () => {
  s = await startSampleServer(160, 4);
}, 180_000);
afterAll(async () => s?.server.close());

const squash = (t: string) => t.replace(/\s+/g, " ");

describe("report periods", () => {
  it("read months, quarters and years, in Vietnamese, with the period before", () => {
    expect(reportPeriod("2024-11")).toMatchObject({ kind: "month", from: "2024-11-01", to: "2024-11-30", label: "tháng 11/2024" });
    expect(reportPeriod("2024-02")?.to).toBe("2024-02-29");
    expect(reportPeriod("2024-Q4")).toMatchObject({ kind: "quarter", from: "2024-10-01", to: "2024-12-31", label: "quý IV/2024" });
    expect(reportPeriod("2024")).toMatchObject({ kind: "year", from: "2024-01-01", to: "2024-12-31", label: "năm 2024" });
    expect(previousPeriod(reportPeriod("2024-01")!).key).toBe("2023-12");
    expect(previousPeriod(reportPeriod("2024-Q1")!).key).toBe("2023-Q4");
    expect(previousPeriod(reportPeriod("2024")!).key).toBe("2023");
    for (const bad of ["2024-13", "2024-Q5", "24", "2024-1", "x"]) expect(reportPeriod(bad)).toBeNull();
  });
});

describe("GET /api/v1/reports/leadership", () => {
  it.skipIf(!hasPdftotext)("as a PDF holds the headline, the target, the period in Vietnamese and every agency", async () => {
    const res = await s.as("viewer", "/api/v1/reports/leadership?period=2024");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/pdf");
    expect(res.headers.get("content-disposition")).toContain("kyso-bao-cao-2024.pdf");
    const dir = mkdtempSync(join(tmpdir(), "kyso-report-"));
    const file = join(dir, "r.pdf");
    writeFileSync(file, new Uint8Array(await res.arrayBuffer()));
    const text = squash(spawnSync("pdftotext", ["-raw", "-enc", "UTF-8", file, "-"], { encoding: "utf8" }).stdout);
    const summary = (await (await s.as("viewer", "/api/v1/stats/summary?from=2024-01-01&to=2024-12-31")).json()) as { rate: number; target: number; gap: number };
    const agencies = (await (await s.as("viewer", "/api/v1/stats/agencies?from=2024-01-01&to=2024-12-31")).json()) as { agencies: Array<{ name: string; rate: number | null; denominator: number }> };
    expect(text).toContain("BÁO CÁO TỶ LỆ VĂN BẢN ĐIỆN TỬ CÓ CHỮ KÝ SỐ");
    expect(text).toContain("Kỳ báo cáo: năm 2024 (từ 01/01/2024 đến 31/12/2024)");
    expect(text).toContain(`Tỷ lệ toàn tỉnh: ${pct(summary.rate)} — mục tiêu ${pct(summary.target)}`);
    expect(pct(summary.rate)).toMatch(/^\d+,\d%$/);
    expect(text).toContain("Mục tiêu 90,0%");
    expect(agencies.agencies.length).toBeGreaterThan(10);
    for (const a of agencies.agencies) expect(text, a.name).toContain(squash(a.name));
    // what to do next, as the dashboard says it (the same steps from /stats/next)
    const steps = ((await (await s.as("viewer", "/api/v1/stats/next?from=2024-01-01&to=2024-12-31")).json()) as { steps: NextStep[] }).steps;
    expect(steps.length).toBeGreaterThan(0);
    expect(text).toContain("Việc cần làm tiếp");
    for (const step of steps) expect(text).toContain(squash(`• ${nextStepVi(step)}`));
  }, 60_000);

  it.skipIf(!hasPdftotext)("for a month names the month and the one before", async () => {
    const res = await s.as("viewer", "/api/v1/reports/leadership?period=2024-06&format=pdf");
    const dir = mkdtempSync(join(tmpdir(), "kyso-report-"));
    writeFileSync(join(dir, "m.pdf"), new Uint8Array(await res.arrayBuffer()));
    const text = squash(spawnSync("pdftotext", ["-raw", "-enc", "UTF-8", join(dir, "m.pdf"), "-"], { encoding: "utf8" }).stdout);
    expect(text).toContain("Kỳ báo cáo: tháng 06/2024");
    expect(text).toMatch(/So với tháng 05\/2024|Kỳ trước \(tháng 05\/2024\)/);
  }, 60_000);

  it("as a workbook holds the same numbers as /stats/agencies, with Vietnamese headers", async () => {
    const res = await s.as("viewer", "/api/v1/reports/leadership?period=2024&format=xlsx");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(await res.arrayBuffer()) as never);
    expect(wb.worksheets.map((w) => w.name)).toEqual(["Tổng hợp", "Cơ quan", "Theo tháng", "Lý do"]);
    const sheet = wb.getWorksheet("Cơ quan")!;
    const header = (sheet.getRow(1).values as unknown[]).slice(1);
    expect(header.slice(0, 8)).toEqual(["Hạng", "Mã cơ quan", "Cơ quan", "Văn bản ký số hợp lệ", "Tổng số văn bản", "Tỷ lệ", "Còn thiếu", "Dưới mục tiêu"]);
    const api = (await (await s.as("viewer", "/api/v1/stats/agencies?from=2024-01-01&to=2024-12-31")).json()) as { agencies: Array<{ code: string; name: string; numerator: number; denominator: number; rate: number | null; gap: number; rank: number | null }> };
    const got = [];
    for (let i = 2; i <= sheet.rowCount; i++) {
      const v = sheet.getRow(i).values as unknown[];
      got.push({ rank: v[1] === "" ? null : v[1], code: v[2], name: v[3], numerator: v[4], denominator: v[5], rate: v[6] === "" ? null : v[6], gap: v[7] });
    }
    expect(got).toEqual(api.agencies.map((a) => ({ rank: a.rank, code: a.code, name: a.name, numerator: a.numerator, denominator: a.denominator, rate: a.rate, gap: a.gap })));
    expect(sheet.getRow(2).getCell(6).numFmt).toBe("0.0%");
    const summary = (await (await s.as("viewer", "/api/v1/stats/summary?from=2024-01-01&to=2024-12-31")).json()) as { rate: number; numerator: number; denominator: number };
    const sum = wb.getWorksheet("Tổng hợp")!;
    const byLabel = new Map<string, unknown>();
    sum.eachRow((r) => byLabel.set(String(r.getCell(1).value), r.getCell(2).value));
    expect(byLabel.get("Tỷ lệ văn bản điện tử có chữ ký số")).toBe(summary.rate);
    expect(byLabel.get("Tổng số văn bản được tính")).toBe(summary.denominator);
    const steps = ((await (await s.as("viewer", "/api/v1/stats/next?from=2024-01-01&to=2024-12-31")).json()) as { steps: NextStep[] }).steps;
    expect(byLabel.get("Việc cần làm tiếp")).toBe(nextStepVi(steps[0]!));
  }, 60_000);

  it("refuses a period it cannot read, and keys without a role for it", async () => {
    const bad = await s.as("viewer", "/api/v1/reports/leadership?period=2024-13");
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { code: string } }).error.code).toBe("BAD_PERIOD");
    expect((await s.as("none", "/api/v1/reports/leadership?period=2024")).status).toBe(401);
    expect((await s.as("ingest", "/api/v1/reports/leadership?period=2024")).status).toBe(403);
  });

  it("is laid out off the HTTP event loop: the server keeps answering while reports are made", async () => {
    // four reports queue on the one export thread; requests sent after them are answered before the last
    // is done (an order, not a time: on the loop, the layouts would hold every request behind them)
    const order: string[] = [];
    const reports = ["pdf", "pdf", "xlsx", "pdf"].map((format) =>
      s.as("viewer", `/api/v1/reports/leadership?period=2024&format=${format}`).then(async (r) => (await r.arrayBuffer(), order.push("report"), r.status)),
    );
    await new Promise((resolve) => setImmediate(resolve));
    const answers = ["/healthz", "/api/v1/stats/periods"].map((path) => s.as("viewer", path).then(async (r) => (await r.arrayBuffer(), order.push(path), r.status)));
    expect(await Promise.all([...reports, ...answers])).toEqual([200, 200, 200, 200, 200, 200]);
    expect(order.lastIndexOf("report")).toBeGreaterThan(order.indexOf("/healthz"));
    expect(order.lastIndexOf("report")).toBeGreaterThan(order.indexOf("/api/v1/stats/periods"));
  });

  it("hands the layout to a thread of its own", async () => {
    // a new app: its first report starts the export thread, the one thread it makes
    const app = createApp({ db: s.server.db, blobs: new BlobStore(mkdtempSync(join(tmpdir(), "kyso-blobs-"))), policy: DEFAULT_POLICY, onQueued: () => {}, trust: () => loadTrustStore() });
    const started: Worker[] = [];
    const onWorker = (w: Worker) => started.push(w);
    process.on("worker", onWorker);
    try {
      const r = await app.request("/api/v1/reports/leadership?period=2024&format=xlsx", { headers: { authorization: `Bearer ${s.keys.viewer}` } });
      expect(r.status).toBe(200);
      expect(Buffer.from(await r.arrayBuffer()).subarray(0, 2).toString()).toBe("PK");
      expect(started).toHaveLength(1);
    } finally {
      process.off("worker", onWorker);
      await Promise.all(started.map((w) => w.terminate()));
    }
  });

  it("says which font is missing instead of failing (503)", async () => {
    const before = process.env.KYSO_FONT;
    process.env.KYSO_FONT = "/nonexistent/font.ttf";
    try {
      const r = await s.as("viewer", "/api/v1/reports/leadership?period=2024");
      expect(r.status).toBe(503);
      expect(((await r.json()) as { error: { message: string } }).error.message).toMatch(/font.*nonexistent\/font\.ttf/);
    } finally {
      if (before === undefined) delete process.env.KYSO_FONT;
      else process.env.KYSO_FONT = before;
    }
  });
});
