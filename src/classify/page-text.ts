// The text a page shows, read by kyso itself: the page's content streams (and the form XObjects they
// draw) walked for text-showing operators, each string decoded with its font (font-text.ts). Spaces
// are put where a string starts on another line or after a word-sized gap, as a reader's extraction would;
// only the text's characters matter to the evidence, the spaces only to its sample. Bounded like the
// page evidence; null when a font's text is known only from its font program (pdfjs reads those).
import { PdfError } from "../pdf/errors.js";
import { PdfDict, PdfName, type PdfObject, PdfRef } from "../pdf/objects.js";
import type { Resolver } from "../pdf/resolver.js";
import { contentOps, type Operand, StringLength } from "./content-ops.js";
import { type FontText, fontText } from "./font-text.js";
import { contentBytes, IDENTITY, type Matrix } from "./page-evidence.js";
import { drawnXObject, enterForm } from "./xobjects.js";

const MAX_OPS_PER_PAGE = 3_000_000;
/** characters kept per page: far more than a page of text, so the counts are the page's */
const MAX_CHARS = 1 << 20;
/** a gap wider than this (thousandths of an em) between two strings stands for a space */
const WORD_GAP = 150;

export interface PageText {
  text: string;
  glyphs: number;
  /** codes without known text in fonts whose programs might say it (FontText.explainable) */
  unmapped: number;
}

/** Per document: fonts decoded once (null: only pdfjs can read it), and the text of each form XObject
 * read once however often it is drawn (a form's text starts its own text objects: it reads the same
 * wherever it is placed). */
export interface TextCache {
  fonts: Map<PdfObject | number, FontText | null>;
  /** form number → the resources it was read with (its own, or its caller's when it has none) → its text */
  forms: Map<number, Map<PdfDict | undefined, PageText>>;
}

export const newTextCache = (): TextCache => ({ fonts: new Map(), forms: new Map() });

const BT = Buffer.from("BT");

class NeedsFontProgram extends Error {}

export function pageText(r: Resolver, page: PdfDict, resources: PdfDict | undefined, fonts: TextCache = newTextCache()): PageText | null {
  const out: PageText = { text: "", glyphs: 0, unmapped: 0 };
  const streams = contentBytes(r, page.get("Contents"));
  try {
    walk(r, streams, resources, 0, new Set(), out, fonts, { ops: 0 });
  } catch (e) {
    if (e instanceof NeedsFontProgram) return null;
    throw e;
  }
  return out;
}

/** m' = translate(tx, ty) × m */
const moved = (m: Matrix, tx: number, ty: number): Matrix => [m[0], m[1], m[2], m[3], tx * m[0] + ty * m[2] + m[4], tx * m[1] + ty * m[3] + m[5]];
const num = (o: Operand | undefined, d = 0): number => (typeof o === "number" && Number.isFinite(o) ? o : d);

/**
 * Text state as ISO 32000-1 §9.3–9.4 keeps it (text and line matrices, font size, spacing, scaling),
 * enough to know where each string starts and ends in text space: a string that starts on another line,
 * or a word-sized gap after the last one ends, is preceded by a space.
 */
class TextState {
  tm: Matrix = IDENTITY;
  tlm: Matrix = IDENTITY;
  size = 0;
  charSpacing = 0;
  wordSpacing = 0;
  scale = 1;
  leading = 0;
  /** where the last string ended, and the size it was shown at (null: nothing shown since BT) */
  end: { x: number; y: number; em: number } | null = null;

  lineBy(tx: number, ty: number): void {
    this.tlm = moved(this.tlm, tx, ty);
    this.tm = this.tlm;
  }

  /** Whether a string shown now is a new word: another line, or a gap of more than a fraction of an em. */
  gapBefore(): boolean {
    const e = this.end;
    if (!e) return true;
    const x = this.tm[4];
    const y = this.tm[5];
    if (Math.abs(y - e.y) > e.em * 0.5) return true;
    return x - e.x > (e.em * WORD_GAP) / 1000 || x < e.x - e.em;
  }

  advance(thousandths: number, spaces: number, glyphs: number): void {
    const tx = ((thousandths / 1000) * this.size + glyphs * this.charSpacing + spaces * this.wordSpacing) * this.scale;
    this.tm = moved(this.tm, tx, 0);
  }

  ended(): void {
    this.end = { x: this.tm[4], y: this.tm[5], em: Math.abs(this.size * Math.hypot(this.tm[0], this.tm[1])) || 1 };
  }
}

