// bench/verify: kyso against pdfsig in the same run.
//  - as users run it (issue 14): `node bin/kyso.js verify` with its default options (trust, content
//    classification, text) over the corpus and over ≥ 1,000 PDFs of the sample province, end to end; its
//    start-up (the same command on one small file) reported apart and taken off for the marginal rate.
//    Single core: `--jobs 1` against a loop of pdfsig processes; all cores: the default `--jobs` against
//    `xargs -P $(nproc) pdfsig`. Targets: ≥ 5× pdfsig on the corpus, ≥ 20× on the sample, single core;
//    all cores at least the single-core ratio.
//  - corpus, verification only (content classification off, as pdfsig does none; bench/classify measures
//    it): kyso in one process for all files (in-process, and through the isolated worker the CLI uses),
//    pdfsig -no-ocsp as one process per file, as it is used.
//  - large: generated signed PDFs of 20 MB each (MB/s, and pdfsig on the same files).
//  - memory: a 200 MB signed PDF verified in a child process; peak RSS above the baseline, in copies.
// Targets (issue 2): ≥ 10× pdfsig's documents/s on the corpus (verification only); ≥ 500 MB/s on the large
// files; a 200 MB file verified holding at most two copies of it.
// Run: npm run bench:verify [-- --large N --skip-memory --skip-cli --sample N]
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { createHash, randomFillSync } from "node:crypto";
import { analyzeStructure as analyze } from "../src/analyze.js";
import { loadTrustStore } from "../src/config.js";
import { IsolatedAnalyzer } from "../src/queue/isolated-analyzer.js";
import { fieldNum, signField, type FieldSpec } from "../fixtures/lib/documents.js";
import { PdfModel, stream } from "../fixtures/lib/pdf-writer.js";
import { testPki } from "../fixtures/lib/test-pki.js";
import { generateSample, SAMPLE_TRUST } from "../fixtures/sample/generate.js";
import { availableParallelism } from "node:os";

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, "..");
const corpusDir = resolve(process.env.KYSO_SHARED_DIR ?? join(root, "..", "shared"), "corpus", "files");
const args = process.argv.slice(2);
const largeCount = Number(args[args.indexOf("--large") + 1] ?? 0) || 5;
const AT = "2026-01-01T00:00:00Z";
// trust checking on: the shipped Vietnamese store, as the CLI uses it
const trust = loadTrustStore();

function pdfFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? pdfFiles(p) : p.endsWith(".pdf") ? [p] : [];
  });
}

function hasPdfsig(): boolean {
  return spawnSync("pdfsig", ["-v"], { encoding: "utf8" }).error === undefined;
}

function timePdfsig(files: string[]): number {
  const t0 = performance.now();
  for (const f of files) spawnSync("pdfsig", ["-no-ocsp", f], { stdio: "ignore", timeout: 60_000 });
  return (performance.now() - t0) / 1000;
}

function timeKysoInProcess(files: string[]): number {
  const t0 = performance.now();
  for (const f of files) analyze(readFileSync(f), { now: AT, trust, classify: false });
  return (performance.now() - t0) / 1000;
}

async function timeKysoIsolated(files: string[]): Promise<number> {
  const a = new IsolatedAnalyzer();
  // thread start-up and JIT warm-up are paid once per process, as in a running service
  for (const f of files) await a.analyzeFile(f, { now: AT, trustDirs: [], text: false, classify: false });
  const t0 = performance.now();
  for (const f of files) await a.analyzeFile(f, { now: AT, trustDirs: [], text: false, classify: false });
  const s = (performance.now() - t0) / 1000;
  await a.close();
  return s;
}

/** A signed PDF of about `mb` megabytes: one page showing an incompressible image. */
function largeSignedPdf(mb: number): Buffer {
  const pki = testPki(join(root, "fixtures", "pki", "keys"));
  const side = Math.ceil(Math.sqrt(mb * 1024 * 1024));
  const pixels = randomFillSync(Buffer.alloc(side * side));
  const sig: FieldSpec = { name: "Signature", kind: "sig" };
  const m = new PdfModel({ root: 1, info: 3 });
  m.set(1, "<< /Type /Catalog /Pages 2 0 R /AcroForm 4 0 R >>");
  m.set(2, "<< /Type /Pages /Kids [10 0 R] /Count 1 >>");
  m.set(3, "<< /Producer (kyso bench) >>");
  m.set(4, `<< /Fields [${fieldNum(0)} 0 R] >>`);
  m.set(5, "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>");
  m.set(
    10,
    `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /XObject << /Im0 12 0 R >> >> /Contents 11 0 R /Annots [${fieldNum(0)} 0 R] >>`,
  );
  m.set(11, stream("", "q 595 0 0 842 0 0 cm /Im0 Do Q"));
  m.set(12, stream(`/Type /XObject /Subtype /Image /Width ${side} /Height ${side} /ColorSpace /DeviceGray /BitsPerComponent 8`, pixels));
  m.set(fieldNum(0), `<< /FT /Sig /T (Signature) /Type /Annot /Subtype /Widget /Rect [0 0 0 0] /P 10 0 R /F 132 >>`);
  m.writeOriginal();
  return signField(m, { field: fieldNum(0), fieldSpec: sig, signer: pki.organization, chain: [pki.inter.der] });
}

