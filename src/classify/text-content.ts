// The text a reader would extract, read with pdfjs-dist for a few pages that paint glyphs: whether the
// document's text (or its OCR layer) is real, searchable Unicode — Vietnamese included — or glyph codes
// without a Unicode mapping. pdfjs is loaded on first use and never asked for operator lists (that decodes
// every image: STACK.md).

export interface TextEvidence {
  pagesRead: number;
  characters: number;
  /** share of non-space characters that are letters or digits: low means glyph codes, not text */
  letterShare: number;
  searchable: boolean;
  vietnamese: boolean;
  sample: string;
}

/**
 * The pages worth reading text from: up to three examined pages of a document with text that paint
 * glyphs, and whose content kyso's own reader decoded within bounds (pdfjs decodes and lays out without
 * limits: a page whose streams are huge, or that hit a limit, is never handed to it).
 */
export function textPages(content: { kind: string; evidence: Record<string, unknown> }): number[] {
  if (!["born-digital", "mixed", "scanned-ocr"].includes(content.kind)) return [];
  const pages = (content.evidence.pages ?? []) as Array<{ page: number; visibleGlyphs: number; invisibleGlyphs: number; largeContent?: number; message?: string }>;
  return pages.filter((p) => p.visibleGlyphs + p.invisibleGlyphs > 0 && p.largeContent === undefined && p.message === undefined).slice(0, 3).map((p) => p.page);
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
  const task = lib.getDocument({ data: new Uint8Array(bytes), verbosity: 0, isEvalSupported: false, disableFontFace: true, useSystemFonts: false, stopAtErrors: false });
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
    const compact = text.replace(/\s+/g, "");
    const letters = (compact.match(/[\p{L}\p{N}]/gu) ?? []).length;
    const share = compact.length ? letters / compact.length : 0;
    return {
      pagesRead: read,
      characters: compact.length,
      letterShare: Math.round(share * 100) / 100,
      searchable: compact.length > 0 && share >= 0.6,
      vietnamese: VIETNAMESE.test(text),
      sample: text.replace(/\s+/g, " ").trim().slice(0, 200),
    };
  } catch (e) {
    return { error: `pdfjs could not read the text: ${(e as Error).message}` };
  } finally {
    await task.destroy();
  }
}
