// Leadership's report as an Excel workbook (exceljs) with Vietnamese headers: a summary sheet, the
// agencies ranked (with the share each sealed itself and a column per reason), the months, the province's
// reasons, and the validly signed documents their sender did not seal, with who did. Rates are numbers
// formatted as percentages (Excel shows them in the reader's locale: 65,4% in Vietnamese), so the sheet
// can be sorted and charted; texts that a spreadsheet would take for a formula stay text.
import type { LeadershipReport } from "../../store/read-model/leadership.js";
import { REASONS } from "../../store/read-model/leadership.js";
import { monthBounds } from "../../compliance/index.js";
import { ENGINE_VERSION } from "../../version.js";
import { BINDING, CATEGORY_SHORT as CATEGORIES, nextStepVi, SEALED, sealerText, word } from "../report-words.js";
import { conventionVi, day, moment } from "./format.js";

const PERCENT = "0.0%";
/** a cell that would start a formula (=, +, -, @) is stored as text with a leading apostrophe's meaning */
const safe = (s: string): string => (/^[=+\-@]/.test(s) ? `'${s}` : s);
const vi = (key: string): string => word(SEALED, key, "vi");

export async function leadershipXlsx(r: LeadershipReport): Promise<Uint8Array<ArrayBuffer>> {
  // loaded on first export: the CLI and the API start without it
  const { default: ExcelJS } = await import("exceljs");
  const wb = new ExcelJS.Workbook();
  wb.creator = `kyso ${ENGINE_VERSION}`;
  wb.created = new Date(r.generatedAt);
  const p = r.province;

  const sum = wb.addWorksheet("Tổng hợp");
  sum.columns = [
    { header: "Chỉ tiêu", key: "k", width: 44 },
    { header: "Giá trị", key: "v", width: 28 },
  ];
  const rows: Array<[string, string | number | null, string?]> = [
    ["Kỳ báo cáo", r.period.label],
    ["Từ ngày", day(r.period.from)],
    ["Đến ngày", day(r.period.to)],
    ["Cách tính kỳ", conventionVi(r.period.periods)],
    ["Tỷ lệ văn bản điện tử có chữ ký số", p.rate, PERCENT],
    ["Mục tiêu", p.target, PERCENT],
    ["Văn bản điện tử có chữ ký số hợp lệ", p.numerator],
    ["Tổng số văn bản được tính", p.denominator],
    ["Còn thiếu để đạt mục tiêu (văn bản)", p.gap],
    [vi("signedValid"), p.sealedBySender.signedValid],
    [vi("bySender"), p.sealedBySender.bySender],
    [vi("share"), p.sealedBySender.share, PERCENT],
    ["Kỳ trước", r.previous.period.label],
    ["Tỷ lệ kỳ trước", r.previous.rate, PERCENT],
    ["Lập lúc (giờ Việt Nam)", moment(r.generatedAt)],
    ...r.next.map((step, i): [string, string] => [i === 0 ? "Việc cần làm tiếp" : "", nextStepVi(step)]),
  ];
  for (const [k, v, fmt] of rows) {
    const row = sum.addRow({ k, v: v ?? "—" });
    if (fmt && typeof v === "number") row.getCell("v").numFmt = fmt;
  }
  sum.getRow(1).font = { bold: true };

  const ag = wb.addWorksheet("Cơ quan");
  ag.columns = [
    { header: "Hạng", key: "rank", width: 7 },
    { header: "Mã cơ quan", key: "code", width: 14 },
    { header: "Cơ quan", key: "name", width: 48 },
    { header: "Văn bản ký số hợp lệ", key: "numerator", width: 14 },
    { header: "Tổng số văn bản", key: "denominator", width: 14 },
    { header: "Tỷ lệ", key: "rate", width: 10, style: { numFmt: PERCENT } },
    { header: "Còn thiếu", key: "gap", width: 11 },
    { header: "Dưới mục tiêu", key: "below", width: 13 },
    { header: vi("signedValid"), key: "signedValid", width: 16 },
    { header: vi("bySender"), key: "bySender", width: 16 },
    { header: vi("share"), key: "sealedShare", width: 16, style: { numFmt: PERCENT } },
    ...REASONS.map((c) => ({ header: word(CATEGORIES, c, "vi"), key: c, width: 18 })),
  ];
  for (const a of r.agencies) {
    ag.addRow({
      rank: a.rank ?? "",
      code: safe(a.code),
      name: safe(a.name),
      numerator: a.numerator,
      denominator: a.denominator,
      rate: a.rate ?? "",
      gap: a.gap,
      below: a.rate === null ? "" : a.rate < r.province.target ? "Có" : "Không",
      signedValid: a.sealedBySender.signedValid,
      bySender: a.sealedBySender.bySender,
      sealedShare: a.sealedBySender.share ?? "",
      ...Object.fromEntries(REASONS.map((c) => [c, a.byCategory?.[c] ?? 0])),
    });
  }
  ag.getRow(1).font = { bold: true };
  ag.views = [{ state: "frozen", ySplit: 1 }];
  ag.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: ag.columns.length } };

  const mo = wb.addWorksheet("Theo tháng");
  // reporting months under nd09 do not start on the 1st: each says its days
  const nd09 = r.period.periods === "nd09";
  mo.columns = [
    { header: nd09 ? "Tháng báo cáo" : "Tháng", key: "month", width: 13 },
    ...(nd09
      ? [
          { header: "Từ ngày", key: "from", width: 12 },
          { header: "Đến ngày", key: "to", width: 12 },
        ]
      : []),
    { header: "Văn bản ký số hợp lệ", key: "numerator", width: 14 },
    { header: "Tổng số văn bản", key: "denominator", width: 14 },
    { header: "Tỷ lệ", key: "rate", width: 10, style: { numFmt: PERCENT } },
  ];
  for (const m of r.months) {
    const b = monthBounds(m.month, r.period.periods);
    mo.addRow({
      month: `${m.month.slice(5, 7)}/${m.month.slice(0, 4)}`,
      ...(nd09 ? { from: day(b.from), to: day(b.to) } : {}),
      numerator: m.numerator,
      denominator: m.denominator,
      rate: m.rate ?? "không có văn bản",
    });
  }
  mo.getRow(1).font = { bold: true };

  const re = wb.addWorksheet("Lý do");
  re.columns = [
    { header: "Nhóm văn bản chưa được tính", key: "c", width: 60 },
    { header: "Số văn bản", key: "n", width: 12 },
    { header: "Tỷ lệ trên tổng số", key: "s", width: 16, style: { numFmt: PERCENT } },
  ];
  for (const x of r.reasons) re.addRow({ c: word(CATEGORIES, x.category, "vi"), n: x.documents, s: p.denominator ? x.documents / p.denominator : "" });
  re.getRow(1).font = { bold: true };

  // every document the province's share leaves out, with who sealed it (the PDF prints the first ones)
  const ns = wb.addWorksheet(vi("sheet"));
  ns.columns = [
    { header: vi("number"), key: "number", width: 18 },
    { header: vi("date"), key: "date", width: 12 },
    { header: vi("senderCode"), key: "senderCode", width: 14 },
    { header: vi("sender"), key: "sender", width: 40 },
    { header: vi("sealedBy"), key: "sealedBy", width: 40 },
    { header: vi("sealedByCode"), key: "sealedByCode", width: 14 },
    { header: vi("case"), key: "case", width: 40 },
    { header: vi("id"), key: "id", width: 30 },
  ];
  for (const d of r.notSealedBySender) {
    ns.addRow({
      number: safe(d.number ?? ""),
      date: day(d.date),
      senderCode: safe(d.sender),
      sender: safe(d.senderName),
      sealedBy: safe(sealerText(d, "vi")),
      sealedByCode: safe(d.sealedBy ?? ""),
      case: word(BINDING, d.status, "vi"),
      id: d.id,
    });
  }
  ns.getRow(1).font = { bold: true };
  ns.views = [{ state: "frozen", ySplit: 1 }];

  return new Uint8Array(await wb.xlsx.writeBuffer());
}
