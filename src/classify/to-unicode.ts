// A font's /ToUnicode CMap (ISO 32000-1 §9.10.3): how the codes a page shows split (codespace ranges)
// and the Unicode text each stands for (bfchar and bfrange). Read with the content-stream tokenizer, as a
// CMap is PostScript of the same syntax. Ranges are kept as ranges (a map may cover <0000>–<FFFF> in one
// line) and looked up by binary search; bounded, so a hostile map costs at most MAX_ENTRIES entries.
import { PdfError } from "../pdf/errors.js";
import { contentOps, type Operand, StringLength } from "./content-ops.js";

/** Mappings a CMap may define (ranges expanded); more than a real font needs (a CJK font has ~30,000). */
const MAX_ENTRIES = 1 << 17;

/** A code of `length` bytes whose first byte lies in lo[0]..hi[0], the second in lo[1]..hi[1], … */
export interface CodespaceRange {
  lo: Uint8Array;
  hi: Uint8Array;
}

/** Codes lo..hi (code keys, one length) → dst counted up, or the n-th string of a list. */
interface BfRange {
  lo: number;
  hi: number;
  dst: Uint8Array | Uint8Array[];
}

export class CodeMap {
  readonly codespace: CodespaceRange[] = [];
  /** code key (codeKey) → the text it stands for (bfchar; later definitions win, as in a CMap) */
  readonly chars = new Map<number, string>();
  private ranges: BfRange[] = [];
  private sorted = true;

  addRange(r: BfRange): void {
    if (this.ranges.length && this.ranges[this.ranges.length - 1]!.lo > r.lo) this.sorted = false;
    this.ranges.push(r);
  }

  /** The text of a code key, or undefined when the map does not define it. */
  get(key: number): string | undefined {
    const c = this.chars.get(key);
    if (c !== undefined) return c;
    if (!this.sorted) {
      this.ranges.sort((a, b) => a.lo - b.lo);
      this.sorted = true;
    }
    // the last range starting at or below the key (ranges of a real map do not overlap)
    let lo = 0;
    let hi = this.ranges.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (this.ranges[mid]!.lo <= key) {
        found = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    const r = found >= 0 ? this.ranges[found]! : null;
    if (!r || key > r.hi || (key - r.lo) % 8 !== 0) return undefined;
    const n = (key - r.lo) / 8;
    if (Array.isArray(r.dst)) return r.dst[n] ? utf16be(r.dst[n]) : undefined;
    return rangeText(r.dst, n);
  }
}

/** One number for a code and its length: <0041> and <41> are different codes. */
export function codeKey(bytes: Uint8Array, start: number, length: number): number {
  let v = 0;
  for (let i = 0; i < length; i++) v = v * 256 + bytes[start + i]!;
  return v * 8 + length;
}

function utf16be(b: Uint8Array): string {
  let s = "";
  for (let i = 0; i + 1 < b.length; i += 2) s += String.fromCharCode((b[i]! << 8) | b[i + 1]!);
  // a single byte destination (seen in the wild) stands for that code point
  if (b.length === 1) s = String.fromCharCode(b[0]!);
  return s;
}

const bytesOf = (o: Operand | undefined): Uint8Array | null =>
  o instanceof StringLength && o.bytes && o.bytes.length >= 1 && o.bytes.length <= 4 ? o.bytes : null;

/** The destination of the n-th code of a range: the last UTF-16 unit counted up (ISO 32000-1 §9.10.3). */
function rangeText(dst: Uint8Array, n: number): string {
  const s = utf16be(dst);
  if (n === 0 || s.length === 0) return s;
  return s.slice(0, -1) + String.fromCharCode((s.charCodeAt(s.length - 1) + n) & 0xffff);
}

export function parseToUnicode(data: Uint8Array): CodeMap {
  const map = new CodeMap();
  let entries = 0;
  const count = (n: number): void => {
    entries += n;
    if (entries > MAX_ENTRIES) throw new PdfError("LIMIT", "a ToUnicode map defines too many codes");
  };
  for (const { op, args } of contentOps(data, 1_000_000, true)) {
    if (op === "endcodespacerange") {
      for (let i = 0; i + 1 < args.length; i += 2) {
        const lo = bytesOf(args[i]);
        const hi = bytesOf(args[i + 1]);
        if (lo && hi && lo.length === hi.length) map.codespace.push({ lo, hi });
      }
    } else if (op === "endbfchar") {
      for (let i = 0; i + 1 < args.length; i += 2) {
        const src = bytesOf(args[i]);
        const dst = args[i + 1];
        if (src && dst instanceof StringLength && dst.bytes) {
          count(1);
          map.chars.set(codeKey(src, 0, src.length), utf16be(dst.bytes));
        }
      }
    } else if (op === "endbfrange") {
      for (let i = 0; i + 2 < args.length; i += 3) {
        const lo = bytesOf(args[i]);
        const hi = bytesOf(args[i + 1]);
        const dst = args[i + 2];
        if (!lo || !hi || lo.length !== hi.length) continue;
        const a = codeKey(lo, 0, lo.length);
        const b = codeKey(hi, 0, hi.length);
        const size = (b - a) / 8 + 1;
        if (!(size >= 1)) continue;
        count(size);
        if (Array.isArray(dst))
          map.addRange({ lo: a, hi: b, dst: dst.slice(0, size).map((d) => (d instanceof StringLength && d.bytes ? d.bytes : new Uint8Array(0))) });
        else if (dst instanceof StringLength && dst.bytes) map.addRange({ lo: a, hi: b, dst: dst.bytes });
      }
    }
  }
  return map;
}

/**
 * The length of the code starting at `at`: the codespace range it falls in (ISO 32000-1 §9.7.6.2), else
 * `fallback` bytes (a map without codespace ranges, or a byte sequence outside all of them).
 */
export function codeLength(ranges: CodespaceRange[], bytes: Uint8Array, at: number, fallback: number): number {
  for (const r of ranges) {
    const n = r.lo.length;
    if (at + n > bytes.length) continue;
    let inside = true;
    for (let k = 0; k < n && inside; k++) inside = bytes[at + k]! >= r.lo[k]! && bytes[at + k]! <= r.hi[k]!;
    if (inside) return n;
  }
  return Math.min(fallback, bytes.length - at);
}
