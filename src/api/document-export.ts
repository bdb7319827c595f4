// The document list as a file for spreadsheets (GET /api/v1/documents?format=csv|xlsx): the rows the same
// filters and sort list, every page of them. CSV is streamed page by page (UTF-8 with a byte-order mark so
// Excel shows Vietnamese, CRLF, formula-looking text kept as text, as the statistics' CSV); the workbook is
// built in memory, so it is bounded. Headers, categories and statuses are the page's words.
import type { DocumentFilter } from "../store/document-list/query.js";
import type { DocumentSort } from "../store/document-list/sorts.js";
import type { DocumentReads } from "../store/ports.js";
import type { DocumentRow } from "../store/rows.js";
import { BOM, csvLine, sheetSafe } from "./exports/csv.js";
import { CATEGORY_SHORT, STATUS, word } from "./report-words.js";

type Lang = "vi" | "en";

/** Rows read at a time while a file is written: the event loop is free between pages. */
const PAGE = 1000;
/** The most rows a workbook holds (in memory as it is made); a larger list is asked to be narrowed, or taken as CSV. */
export const XLSX_MAX_ROWS = 20_000;

const HEADERS: Record<Lang, string[]> = {
  vi: [
    "Mã văn bản (kyso)",
    "Thời điểm nhận",
    "Số, ký hiệu",
    "Ngày ban hành",
    "Trích yếu",
    "Mã cơ quan gửi",
    "Cơ quan gửi",
    "Nhóm thống kê",
    "Trạng thái",
    "Lý do chưa tính",
    "SHA-256",
  ],
  en: ["Document id (kyso)", "Received at", "Number", "Issued on", "Subject", "Sender code", "Sender", "Category", "Status", "Held out because", "SHA-256"],
};
const HELD: Record<string, Record<Lang, string>> = {
  revoked: { vi: "đã thu hồi", en: "revoked" },
  superseded: { vi: "đã được thay thế", en: "superseded" },
  "directory-gap": { vi: "mã cơ quan chưa có trong danh mục", en: "agency code not in the directory" },
};

/** One document's cells, in the headers' order. */
function cells(d: DocumentRow, names: ReadonlyMap<string, string>, lang: Lang): string[] {
  return [
    d.id,
    d.received_at,
    d.number ?? "",
    d.issued_date ?? "",
    d.subject ?? "",
    d.sender,
    names.get(d.sender) ?? "",
    d.category ? word(CATEGORY_SHORT, d.category, lang) : "",
    word(STATUS, d.status, lang),
    d.held ? (HELD[d.held]?.[lang] ?? d.held) : "",
    d.sha256 ?? "",
  ];
}

/** Every row the filters list, in the sort's order, a page at a time. */
async function* allRows(reads: DocumentReads, f: DocumentFilter, sort: DocumentSort): AsyncGenerator<DocumentRow[]> {
  let cursor: string | undefined;
  do {
    const r = await reads.list({ filter: f, cursor, limit: PAGE, countUpTo: 0, sort });
    yield r.page;
    cursor = r.next ?? undefined;
  } while (cursor);
}

/** The CSV as a stream: the header first, then each page as it is read. */
export function documentsCsv(
  reads: DocumentReads,
  f: DocumentFilter,
  sort: DocumentSort,
  names: ReadonlyMap<string, string>,
  lang: Lang,
): ReadableStream<Uint8Array> {
  const text = new TextEncoder();
  const pages = allRows(reads, f, sort);
  let started = false;
  return new ReadableStream({
    async pull(out) {
      if (!started) {
        started = true;
        out.enqueue(text.encode(BOM + csvLine(HEADERS[lang])));
        return;
      }
      const next = await pages.next();
      if (next.done) return out.close();
      if (next.value.length) out.enqueue(text.encode(next.value.map((d) => csvLine(cells(d, names, lang))).join("")));
    },
  });
}

/** The workbook (one sheet, its header row bold and frozen); null when the list holds more than XLSX_MAX_ROWS. */
export async function documentsXlsx(
  reads: DocumentReads,
  f: DocumentFilter,
  sort: DocumentSort,
  names: ReadonlyMap<string, string>,
  lang: Lang,
): Promise<Uint8Array | null> {
  // counted first, up to the bound: a list too long for a workbook costs a count, not a workbook
  // an exact total may come from the kept counts, whatever its size: the bound is on the count itself
  const total = (await reads.list({ filter: f, limit: 1, countUpTo: XLSX_MAX_ROWS, sort })).total;
  if (!total?.exact || total.count > XLSX_MAX_ROWS) return null;
  const { default: ExcelJS } = await import("exceljs");
  const wb = new ExcelJS.Workbook();
  const sheet = wb.addWorksheet(lang === "vi" ? "Văn bản" : "Documents", { views: [{ state: "frozen", ySplit: 1 }] });
  sheet.addRow(HEADERS[lang]).font = { bold: true };
  const widths = [26, 22, 18, 12, 48, 12, 36, 24, 20, 22, 20];
  widths.forEach((w, i) => (sheet.getColumn(i + 1).width = w));
  for await (const page of allRows(reads, f, sort)) for (const d of page) sheet.addRow(cells(d, names, lang).map(sheetSafe));
  return new Uint8Array(await wb.xlsx.writeBuffer());
}