const KYSO = join(root, "bin", "kyso.js");

/** Wall seconds of one command, its output thrown away (written all the same: the CLI formats it). */
function wall(cmd: string, argv: string[], opts: { input?: string } = {}): number {
  const t0 = performance.now();
  const r = spawnSync(cmd, argv, {
    stdio: [opts.input === undefined ? "ignore" : "pipe", "ignore", "pipe"],
    input: opts.input,
    encoding: "utf8",
    maxBuffer: 1 << 26,
  });
  const s = (performance.now() - t0) / 1000;
  if (r.error) throw r.error;
  if (cmd === process.execPath && r.status !== 0 && r.status !== 1) throw new Error(`${argv.join(" ").slice(0, 200)}: exit ${r.status}: ${r.stderr}`);
  return s;
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/**
 * The CLI as users run it on `files` (default options, plus `extra`), against pdfsig on the same files,
 * single core and all cores. Start-up: the same command on the smallest file, median of five.
 */
function cliRun(label: string, files: string[], extra: string[], pdfsig: boolean): void {
  const cores = availableParallelism();
  const smallest = [...files].sort((a, b) => statSync(a).size - statSync(b).size)[0]!;
  const startup = median(Array.from({ length: 5 }, () => wall(process.execPath, [KYSO, "verify", "--jobs", "1", ...extra, smallest])));
  const one = wall(process.execPath, [KYSO, "verify", "--jobs", "1", ...extra, ...files]);
  const all = wall(process.execPath, [KYSO, "verify", ...extra, ...files]);
  const startupAll = median(Array.from({ length: 3 }, () => wall(process.execPath, [KYSO, "verify", ...extra, smallest])));
  const rate = (s: number, st: number) => files.length / Math.max(1e-3, s - st);
  console.log(
    `\n${label}: ${files.length} documents, \`kyso verify\` with its default options${extra.length ? ` (${extra.join(" ").replace(root + "/", "")})` : ""}, end to end`,
  );
  console.log(
    `  start-up (one small file)      ${fmt(startup * 1000, 0)} ms with --jobs 1, ${fmt(startupAll * 1000, 0)} ms with --jobs ${cores} (reported apart)`,
  );
  console.log(`  single core, --jobs 1          ${fmt(files.length / one)} documents/s end to end, ${fmt(rate(one, startup))} marginal`);
  console.log(`  all cores, default --jobs ${cores}    ${fmt(files.length / all)} documents/s end to end, ${fmt(rate(all, startupAll))} marginal`);
  if (!pdfsig) return;
  const p1 = wall("sh", ["-c", 'for f in "$@"; do pdfsig -no-ocsp "$f" >/dev/null 2>&1; done', "sh", ...files]);
  const pN = wall("sh", ["-c", `xargs -0 -n1 -P${cores} pdfsig -no-ocsp >/dev/null 2>&1`], { input: files.join("\0") });
  const target = label.startsWith("corpus") ? 5 : 20;
  console.log(
    `  pdfsig -no-ocsp, a loop        ${fmt(files.length / p1)} documents/s   ratio ${fmt(p1 / Math.max(1e-3, one - startup))}× marginal (${fmt(p1 / one)}× end to end)   target ≥ ${target}×`,
  );
  console.log(
    `  pdfsig, xargs -P ${cores}             ${fmt(files.length / pN)} documents/s   ratio ${fmt(pN / Math.max(1e-3, all - startupAll))}× marginal (${fmt(pN / all)}× end to end)   target ≥ the single-core ratio`,
  );
}

function fmt(n: number, d = 1): string {
  return n.toFixed(d);
}

async function main(): Promise<void> {
  const pdfsig = hasPdfsig();
  if (!pdfsig) console.log("pdfsig not found (apt-get install poppler-utils): reference figures skipped");

  const corpus = pdfFiles(corpusDir).sort();
  // ---- as users run it ----------------------------------------------------------------------------
  if (!args.includes("--skip-cli")) {
    cliRun("corpus", corpus, [], pdfsig);
    const sampleDir = mkdtempSync(join(tmpdir(), "kyso-bench-sample-"));
    try {
      const n = Number(args[args.indexOf("--sample") + 1] ?? 0) || 1150;
      const items = generateSample(sampleDir, { documents: n, seed: 21 }).filter((i) => i.file);
      cliRun(
        "sample province",
        items.map((i) => join(sampleDir, i.file!)),
        ["--trust", SAMPLE_TRUST],
        pdfsig,
      );
    } finally {
      rmSync(sampleDir, { recursive: true, force: true });
    }
  }

  // ---- corpus, verification only --------------------------------------------------------------------
  const corpusMb = corpus.reduce((s, f) => s + statSync(f).size, 0) / 1e6;
  const kCold = timeKysoInProcess(corpus); // the first pass of a fresh process: cold JIT
  const kIn = timeKysoInProcess(corpus);
  const kIso = await timeKysoIsolated(corpus);
  const p = pdfsig ? timePdfsig(corpus) : NaN;
  console.log(`\ncorpus: ${corpus.length} documents, ${fmt(corpusMb)} MB`);
  console.log(`  kyso (in-process, cold)  ${fmt(corpus.length / kCold)} documents/s  ${fmt(corpusMb / kCold)} MB/s`);
  console.log(`  kyso (in-process)        ${fmt(corpus.length / kIn)} documents/s  ${fmt(corpusMb / kIn)} MB/s`);
  console.log(`  kyso (isolated worker)   ${fmt(corpus.length / kIso)} documents/s  ${fmt(corpusMb / kIso)} MB/s`);
  if (pdfsig) {
    console.log(`  pdfsig -no-ocsp          ${fmt(corpus.length / p)} documents/s`);
    console.log(`  ratio kyso/pdfsig        ${fmt(p / kIso)}× (isolated), ${fmt(p / kIn)}× (in-process)   target ≥ 10×`);
  }

  // ---- large files --------------------------------------------------------------------------------
  const dir = mkdtempSync(join(tmpdir(), "kyso-bench-"));
  try {
    const files: string[] = [];
    for (let i = 0; i < largeCount; i++) {
      const f = join(dir, `large-${i}.pdf`);
      writeFileSync(f, largeSignedPdf(20));
      files.push(f);
    }
    const check = analyze(readFileSync(files[0]!), { now: AT, trust });
    if (check.signatures[0]?.integrity !== "intact") throw new Error("the generated large file does not verify");
    const mb = files.reduce((s, f) => s + statSync(f).size, 0) / 1e6;
    timeKysoInProcess(files.slice(0, 1));
    const lk = timeKysoInProcess(files);
    const lp = pdfsig ? timePdfsig(files) : NaN;
    // the reference of issue 14: SHA-256 of the same bytes with node:crypto, read as kyso reads them
    const th = performance.now();
    for (const f of files) createHash("sha256").update(readFileSync(f)).digest();
    const lh = (performance.now() - th) / 1000;
    console.log(`\nlarge: ${files.length} signed documents, ${fmt(mb / files.length)} MB each`);
    console.log(`  kyso (in-process)        ${fmt(files.length / lk)} documents/s  ${fmt(mb / lk)} MB/s   target ≥ 500 MB/s`);
    console.log(`  node:crypto SHA-256      ${fmt(mb / lh)} MB/s (file read and hashed once)   kyso ${fmt((lh / lk) * 100, 0)}% of it   target ≥ 90%`);
    if (pdfsig) console.log(`  pdfsig -no-ocsp          ${fmt(files.length / lp)} documents/s  ${fmt(mb / lp)} MB/s   ratio ${fmt(lp / lk)}×`);

    // ---- memory -----------------------------------------------------------------------------------
    if (!args.includes("--skip-memory")) {
      const big = join(dir, "big-200mb.pdf");
      writeFileSync(big, largeSignedPdf(200));
      const size = statSync(big).size;
      const child = spawnSync(process.execPath, ["--import", "tsx", join(here, "verify-memory.ts"), big], { encoding: "utf8", cwd: root });
      if (child.status !== 0) throw new Error(child.stderr);
      const r = JSON.parse(child.stdout.trim().split("\n").pop()!) as { baselineRss: number; peakRss: number; verdictIntact: boolean };
      const copies = (r.peakRss - r.baselineRss) / size;
      console.log(`\nmemory: ${fmt(size / 1e6)} MB signed PDF, peak RSS ${fmt(r.peakRss / 1e6)} MB (baseline ${fmt(r.baselineRss / 1e6)} MB)`);
      console.log(`  held above baseline      ${fmt(copies, 2)} copies of the file   target ≤ 2   (intact: ${r.verdictIntact})`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
