// Every decoder bounded (issue 15): `kyso verify --json` on decompression bombs answers in under 10 s and
// under 1 GB of memory (measured by /usr/bin/time, as a user would), and the report names the limit.
// Three nested Flate layers that would expand to 1 GiB stop at the per-stream limit; a page whose
// content decodes to megabytes of text operators is read by kyso's own bounded reader and never handed
// to pdfjs, which decodes and lays out without bounds; a document's streams together stop at the
// per-document limit.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { DecodeBudget, PdfError } from "../../src/pdf/errors.js";
import { FIXTURES, ROOT } from "../helpers/paths.js";

const TIME = "/usr/bin/time";

function measured(file: string) {
  const r = spawnSync(TIME, ["-v", process.execPath, join(ROOT, "bin", "kyso.js"), "verify", "--json", join(FIXTURES, file)], {
    encoding: "utf8",
    timeout: 60_000,
  });
  const rssKb = Number(/Maximum resident set size \(kbytes\): (\d+)/.exec(r.stderr)?.[1]);
  const [, m, s] = /Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (?:\d+:)?(\d+):([\d.]+)/.exec(r.stderr) ?? [];
  return { report: JSON.parse(r.stdout), rssMb: rssKb / 1024, seconds: Number(m) * 60 + Number(s) };
}

describe.skipIf(!existsSync(TIME))("decompression bombs through kyso verify", () => {
  it("three nested Flate layers expanding to 1 GiB: stopped at the per-stream limit, and said so", () => {
    const { report, rssMb, seconds } = measured("decode-bomb-nested-flate.pdf");
    expect(seconds).toBeLessThan(10);
    expect(rssMb).toBeLessThan(1024);
    expect(report.content.kind).toBe("unknown");
    expect(report.content.evidence.message).toBe("page 1: a stream decodes to more than 64 MB (the per-stream limit)");
    expect(report.content.evidence.text).toBeUndefined();
  });

  it("pages of megabytes of text operators: read within bounds, never handed to pdfjs", () => {
    const { report, rssMb, seconds } = measured("decode-bomb-text-pages.pdf");
    expect(seconds).toBeLessThan(10);
    expect(rssMb).toBeLessThan(1024);
    const pages = report.content.evidence.pages as Array<{ largeContent?: number }>;
    expect(pages.every((p) => p.largeContent === 8 << 20)).toBe(true);
    expect(report.content.evidence.text).toBeUndefined();
  });
});

describe("the per-document budget", () => {
  it("refuses what the document's streams decode to together past the limit, naming it", () => {
    const b = new DecodeBudget(100);
    b.spend(60);
    expect(() => b.spend(41)).toThrow(PdfError);
    expect(() => new DecodeBudget(1 << 20).spend((1 << 20) + 1)).toThrow("the document's streams decode to more than 1 MB (the per-document limit)");
  });
});
