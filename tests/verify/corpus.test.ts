// Conformance over the shared corpus (real files from EU DSS, pyHanko and Vietnamese agencies): every row
// whose `expect` is scored must agree, and the counts per class are printed.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { analyzeStructure as analyze } from "../../src/analyze.js";
import type { DocumentReport } from "../../src/verify/report.js";
import { loadTrustStore } from "../../src/config.js";
import { AT, CORPUS, CORPUS_MISSING, hasCorpus, readTsv } from "../helpers/paths.js";

const SCORED: Record<string, (r: DocumentReport) => boolean> = {
  intact: (r) => r.verdict === "signed-valid" || r.verdict === "signed-indeterminate",
  invalid: (r) => r.verdict === "signed-invalid",
  "not-valid": (r) => r.verdict !== "signed-valid",
  unsigned: (r) => r.verdict === "unsigned",
  terminates: () => true,
};

const rows = hasCorpus ? readTsv(readFileSync(join(CORPUS, "expectations.tsv"), "utf8")) : [];
const vnRows = hasCorpus ? readTsv(readFileSync(join(CORPUS, "vn.tsv"), "utf8")) : [];
const tally = new Map<string, { agree: number; total: number }>();

describe.skipIf(!hasCorpus)("conformance corpus (expectations.tsv)", () => {
  afterAll(() => {
    const lines = [...tally].map(([k, v]) => `  ${k.padEnd(11)} ${v.agree}/${v.total}`);
    console.log(`corpus conformance, agreeing/scored per expected class:\n${lines.join("\n")}`);
  });

  it.each(rows.map((r) => [r.name!, r] as const))("%s", (_name, row) => {
    const bytes = readFileSync(join(CORPUS, "files", row.name!));
    const t0 = performance.now();
    const report = analyze(bytes, { now: AT });
    const ms = performance.now() - t0;
    expect(report.sha256).toBe(row.sha256);
    const cls = row.expect!;
    const t = tally.get(cls) ?? { agree: 0, total: 0 };
    tally.set(cls, t);
    t.total++;
    if (cls === "skip") {
      t.agree++;
      return;
    }
    const check = SCORED[cls];
    expect(check, `unknown expectation ${cls}`).toBeDefined();
    const ok = check!(report);
    if (ok) t.agree++;
    expect(
      ok,
      `${row.name}: expected ${cls}, got ${report.verdict}: ${report.signatures.map((s) => `${s.indication}/${s.subIndication} ${s.messages[0] ?? ""}`).join(" | ")}`,
    ).toBe(true);
    expect(ms).toBeLessThan(10_000);
  });
});

describe.skipIf(!hasCorpus)("Vietnamese documents (vn.tsv)", () => {
  // a row whose verdict is signed-invalid says in its note which signature fails; the others must pass
  const broken: Record<string, { index: number; sub: string }> = { "vn/bkhcn-qd-3004-2025.first-signature-broken.pdf": { index: 0, sub: "HASH_FAILURE" } };

  it.each(vnRows.filter((r) => r.verdict_with_vn_trust === "signed-invalid").map((r) => [r.name!, r] as const))(
    "%s: only the signature the note names fails, and precisely",
    (_name, row) => {
      const report = analyze(readFileSync(join(CORPUS, "files", row.name!)), { now: AT, trust: loadTrustStore() });
      const want = broken[row.name!];
      expect(want, `no expectation written for ${row.name}`).toBeDefined();
      report.signatures.forEach((s, i) => {
        if (i === want!.index) {
          expect([s.indication, s.subIndication, s.integrity]).toEqual(["TOTAL_FAILED", want!.sub, "broken"]);
          expect(s.messages[0]).toMatch(/no longer frames its \/Contents/);
        } else expect([s.indication, s.integrity, s.cryptographic], s.messages.join("; ")).toEqual(["TOTAL_PASSED", "intact", "valid"]);
      });
      expect(report.nd30.complete).toBe(true);
    },
  );

  it.each(vnRows.filter((r) => r.verdict_with_vn_trust !== "signed-invalid").map((r) => [r.name!, r] as const))(
    "%s: no signature broken or invalid",
    (_name, row) => {
      const report = analyze(readFileSync(join(CORPUS, "files", row.name!)), { now: AT });
      expect(report.sha256).toBe(row.sha256);
      expect(report.error).toBeNull();
      for (const s of report.signatures) {
        expect(s.indication, s.messages.join("; ")).not.toBe("TOTAL_FAILED");
        expect(s.integrity).toBe("intact");
        expect(s.cryptographic).toBe("valid");
      }
      const kinds = row.signer_kinds ? row.signer_kinds.split(",") : [];
      expect(report.signatures.filter((s) => s.kind === "signature").map((s) => s.signer?.kind)).toEqual(kinds);
      expect(report.verdict === "unsigned").toBe(row.verdict_with_vn_trust === "unsigned");
    },
  );

  it.each(vnRows.map((r) => [r.name!, r] as const))("%s: content kind", (_name, row) => {
    const report = analyze(readFileSync(join(CORPUS, "files", row.name!)), { now: AT });
    expect(report.content.kind, JSON.stringify(report.content.evidence).slice(0, 300)).toBe(row.content);
    expect(report.content.pagesExamined).toBeLessThanOrEqual(20);
  });
});

if (!hasCorpus) {
  console.warn(`kyso tests: ${CORPUS_MISSING}`);
  it.skip(CORPUS_MISSING, () => {});
}
