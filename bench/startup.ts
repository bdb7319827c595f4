// Start-up as users meet it (issue 14): `kyso --help`, and `kyso verify` on the corpus's 790 kB decree,
// each run ten times as a new process (`node bin/kyso.js`, the installed command), median and spread.
// Targets: --help ≤ 150 ms, the decree ≤ 250 ms wall. Also `kyso serve` on a new store until /readyz
// answers 200 (a restart's downtime; no target). Run with `npm run bench:startup`.
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
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

function report(label: string, ms: number[], target?: number): void {
  const median = ms[Math.floor(ms.length / 2)]!;
  const verdict = target === undefined ? "" : `   target ≤ ${target} ms: ${median <= target ? "met" : "NOT met"}`;
  console.log(`  ${label.padEnd(34)} median ${median.toFixed(0).padStart(4)} ms  (min ${ms[0]!.toFixed(0)}, max ${ms[ms.length - 1]!.toFixed(0)})${verdict}`);
}

const freePort = (): Promise<number> =>
  new Promise((done) => {
    const s = createServer().listen(0, "127.0.0.1", () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => done(port));
    });
  });

/** Milliseconds from spawning `kyso serve` on an empty data folder to /readyz answering 200. */
async function serveReady(n = 5): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const data = mkdtempSync(join(tmpdir(), "kyso-startup-"));
    const port = await freePort();
    const t = performance.now();
    const child = spawn(process.execPath, [bin, "serve", "--port", String(port), "--data", data], { stdio: "ignore" });
    try {
      for (;;) {
        if (
          await fetch(`http://127.0.0.1:${port}/readyz`).then(
            (r) => r.ok,
            () => false,
          )
        )
          break;
        if (performance.now() - t > 30_000) throw new Error("kyso serve did not become ready in 30 s");
        await new Promise((r) => setTimeout(r, 5));
      }
      out.push(performance.now() - t);
    } finally {
      child.kill("SIGTERM");
      await new Promise((r) => child.once("exit", r));
      rmSync(data, { recursive: true, force: true });
    }
  }
  return out.sort((a, b) => a - b);
}

console.log("start-up, 10 runs each, a new process per run:");
report("kyso --help", times(["--help"]), 150);
if (existsSync(decree)) report("kyso verify <790 kB decree>", times(["verify", decree]), 250);
else console.log("  kyso verify <decree>: skipped, no ../shared/corpus beside the checkout");
report("kyso serve, new store, to /readyz", await serveReady());
