// The text a reader would extract from a few pages that paint glyphs: whether the document's text (or
// its OCR layer) is real, searchable Unicode — Vietnamese included — or glyph codes without a Unicode
// mapping. kyso reads it itself where the PDF says what its codes mean (ToUnicode maps, standard
// encodings: page-text.ts); pdfjs-dist only where the font program must be read, or where kyso's reading
// leaves codes unmapped. pdfjs is loaded on first use and never asked for operator lists (that decodes
// every image: STACK.md).
import { listPages } from "../pdf/pages.js";
import type { Resolver } from "../pdf/resolver.js";
import { inherited } from "./page-evidence.js";
import { newTextCache, pageText } from "./page-text.js";
import { PdfError } from "../pdf/errors.js";

export interface TextEvidence {
  pagesRead: number;
  characters: number;
  /** share of non-space characters that are letters or digits: low means glyph codes, not text */
  letterShare: number;
  searchable: boolean;
  vietnamese: boolean;
  sample: string;
  /** who read the text: kyso's own decoder, or pdfjs-dist for the fonts only their programs explain */
  reader: "kyso" | "pdfjs";
}

/** Over this share of codes without a known meaning, kyso's reading decides nothing: pdfjs reads. */
const MAX_UNMAPPED_SHARE = 0.02;

/**
 * The pages worth reading text from: up to three examined pages of a document with text that paint
 * glyphs, and whose content kyso's own reader decoded within bounds (pdfjs decodes and lays out without
 * limits: a page whose streams are huge, or that hit a limit, is never handed to it).
 */
export function textPages(content: { kind: string; evidence: Record<string, unknown> }): number[] {
  if (!["born-digital", "mixed", "scanned-ocr"].includes(content.kind)) return [];
  const pages = (content.evidence.pages ?? []) as Array<{
    page: number;
    visibleGlyphs: number;
    invisibleGlyphs: number;
    largeContent?: number;
    message?: string;
  }>;
  return pages
    .filter((p) => p.visibleGlyphs + p.invisibleGlyphs > 0 && p.largeContent === undefined && p.message === undefined)
    .slice(0, 3)
    .map((p) => p.page);
}

const VIETNAMESE = /[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]/iu;
const MAX_BYTES_FOR_TEXT = 64 << 20;

type Pdfjs = typeof import("pdfjs-dist/legacy/build/pdf.mjs");
let pdfjs: Promise<Pdfjs> | null = null;

/** Text of the given pages (1-based), or null when the file is too large or pdfjs cannot read it. */
export async function textEvidence(bytes: Uint8Array, pages: number[]): Promise<TextEvidence | { error: string } | null> {
  if (pages.length === 0 || bytes.length > MAX_BYTES_FOR_TEXT) return null;
  pdfjs ??= import("pdfjs-dist/legacy/build/pdf.mjs");
  const lib = await pdfjs;
  // pdfjs may take ownership of the buffer it is given: it gets its own copy.
  const task = lib.getDocument({
    data: new Uint8Array(bytes),
    verbosity: 0,
    isEvalSupported: false,
    disableFontFace: true,
    useSystemFonts: false,
    stopAtErrors: false,
  });
  try {
    const doc = await task.promise;
    let text = "";
    let read = 0;
    for (const n of pages) {
      if (n < 1 || n > doc.numPages) continue;
      const page = await doc.getPage(n);
      const tc = await page.getTextContent();
      for (const item of tc.items) if ("str" in item) text += item.str + (item.hasEOL ? "\n" : " ");
      read++;
      page.cleanup();
    }
    return summary(text, read, "pdfjs");
  } catch (e) {
    return { error: `pdfjs could not read the text: ${(e as Error).message}` };
  } finally {
    await task.destroy();
  }
}

/** The evidence from the text of the pages read. */
function summary(text: string, pagesRead: number, reader: TextEvidence["reader"]): TextEvidence {
  const compact = text.replace(/\s+/g, "");
  const letters = (compact.match(/[\p{L}\p{N}]/gu) ?? []).length;
  const share = compact.length ? letters / compact.length : 0;
  return {
    pagesRead,
    characters: compact.length,
    letterShare: Math.round(share * 100) / 100,
    searchable: compact.length > 0 && share >= 0.6,
    vietnamese: VIETNAMESE.test(text),
    sample: text.replace(/\s+/g, " ").trim().slice(0, 200),
    reader,
  };
}

/**
 * The text evidence of the given pages (1-based) read by kyso, or null when pdfjs must read them: a font
 * whose text only its program explains, codes left without a meaning, or content kyso's reader refuses.
 */
export function ownTextEvidence(r: Resolver, pages: number[]): TextEvidence | null {
  if (pages.length === 0) return null;
  const list = listPages(r, Math.max(...pages));
  const cache = newTextCache();
  let text = "";
  let glyphs = 0;
  let unmapped = 0;
  let read = 0;
  try {
    for (const n of pages) {
      const page = list[n - 1];
      if (!page) continue;
      const t = pageText(r, page.dict, r.dict(inherited(r, page.dict, "Resources")), cache);
      if (!t) return null;
      text += t.text + "\n";
      glyphs += t.glyphs;
      unmapped += t.unmapped;
      read++;
    }
  } catch (e) {
    if (e instanceof PdfError) return null;
    throw e;
  }
  if (glyphs > 0 && unmapped / glyphs > MAX_UNMAPPED_SHARE) return null;
  return summary(text, read, "kyso");
}
