// What proves a signature's time travels as a key (issue 26, point 4: keys, not sentences): the analysis
// gives each judged signature and the receipt a basis, the English programs read is made from it (word for
// word what reports always said, so reports stored before the key still translate), the pages word every
// key in both languages, and the ETSI report types the proof from the key.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { analyzeStructure as analyze } from "../../src/analyze.js";
import { loadTrustStore } from "../../src/config.js";
import { etsiValidationReport } from "../../src/verify/etsi-report.js";
import { detailText } from "../../src/verify/detail-words.js";
import { PROOF_WORDS, proofPhrase, proofText, type ProofBasis } from "../../src/verify/proof-basis.js";
import { AT, FIXTURES, ROOT } from "../helpers/paths.js";

const trust = loadTrustStore([join(ROOT, "fixtures", "trust")], { includeDefault: false });
const ALL: ProofBasis[] = [
  { kind: "given" },
  { kind: "signature-timestamp", tsa: "Test TSA" },
  { kind: "document-timestamp" },
  { kind: "own-timestamp" },
  { kind: "receipt" },
  { kind: "exchange-trace" },
  { kind: "received" },
  { kind: "now" },
];

describe("proof of existence as a key", () => {
  it("words every key in both languages, the English as reports always carried it", () => {
    expect(Object.keys(PROOF_WORDS).sort()).toEqual(ALL.map((b) => b.kind).sort());
    const legacy: Record<string, string> = {
      given: "the time given",
      "signature-timestamp": "proved by the signature time-stamp of Test TSA",
      "document-timestamp": "proved by a document time-stamp",
      "own-timestamp": "the time the time-stamp states",
      receipt: "kyso's own receipt of the document",
      "exchange-trace": "the exchange's trace time, on a channel configured as trusted",
      received: "the time the document was received",
      now: "now: nothing proves an earlier time",
    };
    for (const b of ALL) {
      expect(proofText(b), b.kind).toBe(legacy[b.kind]);
      expect(proofText(b, "vi"), b.kind).not.toBe(proofText(b));
      // passed as a finding's parameter, the proof is its phrase: the same words in either language
      for (const lang of ["en", "vi"] as const) expect(detailText(proofPhrase(b), lang), b.kind).toBe(proofText(b, lang));
    }
  });

  it("gives each judged signature and the receipt their basis, and the ETSI type of proof from it", () => {
    const stamped = analyze(readFileSync(join(FIXTURES, "expired-signer-timestamped.pdf")), {
      now: AT,
      trust,
      receivedAt: "2026-01-02T03:04:05Z",
      existenceBasis: "receipt",
    });
    expect(stamped.signatures[0]!.judgedAt).toMatchObject({ basis: { kind: "signature-timestamp" } });
    expect(stamped.existence).toMatchObject({ basis: { kind: "receipt" }, proof: "kyso's own receipt of the document" });
    expect(etsiValidationReport(stamped)).toContain("<vr:TypeOfProof>urn:etsi:019102:poetype:validation</vr:TypeOfProof>");
    const plain = analyze(readFileSync(join(FIXTURES, "expired-signer.pdf")), {
      now: AT,
      trust,
      receivedAt: "2026-01-02T03:04:05Z",
      existenceBasis: "exchange-trace",
    });
    expect(plain.signatures[0]!.judgedAt).toMatchObject({ time: "2026-01-02T03:04:05.000Z", basis: { kind: "exchange-trace" } });
    expect(etsiValidationReport(plain)).toContain("<vr:TypeOfProof>urn:etsi:019102:poetype:provided</vr:TypeOfProof>");
    const now = analyze(readFileSync(join(FIXTURES, "expired-signer.pdf")), { now: AT, trust });
    expect(now.signatures[0]!.judgedAt?.basis).toEqual({ kind: "now" });
    const doc = analyze(readFileSync(join(FIXTURES, "document-timestamp.pdf")), { now: AT, trust });
    expect(doc.signatures.map((s) => s.judgedAt?.basis?.kind)).toContain("own-timestamp");
  });
});
