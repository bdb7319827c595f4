import { readFileSync } from "node:fs";
import { PdfDocument } from "../src/pdf/document.js";
const b = readFileSync(process.argv[2]!);
let n = 0;
const t0 = performance.now();
for (let i = 0; i < 20; i++) { const doc = PdfDocument.open(b); const r = doc.final(); for (const rev of doc.revisions) for (const k of rev.entries.keys()) { r.get(k); n++; } }
console.log(((performance.now() - t0) / 20).toFixed(2), "ms per full parse;", n / 20, "lookups");
