// `kyso audit evidence ARCHIVE.zip`: an archive from the API holds; forgeries of growing skill each fail
// on the check that catches them: a PDF byte changed (the manifest), a report edited with its manifest line
// recomputed (the log entry's report hash), the log entry edited too with its own hash recomputed (the
// verification done again on the PDF, which a forger cannot change).
import { spawnSync } from "node:child_process";
import { createHash, generateKeyPairSync } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { strFromU8, strToU8, unzipSync, zipSync } from "fflate";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { analyze } from "../../src/analyze.js";
import { checkEvidence } from "../../src/api/evidence-check.js";
import { loadTrustStore } from "../../src/config.js";
import { canonicalJson, entryHash, type AuditEntry } from "../../src/store/sqlite/audit.js";
import { readLogKey } from "../../src/log/key.js";
import { SAMPLE_TRUST } from "../../fixtures/sample/generate.js";
import { ROOT } from "../helpers/paths.js";
import { startSampleServer, type SampleServer } from "../helpers/sample-server.js";

let s: SampleServer;
let dir = "";
let archive: Record<string, Uint8Array> = {};
const sha256 = (b: Uint8Array | string) => createHash("sha256").update(b).digest("hex");

beforeAll(async () => {
  s = await startSampleServer(24, 31);
  dir = mkdtempSync(join(tmpdir(), "kyso-evidence-check-"));
  const id = (s.server.db.prepare("SELECT id FROM documents WHERE category = 'signed-valid' AND nd30_complete = 1 LIMIT 1").get() as { id: string }).id;
  archive = unzipSync(new Uint8Array(await (await s.as("auditor", `/api/v1/documents/${id}/evidence`)).arrayBuffer()));
}, 120_000);
afterAll(async () => s?.server.close());

/** Writes an archive with some files replaced, and checks it with the CLI. */
function check(
  change: (files: Record<string, Uint8Array>) => void = () => {},
  trust = [SAMPLE_TRUST],
  keys: string[] = [],
): { status: number | null; stdout: string; json: { ok: boolean; outcome: string; checks: Array<{ ok: boolean; what: string }> } } {
  const files = Object.fromEntries(Object.entries(archive).map(([k, v]) => [k, new Uint8Array(v)]));
  change(files);
  const path = join(dir, `a-${Math.random().toString(36).slice(2)}.zip`);
  writeFileSync(path, zipSync(files));
  const args = [join(ROOT, "bin", "kyso.js"), "audit", "evidence", path, ...trust.flatMap((t) => ["--trust", t]), ...keys.flatMap((k) => ["--key", k])];
  const text = spawnSync(process.execPath, args, { encoding: "utf8" });
  const json = spawnSync(process.execPath, [...args, "--json"], { encoding: "utf8" });
  return { status: text.status, stdout: text.stdout, json: JSON.parse(json.stdout) };
}

/** The manifest with one file's hash recomputed, as a forger would. */
function remanifest(files: Record<string, Uint8Array>, name: string): void {
  const m = JSON.parse(strFromU8(files["manifest.json"]!));
  m.files[name] = sha256(files[name]!);
  files["manifest.json"] = strToU8(JSON.stringify(m, null, 2) + "\n");
}

/** report.json with its verdict and first signature turned around. */
function forgeReport(files: Record<string, Uint8Array>): string {
  const r = JSON.parse(strFromU8(files["report.json"]!));
  r.verdict = "signed-invalid";
  r.signatures[0].indication = "TOTAL_FAILED";
  const text = JSON.stringify(r);
  files["report.json"] = strToU8(text);
  remanifest(files, "report.json");
  return text;
}

