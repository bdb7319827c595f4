// The files under a folder, for commands that take folders (scan, verify, backup): in name order, real
// sub-folders walked (a symbolic link to a folder is not, so a link loop cannot trap the walk), files and
// symbolic links to files kept.
import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";

export function filesUnder(dir: string, name: RegExp = /./): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .flatMap((e) => {
      const p = join(dir, e.name);
      if (e.isDirectory()) return filesUnder(p, name);
      const file = e.isFile() || (e.isSymbolicLink() && isFile(p));
      return file && name.test(e.name) ? [p] : [];
    });
}

function isFile(p: string): boolean {
  try {
    return statSync(p).isFile();
  } catch {
    return false; // a dangling link
  }
}
