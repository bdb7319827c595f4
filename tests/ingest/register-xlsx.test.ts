// Registers as document systems export them (issue 23, EXCHANGE.md §2): XLSX workbooks with a title block
// above the header row, in Phụ lục IV's layouts and in one real system's report templates (number and
// notation in two columns, no date of the document, a paper/electronic column), read like their CSV
// twins, reconciled and counted the same, through kyso scan and the API; a bad cell names its sheet, row
// and column.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import ExcelJS from "exceljs";
import { describe, expect, it } from "vitest";
import { AGENCIES_CSV } from "../../fixtures/sample/generate.js";
import { Directory } from "../../src/compliance/directory.js";
import { agenciesFromCsv } from "../../src/ingest/agencies.js";
import { parseCsv, sniffSeparator } from "../../src/ingest/csv.js";
import { parseRegister } from "../../src/ingest/register.js";
import { parseRegisterXlsx } from "../../src/ingest/register-xlsx.js";
import { DEFAULT_POLICY } from "../../src/compliance/index.js";
import { startServer } from "../../src/server.js";
import { createKey } from "../../src/store/sqlite/keys.js";
import { ROOT } from "../helpers/paths.js";

const REGISTERS = join(ROOT, "fixtures", "exchange", "traffic", "registers");
const MESSAGES = join(ROOT, "fixtures", "exchange", "traffic", "messages");
const directory = new Directory(agenciesFromCsv(readFileSync(AGENCIES_CSV, "utf8")).map((a) => ({ ...a, aliases: a.aliases ?? [] })) as never);
const now = new Date("2024-07-01T00:00:00Z");

/** A workbook as a document system exports a register: a title block, then the header row and the rows (dates as dates). */
async function workbook(
  header: string[],
  rows: string[][],
  title = ["TỔNG HỢP VĂN BẢN ĐẾN", "Từ ngày 01/06/2024 đến ngày 30/06/2024", "Theo sổ: Sổ văn bản đến"],
): Promise<Uint8Array> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet("Sổ đến");
  for (const t of title) ws.addRow([t]);
  ws.addRow([]);
  ws.addRow(header);
  for (const r of rows)
    ws.addRow(r.map((v) => (/^\d\d\/\d\d\/\d{4}$/.test(v) ? new Date(Date.UTC(Number(v.slice(6)), Number(v.slice(3, 5)) - 1, Number(v.slice(0, 2)))) : v)));
  return new Uint8Array(await wb.xlsx.writeBuffer());
}