function walk(
  r: Resolver,
  streams: Uint8Array[],
  resources: PdfDict | undefined,
  depth: number,
  seen: Set<number>,
  out: PageText,
  cache: TextCache,
  count: { ops: number },
): void {
  const fonts = r.dict(resources?.get("Font"));
  const xobjects = r.dict(resources?.get("XObject"));
  let font: FontText | null = null;
  const ts = new TextState();
  const put = (s: string): void => {
    if (out.text.length < MAX_CHARS) out.text += s;
  };
  const show = (o: Operand | undefined): void => {
    if (!(o instanceof StringLength) || !o.bytes || o.bytes.length === 0) return;
    if (!font) throw new PdfError("SYNTAX", "text shown before a font is selected");
    if (ts.gapBefore()) put(" ");
    const d = font.decode(o.bytes);
    put(d.text);
    out.glyphs += d.glyphs;
    if (font.explainable) out.unmapped += d.unmapped;
    ts.advance(d.advance, d.spaces, d.glyphs);
    ts.ended();
  };
  for (const data of streams) {
    for (const { op, args } of contentOps(data, MAX_OPS_PER_PAGE, true)) {
      if (++count.ops > MAX_OPS_PER_PAGE) throw new PdfError("LIMIT", "too many operators on one page");
      switch (op) {
        case "Tf": {
          const name = args[0];
          if (!(name instanceof PdfName)) break;
          const ref = fonts?.get(name.name);
          const dict = r.dict(ref);
          if (!dict) throw new PdfError("SYNTAX", `font /${name.name} is not in the page resources`);
          const key = ref instanceof PdfRef ? ref.num : dict;
          let f = cache.fonts.get(key);
          if (f === undefined) cache.fonts.set(key, (f = fontText(r, dict)));
          if (f === null) throw new NeedsFontProgram();
          font = f;
          ts.size = num(args[1]);
          break;
        }
        case "BT":
          ts.tm = ts.tlm = IDENTITY;
          break;
        case "Td":
          ts.lineBy(num(args[0]), num(args[1]));
          break;
        case "TD":
          ts.leading = -num(args[1]);
          ts.lineBy(num(args[0]), num(args[1]));
          break;
        case "Tm":
          if (args.length === 6 && args.every((a) => typeof a === "number" && Number.isFinite(a))) ts.tm = ts.tlm = args as Matrix;
          break;
        case "T*":
          ts.lineBy(0, -ts.leading);
          break;
        case "TL":
          ts.leading = num(args[0]);
          break;
        case "Tc":
          ts.charSpacing = num(args[0]);
          break;
        case "Tw":
          ts.wordSpacing = num(args[0]);
          break;
        case "Tz":
          ts.scale = num(args[0], 100) / 100;
          break;
        case "Tj":
          show(args[0]);
          break;
        case "'":
          ts.lineBy(0, -ts.leading);
          show(args[0]);
          break;
        case '"':
          ts.wordSpacing = num(args[0]);
          ts.charSpacing = num(args[1]);
          ts.lineBy(0, -ts.leading);
          show(args[2]);
          break;
        case "TJ":
          if (!Array.isArray(args[0])) break;
          for (const x of args[0] as Operand[]) {
            if (typeof x === "number") ts.advance(-x, 0, 0);
            else show(x);
          }
          break;
        case "Do": {
          const drawn = drawnXObject(r, xobjects, args[0]);
          if (!drawn || drawn.x.dict.name("Subtype") !== "Form") break;
          const { x, num: n } = drawn;
          const inner = enterForm(depth, n, seen);
          // a form without resources of its own uses its caller's: its text is known per resources
          const res = r.dict(x.dict.get("Resources")) ?? resources;
          let form = n >= 0 ? cache.forms.get(n)?.get(res) : undefined;
          if (!form) {
            form = { text: "", glyphs: 0, unmapped: 0 };
            const data = r.streamData(x);
            // a form with no text object (a logo, a drawing: often the largest streams) is not walked
            if (Buffer.from(data.buffer, data.byteOffset, data.length).indexOf(BT) >= 0) walk(r, [data], res, depth + 1, inner, form, cache, count);
            if (n >= 0) {
              if (!cache.forms.has(n)) cache.forms.set(n, new Map());
              cache.forms.get(n)!.set(res, form);
            }
          }
          put(" ");
          put(form.text);
          out.glyphs += form.glyphs;
          out.unmapped += form.unmapped;
          break;
        }
      }
    }
  }
}
