import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { analyzeStructure } from "./src/analyze.ts";
import { loadTrustStore } from "./src/config.ts";
const trust = loadTrustStore();
function pdfFiles(dir: string): string[] { return readdirSync(dir).flatMap((f) => { const p = join(dir, f); return statSync(p).isDirectory() ? pdfFiles(p) : p.endsWith(".pdf") ? [p] : []; }); }
const files = pdfFiles("../shared/corpus/files").sort().map((f) => [f, readFileSync(f)] as const);
const passes = Number(process.argv[2] ?? 10);
for (let i = 0; i < 3; i++) for (const [, b] of files) analyzeStructure(b, { now: "2026-01-01T00:00:00Z", trust, classify: false });
const per = new Map<string, number>();
const t0 = performance.now();
for (let i = 0; i < passes; i++) for (const [f, b] of files) { const t = performance.now(); analyzeStructure(b, { now: "2026-01-01T00:00:00Z", trust, classify: false }); per.set(f, (per.get(f) ?? 0) + performance.now() - t); }
const ms = (performance.now() - t0) / passes;
console.log(`pass ${ms.toFixed(1)} ms, ${(files.length / ms * 1000).toFixed(0)} docs/s`);
for (const [f, t] of [...per].sort((a, b) => b[1] - a[1]).slice(0, 15)) console.log((t / passes).toFixed(2).padStart(7), "ms", (statSync(f).size / 1e6).toFixed(2).padStart(6), "MB", f.replace(/.*files\//, ""));
