// What one page paints, read from its content streams without decoding any image: glyphs shown (visible,
// or invisible as OCR layers are, text render mode 3 or 7), images and the share of the page they cover
// (from the transformation matrix), and vector painting. Form XObjects are followed, bounded.
import { PdfError } from "../pdf/errors.js";
import { PdfDict, PdfName, type PdfObject, PdfStream } from "../pdf/objects.js";
import type { Resolver } from "../pdf/resolver.js";
import { contentOps, type Operand, StringLength } from "./content-ops.js";
import { drawnXObject, enterForm } from "./xobjects.js";

export interface PageEvidence {
  page: number;
  kind: "text" | "image" | "image-with-invisible-text" | "blank" | "unknown";
  visibleGlyphs: number;
  invisibleGlyphs: number;
  /** share of the page area covered by images (sum of image areas clipped to the page, at most 1) */
  imageCoverage: number;
  images: number;
  vectorOps: number;
  /** the page's content streams decode to this many bytes, more than pdfjs is handed (TEXT_PAGE_MAX_BYTES) */
  largeContent?: number;
  message?: string;
}

/** A page whose content decodes to more than this is never handed to pdfjs (a real page's text is far less). */
export const TEXT_PAGE_MAX_BYTES = 4 << 20;

export type Matrix = [number, number, number, number, number, number];
export const IDENTITY: Matrix = [1, 0, 0, 1, 0, 0];
const PAINT = new Set(["f", "F", "f*", "S", "s", "B", "B*", "b", "b*", "sh"]);
const MAX_OPS_PER_PAGE = 3_000_000;
const MAX_IMAGE_SIDE = 1_000_000;

function mul(a: Matrix, b: Matrix): Matrix {
  return [
    a[0] * b[0] + a[1] * b[2],
    a[0] * b[1] + a[1] * b[3],
    a[2] * b[0] + a[3] * b[2],
    a[2] * b[1] + a[3] * b[3],
    a[4] * b[0] + a[5] * b[2] + b[4],
    a[4] * b[1] + a[5] * b[3] + b[5],
  ];
}

function matrixOf(o: PdfObject | Operand[] | undefined): Matrix | null {
  if (!Array.isArray(o) || o.length !== 6 || !o.every((x) => typeof x === "number" && Number.isFinite(x))) return null;
  return o as Matrix;
}

function boxOf(r: Resolver, o: PdfObject | undefined): [number, number, number, number] | null {
  const v = r.resolve(o);
  if (!Array.isArray(v) || v.length !== 4) return null;
  const n = v.map((x) => r.resolve(x));
  if (!n.every((x) => typeof x === "number" && Number.isFinite(x))) return null;
  const [a, b, c, d] = n as number[];
  return [Math.min(a!, c!), Math.min(b!, d!), Math.max(a!, c!), Math.max(b!, d!)];
}

/** A page attribute, inherited through /Parent (ISO 32000-1 §7.7.3.4). */
export function inherited(r: Resolver, page: PdfDict, key: string): PdfObject | undefined {
  let cur: PdfDict | undefined = page;
  for (let i = 0; cur && i < 32; i++) {
    const v = cur.get(key);
    if (v !== undefined) return v;
    cur = r.dict(cur.get("Parent"));
  }
  return undefined;
}

/** The decoded content streams of a page (one stream, or an array of them). */
export function contentBytes(r: Resolver, o: PdfObject | undefined): Uint8Array[] {
  const v = r.resolve(o);
  const list = Array.isArray(v) ? v.map((x) => r.resolve(x)) : [v];
  const out: Uint8Array[] = [];
  for (const s of list) {
    if (!(s instanceof PdfStream)) continue;
    out.push(r.streamData(s));
  }
  return out;
}

/** What a content stream paints, in order, in its own coordinate space: replayed by the page. */
interface Trace {
  events: Array<{ glyphs: number; invisible: boolean } | { image: Matrix; opaque: boolean }>;
  vectorOps: number;
  ops: number;
}

/** Traces of form XObjects, per document: a header drawn on every page is interpreted once. */
export type FormCache = Map<string, Trace | PdfError>;

