// Leadership's report, as a PDF to print and as an Excel workbook, from a running kyso with a sample
// province: the PDF's text (pdftotext) holds the headline rate, the target, the period in Vietnamese and
// every agency, the share of validly signed documents sealed by their sender (the province's and each
// agency's) and the documents it did not seal with who did; the workbook reopened (exceljs) holds the same
// numbers as /stats/agencies and /stats/summary, and those documents on a sheet of their own; a bad period is a 400; a server without a font says so (503) instead of failing; the
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
import { day, pct } from "../../src/api/exports/format.js";
import { DEFAULT_POLICY } from "../../src/compliance/index.js";
import { loadTrustStore } from "../../src/config.js";
import { BlobStore } from "../../src/store/blobs.js";
import { nextStepVi, sealerText } from "../../src/api/report-words.js";
import type { NextStep } from "../../src/compliance/next-steps.js";
import { previousPeriod, reportPeriod } from "../../src/store/read-model/leadership.js";
import { startSampleServer, type SampleServer } from "../helpers/sample-server.js";

let s: SampleServer;
const hasPdftotext = spawnSync("pdftotext", ["-v"]).error === undefined;

beforeAll(async () => {
  s = await startSampleServer(160, 4);
}, 180_000);
afterAll(async () => s?.server.close());

const squash = (t: string) => t.replace(/\s+/g, " ");
const YEAR = "from=2024-01-01&to=2024-12-31";

type Sealed = { signedValid: number; bySender: number; share: number | null };
type Listed = {
  id: string;
  number: string;
  sender: string;
  issuedDate: string | null;
  receivedAt: string;
  category: string;
  signerBinding: { status: string; agency?: string; name: string };
};
/** The year's validly signed documents their sender did not seal, from the API's lists, and the directory's names. */
async function notSealedBySender(): Promise<{ docs: Listed[]; names: Map<string, string> }> {
  const docs: Listed[] = [];
  for (const b of ["another-agency", "not-matched", "no-organisation-signature"]) {
    const page = (await (await s.as("viewer", `/api/v1/documents?binding=${b}&${YEAR}&limit=500`)).json()) as { documents: Listed[] };
    docs.push(...page.documents.filter((d) => d.category === "signed-valid" || d.category === "signed-valid-not-sender"));
  }
  const names = new Map(
    ((await (await s.as("viewer", "/api/v1/agencies")).json()) as { agencies: Array<{ code: string; name: string }> }).agencies.map((a) => [a.code, a.name]),
  );
  return { docs, names };
}

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

describe("who sealed a document, in the reports' words", () => {
  it("names the sealing agency from the directory, else the certificate's name, never guessing between candidates", () => {
    expect(
      sealerText({ status: "another-agency", sealedByName: "Văn phòng Ủy ban nhân dân tỉnh Tây Ninh", certificateName: "VP UBND TỈNH TÂY NINH" }, "vi"),
    ).toBe("Văn phòng Ủy ban nhân dân tỉnh Tây Ninh");
    expect(sealerText({ status: "not-matched", certificateName: "BỘ Y TẾ" }, "vi")).toBe("BỘ Y TẾ (tên không có trong danh mục)");
    expect(sealerText({ status: "not-matched", certificateName: "Văn phòng", candidates: ["H53.21.01", "H53.22.01"] }, "en")).toBe(
      "Văn phòng (the name of several agencies: H53.21.01, H53.22.01)",
    );
    expect(sealerText({ status: "no-organisation-signature", certificateName: "Phòng Nội vụ, UBND huyện Gò Dầu" }, "vi")).toBe(
      "chỉ có chữ ký số cá nhân (Phòng Nội vụ, UBND huyện Gò Dầu)",
    );
    expect(sealerText({ status: "no-organisation-signature", certificateName: "" }, "en")).toBe("officials only");
  });
});

