// K15 on documents built as VGCA's iText 5 tools sign them (fixtures/lib/itext5-chain.ts): whatever key a
// signing tool writes on a new field, the field owns what only it reaches; the same key written later on a
// field that was already signed is an unrecognised change, named with its object and key, never content.
import { randomBytes } from "node:crypto";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { analyzeStructure as analyze } from "../../src/analyze.js";
import { loadTrustStore } from "../../src/config.js";
import { itext5Chain, type ChainOptions } from "../../fixtures/lib/itext5-chain.js";
import { testPki } from "../../fixtures/lib/test-pki.js";
import { AT, ROOT } from "../helpers/paths.js";

const pki = testPki(join(ROOT, "fixtures", "pki", "keys"));
const trust = loadTrustStore([join(ROOT, "fixtures", "trust")], { includeDefault: false });
const signers: ChainOptions["signers"] = [0, 1, 2].map((k) => ({
  signer: k === 0 ? pki.vgcaOfficial : pki.vgcaAgency,
  chain: [pki.vgcaInter.der],
  pages: [0, 1],
}));
// a key no rule has heard of, different at every run
const key = `X${randomBytes(4).toString("hex")}.Tool`;

describe("a key no rule knows (K15)", () => {
  it("on every new field: the field owns it, every signature passes", () => {
    const r = analyze(itext5Chain({ shape: "merged", signers, vendorKeyOnNewFields: true, vendorKey: key }), { now: AT, trust });
    expect(
      r.signatures.map((s) => s.indication),
      r.signatures.map((s) => s.messages[0]).join(" | "),
    ).toEqual(["TOTAL_PASSED", "TOTAL_PASSED", "TOTAL_PASSED"]);
    expect(r.verdict).toBe("signed-valid");
  });

  for (const shape of ["parent-kids", "kids-only"] as const) {
    it(`on every new field shaped ${shape}: every signature passes`, () => {
      const r = analyze(itext5Chain({ shape, signers, vendorKeyOnNewFields: true, vendorKey: key }), { now: AT, trust });
      expect(r.verdict, r.signatures.map((s) => s.messages[0]).join(" | ")).toBe("signed-valid");
    });
  }

  it("added to a field already signed: an unrecognised change naming the object and the key, not content", () => {
    const r = analyze(itext5Chain({ shape: "merged", signers, vendorKeyOnSignedFieldIn: 3, vendorKey: key }), { now: AT, trust });
    const first = r.signatures[0]!;
    expect([first.indication, first.subIndication, first.modifications.level]).toEqual(["INDETERMINATE", "FORMAT_FAILURE", "unrecognised"]);
    const change = first.modifications.changes!.find((c) => c.level === "unrecognised")!;
    expect(change.object).toEqual(expect.any(Number));
    expect(change.what).toContain(`/${key}`);
    expect(change.rule).toBe("K15 unrecognised change");
    expect(first.findings!.find((f) => f.key === "mod.unrecognised")!.params.details).toContain(`/${key}`);
    // the signature whose update wrote it, and the one after, are untouched
    expect(r.signatures.slice(2).map((s) => s.indication)).toEqual(["TOTAL_PASSED"]);
    // under the strict policy an unrecognised change fails
    const strict = analyze(itext5Chain({ shape: "merged", signers, vendorKeyOnSignedFieldIn: 3, vendorKey: key }), { now: AT, trust, policy: "strict" });
    expect(strict.signatures[0]!.indication).toBe("TOTAL_FAILED");
  });

  it("still fails page content rewritten in a signing update, for every signature before it", () => {
    const r = analyze(itext5Chain({ shape: "parent-kids", signers, tamperIn: 3, vendorKeyOnNewFields: true, vendorKey: key }), { now: AT, trust });
    expect(r.signatures.map((s) => s.indication)).toEqual(["TOTAL_FAILED", "TOTAL_FAILED", "TOTAL_PASSED"]);
    expect(r.signatures[0]!.modifications.details.filter((d) => d.startsWith("other"))).toEqual(["other: object 13: content object changed"]);
  });
});

describe("the change policy as a value", () => {
  it("judges by the rules it is given: without K15's rule a field's own /DR is content again", async () => {
    const { DEFAULT_CHANGE_POLICY, FIELD_OWN_DATA } = await import("../../src/pdf/change-rules.js");
    const bytes = itext5Chain({ shape: "merged", signers });
    const without = { ...DEFAULT_CHANGE_POLICY, rules: DEFAULT_CHANGE_POLICY.rules.filter((r) => r !== FIELD_OWN_DATA) };
    expect(analyze(bytes, { now: AT, trust }).verdict).toBe("signed-valid");
    const r = analyze(bytes, { now: AT, trust, changePolicy: without });
    expect(r.signatures[0]!.indication).toBe("TOTAL_FAILED");
    expect(r.signatures[0]!.modifications.details.join(" ")).toMatch(/content object added/);
  });

  it("reads its allow-lists as options: a tool's key made a reader key turns the unrecognised change into content", async () => {
    const { DEFAULT_CHANGE_POLICY } = await import("../../src/pdf/change-rules.js");
    const bytes = itext5Chain({ shape: "merged", signers, vendorKeyOnSignedFieldIn: 3, vendorKey: key });
    const policy = {
      ...DEFAULT_CHANGE_POLICY,
      options: { ...DEFAULT_CHANGE_POLICY.options, readerFieldKeys: new Set([...DEFAULT_CHANGE_POLICY.options.readerFieldKeys, key]) },
    };
    expect(analyze(bytes, { now: AT, trust }).signatures[0]!.indication).toBe("INDETERMINATE");
    expect(analyze(bytes, { now: AT, trust, changePolicy: policy }).signatures[0]!.indication).toBe("TOTAL_FAILED");
  });
});
