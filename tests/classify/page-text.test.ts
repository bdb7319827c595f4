// kyso's own text reader: ToUnicode maps, glyph names and encodings decoded as a reader would; spaces where
// the text moves; fonts only their programs explain left to pdfjs; and over every fixture, the corpus
// (when beside the checkout) and a generated sample province, the same evidence as pdfjs reads
// (searchable, Vietnamese) on every document it reads.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { analyze } from "../../src/analyze.js";
import { classifyContent } from "../../src/classify/index.js";
import { glyphText } from "../../src/classify/glyph-names.js";
import { ownTextEvidence, textEvidence, textPages } from "../../src/classify/text-content.js";
import { codeKey, parseToUnicode } from "../../src/classify/to-unicode.js";
import { PdfDocument } from "../../src/pdf/document.js";
import { stream, PdfModel } from "../../fixtures/lib/pdf-writer.js";
import { generateSample } from "../../fixtures/sample/generate.js";
import { AT, CORPUS, CORPUS_MISSING, FIXTURES, hasCorpus } from "../helpers/paths.js";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";

const enc = (s: string) => new TextEncoder().encode(s);

/** A one-page PDF showing `content` with font F1 = `font` (a dictionary body), objects from 10 on free. */
function onePage(content: string, font: string, extra: Record<number, string | Buffer> = {}): Uint8Array {
  const m = new PdfModel({ root: 1 });
  m.set(1, "<< /Type /Catalog /Pages 2 0 R >>");
  m.set(2, "<< /Type /Pages /Kids [3 0 R] /Count 1 >>");
  m.set(3, "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>");
  m.set(4, stream("", content));
  m.set(5, font);
  for (const [n, b] of Object.entries(extra)) m.set(Number(n), b);
  return new Uint8Array(m.writeOriginal());
}

const readOwn = (pdf: Uint8Array) => ownTextEvidence(PdfDocument.open(pdf).final(), [1]);
const COURIER = `<< /Type /Font /Subtype /Type1 /BaseFont /Courier /Encoding /WinAnsiEncoding /FirstChar 32 /LastChar 126 /Widths [${Array(95).fill(600).join(" ")}] >>`;

describe("ToUnicode maps", () => {
  it("reads codespace ranges, bfchar and both forms of bfrange", () => {
    const m = parseToUnicode(
      enc(`/CIDInit /ProcSet findresource begin 12 dict begin begincmap
/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def
1 begincodespacerange <0000> <FFFF> endcodespacerange
2 beginbfchar <0003> <0020> <0011> <1EE6> endbfchar
2 beginbfrange <0020> <0022> <0041> <0030> <0031> [<01B0> <00660069>] endbfrange
endcmap CMapName currentdict /CMap defineresource pop end end`),
    );
    const code = (hex: string) => codeKey(Buffer.from(hex, "hex"), 0, hex.length / 2);
    expect(m.codespace).toHaveLength(1);
    expect(m.get(code("0011"))).toBe("Ủ");
    expect(m.get(code("0022"))).toBe("C");
    expect(m.get(code("0030"))).toBe("ư");
    expect(m.get(code("0031"))).toBe("fi");
    // <22> (one byte) is another code than <0022>
    expect(m.get(code("22"))).toBeUndefined();
  });

  it("refuses a range that would define millions of codes (bounded memory)", () => {
    expect(() => parseToUnicode(enc("1 beginbfrange <00000000> <00FFFFFF> <0041> endbfrange"))).toThrow(/too large|too many/);
  });
});

describe("glyph names", () => {
  it.each([
    ["ohornacute", "ớ"],
    ["Acircumflexdotbelow", "Ậ"],
    ["uhorn", "ư"],
    ["dcroat", "đ"],
    ["abrevehookabove", "ẳ"],
    ["uni1EE6", "Ủ"],
    ["u1EA0", "Ạ"],
    ["f_i", "fi"],
    ["a.sc", "a"],
    ["quoteright", "\u2019"],
    ["eacute", "é"],
  ])("%s → %s", (name, text) => expect(glyphText(name)).toBe(text));
  it.each(["g123", "cid42", "a12", "glyph7", "uniD800"])("%s says nothing", (name) => expect(glyphText(name)).toBeNull());
});

