// The folder walk the commands share (scan, verify, backup): name order, files and links to files kept, a
// link back up the tree not followed, so the walk ends.
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { filesUnder } from "../../src/cli/files.js";

describe("filesUnder", () => {
  it("lists files in name order, keeps links to files, and does not follow a link to a folder", () => {
    const root = mkdtempSync(join(tmpdir(), "kyso-files-"));
    mkdirSync(join(root, "b"));
    writeFileSync(join(root, "b", "z.pdf"), "x");
    writeFileSync(join(root, "a.PDF"), "x");
    writeFileSync(join(root, "notes.txt"), "x");
    symlinkSync(join(root, "a.PDF"), join(root, "c-link.pdf"));
    symlinkSync(root, join(root, "b", "loop")); // back up the tree
    symlinkSync(join(root, "gone.pdf"), join(root, "dangling.pdf"));
    expect(filesUnder(root, /\.pdf$/i)).toEqual([join(root, "a.PDF"), join(root, "b", "z.pdf"), join(root, "c-link.pdf")]);
    expect(filesUnder(root)).toHaveLength(4);
  });
});
