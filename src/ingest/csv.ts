// RFC 4180 CSV: quoted fields with doubled quotes, separators and line breaks inside quotes; a header row.
// The separator is a comma, or a semicolon as spreadsheets save CSV under Vietnamese regional settings.

/** The separator of a CSV text: `;` when its first line has more semicolons than commas outside quotes. */
export function sniffSeparator(text: string): "," | ";" {
  const first = text.replace(/^\uFEFF/, "").split(/\r?\n/, 1)[0] ?? "";
  const outside = first.replace(/"[^"]*"/g, "");
  return (outside.match(/;/g)?.length ?? 0) > (outside.match(/,/g)?.length ?? 0) ? ";" : ",";
}

export function parseCsv(text: string, separator: "," | ";" = ","): { header: string[]; rows: string[][] } {
  const records: string[][] = [];
  let field = "";
  let record: string[] = [];
  let quoted = false;
  const s = text.replace(/^\uFEFF/, "");
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (quoted) {
      if (c === '"' && s[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
      continue;
    }
    if (c === '"' && field === "") quoted = true;
    else if (c === separator) {
      record.push(field);
      field = "";
    } else if (c === "\n" || c === "\r") {
      if (c === "\r" && s[i + 1] === "\n") i++;
      record.push(field);
      if (record.some((f) => f !== "")) records.push(record);
      record = [];
      field = "";
    } else field += c;
  }
  if (field !== "" || record.length) {
    record.push(field);
    if (record.some((f) => f !== "")) records.push(record);
  }
  const [header = [], ...rows] = records;
  return { header: header.map((h) => h.trim()), rows };
}

/** Rows as objects keyed by the header; a row with more fields than the header is an error. */
export function csvObjects(
  text: string,
  separator: "," | ";" = sniffSeparator(text),
): Array<{ line: number; values: Record<string, string> } | { line: number; error: string }> {
  const { header, rows } = parseCsv(text, separator);
  return rows.map((r, i) => {
    if (r.length > header.length) return { line: i + 2, error: `has ${r.length} fields, the header has ${header.length}` };
    return { line: i + 2, values: Object.fromEntries(header.map((h, k) => [h, (r[k] ?? "").trim()])) };
  });
}
