import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { PdfDocument } from "../src/pdf/document.js";
import { findSignatures } from "../src/pdf/signatures.js";
import { verifyDocument } from "../src/verify/document.js";
import { Digester } from "../src/verify/digester.js";
import { listPages } from "../src/pdf/pages.js";
function pdfFiles(dir: string): string[] { return readdirSync(dir).flatMap((f) => { const p = join(dir, f); return statSync(p).isDirectory() ? pdfFiles(p) : p.endsWith(".pdf") ? [p] : []; }); }
const files = pdfFiles("/work/shared/corpus/files").map(f => readFileSync(f));
const T: Record<string, number> = {};
const time = <X>(k: string, fn: () => X): X => { const t = performance.now(); const r = fn(); T[k] = (T[k] ?? 0) + performance.now() - t; return r; };
for (let it = 0; it < 10; it++) for (const b of files) {
  try {
  const doc = time("open", () => PdfDocument.open(b));
  time("findSignatures", () => findSignatures(doc));
  const doc2 = PdfDocument.open(b);
  const d = new Digester(b);
  time("verifyDocument(all)", () => verifyDocument(doc2, { digester: d }));
  time("file sha", () => d.fileDigest("sha256"));
  time("listPages", () => listPages(doc2.final()));
  } catch {}
}
for (const [k, v] of Object.entries(T)) console.log(k.padEnd(24), (v / 10).toFixed(1), "ms per corpus pass");
