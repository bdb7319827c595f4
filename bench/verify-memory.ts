// Child process of bench/verify: verifies one file and prints baseline and peak resident memory.
import { readFileSync } from "node:fs";
import { analyze } from "../src/analyze.js";

const baselineRss = process.resourceUsage().maxRSS * 1024;
const report = analyze(readFileSync(process.argv[2]!), { validationTime: "2026-01-01T00:00:00Z" });
const peakRss = process.resourceUsage().maxRSS * 1024;
console.log(JSON.stringify({ baselineRss, peakRss, verdictIntact: report.signatures.every((s) => s.integrity === "intact") }));