const csvOf = (header: string[], rows: string[][]) =>
  [header, ...rows].map((r) => r.map((v) => (/[;"\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v)).join(";")).join("\n") + "\n";
const metas = (rows: Array<{ meta: unknown; form?: unknown }>) => rows.map((r) => ({ meta: r.meta, form: r.form }));

// one real document system's incoming report template, with a paper/electronic column
const TEMPLATE_HEADER = ["STT", "Cơ quan ban hành", "Ngày nhận", "Số CV đến", "Ký hiệu CV", "Trích yếu nội dung", "Người xử lý", "Phương thức", "Ghi chú"];
const TEMPLATE_ROWS = [
  ["1", "Sở Tư pháp", "03/06/2024", "101", "STP-VP", "Công văn V/v triển khai chữ ký số", "Phòng CCHC", "1", ""],
  ["2", "Sở Tài chính", "11/06/2024", "45", "STC-NS", "Công văn V/v thẩm định dự toán năm 2024", "Văn phòng Sở", "0", "Bản giấy"],
  ["3", "Sở Công Thương", "20/06/2024", "88", "SCT-VP", "Báo cáo tình hình tháng 6", "Phòng TCBC", "2", ""],
];

describe("XLSX registers", () => {
  it("reads a Phụ lục IV incoming register below its title block like its CSV twin", async () => {
    const text = readFileSync(join(REGISTERS, "so-den-H53.02.csv"), "utf8");
    const { header, rows } = parseCsv(text, sniffSeparator(text));
    const fromCsv = parseRegister(text, { owner: "H53.02", directory, now });
    const fromXlsx = await parseRegisterXlsx(await workbook(header, rows), { owner: "H53.02", directory, now });
    expect(fromXlsx.length).toBe(fromCsv.length);
    expect(metas(fromXlsx)).toEqual(metas(fromCsv));
    // rows are named as the spreadsheet shows them: the header is row 5 below a title block of four
    expect(fromXlsx[0]!.line).toBe(6);
  });

  it("reads the report template's split number and notation, no document date, and its paper/electronic column", async () => {
    const rows = await parseRegisterXlsx(await workbook(TEMPLATE_HEADER, TEMPLATE_ROWS), { owner: "H53.02", directory, now });
    expect(rows.map((r) => [r.meta.sender, r.meta.number, r.meta.issuedDate ?? null, r.receivedDate, r.form])).toEqual([
      ["H53.03", "101/STP-VP", null, "2024-06-03", "electronic"],
      ["H53.05", "45/STC-NS", null, "2024-06-11", "paper"],
      ["H53.06", "88/SCT-VP", null, "2024-06-20", "both"],
    ]);
    expect(metas(parseRegister(csvOf(TEMPLATE_HEADER, TEMPLATE_ROWS), { owner: "H53.02", directory, now }))).toEqual(metas(rows));
  });

  it("reads the outgoing report template (Ngày ký, Số, ký hiệu, Nơi nhận) like its CSV twin", async () => {
    const header = ["STT", "Ngày ký", "Số, ký hiệu", "Người ký", "Trích yếu nội dung", "Người soạn", "Nơi nhận", "Ghi chú"];
    const rows = [
      ["1", "03/06/2024", "101/STP-VP", "Nguyễn Văn An", "Công văn V/v triển khai chữ ký số", "Trần Thị Bình", "Sở Nội vụ; Lưu: VT", ""],
      [
        "2",
        "12/06/2024",
        "102/STP-VP",
        "Nguyễn Văn An",
        "Tờ trình Đề nghị phê duyệt kế hoạch",
        "Trần Thị Bình",
        "Ủy ban nhân dân tỉnh Tây Ninh; Như trên",
        "Gửi bản giấy",
      ],
    ];
    const fromXlsx = await parseRegisterXlsx(await workbook(header, rows, ["TỔNG HỢP VĂN BẢN ĐI", "Từ ngày 01/06/2024 đến ngày 30/06/2024"]), {
      owner: "H53.03",
      directory,
      now,
    });
    expect(fromXlsx.map((r) => [r.layout, r.meta.sender, r.meta.number, r.meta.issuedDate, r.meta.recipients])).toEqual([
      ["outgoing", "H53.03", "101/STP-VP", "2024-06-03", ["H53.02"]],
      ["outgoing", "H53.03", "102/STP-VP", "2024-06-12", ["H53"]],
    ]);
    expect(metas(parseRegister(csvOf(header, rows), { owner: "H53.03", directory, now }))).toEqual(metas(fromXlsx));
  });

  it("names the sheet, the row and the column of a bad cell", async () => {
    const bad = TEMPLATE_ROWS.map((r) => [...r]);
    bad[1]![7] = "fax";
    await expect(parseRegisterXlsx(await workbook(TEMPLATE_HEADER, bad), { owner: "H53.02", directory, now })).rejects.toThrow(
      /sheet "Sổ đến", row 7, column "Phương thức": 'fax' is neither paper/,
    );
    await expect(parseRegisterXlsx(await workbook(["Tiêu đề", "Khác"], [["a", "b"]]), { owner: "H53.02", directory, now })).rejects.toThrow(
      /no sheet has a register's header row/,
    );
  });

  it("is reconciled and counted like its CSV twin through kyso scan, the split-number rows matched by sender and number", async () => {
    const root = mkdtempSync(join(tmpdir(), "kyso-xlsx-"));
    const csvPath = join(root, "so-den.csv");
    const xlsxPath = join(root, "so-den.xlsx");
    writeFileSync(csvPath, csvOf(TEMPLATE_HEADER, TEMPLATE_ROWS));
    writeFileSync(xlsxPath, await workbook(TEMPLATE_HEADER, TEMPLATE_ROWS));
    const facts = (register: string) => {
      const data = join(root, `data-${register.endsWith("xlsx") ? "x" : "c"}`);
      const r = spawnSync(
        process.execPath,
        [
          join(ROOT, "bin", "kyso.js"),
          "scan",
          MESSAGES,
          "--register",
          register,
          "--register-owner",
          "H53.02",
          "--agencies",
          AGENCIES_CSV,
          "--data",
          data,
          "--no-analyze",
        ],
        { encoding: "utf8" },
      );
      expect(r.stdout + r.stderr).toMatch(/register .*: 2 new, 1 already in the store, 1 matched to an electronic document/);
      const db = new Database(join(data, "kyso.db"), { readonly: true });
      try {
        return {
          rows: db
            .prepare(
              "SELECT r.line, r.sender, r.number, r.matched, r.form, d.channel FROM register_rows r JOIN documents d ON d.id = r.document_id ORDER BY r.number",
            )
            .all(),
          documents: (db.prepare("SELECT count(*) AS n FROM documents").get() as { n: number }).n,
        };
      } finally {
        db.close();
      }
    };
    const x = facts(xlsxPath);
    const c = facts(csvPath);
    // 101/STP-VP came electronically (its edXML message): the row matches it by sender and number
    expect((x.rows as Array<{ number: string; matched: number; form: string }>).map((r) => [r.number, r.matched, r.form])).toEqual([
      ["101/STP-VP", 1, "electronic"],
      ["45/STC-NS", 0, "paper"],
      ["88/SCT-VP", 0, "both"],
    ]);
    expect({ ...x, rows: (x.rows as Array<Record<string, unknown>>).map(({ line: _l, ...rest }) => rest) }).toEqual({
      ...c,
      rows: (c.rows as Array<Record<string, unknown>>).map(({ line: _l, ...rest }) => rest),
    });
  }, 60_000);

  it("is taken by POST /api/v1/exchanges as XLSX, with its rows reconciled", async () => {
    const server = await startServer({
      dataDir: join(mkdtempSync(join(tmpdir(), "kyso-xlsx-api-")), "data"),
      port: 0,
      host: "127.0.0.1",
      trustDirs: [join(ROOT, "fixtures", "trust")],
      concurrency: 1,
      timeoutMs: 20_000,
      policy: DEFAULT_POLICY,
      maxBodyBytes: 50 << 20,
      publishHeads: null,
    });
    try {
      const key = createKey(server.db, "admin", "test", "test").key;
      const auth = { authorization: `Bearer ${key}` };
      expect(
        (
          await fetch(`${server.url}/api/v1/agencies`, {
            method: "PUT",
            headers: { ...auth, "content-type": "text/csv" },
            body: readFileSync(AGENCIES_CSV, "utf8"),
          })
        ).status,
      ).toBe(200);
      const r = await fetch(`${server.url}/api/v1/exchanges?owner=H53.02`, {
        method: "POST",
        headers: { ...auth, "content-type": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" },
        body: Buffer.from(await workbook(TEMPLATE_HEADER, TEMPLATE_ROWS)),
      });
      expect(r.status, await r.clone().text()).toBe(201);
      expect(((await r.json()) as { recorded: number; layout: string }).recorded).toBe(3);
      const bad = TEMPLATE_ROWS.map((x) => [...x]);
      bad[0]![2] = "ngày 3 tháng 6";
      const b = await fetch(`${server.url}/api/v1/exchanges?owner=H53.02`, {
        method: "POST",
        headers: { ...auth, "content-type": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" },
        body: Buffer.from(await workbook(TEMPLATE_HEADER, bad)),
      });
      expect(b.status).toBe(400);
      expect(((await b.json()) as { error: { message: string } }).error.message).toMatch(/sheet "Sổ đến", row 6, column "Ngày nhận"/);
    } finally {
      await server.close();
    }
  }, 60_000);
});