export function pageEvidence(r: Resolver, page: PdfDict, pageNo: number, forms: FormCache = new Map()): PageEvidence {
  const ev: PageEvidence = { page: pageNo, kind: "unknown", visibleGlyphs: 0, invisibleGlyphs: 0, imageCoverage: 0, images: 0, vectorOps: 0 };
  const box = boxOf(r, inherited(r, page, "CropBox")) ?? boxOf(r, inherited(r, page, "MediaBox")) ?? [0, 0, 612, 792];
  const pageArea = (box[2] - box[0]) * (box[3] - box[1]);
  if (!(pageArea > 0)) return { ...ev, message: "the page has no area" };

  const imageArea = (m: Matrix): number => {
    const xs = [m[4], m[0] + m[4], m[2] + m[4], m[0] + m[2] + m[4]];
    const ys = [m[5], m[1] + m[5], m[3] + m[5], m[1] + m[3] + m[5]];
    const w = Math.max(0, Math.min(box[2], Math.max(...xs)) - Math.max(box[0], Math.min(...xs)));
    const h = Math.max(0, Math.min(box[3], Math.max(...ys)) - Math.max(box[1], Math.min(...ys)));
    return (w * h) / pageArea;
  };

  try {
    const resources = r.dict(inherited(r, page, "Resources"));
    const streams = contentBytes(r, page.get("Contents"));
    const size = streams.reduce((n, b) => n + b.length, 0);
    if (size > TEXT_PAGE_MAX_BYTES) ev.largeContent = size;
    const trace = interpret(r, streams, resources, 0, new Set(), false, forms);
    let covered = 0;
    for (const e of trace.events) {
      if ("glyphs" in e) {
        if (e.invisible) ev.invisibleGlyphs += e.glyphs;
        else ev.visibleGlyphs += e.glyphs;
        continue;
      }
      ev.images++;
      const area = imageArea(e.image);
      covered += area;
      // An opaque image over most of the page hides the text painted before it: the OCR layer of
      // scanners that put text under the page image (gov-nd-119-2018-ND-CP.vgca-signed.pdf).
      if (e.opaque && area >= 0.6) {
        ev.invisibleGlyphs += ev.visibleGlyphs;
        ev.visibleGlyphs = 0;
      }
    }
    ev.vectorOps = trace.vectorOps;
    ev.imageCoverage = Math.min(1, Math.round(covered * 1000) / 1000);
  } catch (e) {
    if (!(e instanceof PdfError)) throw e;
    return { ...ev, kind: "unknown", message: e.message };
  }
  ev.kind = pageKind(ev);
  return ev;
}

