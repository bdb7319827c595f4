// Resolves object references as one revision of the file saw them (STYLE.md §6): the newest xref entry at
// or before that revision decides, and only bytes before the revision's end may be read.
import { readerPhrase } from "./reader-words.js";
import { LIMITS, PdfError, type DecodeBudget, type ReaderProblem } from "./errors.js";
import { decodeStream } from "./filters.js";
import { readIndirect, type IndirectObject } from "./indirect.js";
import { PdfDict, type PdfObject, PdfRef, PdfStream } from "./objects.js";
import { Parser } from "./parser.js";
import type { XrefEntry } from "./xref.js";

interface ObjStm {
  pairs: Array<[number, number]>;
  data: Uint8Array;
  first: number;
}

/** Parsed objects shared by every resolver of one document, keyed by where the bytes are. */
export class ObjectCache {
  readonly byOffset = new Map<number, IndirectObject | PdfError>();
  readonly objStreams = new Map<number, ObjStm | PdfError>();
  /** objects parsed out of object streams: by the stream's offset, then by index (small-integer keys) */
  readonly compressed = new Map<number, PdfObject[]>();
  parsed = 0;
}

const MAX_PARSED_OBJECTS = 2_000_000;

/** What a resolver reads of its document (PdfDocument is one); said here so the two files do not import each other. */
export interface ResolverSource {
  readonly revisions: ReadonlyArray<{ readonly end: number; readonly trailer: PdfDict }>;
  readonly buf: Uint8Array;
  readonly cache: ObjectCache;
  readonly decodeBudget: DecodeBudget;
  entryAt(num: number, index: number): XrefEntry | undefined;
  problem(p: ReaderProblem): void;
}

export class Resolver {
  readonly end: number;
  private depth = 0;

  constructor(
    readonly doc: ResolverSource,
    readonly index: number,
  ) {
    this.end = doc.revisions[index - 1]!.end;
  }

  get trailer(): PdfDict {
    return this.doc.revisions[this.index - 1]!.trailer;
  }

  entry(num: number): XrefEntry | undefined {
    return this.doc.entryAt(num, this.index);
  }

  /** A stable description of where object `num` lives in this revision; equal locations mean equal objects. */
  location(num: number): string {
    const e = this.entry(num);
    if (!e) return "none";
    if (e.type === "free") return "free";
    if (e.type === "offset") return `o${e.offset}`;
    return `c${e.stream}.${e.index}@${this.location(e.stream)}`;
  }

  resolve(o: PdfObject | undefined): PdfObject | undefined {
    return o instanceof PdfRef ? this.get(o.num) : o;
  }

  dict(o: PdfObject | undefined): PdfDict | undefined {
    const v = this.resolve(o);
    if (v instanceof PdfDict) return v;
    if (v instanceof PdfStream) return v.dict;
    return undefined;
  }

  catalog(): PdfDict | undefined {
    return this.dict(this.trailer.get("Root"));
  }

  /** A stream's data, decoded within the per-stream limit and the document's decoding budget. */
  streamData(s: PdfStream): Uint8Array {
    return decodeStream(this.doc.buf.subarray(s.dataStart, s.dataEnd), s.dict, LIMITS.maxDecodedStream, this.doc.decodeBudget);
  }

  private readonly memo = new Map<number, PdfObject>();

  /** The object numbered `num`, or null when free, missing or unreadable (unreadable ones are recorded). */
  get(num: number): PdfObject {
    const hit = this.memo.get(num);
    if (hit !== undefined) return hit;
    const v = this.load(num);
    this.memo.set(num, v);
    return v;
  }

  private load(num: number): PdfObject {
    const e = this.entry(num);
    if (!e || e.type === "free") return null;
    if (this.depth > 32) throw new PdfError("LIMIT", readerPhrase("reader.referenceTooDeep"));
    this.depth++;
    try {
      if (e.type === "offset") return this.atOffset(num, e.offset, e.gen);
      return this.compressed(num, e.stream, e.index);
    } catch (err) {
      if (!(err instanceof PdfError) || err.code === "LIMIT") throw err;
      this.doc.problem({
        revision: this.index,
        ...(err.offset !== undefined ? { offset: err.offset } : {}),
        message: `object ${num}: ${err.message}`,
        phrase: readerPhrase("reader.object", { num, problem: err.phrase }),
      });
      return null;
    } finally {
      this.depth--;
    }
  }

  private atOffset(num: number, offset: number, gen: number): PdfObject {
    const cache = this.doc.cache;
    let o = cache.byOffset.get(offset);
    if (!o) {
      if (++cache.parsed > MAX_PARSED_OBJECTS) throw new PdfError("LIMIT", readerPhrase("reader.tooManyParsed"));
      try {
        o = readIndirect(this.doc.buf, offset, (len) => {
          const v = this.resolve(len);
          return typeof v === "number" ? v : undefined;
        });
      } catch (err) {
        if (!(err instanceof PdfError)) throw err;
        o = err;
      }
      cache.byOffset.set(offset, o);
    }
    if (o instanceof PdfError) throw o;
    if (o.end > this.end) throw new PdfError("XREF", readerPhrase("reader.pastRevision", { num, revision: this.index }), offset);
    // K5: the entry must land on the header of the same object.
    if (o.num !== num || o.gen !== gen) throw new PdfError("XREF", readerPhrase("reader.wrongObject", { num, gen, foundNum: o.num, foundGen: o.gen }), offset);
    return o.value;
  }

  private compressed(num: number, stmNum: number, index: number): PdfObject {
    const se = this.entry(stmNum);
    if (!se || se.type !== "offset") throw new PdfError("XREF", readerPhrase("reader.streamNotPlain", { stream: stmNum, num }));
    const cache = this.doc.cache;
    let stm = cache.objStreams.get(se.offset);
    if (!stm) {
      try {
        const s = this.atOffset(stmNum, se.offset, se.gen);
        if (!(s instanceof PdfStream) || s.dict.name("Type") !== "ObjStm")
          throw new PdfError("XREF", readerPhrase("reader.notObjectStream", { stream: stmNum }));
        const data = this.streamData(s);
        const n = s.dict.get("N");
        const first = s.dict.get("First");
        if (typeof n !== "number" || typeof first !== "number" || n < 0 || n > 1_000_000)
          throw new PdfError("XREF", readerPhrase("reader.badObjectStream", { stream: stmNum }));
        const p = new Parser(data, 0, Math.min(first, data.length));
        const pairs: Array<[number, number]> = [];
        for (let i = 0; i < n; i++) {
          const a = p.tryUint();
          const b = p.tryUint();
          if (a === null || b === null) break;
          pairs.push([a, b]);
        }
        stm = { pairs, data, first };
      } catch (err) {
        if (!(err instanceof PdfError)) throw err;
        stm = err;
      }
      cache.objStreams.set(se.offset, stm);
    }
    if (stm instanceof PdfError) throw stm;
    const pair = stm.pairs[index];
    if (!pair || pair[0] !== num) throw new PdfError("XREF", readerPhrase("reader.missingInStream", { stream: stmNum, num, index }));
    let parsed = cache.compressed.get(se.offset);
    if (!parsed) cache.compressed.set(se.offset, (parsed = []));
    let v = parsed[index];
    if (v === undefined) {
      v = new Parser(stm.data, stm.first + pair[1]).parseObject();
      parsed[index] = v;
    }
    return v;
  }
}
