// The names the check page saves a report under (no DOM): the checked file's name without its .pdf, then
// what the report is, so the three saved files sit beside the PDF they describe.

/** "QĐ 12.pdf" → "QĐ 12.kyso-report.html"; a name with nothing usable falls back to "document". */
export function savedName(fileName: string, ext: "html" | "xml"): string {
  // a name from the reader's disk: no folder part, no character a file system refuses
  const base = fileName
    .replace(/^.*[\\/]/, "")
    .replace(/\.pdf$/i, "")
    .replace(/[\u0000-\u001f<>:"|?*]/g, "_")
    .trim();
  return `${base || "document"}.kyso-report.${ext}`;
}
