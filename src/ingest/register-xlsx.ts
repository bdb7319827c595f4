// Registers exported as workbooks (EXCHANGE.md §2): an XLSX whose sheet has a title block above the header
// row ("TỔNG HỢP VĂN BẢN ĐẾN", "Từ ngày … đến ngày …", "Theo sổ: …"). The header row is the first of the
// first rows whose cells name register columns; the rows below it are read as the CSV twin's would be,
// dates written as dates or as dd/MM/yyyy text. Errors name the sheet, the row and the column.
import type ExcelJS from "exceljs";
import type { Directory } from "../compliance/directory.js";
import { headerKey, layoutOf, RegisterError, registerRowsOf, type RegisterRow, type RegisterTable } from "./register.js";

/** How far below the top a header row is looked for. */
const HEADER_SEARCH_ROWS = 20;

/** A cell as the text its CSV twin would hold. */
function cellText(v: ExcelJS.CellValue): string {
  if (v === null || v === undefined) return "";
  if (v instanceof Date) {
    // a date cell holds midnight UTC of the day the sheet shows
    const d = v.getUTCDate(),
      m = v.getUTCMonth() + 1,
      y = v.getUTCFullYear();
    return `${String(d).padStart(2, "0")}/${String(m).padStart(2, "0")}/${y}`;
  }
  if (typeof v === "object") {
    if ("richText" in v) return v.richText.map((t) => t.text).join("");
    if ("text" in v) return String(v.text);
    if ("result" in v) return cellText(v.result as ExcelJS.CellValue);
    if ("error" in v) return "";
  }
  return String(v).trim();
}

function rowTexts(row: ExcelJS.Row, width: number): string[] {
  const out: string[] = [];
  for (let c = 1; c <= width; c++) out.push(cellText(row.getCell(c).value).replace(/\s+/g, " ").trim());
  return out;
}

/** The register's table in a workbook: the first sheet with a header row near its top. */
export async function xlsxRegisterTable(bytes: Uint8Array): Promise<RegisterTable> {
  // loaded when a workbook comes: the library is large, and most registers are CSV
  const { default: Excel } = await import("exceljs");
  const wb = new Excel.Workbook();
  try {
    await wb.xlsx.load(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) as unknown as ArrayBuffer);
  } catch (e) {
    throw new RegisterError(`the workbook cannot be read: ${(e as Error).message}`);
  }
  for (const sheet of wb.worksheets) {
    const width = Math.min(sheet.columnCount, 60);
    for (let r = 1; r <= Math.min(sheet.rowCount, HEADER_SEARCH_ROWS); r++) {
      const header = rowTexts(sheet.getRow(r), width);
      const named = header.filter((h) => h && headerKey(h)).length;
      if (named < 2) continue;
      try {
        layoutOf(header);
      } catch {
        continue; // a title or a subtitle: look further down
      }
      const keep = header.map((h, i) => [h, i] as const).filter(([h]) => h);
      const rows: RegisterTable["rows"] = [];
      for (let n = r + 1; n <= sheet.rowCount; n++) {
        const cells = rowTexts(sheet.getRow(n), width);
        if (cells.every((c) => !c)) continue;
        rows.push({ line: n, values: Object.fromEntries(keep.map(([h, i]) => [h, cells[i] ?? ""])) });
      }
      const name = sheet.name;
      return { header: keep.map(([h]) => h), rows, where: (line) => `sheet "${name}", row ${line}` };
    }
  }
  throw new RegisterError(
    `no sheet has a register's header row in its first ${HEADER_SEARCH_ROWS} rows (kyso's columns, or Nghị định 30 Phụ lục IV's: Ngày đến, Số đến, Tác giả, Số ký hiệu, Ngày tháng, …)`,
  );
}

export async function parseRegisterXlsx(bytes: Uint8Array, opts: { owner?: string | null; directory: Directory; now: Date }): Promise<RegisterRow[]> {
  return registerRowsOf(await xlsxRegisterTable(bytes), opts);
}

/** An XLSX (a zip) rather than CSV text. */
export const isXlsx = (bytes: Uint8Array): boolean => bytes.length > 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04;
