// CSV for spreadsheets, as every kyso export writes it: a UTF-8 byte-order mark so Excel shows Vietnamese,
// CRLF line ends, fields quoted when they must be, and text a spreadsheet would take for a formula kept as text.

export const BOM = "\uFEFF";

/** Text a spreadsheet would take for a formula (=, +, -, @, a tab or CR first), kept as text. */
export const sheetSafe = (s: string): string => (/^[=+\-@\t\r]/.test(s) ? `'${s}` : s);

export function csvField(v: string | number | null | boolean): string {
  if (v === null) return "";
  const s = typeof v === "string" ? sheetSafe(v) : String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** One row, with its line end. */
export const csvLine = (row: ReadonlyArray<string | number | null | boolean>): string => row.map(csvField).join(",") + "\r\n";
