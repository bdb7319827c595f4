import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { PdfDocument } from "../src/pdf/document.js";
import { findSignatures } from "../src/pdf/signatures.js";
function pdfFiles(dir: string): string[] { return readdirSync(dir).flatMap((f) => { const p = join(dir, f); return statSync(p).isDirectory() ? pdfFiles(p) : p.endsWith(".pdf") ? [p] : []; }); }
const files = pdfFiles("/work/shared/corpus/files").map(f => [f, readFileSync(f)] as const);
const per: Array<[number, string]> = [];
for (const [f, b] of files) { let t = 0; for (let i = 0; i < 10; i++) { const doc = PdfDocument.open(b); const t0 = performance.now(); findSignatures(doc); t += performance.now() - t0; } per.push([t / 10, f.split("/").pop()!]); }
per.sort((a, b) => b[0] - a[0]); console.log(per.slice(0, 8).map(([t, f]) => t.toFixed(2) + " " + f).join("\n"));
