// Text read with pdfjs-dist: real Vietnamese text in a born-digital letter and in an OCR layer; nothing
// read from a scan; the caller's buffer is left intact.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { analyze } from "../../src/analyze.js";
import { AT, FIXTURES } from "../helpers/paths.js";

const load = (f: string) => new Uint8Array(readFileSync(join(FIXTURES, f)));

describe("text evidence", () => {
  it("reads searchable Vietnamese text from a born-digital letter", async () => {
    const r = await analyze(load("content-born-digital-vietnamese.pdf"), { now: AT });
    const t = r.content.evidence.text as { searchable: boolean; vietnamese: boolean; sample: string };
    expect(t.searchable).toBe(true);
    expect(t.vietnamese).toBe(true);
    expect(t.sample).toContain("ỦY BAN NHÂN DÂN TỈNH TÂY NINH");
  });

  it("reads the invisible OCR layer of a scan", async () => {
    const r = await analyze(load("content-scan-ocr-invisible.pdf"), { now: AT });
    expect(r.content.kind).toBe("scanned-ocr");
    expect((r.content.evidence.text as { sample: string }).sample).toContain("Số: 125/UBND-VP");
  });

  it("does not run pdfjs on an image-only scan, and can be switched off", async () => {
    expect((await analyze(load("content-scan-grey-flate.pdf"), { now: AT })).content.evidence.text).toBeUndefined();
    expect((await analyze(load("content-born-digital-vietnamese.pdf"), { now: AT, text: false })).content.evidence.text).toBeUndefined();
  });

  it("leaves the caller's bytes usable (pdfjs gets a copy)", async () => {
    const bytes = load("content-born-digital-vietnamese.pdf");
    const before = bytes.length;
    await analyze(bytes, { now: AT });
    expect(bytes.length).toBe(before);
    expect(bytes[0]).toBe(0x25);
  });
});
