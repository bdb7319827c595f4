// GET /api/v1/documents with a sort and as files (issue 25, point 4): a second page continues the server's
// order, a cursor of another order is a 400, several senders at once, and the CSV and workbook hold exactly
// the rows the same filters list, with the page's words for headers, categories and statuses.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { submit } from "../../src/lifecycle/index.js";
import { openDb } from "../../src/store/sqlite/db.js";
import { createKey } from "../../src/store/sqlite/keys.js";
import { embeddedApp } from "../helpers/embedded-app.js";

const SENDERS = ["H53.03", "H53.02", "H53.10"];
const paper = (i: number) => ({
  kind: "document" as const,
  source: "register" as const,
  meta: {
    sender: SENDERS[i % 3]!,
    recipients: ["H53.01"],
    number: `${(i * 7) % 25}/CV`,
    issuedDate: `2024-03-${String(1 + (i % 28)).padStart(2, "0")}`,
    subject: i === 4 ? '=SUM(A1), "trích"' : `Công văn số ${i}`,
    receivedAt: "2024-03-01T00:00:00Z",
    classification: "none" as const,
    channel: "paper" as const,
  },
  file: null,
});

interface Listed {
  documents: Array<{ id: string; number: string; sender: string; status: string }>;
  next: string | null;
  total: { count: number; exact: boolean } | null;
}

describe("the document list's sort and files", () => {
  const db = openDb(mkdtempSync(join(tmpdir(), "kyso-list-route-")));
  const key = createKey(db, "auditor", "list", "test").key;
  const app = embeddedApp(db);
  const get = (path: string) => app.request(path, { headers: { authorization: `Bearer ${key}` } });
  for (let i = 0; i < 30; i++) submit(db, paper(i), "test");

  it("pages in the sort asked, the second page continuing it; a cursor of another sort is refused", async () => {
    const first = (await (await get("/api/v1/documents?sort=number&limit=10")).json()) as Listed;
    const second = (await (await get(`/api/v1/documents?sort=number&limit=10&cursor=${first.next}`)).json()) as Listed;
    const whole = (await (await get("/api/v1/documents?limit=500")).json()) as Listed;
    const lead = (n: string) => Number(n.split("/")[0]);
    const want = [...whole.documents].sort((a, b) => lead(a.number) - lead(b.number) || a.number.localeCompare(b.number) || (a.id < b.id ? -1 : 1));
    expect([...first.documents, ...second.documents].map((d) => d.id)).toEqual(want.slice(0, 20).map((d) => d.id));
    expect(first.total).toEqual({ count: 30, exact: true });
    expect(second.total).toBeNull();
    const wrong = await get(`/api/v1/documents?sort=sender&cursor=${first.next}`);
    expect(wrong.status).toBe(400);
    expect(((await wrong.json()) as { error: { message: string } }).error.message).toMatch(/sort sender/);
    expect((await get("/api/v1/documents?sort=subject")).status).toBe(400);
  });

  it("lists several senders' documents at once", async () => {
    const two = (await (await get("/api/v1/documents?sender=H53.03,H53.10&limit=500")).json()) as Listed;
    expect(two.documents).toHaveLength(20);
    expect(new Set(two.documents.map((d) => d.sender))).toEqual(new Set(["H53.03", "H53.10"]));
    expect(two.total).toEqual({ count: 20, exact: true });
  });

  it("gives the filtered list as CSV, every row in the sort's order, Vietnamese headers and words, formulas kept as text", async () => {
    const want = (await (await get("/api/v1/documents?sender=H53.03,H53.02&sort=number-desc&limit=500")).json()) as Listed;
    const r = await get("/api/v1/documents?sender=H53.03,H53.02&sort=number-desc&format=csv");
    expect(r.status).toBe(200);
    expect(r.headers.get("content-type")).toMatch(/^text\/csv/);
    expect(r.headers.get("content-disposition")).toMatch(/attachment; filename="kyso-documents.*\.csv"/);
    const bytes = new Uint8Array(await r.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = new TextDecoder().decode(bytes).split("\r\n").filter(Boolean);
    expect(lines[0]).toBe(
      "Mã văn bản (kyso),Thời điểm nhận,Số, ký hiệu,Ngày ban hành,Trích yếu,Mã cơ quan gửi,Cơ quan gửi,Nhóm thống kê,Trạng thái,Lý do chưa tính,SHA-256".replace(
        "Số, ký hiệu",
        '"Số, ký hiệu"',
      ),
    );
    expect(lines.slice(1).map((l) => l.split(",")[0])).toEqual(want.documents.map((d) => d.id));
    // no directory here: each is held out as a directory gap, with no category
    expect(lines[1]).toMatch(/,H53.0[23],,,văn bản giấy \(không có tệp\),mã cơ quan chưa có trong danh mục,$/);
    expect(lines.find((l) => l.includes("SUM"))).toContain(`"'=SUM(A1), ""trích"""`);
    const en = new TextDecoder().decode(new Uint8Array(await (await get("/api/v1/documents?format=csv&lang=en")).arrayBuffer()));
    expect(en.split("\r\n")[0]).toBe("Document id (kyso),Received at,Number,Issued on,Subject,Sender code,Sender,Category,Status,Held out because,SHA-256");
    expect(en.split("\r\n").filter(Boolean)).toHaveLength(31);
  });

  it("gives the filtered list as a workbook holding the same rows", async () => {
    const want = (await (await get("/api/v1/documents?sender=H53.10&sort=received-asc&limit=500")).json()) as Listed;
    const r = await get("/api/v1/documents?sender=H53.10&sort=received-asc&format=xlsx");
    expect(r.status).toBe(200);
    expect(r.headers.get("content-type")).toBe("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
    const { default: ExcelJS } = await import("exceljs");
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(await r.arrayBuffer());
    const sheet = wb.getWorksheet("Văn bản")!;
    expect(sheet.getRow(1).getCell(1).value).toBe("Mã văn bản (kyso)");
    const ids: unknown[] = [];
    sheet.eachRow((row, n) => n > 1 && ids.push(row.getCell(1).value));
    expect(ids).toEqual(want.documents.map((d) => d.id));
    expect(sheet.getRow(2).getCell(9).value).toBe("văn bản giấy (không có tệp)");
  });
});
