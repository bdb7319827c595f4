import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { PdfDocument } from "../src/pdf/document.js";
import { byteRangeBodies, signatureFields } from "../src/pdf/signatures.js";
import { createHash } from "node:crypto";
function pdfFiles(dir: string): string[] { return readdirSync(dir).flatMap((f) => { const p = join(dir, f); return statSync(p).isDirectory() ? pdfFiles(p) : p.endsWith(".pdf") ? [p] : []; }); }
const files = pdfFiles("/work/shared/corpus/files").filter(f => !/form-filled|lt-short/.test(f)).map(f => readFileSync(f));
const T: Record<string, number> = {};
const time = (k: string, fn: () => unknown) => { const t = performance.now(); const r = fn(); T[k] = (T[k] ?? 0) + performance.now() - t; return r; };
for (let it = 0; it < 10; it++) for (const b of files) {
  time("sha256", () => createHash("sha256").update(b).digest());
  const doc = time("open", () => PdfDocument.open(b)) as PdfDocument;
  time("byteRangeBodies", () => byteRangeBodies(doc));
  time("fields", () => signatureFields(doc.final()));
  time("indexOf ByteRange", () => b.indexOf("/ByteRange"));
  time("lastIndexOf startxref", () => b.lastIndexOf("startxref"));
}
for (const [k, v] of Object.entries(T)) console.log(k.padEnd(24), (v / 10).toFixed(1), "ms per corpus pass");
