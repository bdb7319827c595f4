// The shipped Vietnamese trust store: pinned by SHA-256 against its manifest; roots are anchors,
// intermediates and TSA certificates only help path building; anchors match by subject and key.
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { certificatesIn, DEFAULT_TRUST_DIR, readTrustDir } from "../../src/config.js";
import { parseCertificate } from "../../src/pki/certificate.js";
import { TrustStore } from "../../src/pki/trust-store.js";
import { readTsv } from "../helpers/paths.js";

const manifest = readTsv(readFileSync(join(DEFAULT_TRUST_DIR, "MANIFEST.tsv"), "utf8"));

describe("trust/vn", () => {
  it.each(manifest.map((m) => [m.file!, m] as const))("%s matches its pinned fingerprint", (f, m) => {
    const [der] = certificatesIn(readFileSync(join(DEFAULT_TRUST_DIR, f)));
    const fp = createHash("sha256").update(der!).digest("hex").toUpperCase().match(/../g)!.join(":");
    expect(fp).toBe(m.sha256_fingerprint);
  });

  it("makes the roots anchors and nothing else", () => {
    const inputs = readTrustDir(DEFAULT_TRUST_DIR);
    const store = new TrustStore(inputs);
    expect(store.anchors.length).toBe(manifest.filter((m) => m.role!.startsWith("root")).length);
    expect(store.helpers.length).toBe(manifest.length - store.anchors.length);
    expect(store.id).toMatch(/^[0-9a-f]{64}$/);
  });

  it("has NEAC's Vietnam National Root CA G3 (2024) as an anchor beside G2 and the SHA-1 MIC root", () => {
    const store = new TrustStore(readTrustDir(DEFAULT_TRUST_DIR));
    const names = store.anchors.map((a) => a.subject.find((x) => x.type === "CN")?.value ?? "");
    expect(names).toEqual(expect.arrayContaining(["Vietnam National Root CA G3", "Vietnam National Root CA", "MIC National Root CA"]));
  });

  it("matches an anchor by subject and public key, not by certificate bytes", () => {
    const rootFile = manifest.find((m) => m.role!.startsWith("root"))!.file!;
    const [der] = certificatesIn(readFileSync(join(DEFAULT_TRUST_DIR, rootFile)));
    const store = new TrustStore([{ der: der!, anchor: true }]);
    const c = parseCertificate(der!);
    expect(store.isAnchor(c)).toBe(true);
    // the same name with another key is not the anchor
    const other = manifest.find((m) => m.role!.startsWith("root") && m.file !== rootFile)!.file!;
    expect(store.isAnchor(parseCertificate(certificatesIn(readFileSync(join(DEFAULT_TRUST_DIR, other)))[0]!))).toBe(false);
  });
});
