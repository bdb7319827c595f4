// Registers as agencies keep them (Nghị định 30 Phụ lục IV): the layout found from the Vietnamese headers,
// `;` or `,`, a byte-order mark or none, dd/MM/yyyy, agencies by name or code, the combined type-and-subject
// column split; a bad row is an error naming the row and the column.
import { describe, expect, it } from "vitest";
import { Directory, type DirectoryEntry } from "../../src/compliance/directory.js";
import { parseRegister, RegisterError, registerDate, splitTypeSubject } from "../../src/ingest/register.js";

const entry = (code: string, name: string): DirectoryEntry => ({
  code,
  name,
  parent: null,
  kind: "administrative",
  aliases: [],
  validFrom: null,
  validTo: null,
  successor: null,
});
const directory = new Directory([
  entry("H53.02", "Sở Nội vụ"),
  entry("H53.03", "Sở Tư pháp"),
  entry("H53.05", "Sở Tài chính"),
  entry("H53.21", "Phòng Tư pháp"),
  entry("H53.22", "Phòng Tư pháp"),
]);
const now = new Date("2024-07-01T00:00:00Z");
const INCOMING = "Ngày đến;Số đến;Tác giả;Số, ký hiệu;Ngày tháng;Tên loại và trích yếu nội dung;Đơn vị hoặc người nhận;Ký nhận;Ghi chú";

describe("parseRegister", () => {
  it("reads an incoming register saved under Vietnamese regional settings", () => {
    const rows = parseRegister(`\uFEFF${INCOMING}\r\n02/06/2024;15;Sở Tư pháp;101/STP-VP;1/6/2024;Công văn V/v triển khai chữ ký số;Phòng CCHC;;\r\n`, {
      owner: "H53.02",
      directory,
      now,
    });
    expect(rows).toEqual([
      {
        line: 2,
        layout: "incoming",
        receivedDate: "2024-06-02",
        meta: {
          sender: "H53.03",
          recipients: ["H53.02"],
          number: "101/STP-VP",
          issuedDate: "2024-06-01",
          type: "Công văn",
          subject: "V/v triển khai chữ ký số",
          classification: "none",
          receivedAt: "2024-06-01T17:00:00.000Z",
          channel: "paper",
        },
      },
    ]);
  });

  it("reads an outgoing register: the owner sends, filing notes are not recipients", () => {
    const text = `"Số, ký hiệu văn bản",Ngày tháng văn bản,Tên loại và trích yếu nội dung,Người ký,Nơi nhận văn bản\n7/STC-NS,05/06/2024,Quyết định Về việc giao dự toán,Lê Văn Cường,"Sở Nội vụ; H53.03; Như trên; Lưu: VT, NS"\n`;
    const [r] = parseRegister(text, { owner: "H53.05", directory, now });
    expect([r!.layout, r!.meta.sender, r!.meta.recipients, r!.meta.type, r!.meta.subject]).toEqual([
      "outgoing",
      "H53.05",
      ["H53.02", "H53.03"],
      "Quyết định",
      "Về việc giao dự toán",
    ]);
  });

  it("names the row and the column of a bad date, and of an agency name two agencies share", () => {
    const bad = `${INCOMING}\n02/06/2024;15;Sở Tư pháp;1/A;01/06/2024;Công văn;;;\n02/06/2024;16;Sở Tư pháp;2/A;31/02/2024;Công văn;;;\n`;
    expect(() => parseRegister(bad, { owner: "H53.02", directory, now })).toThrow(`row 3, column "Ngày tháng": '31/02/2024' is not a date (dd/MM/yyyy)`);
    const ambiguous = `${INCOMING}\n02/06/2024;15;Phòng Tư pháp;1/A;01/06/2024;Công văn;;;\n`;
    expect(() => parseRegister(ambiguous, { owner: "H53.02", directory, now })).toThrow(
      `row 2, column "Tác giả": 'Phòng Tư pháp' names several agencies of the directory (H53.21, H53.22): write the code`,
    );
  });

  it("keeps a sender the directory does not know, as written (a directory gap, not an error)", () => {
    const [r] = parseRegister(`${INCOMING}\n02/06/2024;15;Ban Dân tộc tỉnh;3/BDT;01/06/2024;Báo cáo tình hình;;;\n`, { owner: "H53.02", directory, now });
    expect(r!.meta.sender).toBe("Ban Dân tộc tỉnh");
  });

  it("needs the owner of a Phụ lục IV register, and says which columns it knows", () => {
    expect(() => parseRegister(`${INCOMING}\n02/06/2024;15;Sở Tư pháp;1/A;01/06/2024;Công văn;;;\n`, { directory, now })).toThrow(RegisterError);
    expect(() => parseRegister("a;b;c\n1;2;3\n", { owner: "H53.02", directory, now })).toThrow(/neither kyso's .* nor those of Nghị định 30 Phụ lục IV/);
  });

  it("still reads kyso's own columns", () => {
    const [r] = parseRegister('sender,recipients,number,issuedDate,channel\nH53.03,"H53.02,H53.05",9/STP,2024-06-03,paper\n', { directory, now });
    expect([r!.layout, r!.meta.recipients, r!.meta.issuedDate]).toEqual(["kyso", ["H53.02", "H53.05"], "2024-06-03"]);
  });
});

describe("the pieces", () => {
  it("splits the type from the subject only on a known type name", () => {
    expect(splitTypeSubject("Công văn V/v tăng cường kỷ luật")).toEqual({ type: "Công văn", subject: "V/v tăng cường kỷ luật" });
    expect(splitTypeSubject("Tờ trình: đề nghị phê duyệt")).toEqual({ type: "Tờ trình", subject: "đề nghị phê duyệt" });
    expect(splitTypeSubject("Công vănbản lạ")).toEqual({ subject: "Công vănbản lạ" });
    expect(splitTypeSubject("V/v cấp phép")).toEqual({ subject: "V/v cấp phép" });
  });
  it("reads the date forms of Vietnamese spreadsheets and refuses impossible dates", () => {
    expect(["05/03/2024", "5/3/2024", "05-03-2024", "05.03.2024", "2024-03-05", "05/03/2024 08:30"].map(registerDate)).toEqual(Array(6).fill("2024-03-05"));
    expect(["31/04/2024", "2024/03/05", "hôm qua", ""].map(registerDate)).toEqual([null, null, null, null]);
  });
});
