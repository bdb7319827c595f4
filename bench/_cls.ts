import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { PdfDocument } from "../src/pdf/document.js";
import { classifyContent } from "../src/classify/index.js";
function pdfFiles(dir: string): string[] { return readdirSync(dir).flatMap((f) => { const p = join(dir, f); return statSync(p).isDirectory() ? pdfFiles(p) : p.endsWith(".pdf") ? [p] : []; }); }
const files = pdfFiles("/work/shared/corpus/files").map(f => [f, readFileSync(f)] as const);
const per = new Map<string, number>();
for (let i = 0; i < 5; i++) for (const [f, b] of files) { const t = performance.now(); try { classifyContent(PdfDocument.open(b)); } catch {} if (i >= 2) per.set(f, (per.get(f) ?? 0) + (performance.now() - t) / 3); }
const tot = [...per.values()].reduce((a, b) => a + b, 0);
console.log("classify per pass", tot.toFixed(1));
console.log([...per].sort((a, b) => b[1] - a[1]).slice(0, 8).map(([f, t]) => t.toFixed(1) + " " + f.split("/").pop()).join("\n"));