describe("GET /api/v1/reports/leadership", () => {
  it.skipIf(!hasPdftotext)(
    "as a PDF holds the headline, the target, the period in Vietnamese and every agency",
    async () => {
      const res = await s.as("viewer", "/api/v1/reports/leadership?period=2024");
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toBe("application/pdf");
      expect(res.headers.get("content-disposition")).toContain("kyso-bao-cao-2024.pdf");
      const dir = mkdtempSync(join(tmpdir(), "kyso-report-"));
      const file = join(dir, "r.pdf");
      writeFileSync(file, new Uint8Array(await res.arrayBuffer()));
      const text = squash(spawnSync("pdftotext", ["-raw", "-enc", "UTF-8", file, "-"], { encoding: "utf8" }).stdout);
      const summary = (await (await s.as("viewer", "/api/v1/stats/summary?from=2024-01-01&to=2024-12-31")).json()) as {
        rate: number;
        target: number;
        gap: number;
      };
      const agencies = (await (await s.as("viewer", "/api/v1/stats/agencies?from=2024-01-01&to=2024-12-31")).json()) as {
        agencies: Array<{ name: string; rate: number | null; denominator: number }>;
      };
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
    },
    60_000,
  );

  it.skipIf(!hasPdftotext)(
    "as a PDF says how many validly signed documents their sender sealed, per agency, and lists the others with who sealed them",
    async () => {
      const res = await s.as("viewer", "/api/v1/reports/leadership?period=2024");
      const dir = mkdtempSync(join(tmpdir(), "kyso-report-"));
      writeFileSync(join(dir, "r.pdf"), new Uint8Array(await res.arrayBuffer()));
      const text = squash(spawnSync("pdftotext", ["-raw", "-enc", "UTF-8", join(dir, "r.pdf"), "-"], { encoding: "utf8" }).stdout);
      const sb = ((await (await s.as("viewer", `/api/v1/stats/summary?${YEAR}`)).json()) as { sealedBySender: Sealed }).sealedBySender;
      expect(sb.signedValid - sb.bySender).toBeGreaterThan(0);
      expect(text).toContain(`Văn bản ký số hợp lệ mang chữ ký số của chính cơ quan gửi: ${sb.bySender} trên ${sb.signedValid} văn bản (${pct(sb.share)}).`);
      // the agencies table's column: each agency's row reads rate, signed / total, gap, then its share
      expect(text).toContain("Chính cơ quan ký số");
      const agencies = (
        (await (await s.as("viewer", `/api/v1/stats/agencies?${YEAR}`)).json()) as {
          agencies: Array<{ name: string; rate: number | null; numerator: number; denominator: number; gap: number; sealedBySender: Sealed }>;
        }
      ).agencies;
      const partly = agencies.filter((a) => a.sealedBySender.signedValid > a.sealedBySender.bySender);
      expect(partly.length).toBeGreaterThan(0);
      for (const a of agencies.filter((x) => x.denominator > 0)) {
        const sealed = a.sealedBySender.signedValid ? `${pct(a.sealedBySender.share)} (${a.sealedBySender.bySender}/${a.sealedBySender.signedValid})` : "—";
        expect(text, a.name).toContain(`${squash(a.name)} ${pct(a.rate)} ${a.numerator} / ${a.denominator} ${a.gap} ${sealed}`);
      }
      // the list: every such document, its number, day, sender and who sealed it, as the directory names them
      expect(text).toContain("Văn bản ký số hợp lệ không mang chữ ký số của chính cơ quan gửi Số, ký hiệu Ngày Cơ quan gửi Được ký số bởi");
      const { docs, names } = await notSealedBySender();
      expect(docs.length).toBe(sb.signedValid - sb.bySender);
      const byAnother = docs.filter((d) => d.signerBinding.status === "another-agency");
      expect(byAnother.length).toBeGreaterThan(0);
      for (const d of byAnother)
        expect(text, d.number).toContain(
          squash(`${d.number} ${day((d.issuedDate ?? d.receivedAt).slice(0, 10))} ${names.get(d.sender)} ${names.get(d.signerBinding.agency!)}`),
        );
      for (const d of docs.filter((x) => x.signerBinding.status === "no-organisation-signature"))
        expect(text, d.number).toContain(
          squash(`${d.number} ${day((d.issuedDate ?? d.receivedAt).slice(0, 10))} ${names.get(d.sender)} chỉ có chữ ký số cá nhân (${d.signerBinding.name})`),
        );
    },
    60_000,
  );

  it.skipIf(!hasPdftotext)(
    "for a month names the month and the one before",
    async () => {
      const res = await s.as("viewer", "/api/v1/reports/leadership?period=2024-06&format=pdf");
      const dir = mkdtempSync(join(tmpdir(), "kyso-report-"));
      writeFileSync(join(dir, "m.pdf"), new Uint8Array(await res.arrayBuffer()));
      const text = squash(spawnSync("pdftotext", ["-raw", "-enc", "UTF-8", join(dir, "m.pdf"), "-"], { encoding: "utf8" }).stdout);
      expect(text).toContain("Kỳ báo cáo: tháng 06/2024");
      expect(text).toMatch(/So với tháng 05\/2024|Kỳ trước \(tháng 05\/2024\)/);
    },
    60_000,
  );

  it("as a workbook holds the same numbers as /stats/agencies, with Vietnamese headers", async () => {
    const res = await s.as("viewer", "/api/v1/reports/leadership?period=2024&format=xlsx");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(await res.arrayBuffer()) as never);
    expect(wb.worksheets.map((w) => w.name)).toEqual(["Tổng hợp", "Cơ quan", "Theo tháng", "Lý do", "Không do cơ quan gửi ký số"]);
    const sheet = wb.getWorksheet("Cơ quan")!;
    const header = (sheet.getRow(1).values as unknown[]).slice(1);
    expect(header.slice(0, 8)).toEqual(["Hạng", "Mã cơ quan", "Cơ quan", "Văn bản ký số hợp lệ", "Tổng số văn bản", "Tỷ lệ", "Còn thiếu", "Dưới mục tiêu"]);
    const api = (await (await s.as("viewer", "/api/v1/stats/agencies?from=2024-01-01&to=2024-12-31")).json()) as {
      agencies: Array<{ code: string; name: string; numerator: number; denominator: number; rate: number | null; gap: number; rank: number | null }>;
    };
    const got = [];
    for (let i = 2; i <= sheet.rowCount; i++) {
      const v = sheet.getRow(i).values as unknown[];
      got.push({ rank: v[1] === "" ? null : v[1], code: v[2], name: v[3], numerator: v[4], denominator: v[5], rate: v[6] === "" ? null : v[6], gap: v[7] });
    }
    expect(got).toEqual(
      api.agencies.map((a) => ({ rank: a.rank, code: a.code, name: a.name, numerator: a.numerator, denominator: a.denominator, rate: a.rate, gap: a.gap })),
    );
    expect(sheet.getRow(2).getCell(6).numFmt).toBe("0.0%");
    const summary = (await (await s.as("viewer", "/api/v1/stats/summary?from=2024-01-01&to=2024-12-31")).json()) as {
      rate: number;
      numerator: number;
      denominator: number;
    };
    const sum = wb.getWorksheet("Tổng hợp")!;
    const byLabel = new Map<string, unknown>();
    sum.eachRow((r) => byLabel.set(String(r.getCell(1).value), r.getCell(2).value));
    expect(byLabel.get("Tỷ lệ văn bản điện tử có chữ ký số")).toBe(summary.rate);
    expect(byLabel.get("Tổng số văn bản được tính")).toBe(summary.denominator);
    const steps = ((await (await s.as("viewer", "/api/v1/stats/next?from=2024-01-01&to=2024-12-31")).json()) as { steps: NextStep[] }).steps;
    expect(byLabel.get("Việc cần làm tiếp")).toBe(nextStepVi(steps[0]!));
  }, 60_000);

  it("as a workbook holds the share sealed by the sender itself, per agency, and a sheet of the documents it did not seal", async () => {
    const res = await s.as("viewer", "/api/v1/reports/leadership?period=2024&format=xlsx");
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(await res.arrayBuffer()) as never);
    const sb = ((await (await s.as("viewer", `/api/v1/stats/summary?${YEAR}`)).json()) as { sealedBySender: Sealed }).sealedBySender;
    const byLabel = new Map<string, { value: unknown; numFmt: string }>();
    wb.getWorksheet("Tổng hợp")!.eachRow((r) => byLabel.set(String(r.getCell(1).value), { value: r.getCell(2).value, numFmt: r.getCell(2).numFmt }));
    expect(byLabel.get("Văn bản có chữ ký số hợp lệ (bất kể cơ quan nào ký)")?.value).toBe(sb.signedValid);
    expect(byLabel.get("Mang chữ ký số của chính cơ quan gửi")?.value).toBe(sb.bySender);
    expect(byLabel.get("Tỷ lệ mang chữ ký số của chính cơ quan gửi")).toEqual({ value: sb.share, numFmt: "0.0%" });
    // the agencies sheet: three columns per agency, as /stats/agencies gives them
    const sheet = wb.getWorksheet("Cơ quan")!;
    const header = (sheet.getRow(1).values as unknown[]).slice(1);
    const at = (h: string) => header.indexOf(h) + 1;
    const [cv, cb, cs] = [
      "Văn bản có chữ ký số hợp lệ (bất kể cơ quan nào ký)",
      "Mang chữ ký số của chính cơ quan gửi",
      "Tỷ lệ mang chữ ký số của chính cơ quan gửi",
    ].map(at);
    expect([cv, cb, cs].every((c) => c! > 0)).toBe(true);
    const api = ((await (await s.as("viewer", `/api/v1/stats/agencies?${YEAR}`)).json()) as { agencies: Array<{ code: string; sealedBySender: Sealed }> })
      .agencies;
    const got = [];
    for (let i = 2; i <= sheet.rowCount; i++) {
      const r = sheet.getRow(i);
      got.push({
        code: r.getCell(2).value,
        signedValid: r.getCell(cv!).value,
        bySender: r.getCell(cb!).value,
        share: r.getCell(cs!).value === "" ? null : r.getCell(cs!).value,
      });
    }
    expect(got).toEqual(api.map((a) => ({ code: a.code, ...a.sealedBySender })));
    expect(sheet.getRow(2).getCell(cs!).numFmt).toBe("0.0%");
    // the list sheet: one row per document the share leaves out, with who sealed it
    const list = wb.getWorksheet("Không do cơ quan gửi ký số")!;
    expect((list.getRow(1).values as unknown[]).slice(1)).toEqual([
      "Số, ký hiệu",
      "Ngày",
      "Mã cơ quan gửi",
      "Cơ quan gửi",
      "Được ký số bởi",
      "Mã cơ quan ký số",
      "Trường hợp",
      "Mã văn bản trong kyso",
    ]);
    const rows: string[] = [];
    for (let i = 2; i <= list.rowCount; i++)
      rows.push(
        (list.getRow(i).values as unknown[])
          .slice(1)
          .map((v) => String(v ?? ""))
          .join(" | "),
      );
    const { docs, names } = await notSealedBySender();
    expect(rows.length).toBe(sb.signedValid - sb.bySender);
    const sealer = (d: Listed) =>
      d.signerBinding.status === "another-agency" ? names.get(d.signerBinding.agency!)! : `chỉ có chữ ký số cá nhân (${d.signerBinding.name})`;
    const cases: Record<string, string> = {
      "another-agency": "cơ quan khác ký số tổ chức",
      "no-organisation-signature": "chỉ có chữ ký số cá nhân, không có chữ ký số của cơ quan",
    };
    expect([...rows].sort()).toEqual(
      docs
        .map((d) =>
          [
            d.number,
            day((d.issuedDate ?? d.receivedAt).slice(0, 10)),
            d.sender,
            names.get(d.sender),
            sealer(d),
            d.signerBinding.agency ?? "",
            cases[d.signerBinding.status],
            d.id,
          ].join(" | "),
        )
        .sort(),
    );
    expect(docs.some((d) => d.signerBinding.status === "another-agency")).toBe(true);
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
    const answers = ["/healthz", "/api/v1/stats/periods"].map((path) =>
      s.as("viewer", path).then(async (r) => (await r.arrayBuffer(), order.push(path), r.status)),
    );
    expect(await Promise.all([...reports, ...answers])).toEqual([200, 200, 200, 200, 200, 200]);
    expect(order.lastIndexOf("report")).toBeGreaterThan(order.indexOf("/healthz"));
    expect(order.lastIndexOf("report")).toBeGreaterThan(order.indexOf("/api/v1/stats/periods"));
  });

  it("hands the layout to a thread of its own", async () => {
    // a new app: its first report starts the export thread, the one thread it makes
    const app = createApp({
      db: s.server.db,
      blobs: new BlobStore(mkdtempSync(join(tmpdir(), "kyso-blobs-"))),
      policy: DEFAULT_POLICY,
      onQueued: () => {},
      trust: () => loadTrustStore(),
    });
    const started: Worker[] = [];
    const onWorker = (w: Worker) => started.push(w);
    process.on("worker", onWorker);
    try {
      const r = await app.request("/api/v1/reports/leadership?period=2024&format=xlsx", { headers: { authorization: `Bearer ${s.keys.viewer}` } });
      expect(r.status).toBe(200);
      expect(
        Buffer.from(await r.arrayBuffer())
          .subarray(0, 2)
          .toString(),
      ).toBe("PK");
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
