// Storage that refuses: a full disk or quota is 507 Insufficient Storage, a read-only or unwritable data
// folder 503; both with a message an operator can act on. The same errors make the runner wait instead of
// retrying at once, and make /readyz say not ready.
export interface StorageProblem {
  status: 503 | 507;
  code: "INSUFFICIENT_STORAGE" | "STORAGE_UNAVAILABLE";
  message: string;
}

export function storageProblem(e: unknown): StorageProblem | null {
  const code = (e as { code?: unknown })?.code;
  if (typeof code !== "string") return null;
  if (code === "ENOSPC" || code === "EDQUOT" || code === "SQLITE_FULL") {
    return {
      status: 507,
      code: "INSUFFICIENT_STORAGE",
      message: "the data folder's disk is full: nothing was stored; free space (or move KYSO_DATA_DIR), then send it again",
    };
  }
  if (
    code === "EROFS" ||
    code === "EACCES" ||
    code === "EPERM" ||
    code.startsWith("SQLITE_READONLY") ||
    code === "SQLITE_CANTOPEN" ||
    code.startsWith("SQLITE_IOERR")
  ) {
    return {
      status: 503,
      code: "STORAGE_UNAVAILABLE",
      message: `the data folder cannot be written (${code}): nothing was stored; the operator must make it writable, then send it again`,
    };
  }
  return null;
}
