// The object parser: every PDF syntax form, offsets kept, and hostile input stopped with a positioned error.
import { describe, expect, it } from "vitest";
import { PdfError } from "../../src/pdf/errors.js";
import { PdfDict, PdfName, PdfRef, PdfString } from "../../src/pdf/objects.js";
import { Parser } from "../../src/pdf/parser.js";

const parse = (s: string) => new Parser(Buffer.from(s, "latin1")).parseObject();

describe("Parser", () => {
  it("reads references, numbers, names with #xx escapes and booleans", () => {
    expect(parse("12 0 R")).toEqual(new PdfRef(12, 0));
    expect(parse("12 0")).toBe(12);
    expect(parse("-3.5")).toBe(-3.5);
    expect((parse("/A#20B") as PdfName).name).toBe("A B");
    expect(parse("[true false null]")).toEqual([true, false, null]);
  });

  it("reads literal strings with escapes and balanced parentheses", () => {
    const s = parse("(a\\(b\\) (c) \\101\\n\\\r\nd)") as PdfString;
    expect(Buffer.from(s.bytes).toString("latin1")).toBe("a(b) (c) A\nd");
  });

  it("keeps the offsets of hex strings (the ByteRange gap check needs them)", () => {
    const d = parse("<< /Contents <0A0b 0c> >>") as PdfDict;
    const c = d.get("Contents") as PdfString;
    expect([c.start, c.end]).toEqual([13, 22]);
    expect(Buffer.from(c.bytes).toString("hex")).toBe("0a0b0c");
  });

  it("decodes UTF-16BE text strings", () => {
    expect((parse("<FEFF0043006800EF1EEF>") as PdfString).text()).toBe("Chïữ");
  });

  it("records duplicate keys and treats null values as absent", () => {
    const d = parse("<< /A 1 /A 2 /B null >>") as PdfDict;
    expect(d.duplicateKeys).toEqual(["A"]);
    expect(d.get("A")).toBe(2);
    expect(d.has("B")).toBe(false);
  });

  it("stops deep nesting with a LIMIT error", () => {
    expect(() => parse("[".repeat(1000))).toThrow(PdfError);
    try {
      parse("[".repeat(1000));
    } catch (e) {
      expect((e as PdfError).code).toBe("LIMIT");
    }
  });

  it("reports unterminated input with its offset", () => {
    try {
      parse("<< /A (abc");
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(PdfError);
      expect((e as PdfError).offset).toBe(6);
    }
  });
});
