// The text a font's codes stand for, as far as the PDF itself says: its /ToUnicode map, else (simple
// fonts) its encoding — a standard one, with /Differences named by glyph — else, for composite fonts,
// a Unicode (UCS-2/UTF-16) CMap. A font whose text is only known from inside its font program (a
// symbolic font's built-in encoding, an Identity-encoded CID font without a map) gets no decoder: the
// caller leaves that document to pdfjs, which reads font programs.
import { PdfError } from "../pdf/errors.js";
import { PdfDict, PdfName, PdfStream, type PdfObject } from "../pdf/objects.js";
import type { Resolver } from "../pdf/resolver.js";
import { type Encoding, namedEncoding } from "./encodings.js";
import { glyphText } from "./glyph-names.js";
import { type CodeMap, type CodespaceRange, codeKey, codeLength, parseToUnicode } from "./to-unicode.js";

export interface Decoded {
  text: string;
  /** codes shown */
  glyphs: number;
  /** codes whose text the PDF does not say */
  unmapped: number;
  /** the glyphs' widths added up, in thousandths of the font size */
  advance: number;
  /** single-byte codes 32 (word spacing applies to each) */
  spaces: number;
}

export interface FontText {
  decode(bytes: Uint8Array): Decoded;
  /**
   * Whether codes this decoder cannot map may still mean something a font program says (an embedded
   * font: pdfjs reads its tables). A Type3 glyph is a drawing and a font that is not embedded has no
   * program: their unmapped codes mean nothing to anyone.
   */
  readonly explainable: boolean;
}

const SYMBOLIC = 4; // FontDescriptor /Flags bit 3
const SYMBOL_FONTS = /^(?:[A-Z]{6}\+)?(?:Symbol|ZapfDingbats|Wingdings|Webdings)/;
const UNICODE_CMAP = /^Uni[A-Za-z]*-(?:UCS2|UTF16)(?:-H|-V)?$/;
const TWO_BYTES: CodespaceRange[] = [{ lo: Uint8Array.of(0, 0), hi: Uint8Array.of(0xff, 0xff) }];

function toUnicode(r: Resolver, o: PdfObject | undefined): CodeMap | null {
  const s = r.resolve(o);
  if (!(s instanceof PdfStream)) return null;
  return parseToUnicode(r.streamData(s));
}

/** Whether the font's program is in the file (pdfjs could read its tables). */
function isEmbedded(descriptor: PdfDict | undefined): boolean {
  return !!descriptor && ["FontFile", "FontFile2", "FontFile3"].some((k) => descriptor.has(k));
}

/** A simple font's code → text table from its /Encoding, or null when only the font program knows. */
function simpleEncoding(r: Resolver, font: PdfDict, subtype: string, descriptor: PdfDict | undefined): Encoding | null {
  const enc = r.resolve(font.get("Encoding"));
  const flags = r.resolve(descriptor?.get("Flags"));
  const symbolic = typeof flags === "number" && (flags & SYMBOLIC) !== 0;
  const embedded = isEmbedded(descriptor);
  const baseFont = font.name("BaseFont") ?? "";
  // without an encoding of its own a font uses its built-in one: Standard for a non-symbolic Latin font
  // that is not embedded (the standard 14), nothing kyso can read otherwise
  const builtIn = (): Encoding | null => {
    if (subtype === "Type3") return new Array<string>(256).fill("");
    if (symbolic || embedded || SYMBOL_FONTS.test(baseFont)) return null;
    return namedEncoding("StandardEncoding");
  };
  if (enc instanceof PdfName) return symbolic && subtype === "TrueType" ? null : namedEncoding(enc.name);
  if (!(enc instanceof PdfDict)) return builtIn();
  const baseName = enc.name("BaseEncoding");
  const base = baseName ? namedEncoding(baseName) : builtIn();
  const diffs = r.resolve(enc.get("Differences"));
  if (!Array.isArray(diffs) || diffs.length === 0) return base;
  const table = base ? [...base] : new Array<string>(256).fill("");
  // over a base only the font program holds, the codes /Differences does not name stay unknown (unmapped)
  let code = -1;
  for (const d of diffs.slice(0, 4096)) {
    const v = r.resolve(d);
    if (typeof v === "number") code = Math.trunc(v);
    else if (v instanceof PdfName && code >= 0 && code < 256) table[code++] = glyphText(v.name) ?? "";
  }
  return table;
}

/** Width of a glyph whose font gives none: an average Latin glyph (the standard 14 carry no /Widths). */
const GUESSED_WIDTH = 500;

/** A simple font's widths, code → thousandths of the font size (ISO 32000-1 §9.6.2.1). */
function simpleWidths(r: Resolver, font: PdfDict, descriptor: PdfDict | undefined): Float64Array {
  const out = new Float64Array(256);
  const missing = r.resolve(descriptor?.get("MissingWidth"));
  const widths = r.resolve(font.get("Widths"));
  const first = r.resolve(font.get("FirstChar"));
  out.fill(Array.isArray(widths) ? (typeof missing === "number" ? missing : 0) : GUESSED_WIDTH);
  if (Array.isArray(widths) && typeof first === "number") {
    for (let i = 0; i < widths.length && first + i < 256; i++) {
      const w = r.resolve(widths[i]);
      if (typeof w === "number" && first + i >= 0) out[first + i] = w;
    }
  }
  return out;
}

