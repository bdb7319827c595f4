import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { analyze } from "../src/analyze.js";
function pdfFiles(dir: string): string[] { return readdirSync(dir).flatMap((f) => { const p = join(dir, f); return statSync(p).isDirectory() ? pdfFiles(p) : p.endsWith(".pdf") ? [p] : []; }); }
const files = pdfFiles("/work/shared/corpus/files").filter(f => !/form-filled|lt-short/.test(f)).map(f => readFileSync(f));
for (let i = 0; i < 10; i++) for (const b of files) analyze(b, { validationTime: "2026-01-01T00:00:00Z" });
