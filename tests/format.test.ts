// The code is formatted by prettier (issue 26, point 5): `npm run format` writes it, and this test fails on
// any file it would change, naming the files, so formatting is checked wherever the tests run.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import * as prettier from "prettier";
import { describe, expect, it } from "vitest";
import { ROOT } from "./helpers/paths.js";

const FOLDERS = ["src", "tests", "bench", "scripts", "workers", "bin", "fixtures"];
const CODE = /\.(ts|mts|mjs|js)$/;

function files(dir: string): string[] {
  let out: string[] = [];
  for (const name of readdirSync(dir)) {
    if (name === "node_modules" || name === "dist") continue;
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out = out.concat(files(p));
    else if (CODE.test(name)) out.push(p);
  }
  return out;
}

describe("formatting", () => {
  it("leaves no file prettier would change (npm run format)", async () => {
    const all = FOLDERS.flatMap((f) => {
      try {
        return files(join(ROOT, f));
      } catch {
        return [];
      }
    });
    expect(all.length).toBeGreaterThan(100);
    const unformatted: string[] = [];
    for (const file of all) {
      const info = await prettier.getFileInfo(file, { ignorePath: join(ROOT, ".prettierignore") });
      if (info.ignored) continue;
      const options = (await prettier.resolveConfig(file)) ?? {};
      if (!(await prettier.check(readFileSync(file, "utf8"), { ...options, filepath: file }))) unformatted.push(relative(ROOT, file));
    }
    expect(unformatted, `run npm run format; unformatted: ${unformatted.join(", ")}`).toEqual([]);
  }, 120_000);
});
