// Child process of bench/verify: verifies one file and prints resident-memory high-water marks before
// reading the file and after verifying it. VmHWM (from /proc) is per process image, unlike getrusage's
// maxrss, which Linux carries over from the parent across exec.
import { readFileSync } from "node:fs";
import { analyzeStructure as analyze } from "../src/analyze.js";

function hwm(): number {
  const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync("/proc/self/status", "utf8"));
  return m ? Number(m[1]) * 1024 : process.memoryUsage().rss;
}

const baselineRss = hwm();
const report = analyze(readFileSync(process.argv[2]!), { now: "2026-01-01T00:00:00Z" });
const peakRss = hwm();
console.log(JSON.stringify({ baselineRss, peakRss, verdictIntact: report.signatures.length > 0 && report.signatures.every((s) => s.integrity === "intact") }));
