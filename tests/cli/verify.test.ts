// The `kyso verify` command as a user runs it: the installed bin, JSON Lines, text, exit codes, limits.
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { FIXTURES, ROOT } from "../helpers/paths.js";

const BIN = join(ROOT, "bin", "kyso.js");
const run = (...args: string[]) => spawnSync(process.execPath, [BIN, ...args], { encoding: "utf8", timeout: 60_000 });
const fx = (f: string) => join(FIXTURES, f);

/** A 60 MB file whose analysis cannot finish in a millisecond. */
export function bigFile(): string {
  const dir = mkdtempSync(join(tmpdir(), "kyso-cli-"));
  const big = join(dir, "big.pdf");
  writeFileSync(big, Buffer.concat([Buffer.from("%PDF-1.7\n"), Buffer.alloc(60 << 20, 0x20), Buffer.from("\n%%EOF\n")]));
  return big;
}

describe("kyso verify", () => {
  it("analyzes files in parallel with --jobs and writes the same reports in the order of the files", () => {
    const files = [
      "nd30-personal-then-organization.pdf",
      "content-scan-300-pages.pdf",
      "unsigned.pdf",
      "tampered-signed-byte.pdf",
      "x509-rsa-sha1.pdf",
      "not-a-pdf.pdf",
      "vgca-seven-signatures.pdf",
    ].map(fx);
    const reports = (jobs: string) => {
      const r = run("verify", "--json", "--jobs", jobs, "--at", "2025-01-01T00:00:00+07:00", ...files);
      return r.stdout
        .trim()
        .split("\n")
        .map((l) => JSON.parse(l) as Record<string, unknown>);
    };
    const one = reports("1");
    const many = reports("3");
    expect(many.map((r) => r.file)).toEqual(files);
    expect(many).toEqual(one);
    expect(run("verify", "--jobs", "0", fx("unsigned.pdf")).status).toBe(2);
  });

  it("prints one JSON line per file in the DocumentReport shape", () => {
    const r = run("verify", "--json", "--at", "2025-01-01T00:00:00+07:00", fx("nd30-personal-then-organization.pdf"), fx("unsigned.pdf"));
    const lines = r.stdout.trim().split("\n");
    expect(lines).toHaveLength(2);
    const first = JSON.parse(lines[0]!);
    for (const key of ["file", "sha256", "bytes", "engine", "validationTime", "error", "pdf", "signatures", "content", "verdict", "nd30"])
      expect(first).toHaveProperty(key);
    expect(first.validationTime).toBe("2025-01-01T00:00:00+07:00");
    expect(first.engine.name).toBe("kyso");
    expect(first.signatures[0]).toMatchObject({ index: 0, kind: "signature", revision: 2, revisions: 3, coverage: "entire-revision" });
    expect(JSON.parse(lines[1]!).verdict).toBe("unsigned");
    // the count of each verdict goes to stderr, so standard output stays JSON Lines
    expect(r.stderr.trim()).toBe("kyso verify: 2 files: 1 signed-indeterminate, 1 unsigned"); // no --trust: the test root is not an anchor
  });

  it("ends readable output for several files with the count of each verdict", () => {
    const r = run(
      "verify",
      "--at",
      "2025-01-01T00:00:00+07:00",
      "--trust",
      join(ROOT, "fixtures", "trust"),
      fx("nd30-personal-then-organization.pdf"),
      fx("tampered-signed-byte.pdf"),
      fx("unsigned.pdf"),
      "/nonexistent/x.pdf",
    );
    expect(r.stdout.trimEnd().split("\n").pop()).toBe("kyso verify: 4 files: 1 signed-valid, 1 signed-invalid, 1 unsigned, 1 not read");
    expect(run("verify", fx("unsigned.pdf")).stdout).not.toMatch(/kyso verify: \d+ files/);
  });

  it("takes a folder as the .pdf files in it and below it, in name order", () => {
    const root = mkdtempSync(join(tmpdir(), "kyso-verify-dir-"));
    mkdirSync(join(root, "b"));
    copyFileSync(fx("unsigned.pdf"), join(root, "b", "two.PDF"));
    copyFileSync(fx("unsigned.pdf"), join(root, "a-one.pdf"));
    writeFileSync(join(root, "notes.txt"), "not a pdf");
    const r = run("verify", "--json", root);
    expect(
      r.stdout
        .trim()
        .split("\n")
        .map((l) => JSON.parse(l).file),
    ).toEqual([join(root, "a-one.pdf"), join(root, "b", "two.PDF")]);
    expect(r.stderr.trim()).toBe("kyso verify: 2 files: 2 unsigned");
    const empty = mkdtempSync(join(tmpdir(), "kyso-verify-empty-"));
    const none = run("verify", empty);
    expect(none.status).toBe(2);
    expect(none.stderr).toMatch(/no \.pdf files in/);
  });

  it("exits 1 when a file is not signed-valid, 2 for an unreadable path or bad usage", () => {
    expect(run("verify", fx("unsigned.pdf")).status).toBe(1);
    const missing = run("verify", fx("unsigned.pdf"), "/nonexistent/file.pdf");
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/cannot read \/nonexistent\/file.pdf/);
    const bad = run("verify", "--at", "yesterday", fx("unsigned.pdf"));
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/--at: 'yesterday' is not an ISO 8601 time/);
    expect(run("frobnicate").status).toBe(2);
    expect(run("verify").status).toBe(2);
  });

  it("shows Vietnamese names correctly in the text output", () => {
    const r = run("verify", fx("nd30-personal-then-organization.pdf"));
    expect(r.stdout).toContain("CN=Nguyễn Văn An");
    expect(r.stdout).toContain("'Chữ ký cơ quan'");
    expect(r.stdout).toContain("SIGNED, INDETERMINATE");
  });

  it("reports a non-PDF as unreadable with NOT_PDF", () => {
    const r = run("verify", "--json", fx("not-a-pdf.pdf"));
    expect(JSON.parse(r.stdout).error.code).toBe("NOT_PDF");
    expect(r.status).toBe(2); // as --help says: a file that could not be read
    // among other files too: the worst outcome decides
    expect(run("verify", fx("unsigned.pdf"), fx("not-a-pdf.pdf")).status).toBe(2);
  });

  it("reports TIMEOUT when the per-document limit is exceeded", () => {
    const r = run("verify", "--json", "--timeout", "0.001", bigFile());
    const a = JSON.parse(r.stdout);
    expect(a.error.code).toBe("TIMEOUT");
    expect(a.verdict).toBe("unreadable");
    expect(a.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(r.status).toBe(1);
  });

  it("reports TOO_LARGE above --max-size", () => {
    const r = run("verify", "--json", "--max-size", "0.001", fx("nd30-personal-then-organization.pdf"));
    expect(JSON.parse(r.stdout).error.code).toBe("TOO_LARGE");
  });

  it("has help that names the options", () => {
    const r = run("verify", "--help");
    expect(r.status).toBe(0);
    for (const opt of ["--json", "--at", "--timeout", "--policy"]) expect(r.stdout).toContain(opt);
    expect(run("--help").stdout).toContain("verify FILE...");
  });
});

describe("the kyso command's output", () => {
  it("ends quietly when its reader stops reading (a pipe into head)", () => {
    // more than a pipe holds: the reports of every fixture, of which head reads one line
    const r = spawnSync("bash", ["-c", `node ${JSON.stringify(join(ROOT, "bin", "kyso.js"))} verify --json --jobs 1 ${JSON.stringify(FIXTURES)} | head -1`], {
      encoding: "utf8",
      timeout: 120_000,
    });
    expect(r.stdout.split("\n").filter(Boolean)).toHaveLength(1);
    expect(r.stderr).not.toMatch(/EPIPE|Unhandled/);
  });
});
