import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { analyzeStructure } from "../src/analyze.js";
import { loadTrustStore } from "../src/config.js";
const trust = loadTrustStore();
function pdfFiles(dir: string): string[] { return readdirSync(dir).flatMap((f) => { const p = join(dir, f); return statSync(p).isDirectory() ? pdfFiles(p) : p.endsWith(".pdf") ? [p] : []; }); }
const files = pdfFiles("/work/shared/corpus/files").map(f => readFileSync(f));
for (let i = 0; i < 3; i++) for (const b of files) analyzeStructure(b, { now: "2026-01-01T00:00:00Z", trust });
const t0 = performance.now();
for (let i = 0; i < 5; i++) for (const b of files) analyzeStructure(b, { now: "2026-01-01T00:00:00Z", trust });
console.log("per pass", ((performance.now() - t0) / 5).toFixed(1), "ms");
