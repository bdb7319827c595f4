// Reading one indirect object `N G obj … endobj` at a known offset, streams included.
import { readerPhrase } from "./reader-words.js";
import { LIMITS, PdfError } from "./errors.js";
import { PdfDict, type PdfObject, PdfStream } from "./objects.js";
import { Parser } from "./parser.js";

export interface IndirectObject {
  num: number;
  gen: number;
  value: PdfObject;
  /** offset just after the object (after `endobj`, or where the parser stopped) */
  end: number;
  /** set when the stream's /Length was wrong or indirect and the data end was found by searching */
  lengthRepaired?: boolean;
}

const ENDSTREAM = Buffer.from("endstream");

/**
 * Parses `N G obj` at `offset`. `lengthOf` resolves an indirect /Length; it may return undefined, in which
 * case the data end is found by searching for `endstream` (recorded as a repair).
 */
export function readIndirect(buf: Uint8Array, offset: number, lengthOf?: (o: PdfObject) => number | undefined): IndirectObject {
  if (offset < 0 || offset >= buf.length) throw new PdfError("XREF", readerPhrase("reader.offsetOutside"), offset);
  const p = new Parser(buf, offset);
  const num = p.tryUint();
  const gen = num === null ? null : p.tryUint();
  if (num === null || gen === null || !p.tryKeyword("obj")) throw new PdfError("XREF", readerPhrase("reader.noObjHeader"), offset);
  const value = p.parseObject();
  if (!(value instanceof PdfDict)) return finish(p, { num, gen, value, end: p.pos });
  const save = p.pos;
  if (!p.tryKeyword("stream")) {
    p.pos = save;
    return finish(p, { num, gen, value, end: p.pos });
  }
  // The keyword is followed by CRLF or LF (§7.3.8.1); a lone CR is tolerated.
  if (buf[p.pos] === 13) p.pos++;
  if (buf[p.pos] === 10) p.pos++;
  const dataStart = p.pos;
  const lenObj = value.get("Length");
  let len = typeof lenObj === "number" ? lenObj : lenObj !== undefined && lengthOf ? lengthOf(lenObj) : undefined;
  let repaired = false;
  if (len === undefined || !Number.isInteger(len) || len < 0 || dataStart + len > buf.length || !endstreamAt(buf, dataStart + len)) {
    const found = indexOf(buf, ENDSTREAM, dataStart, Math.min(buf.length, dataStart + LIMITS.maxDecodedStream));
    if (found < 0) throw new PdfError("SYNTAX", readerPhrase("reader.noEndstream"), dataStart);
    len = found - dataStart;
    // Drop the end-of-line that precedes `endstream`.
    if (len > 0 && buf[dataStart + len - 1] === 10) len--;
    if (len > 0 && buf[dataStart + len - 1] === 13) len--;
    repaired = true;
  }
  const stream = new PdfStream(value, dataStart, dataStart + len);
  p.pos = dataStart + len;
  p.expectKeyword("endstream");
  return finish(p, { num, gen, value: stream, end: p.pos, ...(repaired ? { lengthRepaired: true } : {}) });
}

function finish(p: Parser, o: IndirectObject): IndirectObject {
  const save = p.pos;
  if (p.tryKeyword("endobj")) o.end = p.pos;
  else p.pos = save;
  return o;
}

function endstreamAt(buf: Uint8Array, at: number): boolean {
  let i = at;
  while (i < buf.length && (buf[i] === 10 || buf[i] === 13 || buf[i] === 32) && i < at + 4) i++;
  for (let k = 0; k < ENDSTREAM.length; k++) if (buf[i + k] !== ENDSTREAM[k]) return false;
  return true;
}

export function indexOf(buf: Uint8Array, needle: Uint8Array, from: number, to = buf.length): number {
  const b = Buffer.from(buf.buffer, buf.byteOffset, buf.length);
  const i = b.indexOf(needle, from);
  return i >= 0 && i + needle.length <= to ? i : -1;
}
