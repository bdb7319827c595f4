// The stored files a store names, walked a page at a time whatever their number: the documents' files by
// document id, then the edXML messages by their hash. A cursor says which and after what ("d:<id>",
// "m:<sha256>"); each backend reads the page with its own statement.
export type FileTable = "documents" | "messages";
/** a row as a backend reads it: the walk's key and the file's hash */
export interface FileRow {
  key: string;
  sha256: string;
}

/** Where the page after `after` starts. */
export function filesCursor(after: string | null): { table: FileTable; key: string } {
  if (after === null) return { table: "documents", key: "" };
  const [t, ...key] = after.split(":");
  if (t !== "d" && t !== "m") throw new Error(`not a cursor of the stored files: '${after}'`);
  return { table: t === "d" ? "documents" : "messages", key: key.join(":") };
}

/** The page the rows make: the files with whose they are, and where the next page starts (null after the last). */
export function filesPage(
  at: { table: FileTable },
  rows: readonly FileRow[],
  limit: number,
): { files: Array<{ sha256: string; owner: string }>; next: string | null } {
  const files = rows.map((r) => ({ sha256: r.sha256, owner: at.table === "documents" ? `document ${r.key}` : `edXML message ${r.sha256}` }));
  const full = rows.length >= limit;
  const next = at.table === "documents" ? (full ? `d:${rows[rows.length - 1]!.key}` : "m:") : full ? `m:${rows[rows.length - 1]!.key}` : null;
  return { files, next };
}
