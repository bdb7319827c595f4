// A bounded PDF object parser over raw bytes (ISO 32000-1 §7.2–7.3). It never decodes the whole file to
// a string, keeps the offsets of strings and dictionaries, and stops with a positioned PdfError on
// anything it does not understand, so hostile input costs bounded work.
import { readerPhrase } from "./reader-words.js";
import { LIMITS, PdfError } from "./errors.js";
import { PdfDict, PdfName, type PdfObject, PdfRef, PdfString } from "./objects.js";

const WS = new Uint8Array(256);
for (const c of [0, 9, 10, 12, 13, 32]) WS[c] = 1;
const DELIM = new Uint8Array(256);
for (const c of "()<>[]{}/%") DELIM[c.charCodeAt(0)] = 1;

export const isWhite = (c: number): boolean => WS[c] === 1;
export const isDelim = (c: number): boolean => DELIM[c] === 1;
const isRegular = (c: number): boolean => WS[c] !== 1 && DELIM[c] !== 1;
const isDigit = (c: number): boolean => c >= 0x30 && c <= 0x39;

function hexVal(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x41 && c <= 0x46) return c - 0x37;
  if (c >= 0x61 && c <= 0x66) return c - 0x57;
  return -1;
}

export class Parser {
  pos: number;
  constructor(
    readonly buf: Uint8Array,
    pos = 0,
    readonly limit = buf.length,
  ) {
    this.pos = pos;
  }

  /** Skips white space and comments. */
  skipWs(): void {
    const b = this.buf;
    while (this.pos < this.limit) {
      const c = b[this.pos]!;
      if (WS[c] === 1) this.pos++;
      else if (c === 0x25 /* % */) {
        while (this.pos < this.limit && b[this.pos] !== 10 && b[this.pos] !== 13) this.pos++;
      } else break;
    }
  }

  peek(): number {
    return this.pos < this.limit ? this.buf[this.pos]! : -1;
  }

  /** Reads a bare keyword or number token (regular characters only). */
  regularToken(): string {
    const start = this.pos;
    while (this.pos < this.limit && isRegular(this.buf[this.pos]!)) {
      if (this.pos - start > LIMITS.maxTokenLength) throw new PdfError("LIMIT", readerPhrase("reader.tokenTooLong"), start);
      this.pos++;
    }
    return latin1(this.buf, start, this.pos);
  }

  /** True and consumed when the next token is exactly `kw` (compared in place, no string built). */
  tryKeyword(kw: string): boolean {
    this.skipWs();
    const b = this.buf;
    const p = this.pos;
    const n = kw.length;
    if (p + n > this.limit) return false;
    for (let i = 0; i < n; i++) if (b[p + i] !== kw.charCodeAt(i)) return false;
    if (p + n < this.limit && isRegular(b[p + n]!)) return false;
    this.pos = p + n;
    return true;
  }

  expectKeyword(kw: string): void {
    const at = this.pos;
    if (!this.tryKeyword(kw)) throw new PdfError("SYNTAX", readerPhrase("reader.expected", { keyword: kw }), at);
  }

  /** Reads a non-negative integer token, or returns null without moving. */
  tryUint(): number | null {
    this.skipWs();
    const save = this.pos;
    let n = 0;
    let digits = 0;
    while (this.pos < this.limit && isDigit(this.buf[this.pos]!)) {
      n = n * 10 + (this.buf[this.pos]! - 0x30);
      this.pos++;
      if (++digits > 15) throw new PdfError("LIMIT", readerPhrase("reader.integerTooLong"), save);
    }
    if (digits === 0 || (this.pos < this.limit && isRegular(this.buf[this.pos]!))) {
      this.pos = save;
      return null;
    }
    return n;
  }

  parseObject(depth = 0): PdfObject {
    if (depth > LIMITS.maxNesting) throw new PdfError("LIMIT", readerPhrase("reader.nestedTooDeeply"), this.pos);
    this.skipWs();
    const start = this.pos;
    const c = this.peek();
    if (c < 0) throw new PdfError("SYNTAX", readerPhrase("reader.endOfData"), start);
    if (c === 0x2f /* / */) return this.parseName();
    if (c === 0x3c /* < */) {
      if (this.buf[this.pos + 1] === 0x3c) return this.parseDict(depth);
      return this.parseHexString();
    }
    if (c === 0x28 /* ( */) return this.parseLiteralString();
    if (c === 0x5b /* [ */) {
      this.pos++;
      const arr: PdfObject[] = [];
      for (;;) {
        this.skipWs();
        if (this.peek() === 0x5d /* ] */) {
          this.pos++;
          return arr;
        }
        if (this.peek() < 0) throw new PdfError("SYNTAX", readerPhrase("reader.unterminatedArray"), start);
        arr.push(this.parseObject(depth + 1));
      }
    }
    if (isDigit(c) || c === 0x2b || c === 0x2d || c === 0x2e) {
      const num = this.parseNumber(start);
      if (this.lastInteger) {
        // `N G R` is a reference; look ahead without committing.
        const save = this.pos;
        const gen = this.tryUint();
        if (gen !== null && this.tryKeyword("R")) return new PdfRef(num, gen);
        this.pos = save;
      }
      return num;
    }
    const tok = this.regularToken();
    if (tok === "true") return true;
    if (tok === "false") return false;
    if (tok === "null") return null;
    throw new PdfError(
      "SYNTAX",
      tok ? readerPhrase("reader.unexpectedToken", { token: tok.slice(0, 20) }) : readerPhrase("reader.unexpectedByte", { byte: c.toString(16) }),
      start,
    );
  }