describe("kyso audit evidence", () => {
  it("holds for the archive the API gives, every check passing", () => {
    const r = check();
    expect(r.status, r.stdout).toBe(0);
    expect(r.json.ok).toBe(true);
    expect(r.json.checks.map((c) => c.what)).toEqual([
      expect.stringMatching(/^all \d+ files match the manifest$/),
      expect.stringMatching(/^original\.pdf is the document \(SHA-256 [0-9a-f]{64}\)$/),
      expect.stringMatching(/^the \d+ log entries verify/),
      expect.stringMatching(/^log entry \d+ \(analysis\) holds report\.json's SHA-256$/),
      expect.stringMatching(/^log entry \d+ records the verdict, content, category and signatures report\.json gives$/),
      expect.stringMatching(
        /^the log head in the archive \(\d+ entries\) is signed by key [0-9a-f]{16} \(the key the archive names: give the instance's with --key/,
      ),
      expect.stringMatching(/^each of the \d+ log entries is in the log's tree of \d+ entries \(inclusion proofs verify\)$/),
      expect.stringMatching(/^verified again here at .*: signed-valid, \d+ signature\(s\), as recorded$/),
    ]);
    expect(r.stdout).toMatch(/the evidence holds/);
  });

  it("checks the archive's signed head against the instance key given, and refuses another key", () => {
    const pub = readLogKey(join(dirname(s.server.db.name), "log-key.pem"))!.publicKey;
    const ok = check(undefined, [SAMPLE_TRUST], [pub]);
    expect(ok.status, ok.stdout).toBe(0);
    expect(ok.json.checks[5]!.what).toMatch(/signed by key [0-9a-f]{16}, the instance key given$/);
    const other = check(
      undefined,
      [SAMPLE_TRUST],
      [generateKeyPairSync("ed25519").publicKey.export({ format: "der", type: "spki" }).subarray(12).toString("base64")],
    );
    expect(other.status).toBe(1);
    expect(other.json.checks[5]).toEqual({ ok: false, what: expect.stringMatching(/which is not the instance key given with --key/) });
    // a head whose root was changed no longer verifies, and no entry's proof holds against it
    const forged = check((f) => {
      const lp = JSON.parse(strFromU8(f["log-proofs.json"]!));
      lp.head.root = lp.head.root.replace(/^./, (c: string) => (c === "0" ? "1" : "0"));
      f["log-proofs.json"] = strToU8(JSON.stringify(lp));
      remanifest(f, "log-proofs.json");
    });
    expect(forged.json.checks[5]!.ok).toBe(false);
    expect(forged.json.checks[6]!.what).toMatch(/the proof does not verify/);
  });

  it("fails on a changed PDF byte, naming the file", () => {
    const r = check((f) => {
      const pdf = f["original.pdf"]!;
      pdf[200] = pdf[200]! ^ 1;
    });
    expect(r.status).toBe(1);
    expect(r.json.checks[0]).toEqual({ ok: false, what: "files differ from the manifest: original.pdf (changed)" });
    expect(r.stdout).toMatch(/THE EVIDENCE DOES NOT HOLD/);
  });

  it("fails on an edited report whose manifest line was recomputed: no log entry holds it", () => {
    const r = check(forgeReport);
    expect(r.status).toBe(1);
    expect(r.json.checks[0]!.ok).toBe(true);
    expect(r.json.checks[3]).toEqual({ ok: false, what: expect.stringMatching(/^no analysis entry in the log holds report\.json's SHA-256/) });
    expect(r.json.checks.at(-1)).toEqual({
      ok: false,
      what: expect.stringMatching(/the result differs from report\.json: verdict signed-valid, recorded signed-invalid/),
    });
  });

  it("fails on a forgery with the log entry rewritten and its hash recomputed: the PDF says otherwise", () => {
    const r = check((f) => {
      const text = forgeReport(f);
      const lines = strFromU8(f["audit.jsonl"]!).trimEnd().split("\n");
      const i = lines.findIndex((l) => l.includes('"action":"analysis"'));
      const e = JSON.parse(lines[i]!) as AuditEntry;
      const { hash: _old, ...body } = { ...e, details: { ...(e.details as Record<string, unknown>), reportSha256: sha256(text), verdict: "signed-invalid" } };
      lines[i] = canonicalJson({ ...body, hash: entryHash(body) });
      f["audit.jsonl"] = strToU8(lines.join("\n") + "\n");
      remanifest(f, "audit.jsonl");
    });
    expect(r.status).toBe(1);
    expect(r.json.checks.slice(0, 4).map((c) => c.ok)).toEqual([true, true, true, true]);
    // the entry still records the category the report no longer gives; the rewritten entry is not in the log's tree
    expect(r.json.checks[4]).toEqual({
      ok: false,
      what: expect.stringMatching(
        /and report\.json disagree: the entry records category signed-valid, which the report's verdict signed-invalid does not give/,
      ),
    });
    expect(r.json.checks[6]).toEqual({ ok: false, what: expect.stringMatching(/not proven in the log's tree: \d+ \(the proof does not verify\)/) });
    expect(r.json.checks.at(-1)!.ok).toBe(false);
    expect(r.json.checks.at(-1)!.what).toMatch(/verdict signed-valid, recorded signed-invalid/);
  });

  it("tells a missing trust anchor apart from a forgery, and names the anchor the document needs", () => {
    const r = check(undefined, []);
    expect(r.status).toBe(3);
    expect(r.json).toMatchObject({
      ok: false,
      outcome: "trust-missing",
      needs: {
        subject: expect.stringContaining("Kyso Test Root CA"),
        sha256: expect.stringMatching(/^[0-9a-f]{64}$/),
        file: expect.stringMatching(/^certificates\/signature-1\/\d-[0-9a-f]{16}\.pem$/),
      },
    });
    expect(r.json.checks.at(-1)!.what).toMatch(
      /trust could not be established: the signatures are intact, but this machine's trust store does not hold the anchor they chain to \(.*Kyso Test Root CA.*, in the archive as certificates\/.*\); give the folder that holds it with --trust DIR: a trust-store difference, not a forgery/,
    );
    expect(r.stdout).toMatch(/THE EVIDENCE COULD NOT BE CHECKED HERE: .*nothing shows a forgery/);
    // a forged report is still a forgery without the anchor: the PDF and the log say otherwise
    const forged = check(forgeReport, []);
    expect(forged.status).toBe(1);
    expect(forged.json.outcome).toBe("does-not-hold");
  });

  it("refuses what is not an archive", () => {
    const path = join(dir, "not.zip");
    writeFileSync(path, "not a zip");
    const r = spawnSync(process.execPath, [join(ROOT, "bin", "kyso.js"), "audit", "evidence", path], { encoding: "utf8" });
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/FAIL the archive cannot be read as a ZIP/);
    expect(spawnSync(process.execPath, [join(ROOT, "bin", "kyso.js"), "audit", "evidence"], { encoding: "utf8" }).status).toBe(2);
  });

  it("bounds what an archive from elsewhere may unpack to, before inflating anything", async () => {
    const zip = Buffer.from(zipSync({ "original.pdf": [new Uint8Array(16), { level: 0 }] }));
    // claim four gigabytes in the central directory (a zip bomb declares what it will become)
    const cd = zip.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
    zip.writeUInt32LE(0xfffffff0, cd + 24);
    const trust = loadTrustStore([SAMPLE_TRUST]);
    const r = await checkEvidence(zip, (pdf, at) => analyze(pdf, { now: at, receivedAt: at, trust }));
    expect(r.ok).toBe(false);
    expect(r.checks).toEqual([{ ok: false, what: expect.stringMatching(/^the archive cannot be read as a ZIP: it would unpack to more than \d+ bytes$/) }]);
  });
});
