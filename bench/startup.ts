// Start-up as users meet it (issue 14): `kyso --help`, and `kyso verify` on the corpus's 790 kB decree,
// each run ten times as a new process (`node bin/kyso.js`, the installed command), median and spread.
// Targets: --help ≤ 150 ms, the decree ≤ 250 ms wall. Run with `npm run bench:startup`.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(fileURLToPath(import.meta.url), "..", "..");
const decree = resolve(process.env.KYSO_SHARED_DIR ?? join(root, "..", "shared"), "corpus", "files", "vn", "gov-nd-08-2018-ND-CP.vgca-signed.pdf");
const bin = join(root, "bin", "kyso.js");

function times(args: string[], n = 10): number[] {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    const r = spawnSync(process.execPath, [bin, ...args], { encoding: "utf8" });
    out.push(performance.now() - t);
    if (r.status !== 0 && r.status !== 1) throw new Error(`kyso ${args.join(" ")}: exit ${r.status}: ${r.stderr}`);
  }
  return out.sort((a, b) => a - b);
}

function report(label: string, ms: number[], target: number): void {
  const median = ms[Math.floor(ms.length / 2)]!;
  console.log(`  ${label.padEnd(34)} median ${median.toFixed(0).padStart(4)} ms  (min ${ms[0]!.toFixed(0)}, max ${ms[ms.length - 1]!.toFixed(0)})   target ≤ ${target} ms: ${median <= target ? "met" : "NOT met"}`);
}

console.log("start-up, 10 runs each, a new process per run:");
report("kyso --help", times(["--help"]), 150);
if (existsSync(decree)) report("kyso verify <790 kB decree>", times(["verify", decree]), 250);
else console.log("  kyso verify <decree>: skipped, no ../shared/corpus beside the checkout");
