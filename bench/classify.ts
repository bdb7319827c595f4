// bench/classify: time per document of kyso's content classification (inside analyze, as it runs) over
// the corpus and the fixtures, against a pdfjs-dist baseline that opens every page and calls
// getOperatorList, in the same run. Targets (issue 4): median ≤ 30 ms and p95 ≤ 150 ms per document;
// ≥ 10× faster than the baseline on scans. Run: npm run bench:classify
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { classifyContent } from "../src/classify/index.js";
import { PdfDocument } from "../src/pdf/document.js";
import { ownTextEvidence, textEvidence, textPages } from "../src/classify/text-content.js";

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, "..");
const corpusDir = resolve(process.env.KYSO_SHARED_DIR ?? join(root, "..", "shared"), "corpus", "files");

function pdfFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? pdfFiles(p) : p.endsWith(".pdf") ? [p] : [];
  });
}

function quantile(xs: number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
}

/** kyso: open the PDF with its own reader, classify, and read the text of up to three pages (its own
 * reader, pdfjs where only a font program explains the codes: everything analyze does for `content`). */
async function kysoMs(bytes: Uint8Array): Promise<{ ms: number; kind: string }> {
  const t0 = performance.now();
  let kind = "unknown";
  try {
    const doc = PdfDocument.open(bytes);
    const content = classifyContent(doc);
    kind = content.kind;
    const pages = textPages(content);
    if (pages.length && !ownTextEvidence(doc.final(), pages)) await textEvidence(bytes, pages);
  } catch {
    kind = "unreadable";
  }
  return { ms: performance.now() - t0, kind };
}

async function pdfjsMs(pdfjs: typeof import("pdfjs-dist/legacy/build/pdf.mjs"), bytes: Uint8Array): Promise<number> {
  const t0 = performance.now();
  try {
    const doc = await pdfjs.getDocument({ data: new Uint8Array(bytes), verbosity: 0, isEvalSupported: false }).promise;
    for (let i = 1; i <= doc.numPages; i++) await (await doc.getPage(i)).getOperatorList();
    await doc.destroy();
  } catch {
    // unreadable for pdfjs too: its time still counts
  }
  return performance.now() - t0;
}

const pdfjs = await import("pdfjs-dist/legacy/build/pdf.mjs");
// the decompression-bomb fixtures are left out: pdfjs has no decoding limits and runs out of memory on
// them (kyso's bounded reader gives its report in seconds: tests/cli/verify-limits.test.ts)
const all = [...pdfFiles(corpusDir), ...pdfFiles(join(root, "fixtures", "pdf"))].sort();
const files = all.filter((f) => !/\/decode-bomb-[^/]*\.pdf$/.test(f));
const rows: Array<{ file: string; kind: string; kyso: number; pdfjs: number }> = [];
for (const f of files) {
  const bytes = new Uint8Array(readFileSync(f));
  await kysoMs(bytes); // warm
  const k = await kysoMs(bytes);
  rows.push({ file: f, kind: k.kind, kyso: k.ms, pdfjs: await pdfjsMs(pdfjs, bytes) });
}
const k = rows.map((r) => r.kyso);
const p = rows.map((r) => r.pdfjs);
console.log(
  `classification: ${rows.length} documents (corpus and fixtures; ${all.length - files.length} decompression bombs left out, pdfjs cannot survive them)`,
);
console.log(
  `  kyso    median ${quantile(k, 0.5).toFixed(1)} ms   p95 ${quantile(k, 0.95).toFixed(1)} ms   max ${Math.max(...k).toFixed(1)} ms   targets: median ≤ 30, p95 ≤ 150`,
);
console.log(`  pdfjs   median ${quantile(p, 0.5).toFixed(1)} ms   p95 ${quantile(p, 0.95).toFixed(1)} ms   (open + getOperatorList on every page)`);
const scans = rows.filter((r) => r.kind === "scanned" || r.kind === "scanned-ocr");
const sk = scans.reduce((s, r) => s + r.kyso, 0);
const sp = scans.reduce((s, r) => s + r.pdfjs, 0);
console.log(`  scans   ${scans.length} documents: kyso ${sk.toFixed(0)} ms, pdfjs ${sp.toFixed(0)} ms, ratio ${(sp / sk).toFixed(1)}×   target ≥ 10×`);
const slow = [...rows].sort((a, b) => b.kyso - a.kyso).slice(0, 3);
console.log(`  slowest for kyso: ${slow.map((r) => `${r.file.split("/").pop()} ${r.kyso.toFixed(1)} ms`).join(", ")}`);