  /** Set by parseNumber: the last number was a plain unsigned integer (a possible reference). */
  lastInteger = false;

  /** A number token read in place: [+-] digits [. digits], at most 32 characters. */
  parseNumber(start: number = this.pos): number {
    const b = this.buf;
    let p = this.pos;
    let sign = 1;
    if (b[p] === 0x2b || b[p] === 0x2d) {
      if (b[p] === 0x2d) sign = -1;
      p++;
    }
    let int = 0;
    let digits = 0;
    while (p < this.limit && isDigit(b[p]!)) {
      int = int * 10 + (b[p]! - 0x30);
      p++;
      digits++;
    }
    let frac = 0;
    let scale = 1;
    let dot = false;
    if (p < this.limit && b[p] === 0x2e) {
      dot = true;
      p++;
      while (p < this.limit && isDigit(b[p]!)) {
        if (scale < 1e15) {
          frac = frac * 10 + (b[p]! - 0x30);
          scale *= 10;
        }
        p++;
        digits++;
      }
    }
    if (digits === 0 || p - this.pos > 32 || (p < this.limit && isRegular(b[p]!))) {
      const end = p;
      while (this.pos < this.limit && isRegular(this.buf[this.pos]!) && this.pos - start < 40) this.pos++;
      throw new PdfError("SYNTAX", readerPhrase("reader.badNumber", { token: latin1(this.buf, start, Math.max(end, this.pos)).slice(0, 20) }), start);
    }
    this.pos = p;
    this.lastInteger = !dot && sign === 1 && b[start] !== 0x2b;
    return sign * (int + frac / scale);
  }

  parseName(): PdfName {
    const start = ++this.pos;
    let hasEscape = false;
    let h = 0x811c9dc5;
    while (this.pos < this.limit && isRegular(this.buf[this.pos]!)) {
      const c = this.buf[this.pos]!;
      if (c === 0x23) hasEscape = true;
      h = Math.imul(h ^ c, 0x01000193);
      if (this.pos - start > LIMITS.maxTokenLength) throw new PdfError("LIMIT", readerPhrase("reader.nameTooLong"), start);
      this.pos++;
    }
    if (!hasEscape) return internName(this.buf, start, this.pos, h >>> 0);
    const out: number[] = [];
    for (let i = start; i < this.pos; i++) {
      const ch = this.buf[i]!;
      if (ch === 0x23 && i + 2 < this.pos + 1) {
        const h = hexVal(this.buf[i + 1] ?? -1);
        const l = hexVal(this.buf[i + 2] ?? -1);
        if (h >= 0 && l >= 0) {
          out.push(h * 16 + l);
          i += 2;
          continue;
        }
      }
      out.push(ch);
    }
    return new PdfName(Buffer.from(out).toString("latin1"));
  }

  parseDict(depth: number): PdfDict {
    const start = this.pos;
    this.pos += 2;
    const map = new Map<string, PdfObject>();
    let dups: string[] | undefined;
    for (;;) {
      this.skipWs();
      const c = this.peek();
      if (c === 0x3e && this.buf[this.pos + 1] === 0x3e) {
        this.pos += 2;
        return new PdfDict(map, start, this.pos, dups ?? NO_DUPLICATES);
      }
      if (c < 0) throw new PdfError("SYNTAX", readerPhrase("reader.unterminatedDictionary"), start);
      if (c !== 0x2f) throw new PdfError("SYNTAX", readerPhrase("reader.keyNotName"), this.pos);
      const key = this.parseName().name;
      const value = this.parseObject(depth + 1);
      if (map.has(key)) (dups ??= []).push(key);
      // A null value is the same as an absent key (§7.3.7).
      if (value === null) map.delete(key);
      else map.set(key, value);
    }
  }

