// The sample province's seals are what its ground truth says (issue 24, point 5): each agency's
// organisation certificate is read as an organisation naming it, each official's as personal, and the
// directory (agencies.csv: names, signer_names, certificates) resolves every certificate to its agency;
// each signed-valid document's expected binding follows from the signatures kyso reports in it.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { analyze } from "../../src/analyze.js";
import { loadTrustStore } from "../../src/config.js";
import { parseCertificate } from "../../src/pki/certificate.js";
import { foldName, signerAgency, signerKind } from "../../src/pki/signer-kind.js";
import { generateSample, loadAgencies, SAMPLE_TRUST, sampleSigners, type SampleBinding, type SampleItem } from "../../fixtures/sample/generate.js";
import { AT } from "../helpers/paths.js";

const agencies = loadAgencies();
const split = (cell: string) =>
  cell
    .split("|")
    .map((s) => s.trim())
    .filter(Boolean);

/** A model of the directory's rule, kept minimal: a registered fingerprint, else the one agency whose name or signer_names is the name, CN first then O. */
function resolve(sha256: string, names: Array<string | null>, opts: { signerNames?: boolean } = {}): string | null {
  const pinned = agencies.find((a) => split(a.certificates).includes(sha256));
  if (pinned) return pinned.code;
  for (const n of names) {
    if (!n) continue;
    const hits = agencies.filter((a) => [a.name, ...(opts.signerNames === false ? [] : split(a.signer_names))].some((x) => foldName(x) === foldName(n)));
    if (hits.length === 1) return hits[0]!.code;
  }
  return null;
}

describe("the sample province's certificates", () => {
  const signers = sampleSigners();

  it("give every agency an organisation certificate that names it, and an official a personal one", () => {
    expect([...signers.keys()]).toEqual(agencies.map((a) => a.code));
    for (const a of agencies) {
      const s = signers.get(a.code)!;
      const org = parseCertificate(s.organization.der);
      const kind = signerKind(org.subject, org.issuer).kind;
      expect(kind, a.code).toBe("organization");
      const named = signerAgency(org.subject, kind)!;
      expect(resolve(org.sha256, [named.name, named.parent]), a.code).toBe(a.code);
      const official = parseCertificate(s.official.der);
      expect(signerKind(official.subject, official.issuer).kind, a.code).toBe("personal");
    }
    // distinct certificates, each with its own serial under the one intermediate
    expect(new Set([...signers.values()].flatMap((s) => [s.organization.serial, s.official.serial])).size).toBe(2 * agencies.length);
  });

  it("need the directory's extra entries where a certificate spells its agency otherwise", () => {
    const office = agencies.find((a) => a.certificates)!;
    expect(office.certificates).toBe(signers.get(office.code)!.sha256);
    const org = parseCertificate(signers.get(office.code)!.organization.der);
    const named = signerAgency(org.subject, "organization")!;
    // by name alone the office's seal would be read as its parent's
    expect(resolve("", [named.name, named.parent])).toBe(office.parent);
    const spelled = agencies.find((a) => a.signer_names)!;
    const gd = signerAgency(parseCertificate(signers.get(spelled.code)!.organization.der).subject, "organization")!;
    expect(resolve("", [gd.name, gd.parent])).toBe(spelled.code);
    expect(resolve("", [gd.name, gd.parent], { signerNames: false })).not.toBe(spelled.code);
  });
});

describe("a sample's expected bindings", () => {
  let dir: string;
  let items: SampleItem[];
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "kyso-seals-"));
    items = generateSample(dir, { documents: 90, seed: 2024 });
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("are on signed-valid documents only, and show each kind of seal", () => {
    expect(items.filter((i) => i.expected.binding).length).toBe(items.filter((i) => i.expected.category === "signed-valid").length);
    expect(new Set(items.map((i) => i.expected.binding?.status).filter(Boolean))).toEqual(new Set(["sender", "another-agency", "no-organisation-signature"]));
  });

  it("follow from the signatures in each file", async () => {
    const trust = loadTrustStore([SAMPLE_TRUST]);
    for (const item of items.filter((i) => i.expected.binding)) {
      const report = await analyze(new Uint8Array(readFileSync(join(dir, item.file!))), { now: AT, trust, text: false });
      const seals = report.signatures.filter((s) => s.indication === "TOTAL_PASSED" && s.signer?.kind === "organization");
      const codes = seals.map((s) => resolve(s.signer!.sha256, [s.signer!.agency!.name, s.signer!.agency!.parent]));
      const got: SampleBinding = !seals.length
        ? { status: "no-organisation-signature" }
        : codes.includes(item.meta.sender)
          ? { status: "sender", agency: item.meta.sender }
          : { status: "another-agency", agency: codes[0]! };
      expect(got, item.file).toEqual(item.expected.binding);
      expect(report.verdict, item.file).toBe("signed-valid");
    }
  }, 60_000);
});
