// A content-stream tokenizer (ISO 32000-1 §7.8.2) tuned for classification: operands are numbers,
// names, string *lengths* (counting glyphs needs no more; the text reader asks for the bytes too), arrays
// of those, and dictionaries (parsed normally, they are rare). Operators and names are interned. Inline
// image data is skipped, never decoded. Bounded: a stream yields at most `maxOps` operators. CMaps are
// PostScript of the same syntax, so the ToUnicode reader uses it as well.
import { PdfError } from "../pdf/errors.js";
import { PdfName, type PdfObject } from "../pdf/objects.js";
import { isDelim, isWhite, Parser } from "../pdf/parser.js";

/** A string operand: how many bytes it holds, and the bytes themselves when they were asked for. */
export class StringLength {
  constructor(
    readonly length: number,
    readonly bytes?: Uint8Array,
  ) {}
}

export type Operand = number | boolean | null | PdfName | StringLength | Operand[] | PdfObject;

export interface Op {
  op: string;
  args: Operand[];
}

const OPS = new Map<number, string>();

function operator(buf: Uint8Array, start: number, end: number): string {
  // operators are 1–3 bytes: a numeric key avoids building a string for each one
  if (end - start <= 3) {
    let key = end - start;
    for (let i = start; i < end; i++) key = key * 256 + buf[i]!;
    let s = OPS.get(key);
    if (!s) OPS.set(key, (s = Buffer.from(buf.subarray(start, end)).toString("latin1")));
    return s;
  }
  return Buffer.from(buf.subarray(start, end)).toString("latin1");
}

const isRegular = (c: number): boolean => !isWhite(c) && !isDelim(c);

export function* contentOps(data: Uint8Array, maxOps = 2_000_000, strings = false): Generator<Op> {
  const p = new Parser(data);
  let args: Operand[] = [];
  let count = 0;
  for (;;) {
    p.skipWs();
    const c = p.peek();
    if (c < 0) return;
    if (
      c === 0x2f ||
      c === 0x28 ||
      c === 0x5b ||
      c === 0x2b ||
      c === 0x2d ||
      c === 0x2e ||
      (c >= 0x30 && c <= 0x39) ||
      (c === 0x3c && data[p.pos + 1] !== 0x3c)
    ) {
      args.push(operand(p, data, 0, strings));
      if (args.length > 10_000) throw new PdfError("LIMIT", "too many operands", p.pos);
      continue;
    }
    if (c === 0x3c) {
      args.push(p.parseObject()); // a dictionary (marked-content properties)
      continue;
    }
    if (c === 0x5d || c === 0x29 || c === 0x3e || c === 0x7b || c === 0x7d) {
      p.pos++; // stray delimiter: skip (lenient, as viewers are)
      continue;
    }
    const start = p.pos;
    while (p.pos < data.length && isRegular(data[p.pos]!)) p.pos++;
    if (p.pos === start) throw new PdfError("SYNTAX", "unexpected byte in content stream", start);
    const tok = operator(data, start, p.pos);
    if (tok === "true" || tok === "false" || tok === "null") {
      args.push(tok === "true" ? true : tok === "false" ? false : null);
      continue;
    }
    if (++count > maxOps) throw new PdfError("LIMIT", "too many operators in a content stream", start);
    if (tok === "BI") {
      skipInlineImage(p, data);
      yield { op: "BI", args: [] };
      args = [];
      continue;
    }
    yield { op: tok, args };
    args = [];
  }
}

function operand(p: Parser, data: Uint8Array, depth: number, strings: boolean): Operand {
  if (depth > 32) throw new PdfError("LIMIT", "arrays nested too deeply in a content stream", p.pos);
  p.skipWs();
  const c = p.peek();
  if (strings && (c === 0x28 || (c === 0x3c && data[p.pos + 1] !== 0x3c))) {
    const s = c === 0x28 ? p.parseLiteralString() : p.parseHexString();
    return new StringLength(s.bytes.length, s.bytes);
  }
  if (c === 0x28) return new StringLength(literalLength(p, data));
  if (c === 0x3c && data[p.pos + 1] !== 0x3c) {
    const close = Buffer.from(data.buffer, data.byteOffset, data.length).indexOf(0x3e, p.pos);
    if (close < 0) throw new PdfError("SYNTAX", "unterminated hex string", p.pos);
    let digits = 0;
    for (let i = p.pos + 1; i < close; i++) if (!isWhite(data[i]!)) digits++;
    p.pos = close + 1;
    return new StringLength(Math.ceil(digits / 2));
  }
  if (c === 0x5b) {
    p.pos++;
    const arr: Operand[] = [];
    for (;;) {
      p.skipWs();
      const d = p.peek();
      if (d === 0x5d) {
        p.pos++;
        return arr;
      }
      if (d < 0) throw new PdfError("SYNTAX", "unterminated array", p.pos);
      arr.push(operand(p, data, depth + 1, strings));
    }
  }
  // numbers are most operands: read directly (content streams hold no references to look ahead for)
  if ((c >= 0x30 && c <= 0x39) || c === 0x2b || c === 0x2d || c === 0x2e) return p.parseNumber();
  return p.parseObject(depth);
}

/** Bytes in a literal string (escapes counted as the byte they stand for), without building it. */
function literalLength(p: Parser, data: Uint8Array): number {
  const start = p.pos++;
  let depth = 1;
  let n = 0;
  while (p.pos < data.length) {
    const ch = data[p.pos++]!;
    if (ch === 0x5c) {
      const e = data[p.pos++];
      if (e === undefined) break;
      if (e >= 0x30 && e <= 0x37) {
        for (let k = 0; k < 2 && data[p.pos]! >= 0x30 && data[p.pos]! <= 0x37; k++) p.pos++;
      } else if (e === 13 || e === 10) {
        if (e === 13 && data[p.pos] === 10) p.pos++;
        continue;
      }
      n++;
      continue;
    }
    if (ch === 0x28) depth++;
    else if (ch === 0x29 && --depth === 0) return n;
    n++;
  }
  throw new PdfError("SYNTAX", "unterminated string", start);
}

/** Skips `BI … ID <data> EI`: the data ends at an `EI` that stands alone between white space. */
function skipInlineImage(p: Parser, data: Uint8Array): void {
  const start = p.pos;
  for (let guard = 0; guard < 1000; guard++) {
    p.skipWs();
    if (p.tryKeyword("ID")) break;
    if (p.peek() < 0) throw new PdfError("SYNTAX", "inline image without ID", start);
    p.parseObject();
  }
  let i = p.pos + 1;
  for (; i + 1 < data.length; i++) {
    if (data[i] === 0x45 && data[i + 1] === 0x49 && isWhite(data[i - 1]!) && (i + 2 >= data.length || isWhite(data[i + 2]!) || isDelim(data[i + 2]!))) {
      p.pos = i + 2;
      return;
    }
  }
  throw new PdfError("SYNTAX", "inline image without EI", start);
}