describe("reading a page", () => {
  it("decodes WinAnsi text and puts spaces where the text moves or a TJ gap is word-sized", () => {
    const t = readOwn(onePage("BT /F1 12 Tf 72 700 Td (Ho Chi) Tj 60 0 Td (Minh) Tj 0 -14 Td [(S) 20 (o) -400 (12)] TJ ET", COURIER));
    expect(t?.reader).toBe("kyso");
    expect(t?.sample).toBe("Ho Chi Minh So 12");
    expect(t?.characters).toBe(13);
  });

  it("does not split a word that is shown in pieces (kerning, runs placed one after another)", () => {
    const t = readOwn(onePage("BT /F1 12 Tf 72 700 Td (H) Tj 7.2 0 Td (o) Tj [(a) 30 (n) -10 (g)] TJ ET", COURIER));
    expect(t?.sample).toBe("Hoang");
  });

  it("decodes /Differences by glyph name (Vietnamese letters without a ToUnicode map)", () => {
    const font =
      "<< /Type /Font /Subtype /Type1 /BaseFont /Times-Roman /Encoding << /Type /Encoding /BaseEncoding /WinAnsiEncoding /Differences [128 /ohornacute /dcroat /Ecircumflexacute] >> >>";
    const t = readOwn(onePage("BT /F1 12 Tf 72 700 Td <81808220> Tj (la) Tj ET", font));
    expect(t?.sample).toBe("đớẾ la");
    expect(t?.vietnamese).toBe(true);
  });

  it("decodes a composite font through its ToUnicode map, following form XObjects", () => {
    const cmap = "1 begincodespacerange <0000> <FFFF> endcodespacerange 2 beginbfchar <0001> <0053> <0002> <1ED1> endbfchar";
    const font = "<< /Type /Font /Subtype /Type0 /BaseFont /ABCDEF+Arial /Encoding /Identity-H /DescendantFonts [6 0 R] /ToUnicode 7 0 R >>";
    const m = new PdfModel({ root: 1 });
    m.set(1, "<< /Type /Catalog /Pages 2 0 R >>");
    m.set(2, "<< /Type /Pages /Kids [3 0 R] /Count 1 >>");
    m.set(3, "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /XObject << /X1 8 0 R >> >> /Contents 4 0 R >>");
    m.set(4, stream("", "q /X1 Do Q"));
    m.set(5, font);
    m.set(
      6,
      "<< /Type /Font /Subtype /CIDFontType2 /BaseFont /ABCDEF+Arial /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /DW 500 >>",
    );
    m.set(7, stream("", cmap));
    m.set(8, stream("/Type /XObject /Subtype /Form /BBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> >>", "BT /F1 12 Tf 72 700 Td <00010002> Tj ET"));
    const t = ownTextEvidence(PdfDocument.open(new Uint8Array(m.writeOriginal())).final(), [1]);
    expect(t?.sample).toBe("Số");
  });

  it("leaves to pdfjs a font whose text only its program says (Identity-H without ToUnicode)", async () => {
    const font = "<< /Type /Font /Subtype /Type0 /BaseFont /ABCDEF+Arial /Encoding /Identity-H /DescendantFonts [6 0 R] >>";
    const pdf = onePage("BT /F1 12 Tf 72 700 Td <00010002> Tj ET", font, {
      6: "<< /Type /Font /Subtype /CIDFontType2 /BaseFont /ABCDEF+Arial /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> >>",
    });
    expect(readOwn(pdf)).toBeNull();
    const r = await analyze(pdf, { now: AT });
    expect((r.content.evidence.text as { reader: string } | undefined)?.reader).toBe("pdfjs");
  });

  it("leaves to pdfjs an embedded font whose codes kyso cannot map", () => {
    const font = "<< /Type /Font /Subtype /TrueType /BaseFont /ABCDEF+Custom /Encoding << /Differences [65 /g1 /g2 /g3] >> /FontDescriptor 6 0 R >>";
    const pdf = onePage("BT /F1 12 Tf 72 700 Td (ABCABC) Tj ET", font, {
      6: "<< /Type /FontDescriptor /FontName /ABCDEF+Custom /Flags 32 /FontFile2 7 0 R >>",
      7: stream("", "not really a font"),
    });
    expect(readOwn(pdf)).toBeNull();
  });

  it("counts a Type3 font's unknown glyphs as characters that are not text (nothing else can say more)", () => {
    const font =
      "<< /Type /Font /Subtype /Type3 /FontBBox [0 0 1000 1000] /FontMatrix [0.001 0 0 0.001 0 0] /CharProcs << >> /Encoding << /Differences [65 /a1 /a2] >> /FirstChar 65 /LastChar 66 /Widths [500 500] >>";
    const t = readOwn(onePage("BT /F1 12 Tf 72 700 Td (ABAB) Tj ET", font));
    expect(t).toMatchObject({ reader: "kyso", characters: 4, searchable: false, letterShare: 0 });
  });
});

function pdfFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? pdfFiles(p) : p.endsWith(".pdf") ? [p] : [];
  });
}

/** kyso's reading against pdfjs on each file with text pages: the same evidence where kyso reads. */
async function agreement(files: string[]): Promise<{ read: number; withText: number; disagreements: string[] }> {
  let read = 0;
  let withText = 0;
  const disagreements: string[] = [];
  for (const f of files) {
    const bytes = new Uint8Array(readFileSync(f));
    let doc;
    try {
      doc = PdfDocument.open(bytes);
    } catch {
      continue;
    }
    const pages = textPages(classifyContent(doc));
    if (pages.length === 0) continue;
    withText++;
    const own = ownTextEvidence(doc.final(), pages);
    if (!own) continue;
    read++;
    const theirs = (await textEvidence(bytes, pages)) as { searchable: boolean; vietnamese: boolean; characters: number } | null;
    const close = theirs && Math.abs(own.characters - theirs.characters) <= Math.max(12, 0.2 * theirs.characters);
    if (!theirs || own.searchable !== theirs.searchable || own.vietnamese !== theirs.vietnamese || !close)
      disagreements.push(`${f}: kyso ${JSON.stringify(own)} pdfjs ${JSON.stringify(theirs)}`);
  }
  return { read, withText, disagreements };
}

describe("the same evidence as pdfjs", () => {
  it("on every fixture", async () => {
    const a = await agreement(pdfFiles(FIXTURES));
    expect(a.disagreements).toEqual([]);
    expect(a.read).toBe(a.withText);
    expect(a.read).toBeGreaterThan(40);
  }, 60_000);

  it.skipIf(!hasCorpus)(
    "on every corpus file",
    async () => {
      const a = await agreement(pdfFiles(join(CORPUS, "files")));
      expect(a.disagreements).toEqual([]);
      expect(a.read).toBe(a.withText);
    },
    120_000,
  );
  it.skipIf(hasCorpus)(CORPUS_MISSING, () => undefined);

  it("on a generated sample province", async () => {
    const dir = mkdtempSync(join(tmpdir(), "kyso-text-"));
    try {
      generateSample(dir, { documents: 120, seed: 3 });
      const a = await agreement(pdfFiles(dir));
      expect(a.disagreements).toEqual([]);
      expect(a.read).toBe(a.withText);
      expect(a.read).toBeGreaterThan(50);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
