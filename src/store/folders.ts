// Makes a folder and its missing parents one level at a time. Node 20's mkdirSync({ recursive: true })
// never returns for a path under /proc (each attempt fails with ENOENT and it tries again), so a mistyped
// --data would hang kyso serve silently; here any refusal is a ConfigError naming the folder (exit 2).
import { accessSync, constants, mkdirSync, statSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { ConfigError } from "../config.js";

const WHY: Record<string, string> = {
  EACCES: "permission denied",
  EPERM: "not permitted",
  EROFS: "the file system is read-only",
  ENOSPC: "the disk is full",
  ENOENT: "this file system does not take new folders here",
  ENOTDIR: "a file stands where a folder would be",
  SQLITE_CANTOPEN: "the database cannot be opened or made there",
  SQLITE_NOTADB: "kyso.db there is not a database",
  SQLITE_FULL: "the disk is full",
};

/** Words for a refusal's code (an errno or an SQLite code), family codes (SQLITE_READONLY_…) included. */
export function refusalWords(code: string): string {
  if (code.startsWith("SQLITE_READONLY")) return "the store there is read-only";
  if (code.startsWith("SQLITE_IOERR")) return "the disk refused a read or a write";
  return WHY[code] ?? code;
}

/** Why nothing can be written in the folder `dir` (it must exist), or null when writes are allowed. */
export function writeRefusal(dir: string): string | null {
  try {
    accessSync(dir, constants.W_OK);
    return null;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? "";
    return `${refusalWords(code)} (${code})`;
  }
}

/** "dir" | "file" | null (nothing there). */
function kindOf(path: string): "dir" | "file" | null {
  try {
    return statSync(path).isDirectory() ? "dir" : "file";
  } catch {
    return null;
  }
}

/** Creates `dir` (and what is missing above it); an existing folder is left as it is. */
export function makeFolder(dir: string, what = "folder"): void {
  const missing: string[] = [];
  for (let p = resolve(dir); ; p = dirname(p)) {
    const kind = kindOf(p);
    if (kind === "dir") break;
    if (kind === "file") throw new ConfigError(`cannot make the ${what} '${dir}': '${p}' is a file, not a folder`);
    missing.push(p);
    if (dirname(p) === p) break;
  }
  for (const p of missing.reverse()) {
    try {
      mkdirSync(p);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code ?? "";
      if (code === "EEXIST" && kindOf(p) === "dir") continue; // made meanwhile by another process
      throw new ConfigError(`cannot make the ${what} '${dir}': ${refusalWords(code)} (${code}, at '${p}')`);
    }
  }
}
