// The caches shared across documents (parsed certificates, built paths, path validations, issuer
// signatures) change no report: every fixture, corpus file (when beside the checkout) and sample province
// document gives the same report with the caches off, on and cold, and on and warm. Also: a cached
// certificate holds its own copy of the bytes (never a view that keeps a whole document alive), and the
// caches stay bounded.
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { X509Certificate } from "node:crypto";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { analyze } from "../../src/analyze.js";
import { loadTrustStore } from "../../src/config.js";
import { parseCertificate } from "../../src/pki/certificate.js";
import { BoundedCache, sharedCaches } from "../../src/pki/shared-cache.js";
import { generateSample, SAMPLE_TRUST } from "../../fixtures/sample/generate.js";
import { AT, CORPUS, CORPUS_MISSING, FIXTURES, hasCorpus, ROOT } from "../helpers/paths.js";

function pdfFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? pdfFiles(p) : p.endsWith(".pdf") ? [p] : [];
  });
}

const trust = loadTrustStore([join(ROOT, "fixtures", "trust"), SAMPLE_TRUST]);

/** Reports of every file, as JSON, at two validation times (a path judged in and out of its validity). */
async function reports(files: Array<Uint8Array>): Promise<string[]> {
  const out: string[] = [];
  for (const b of files) for (const now of [AT, "2031-06-01T00:00:00Z"]) out.push(JSON.stringify(await analyze(b, { now, trust })));
  return out;
}

async function sameWithAndWithout(files: Uint8Array[]): Promise<void> {
  sharedCaches(false);
  const off = await reports(files);
  sharedCaches(true);
  const cold = await reports(files);
  const warm = await reports(files);
  for (let i = 0; i < off.length; i++) {
    expect(cold[i], `report ${i} (cold caches)`).toBe(off[i]);
    expect(warm[i], `report ${i} (warm caches)`).toBe(off[i]);
  }
}

afterAll(() => sharedCaches(true));

describe("reports with the shared caches on and off", () => {
  it("are identical on every fixture", async () => {
    await sameWithAndWithout(pdfFiles(FIXTURES).map((f) => new Uint8Array(readFileSync(f))));
  }, 120_000);

  it.skipIf(!hasCorpus)(
    "are identical on every corpus file",
    async () => {
      await sameWithAndWithout(pdfFiles(join(CORPUS, "files")).map((f) => new Uint8Array(readFileSync(f))));
    },
    180_000,
  );
  it.skipIf(hasCorpus)(CORPUS_MISSING, () => undefined);

  it("are identical on a sample province", async () => {
    const dir = mkdtempSync(join(tmpdir(), "kyso-cache-"));
    try {
      const items = generateSample(dir, { documents: 150, seed: 8 }).filter((i) => i.file);
      await sameWithAndWithout(items.map((i) => new Uint8Array(readFileSync(join(dir, i.file!)))));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 180_000);
});

describe("the caches", () => {
  it("share one parsed certificate per content, over its own copy of the bytes", () => {
    const pem = readdirSync(join(ROOT, "trust", "vn")).find((f) => f.endsWith(".pem"))!;
    const der = new Uint8Array(new X509Certificate(readFileSync(join(ROOT, "trust", "vn", pem))).raw);
    const inDocument = new Uint8Array(der.length + 100);
    inDocument.set(der, 50);
    const a = parseCertificate(inDocument.subarray(50, 50 + der.length));
    const b = parseCertificate(der);
    expect(b).toBe(a);
    expect(a.der.buffer).not.toBe(inDocument.buffer);
    sharedCaches(false);
    expect(parseCertificate(der)).not.toBe(a);
    sharedCaches(true);
  });

  it("drop their oldest entries beyond their bound", () => {
    const c = new BoundedCache<number, number>(3);
    for (let i = 0; i < 10; i++) c.get(i, () => i * 2);
    expect(c.size).toBe(3);
    let made = 0;
    expect(c.get(9, () => ++made)).toBe(18);
    expect(c.get(0, () => ++made)).toBe(1);
  });
});