  parseHexString(): PdfString {
    const start = this.pos++;
    // Size the output from the closing bracket: signature /Contents strings are large, most are tiny.
    const close = Buffer.from(this.buf.buffer, this.buf.byteOffset, this.limit).indexOf(0x3e, this.pos);
    if (close < 0) throw new PdfError("SYNTAX", readerPhrase("reader.unterminatedHex"), start);
    if (close - this.pos > 2 * LIMITS.maxStringLength) throw new PdfError("LIMIT", readerPhrase("reader.hexTooLong"), start);
    // Fast path: only hex digits between the brackets (every signature /Contents): decode natively.
    // Node's hex decoder stops at the first non-hex character, so a full-length result proves purity.
    const digits = latin1(this.buf, this.pos, close);
    const bytes = Buffer.from(digits.length % 2 ? digits + "0" : digits, "hex");
    if (bytes.length * 2 >= digits.length) {
      this.pos = close + 1;
      return new PdfString(bytes, true, start, this.pos, true);
    }
    const out = Buffer.allocUnsafe(((close - this.pos) >> 1) + 1);
    let n = 0;
    let hi = -1;
    for (;;) {
      if (this.pos >= this.limit) throw new PdfError("SYNTAX", readerPhrase("reader.unterminatedHex"), start);
      const ch = this.buf[this.pos++]!;
      if (ch === 0x3e) break;
      if (WS[ch] === 1) continue;
      const v = hexVal(ch);
      if (v < 0) throw new PdfError("SYNTAX", readerPhrase("reader.badHexCharacter"), this.pos - 1);
      if (hi < 0) hi = v;
      else {
        if (n >= out.length) throw new PdfError("LIMIT", readerPhrase("reader.hexTooLong"), start);
        out[n++] = hi * 16 + v;
        hi = -1;
      }
    }
    if (hi >= 0) out[n++] = hi * 16;
    return new PdfString(out.subarray(0, n), true, start, this.pos);
  }

  parseLiteralString(): PdfString {
    // Fast path: no escapes, balanced parentheses: one copy of the bytes, no per-byte array.
    const b0 = this.buf;
    let depth0 = 1;
    for (let i = this.pos + 1; i < this.limit && i - this.pos <= LIMITS.maxStringLength; i++) {
      const ch = b0[i]!;
      if (ch === 0x5c) break;
      if (ch === 0x28) depth0++;
      else if (ch === 0x29 && --depth0 === 0) {
        const start = this.pos;
        this.pos = i + 1;
        return new PdfString(b0.slice(start + 1, i), false, start, this.pos);
      }
    }
    const start = this.pos++;
    const out: number[] = [];
    let depth = 1;
    const b = this.buf;
    for (;;) {
      if (this.pos >= this.limit) throw new PdfError("SYNTAX", readerPhrase("reader.unterminatedString"), start);
      if (out.length > LIMITS.maxStringLength) throw new PdfError("LIMIT", readerPhrase("reader.stringTooLong"), start);
      const ch = b[this.pos++]!;
      if (ch === 0x5c /* \ */) {
        const e = b[this.pos++];
        if (e === undefined) continue;
        const simple: Record<number, number> = { 0x6e: 10, 0x72: 13, 0x74: 9, 0x62: 8, 0x66: 12, 0x28: 0x28, 0x29: 0x29, 0x5c: 0x5c };
        if (simple[e] !== undefined) out.push(simple[e]!);
        else if (e >= 0x30 && e <= 0x37) {
          let v = e - 0x30;
          for (let k = 0; k < 2 && b[this.pos]! >= 0x30 && b[this.pos]! <= 0x37; k++) v = v * 8 + (b[this.pos++]! - 0x30);
          out.push(v & 0xff);
        } else if (e === 13) {
          if (b[this.pos] === 10) this.pos++;
        } else if (e !== 10) out.push(e);
        continue;
      }
      if (ch === 0x28) depth++;
      else if (ch === 0x29 && --depth === 0) break;
      out.push(ch);
    }
    return new PdfString(Uint8Array.from(out), false, start, this.pos);
  }
}

/** Shared by every dictionary without repeated keys (nearly all): nothing allocated for them. */
const NO_DUPLICATES: readonly string[] = Object.freeze([]);

export function latin1(buf: Uint8Array, start: number, end: number): string {
  return Buffer.from(buf.buffer, buf.byteOffset + start, Math.max(0, end - start)).toString("latin1");
}

/**
 * Names repeat endlessly (/Type, /Font, /Subtype …): they are interned by a hash of their bytes so
 * parsing a name allocates nothing once it has been seen. The table is bounded.
 */
const NAMES = new Map<number, PdfName[]>();
let namesCount = 0;

function internName(buf: Uint8Array, start: number, end: number, hash: number): PdfName {
  const bucket = NAMES.get(hash);
  const len = end - start;
  if (bucket) {
    outer: for (const n of bucket) {
      const s = n.name;
      if (s.length !== len) continue;
      for (let i = 0; i < len; i++) if (s.charCodeAt(i) !== buf[start + i]) continue outer;
      return n;
    }
  }
  const name = new PdfName(latin1(buf, start, end));
  if (len <= 64 && namesCount < 50_000) {
    namesCount++;
    if (bucket) bucket.push(name);
    else NAMES.set(hash, [name]);
  }
  return name;
}
