// Cross-reference sections: classic tables (§7.5.4) and xref streams (§7.5.8), each with its trailer.
import { readerPhrase } from "./reader-words.js";
import { type DecodeBudget, LIMITS, PdfError } from "./errors.js";
import { decodeStream } from "./filters.js";
import { readIndirect } from "./indirect.js";
import { PdfDict, type PdfObject, PdfStream } from "./objects.js";
import { Parser } from "./parser.js";

export type XrefEntry = { type: "free"; gen: number } | { type: "offset"; offset: number; gen: number } | { type: "compressed"; stream: number; index: number };

export interface XrefSection {
  offset: number;
  kind: "table" | "stream";
  entries: Map<number, XrefEntry>;
  trailer: PdfDict;
  /** the object number of an xref stream (it is itself an object of its revision) */
  streamObject?: number;
}

export function readXrefSection(buf: Uint8Array, offset: number, budget?: DecodeBudget): XrefSection {
  if (!Number.isInteger(offset) || offset < 0 || offset >= buf.length) throw new PdfError("XREF", readerPhrase("reader.startxrefOutside"), offset);
  const p = new Parser(buf, offset);
  p.skipWs();
  if (p.tryKeyword("xref")) return readTable(p, offset);
  return readStream(buf, offset, budget);
}

function readTable(p: Parser, offset: number): XrefSection {
  const entries = new Map<number, XrefEntry>();
  for (;;) {
    const start = p.tryUint();
    if (start === null) break;
    const count = p.tryUint();
    if (count === null) throw new PdfError("XREF", readerPhrase("reader.subsectionCount"), p.pos);
    if (entries.size + count > LIMITS.maxObjects) throw new PdfError("LIMIT", readerPhrase("reader.tooManyEntries"), p.pos);
    for (let i = 0; i < count; i++) {
      const off = p.tryUint();
      const gen = p.tryUint();
      p.skipWs();
      const kw = p.regularToken();
      if (off === null || gen === null || (kw !== "n" && kw !== "f")) throw new PdfError("XREF", readerPhrase("reader.badEntry"), p.pos);
      entries.set(start + i, kw === "n" ? { type: "offset", offset: off, gen } : { type: "free", gen });
    }
  }
  p.expectKeyword("trailer");
  const trailer = p.parseObject();
  if (!(trailer instanceof PdfDict)) throw new PdfError("XREF", readerPhrase("reader.trailerNotDict"), p.pos);
  return { offset, kind: "table", entries, trailer };
}

function int(o: PdfObject | undefined): number | undefined {
  return typeof o === "number" && Number.isInteger(o) && o >= 0 ? o : undefined;
}

function readStream(buf: Uint8Array, offset: number, budget?: DecodeBudget): XrefSection {
  const obj = readIndirect(buf, offset);
  const s = obj.value;
  if (!(s instanceof PdfStream) || s.dict.name("Type") !== "XRef") throw new PdfError("XREF", readerPhrase("reader.noXref"), offset);
  const d = s.dict;
  const data = decodeStream(buf.subarray(s.dataStart, s.dataEnd), d, LIMITS.maxDecodedStream, budget);
  const w = d.get("W");
  if (!Array.isArray(w) || w.length < 3 || w.some((x) => int(x) === undefined || (x as number) > 8))
    throw new PdfError("XREF", readerPhrase("reader.badW"), offset);
  const [w0, w1, w2] = w as number[];
  const size = int(d.get("Size"));
  if (size === undefined) throw new PdfError("XREF", readerPhrase("reader.noSize"), offset);
  const index = d.get("Index");
  const ranges: number[] = Array.isArray(index) ? index.map((x) => int(x) ?? -1) : [0, size];
  if (ranges.length % 2 !== 0 || ranges.some((x) => x < 0)) throw new PdfError("XREF", readerPhrase("reader.badIndex"), offset);
  const rowLen = w0! + w1! + w2!;
  const entries = new Map<number, XrefEntry>();
  let pos = 0;
  const field = (width: number, dflt: number): number => {
    if (width === 0) return dflt;
    let v = 0;
    for (let k = 0; k < width; k++) v = v * 256 + data[pos++]!;
    return v;
  };
  for (let r = 0; r < ranges.length; r += 2) {
    const first = ranges[r]!;
    const count = ranges[r + 1]!;
    if (entries.size + count > LIMITS.maxObjects) throw new PdfError("LIMIT", readerPhrase("reader.tooManyEntries"), offset);
    for (let i = 0; i < count; i++) {
      if (pos + rowLen > data.length) throw new PdfError("XREF", readerPhrase("reader.shortXrefStream"), offset);
      const type = field(w0!, 1);
      const a = field(w1!, 0);
      const b = field(w2!, 0);
      const num = first + i;
      if (type === 0) entries.set(num, { type: "free", gen: b });
      else if (type === 1) entries.set(num, { type: "offset", offset: a, gen: b });
      else if (type === 2) entries.set(num, { type: "compressed", stream: a, index: b });
      // other types are reserved: treated as references to the null object (§7.5.8.3)
    }
  }
  return { offset, kind: "stream", entries, trailer: d, streamObject: obj.num };
}
