import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { analyze } from "/work/main/src/analyze.js";
function pdfFiles(dir: string): string[] { return readdirSync(dir).flatMap((f) => { const p = join(dir, f); return statSync(p).isDirectory() ? pdfFiles(p) : p.endsWith(".pdf") ? [p] : []; }); }
const files = pdfFiles("/work/shared/corpus/files").map(f => [f, readFileSync(f)] as const);
for (let i = 0; i < 3; i++) for (const [, b] of files) analyze(b, { validationTime: "2026-01-01T00:00:00Z" });
const times: Array<[number, string]> = [];
for (const [f, b] of files) { const t0 = performance.now(); for (let i = 0; i < 5; i++) analyze(b, { validationTime: "2026-01-01T00:00:00Z" }); times.push([(performance.now() - t0) / 5, f.split("/").pop()!]); }
times.sort((a, b) => b[0] - a[0]);
console.log("total ms", times.reduce((s, t) => s + t[0], 0).toFixed(1));
for (const t of times.slice(0, 15)) console.log(t[0].toFixed(2), t[1]);