/** Interprets content streams from the identity matrix; form XObjects are replayed from their traces. */
function interpret(
  r: Resolver,
  streams: Uint8Array[],
  resources: PdfDict | undefined,
  depth: number,
  seenForms: Set<number>,
  invisibleStart: boolean,
  forms: FormCache,
): Trace {
  const out: Trace = { events: [], vectorOps: 0, ops: 0 };
  let ctm: Matrix = IDENTITY;
  const stack: Array<{ ctm: Matrix; tr: number }> = [];
  let tr = invisibleStart ? 3 : 0;
  let bytesPerGlyph = 1;
  const fonts = r.dict(resources?.get("Font"));
  const xobjects = r.dict(resources?.get("XObject"));
  const glyphs = (n: number): void => {
    if (n <= 0) return;
    const invisible = tr === 3 || tr === 7;
    const last = out.events[out.events.length - 1];
    if (last && "glyphs" in last && last.invisible === invisible) last.glyphs += n;
    else out.events.push({ glyphs: n, invisible });
  };
  const shown = (o: Operand | undefined): number => (o instanceof StringLength ? Math.ceil(o.length / bytesPerGlyph) : 0);
  for (const data of streams) {
    for (const { op, args } of contentOps(data)) {
      if (++out.ops > MAX_OPS_PER_PAGE) throw new PdfError("LIMIT", "too many operators on one page");
      switch (op) {
        case "q":
          if (stack.length > 256) throw new PdfError("LIMIT", "graphics state nested too deeply");
          stack.push({ ctm, tr });
          break;
        case "Q": {
          const st = stack.pop();
          if (st) ({ ctm, tr } = st);
          break;
        }
        case "cm": {
          const m = matrixOf(args);
          if (m) ctm = mul(m, ctm);
          break;
        }
        case "Tr":
          if (typeof args[0] === "number") tr = args[0];
          break;
        case "Tf": {
          const name = args[0];
          if (!(name instanceof PdfName)) break;
          const font = r.dict(fonts?.get(name.name));
          if (!font) throw new PdfError("SYNTAX", `font /${name.name} is not in the page resources`);
          bytesPerGlyph = font.name("Subtype") === "Type0" ? 2 : 1;
          break;
        }
        case "Tj":
        case "'":
          glyphs(shown(args[0]));
          break;
        case '"':
          glyphs(shown(args[2]));
          break;
        case "TJ":
          if (Array.isArray(args[0])) glyphs((args[0] as Operand[]).reduce((n: number, x) => n + shown(x), 0));
          break;
        case "BI":
          out.events.push({ image: ctm, opaque: false });
          break;
        case "Do": {
          const drawn = drawnXObject(r, xobjects, args[0]);
          if (!drawn) break;
          const { x, num, name } = drawn;
          const sub = x.dict.name("Subtype");
          if (sub === "Image") {
            const w = r.resolve(x.dict.get("Width"));
            const h = r.resolve(x.dict.get("Height"));
            if (typeof w !== "number" || typeof h !== "number" || w <= 0 || h <= 0 || w > MAX_IMAGE_SIDE || h > MAX_IMAGE_SIDE) {
              throw new PdfError("SYNTAX", `image /${name} declares an absurd size (${String(w)}×${String(h)})`);
            }
            const opaque = !x.dict.has("SMask") && !x.dict.has("Mask") && r.resolve(x.dict.get("ImageMask")) !== true;
            out.events.push({ image: ctm, opaque });
          } else if (sub === "Form") {
            const inner = enterForm(depth, num, seenForms);
            const invisible = tr === 3 || tr === 7;
            const key = `${num}:${invisible}`;
            let t = num >= 0 ? forms.get(key) : undefined;
            if (!t) {
              try {
                const res = r.dict(x.dict.get("Resources")) ?? resources;
                t = interpret(r, [r.streamData(x)], res, depth + 1, inner, invisible, forms);
              } catch (e) {
                if (!(e instanceof PdfError)) throw e;
                t = e;
              }
              if (num >= 0) forms.set(key, t);
            }
            if (t instanceof PdfError) throw t;
            out.ops += t.ops;
            if (out.ops > MAX_OPS_PER_PAGE) throw new PdfError("LIMIT", "too many operators on one page");
            const m = mul(matrixOf(r.resolve(x.dict.get("Matrix"))) ?? IDENTITY, ctm);
            for (const e of t.events) {
              if ("glyphs" in e) pushGlyphs(out, e);
              else out.events.push({ image: mul(e.image, m), opaque: e.opaque });
            }
            out.vectorOps += t.vectorOps;
          }
          break;
        }
        default:
          if (PAINT.has(op)) out.vectorOps++;
      }
    }
  }
  return out;
}

function pushGlyphs(out: Trace, e: { glyphs: number; invisible: boolean }): void {
  const last = out.events[out.events.length - 1];
  if (last && "glyphs" in last && last.invisible === e.invisible) last.glyphs += e.glyphs;
  else out.events.push({ ...e });
}

/**
 * A page is a scan when images cover most of it and little visible text is painted: a signing tool's
 * stamp ("Ký bởi …") over a scanned page must not make it born-digital.
 */
export function pageKind(e: Pick<PageEvidence, "visibleGlyphs" | "invisibleGlyphs" | "imageCoverage" | "vectorOps">): PageEvidence["kind"] {
  const scanned = e.imageCoverage >= 0.6 && e.visibleGlyphs < 400;
  if (scanned) return e.invisibleGlyphs >= 20 ? "image-with-invisible-text" : "image";
  if (e.visibleGlyphs > 0 || e.vectorOps > 0) return "text";
  if (e.imageCoverage >= 0.25) return "image";
  if (e.invisibleGlyphs >= 20) return "image-with-invisible-text";
  return "blank";
}
