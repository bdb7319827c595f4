// The core (pdf, cms, pki, verify, classify, compliance, analyze.ts) never imports an edge (DESIGN.md §3).
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "./helpers/paths.js";

const CORE = ["pdf", "cms", "pki", "verify", "classify", "compliance"];
const EDGES = ["store", "queue", "ingest", "lifecycle", "api", "cli", "workers"];

function files(dir: string): string[] {
  try {
    return readdirSync(dir).flatMap((f) => {
      const p = join(dir, f);
      return statSync(p).isDirectory() ? files(p) : p.endsWith(".ts") ? [p] : [];
    });
  } catch {
    return [];
  }
}

describe("layering", () => {
  const core = [...CORE.flatMap((d) => files(join(ROOT, "src", d))), join(ROOT, "src", "analyze.ts")];
  it.each(core.map((f) => [relative(ROOT, f), f]))("%s imports no edge", (_rel, file) => {
    const src = readFileSync(file, "utf8");
    for (const m of src.matchAll(/from\s+"([^"]+)"/g)) {
      const target = m[1]!;
      for (const edge of EDGES) expect(target, `${file} imports ${target}`).not.toMatch(new RegExp(`(^|/)${edge}/`));
    }
  });
});