/** A CID font's widths (/W and /DW, ISO 32000-1 §9.7.4.3), bounded like a ToUnicode map. */
function cidWidths(r: Resolver, descendant: PdfDict | undefined): { widths: Map<number, number>; fallback: number } {
  const dw = r.resolve(descendant?.get("DW"));
  const widths = new Map<number, number>();
  const w = r.resolve(descendant?.get("W"));
  if (Array.isArray(w)) {
    for (let i = 0; i < w.length && widths.size < 1 << 17;) {
      const a = r.resolve(w[i]);
      const b = r.resolve(w[i + 1]);
      if (typeof a !== "number") break;
      if (Array.isArray(b)) {
        b.slice(0, 1 << 16).forEach((x, k) => {
          const v = r.resolve(x);
          if (typeof v === "number") widths.set(a + k, v);
        });
        i += 2;
      } else {
        const v = r.resolve(w[i + 2]);
        if (typeof b !== "number" || typeof v !== "number" || b - a > 1 << 16) break;
        for (let c = a; c <= b; c++) widths.set(c, v);
        i += 3;
      }
    }
  }
  return { widths, fallback: typeof dw === "number" ? dw : 1000 };
}

/** What a code without known text reads as: a character, not a letter (pdfjs gives the raw code). */
const NO_TEXT = "\ufffd";

class SimpleFont implements FontText {
  constructor(
    private readonly map: CodeMap | null,
    private readonly table: Encoding | null,
    private readonly widths: Float64Array,
    readonly explainable: boolean,
  ) {}

  decode(bytes: Uint8Array): Decoded {
    let text = "";
    let unmapped = 0;
    let advance = 0;
    let spaces = 0;
    for (let i = 0; i < bytes.length; i++) {
      const c = bytes[i]!;
      const t = this.map?.get(codeKey(bytes, i, 1)) ?? this.table?.[c];
      if (t) text += t;
      else {
        unmapped++;
        text += NO_TEXT;
      }
      advance += this.widths[c]!;
      if (c === 32) spaces++;
    }
    return { text, glyphs: bytes.length, unmapped, advance, spaces };
  }
}

class CompositeFont implements FontText {
  readonly explainable = true;

  constructor(
    private readonly codespace: CodespaceRange[],
    private readonly map: CodeMap | null,
    /** the code is the CID (Identity encodings), so /W applies to it */
    private readonly identity: boolean,
    private readonly widths: { widths: Map<number, number>; fallback: number },
  ) {}

  decode(bytes: Uint8Array): Decoded {
    let text = "";
    let unmapped = 0;
    let glyphs = 0;
    let advance = 0;
    for (let i = 0; i < bytes.length;) {
      const n = codeLength(this.codespace, bytes, i, 2);
      let t: string | undefined;
      if (this.map) t = this.map.get(codeKey(bytes, i, n));
      else if (n === 2) t = String.fromCharCode((bytes[i]! << 8) | bytes[i + 1]!); // a UCS-2 CMap: the code is the character
      if (t) text += t;
      else {
        unmapped++;
        text += NO_TEXT;
      }
      let code = 0;
      for (let k = 0; k < n; k++) code = code * 256 + bytes[i + k]!;
      advance += (this.identity ? this.widths.widths.get(code) : undefined) ?? this.widths.fallback;
      glyphs++;
      i += n;
    }
    return { text, glyphs, unmapped, advance, spaces: 0 };
  }
}

/** A decoder for the font, or null when its text is known only from the font program (pdfjs reads it). */
export function fontText(r: Resolver, font: PdfDict): FontText | null {
  const subtype = font.name("Subtype") ?? "";
  let map: CodeMap | null;
  try {
    map = toUnicode(r, font.get("ToUnicode"));
  } catch (e) {
    if (!(e instanceof PdfError)) throw e;
    return null; // a damaged or oversized map: pdfjs decides what it makes of it
  }
  if (subtype === "Type0") {
    const enc = r.resolve(font.get("Encoding"));
    const name = enc instanceof PdfName ? enc.name : null;
    const identity = !!name?.startsWith("Identity-");
    const descendants = r.resolve(font.get("DescendantFonts"));
    const widths = cidWidths(r, r.dict(Array.isArray(descendants) ? descendants[0] : undefined));
    if (map && map.codespace.length) return new CompositeFont(map.codespace, map, identity, widths);
    if (name && (identity || UNICODE_CMAP.test(name)))
      return map ? new CompositeFont(TWO_BYTES, map, identity, widths) : UNICODE_CMAP.test(name) ? new CompositeFont(TWO_BYTES, null, false, widths) : null;
    if (enc instanceof PdfStream && map) {
      try {
        const cs = toUnicode(r, enc)?.codespace ?? [];
        return cs.length ? new CompositeFont(cs, map, false, widths) : null;
      } catch (e) {
        if (!(e instanceof PdfError)) throw e;
        return null;
      }
    }
    return null;
  }
  const descriptor = r.dict(font.get("FontDescriptor"));
  const table = simpleEncoding(r, font, subtype, descriptor);
  if (!map && !table) return null;
  return new SimpleFont(map, table, simpleWidths(r, font, descriptor), isEmbedded(descriptor) && subtype !== "Type3");
}
