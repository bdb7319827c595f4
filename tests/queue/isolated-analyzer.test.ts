// The isolated analyzer: a document over its time limit costs its own report, and the next document is
// analyzed normally by a fresh worker.
import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { IsolatedAnalyzer, unfinishedReason } from "../../src/queue/isolated-analyzer.js";
import { AT, FIXTURES } from "../helpers/paths.js";

describe("IsolatedAnalyzer", () => {
  const analyzer = new IsolatedAnalyzer({ timeoutMs: 10_000 });
  afterAll(() => analyzer.close());

  it("turns a timeout into a TIMEOUT report and recovers for the next file", async () => {
    const dir = mkdtempSync(join(tmpdir(), "kyso-iso-"));
    const big = join(dir, "big.pdf");
    writeFileSync(big, Buffer.concat([Buffer.from("%PDF-1.7\n"), Buffer.alloc(60 << 20, 0x20), Buffer.from("\n%%EOF\n")]));
    const slow = await analyzer.analyzeFile(big, { now: AT, trustDirs: [] }, 1);
    expect(slow.ok && slow.report.error?.code).toBe("TIMEOUT");
    // the runners retry by this mark, not by reading the message
    expect(slow.ok && [slow.unfinished, unfinishedReason(slow)]).toEqual(["timeout", "TIMEOUT: analysis took longer than 0.001 s"]);
    const next = await analyzer.analyzeFile(join(FIXTURES, "unsigned.pdf"), { now: AT, trustDirs: [] });
    expect(next.ok && next.report.verdict).toBe("unsigned");
    expect(next.ok && unfinishedReason(next)).toBeNull();
  });

  it("never takes a document's own unreadable report for an unfinished analysis, whatever its words", async () => {
    const dir = mkdtempSync(join(tmpdir(), "kyso-iso-"));
    // a damaged PDF whose reader's message could say anything ("stopped" included): its report is the answer
    const broken = join(dir, "stopped.pdf");
    writeFileSync(broken, "%PDF-1.7\n1 0 obj << /Type /Catalog stopped >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n");
    const out = await analyzer.analyzeFile(broken, { now: AT, trustDirs: [] });
    expect(out.ok).toBe(true);
    if (!out.ok) return;
    expect(out.unfinished).toBeUndefined();
    expect(unfinishedReason(out)).toBeNull();
    expect(unfinishedReason({ ...out, report: { ...out.report, error: { code: "UNREADABLE", message: "the parser stopped at byte 12" } } })).toBeNull();
  });

  it("holds the next file while one is analyzed; a timeout costs only its own document", async () => {
    const dir = mkdtempSync(join(tmpdir(), "kyso-iso-"));
    const big = join(dir, "big.pdf");
    writeFileSync(big, Buffer.concat([Buffer.from("%PDF-1.7\n"), Buffer.alloc(60 << 20, 0x20), Buffer.from("\n%%EOF\n")]));
    // handed together: the second waits behind the first, and survives the thread the first one ends
    const [slow, next, after] = await Promise.all([
      analyzer.analyzeFile(big, { now: AT, trustDirs: [] }, 1),
      analyzer.analyzeFile(join(FIXTURES, "unsigned.pdf"), { now: AT, trustDirs: [] }),
      analyzer.analyzeFile(join(FIXTURES, "nd30-personal-then-organization.pdf"), { now: AT, trustDirs: [join(FIXTURES, "..", "trust")] }),
    ]);
    expect(slow.ok && slow.report.error?.code).toBe("TIMEOUT");
    expect(next.ok && next.report.verdict).toBe("unsigned");
    expect(after.ok && after.report.verdict).toBe("signed-valid");
    // many at once: the same reports as one by one
    const files = ["unsigned.pdf", "signature-timestamp.pdf", "tampered-signed-byte.pdf", "x509-rsa-sha1.pdf", "widget-removed.pdf"].map((f) =>
      join(FIXTURES, f),
    );
    const opts = { now: AT, trustDirs: [join(FIXTURES, "..", "trust")] };
    const together = await Promise.all(files.map((f) => analyzer.analyzeFile(f, opts)));
    const alone = [];
    for (const f of files) alone.push(await analyzer.analyzeFile(f, opts));
    expect(together).toEqual(alone);
  });

  it("returns file-system errors as such, not as reports", async () => {
    const r = await analyzer.analyzeFile("/nonexistent/x.pdf", { now: AT, trustDirs: [] });
    expect(r.ok).toBe(false);
  });

  it("analyzes bytes moved to the thread as it analyzes the file they came from", async () => {
    const path = join(FIXTURES, "nd30-personal-then-organization.pdf");
    const fromFile = await analyzer.analyzeFile(path, { now: AT, trustDirs: [join(FIXTURES, "..", "trust")] });
    const bytes = new Uint8Array(readFileSync(path));
    const fromBytes = await analyzer.analyzeBytes(bytes, { now: AT, trustDirs: [join(FIXTURES, "..", "trust")] });
    expect(bytes.length).toBe(0); // moved, not copied
    expect(fromBytes).toEqual(fromFile);
    expect(fromBytes.ok && fromBytes.report.verdict).toBe("signed-valid");
  });

  it("names bytes that ran out of time by their hash", async () => {
    const big = Buffer.concat([Buffer.from("%PDF-1.7\n"), Buffer.alloc(60 << 20, 0x20), Buffer.from("\n%%EOF\n")]);
    const sha = createHash("sha256").update(big).digest("hex");
    const slow = await analyzer.analyzeBytes(new Uint8Array(big), { now: AT, trustDirs: [] }, 1);
    expect(slow.ok && [slow.report.error?.code, slow.report.sha256, slow.report.bytes]).toEqual(["TIMEOUT", sha, big.length]);
  });
});
