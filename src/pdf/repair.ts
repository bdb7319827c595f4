// Last resort for a file whose xref chain cannot be followed: find `N G obj` headers by scanning, the
// last body of each number winning, and the last trailer (or catalog). The document is then marked
// repaired, and nothing that depends on revisions is trusted (STYLE.md §8).
import { readerPhrase } from "./reader-words.js";
import { LIMITS, PdfError } from "./errors.js";
import { PdfDict, PdfName, type PdfObject, PdfRef } from "./objects.js";
import { Parser } from "./parser.js";
import type { XrefEntry } from "./xref.js";
import { readIndirect } from "./indirect.js";

const OBJ = Buffer.from("obj");
const TRAILER = Buffer.from("trailer");

export function repairScan(buf: Uint8Array): { entries: Map<number, XrefEntry>; trailer: PdfDict } {
  const b = Buffer.from(buf.buffer, buf.byteOffset, buf.length);
  const entries = new Map<number, XrefEntry>();
  let i = b.indexOf(OBJ);
  let found = 0;
  while (i >= 0) {
    const hdr = headerBefore(buf, i);
    if (hdr) {
      entries.set(hdr.num, { type: "offset", offset: hdr.start, gen: hdr.gen });
      if (++found > LIMITS.maxObjects) throw new PdfError("LIMIT", readerPhrase("reader.tooManyObjects"));
    }
    i = b.indexOf(OBJ, i + 3);
  }
  let trailer: PdfDict | undefined;
  const t = b.lastIndexOf(TRAILER);
  if (t >= 0) {
    try {
      const p = new Parser(buf, t + TRAILER.length);
      const d = p.parseObject();
      if (d instanceof PdfDict && d.has("Root")) trailer = d;
    } catch {
      // fall through to the catalog search
    }
  }
  if (!trailer) {
    for (const [num, e] of entries) {
      if (e.type !== "offset") continue;
      try {
        const o = readIndirect(buf, e.offset).value;
        if (o instanceof PdfDict && o.name("Type") === "Catalog") {
          trailer = new PdfDict(new Map<string, PdfObject>([["Root", new PdfRef(num, e.gen)]]), -1, -1);
        }
      } catch {
        // unreadable body: skip
      }
    }
  }
  if (!trailer) throw new PdfError("XREF", readerPhrase("reader.noTrailer"));
  return { entries, trailer };
}

/** `N G obj` ending at `objAt` (the `o` of obj), preceded by white space or start of file. */
function headerBefore(buf: Uint8Array, objAt: number): { num: number; gen: number; start: number } | null {
  const after = buf[objAt + 3];
  if (after !== undefined && !(after <= 32 || after === 0x3c || after === 0x5b || after === 0x2f || after === 0x28)) return null;
  let k = objAt - 1;
  const skipWs = () => {
    while (k >= 0 && (buf[k] === 32 || buf[k] === 10 || buf[k] === 13 || buf[k] === 9)) k--;
  };
  const digitsBack = (): number | null => {
    const endD = k;
    while (k >= 0 && buf[k]! >= 0x30 && buf[k]! <= 0x39 && endD - k < 10) k--;
    if (k === endD) return null;
    return Number(Buffer.from(buf.subarray(k + 1, endD + 1)).toString("latin1"));
  };
  skipWs();
  const gen = digitsBack();
  if (gen === null) return null;
  skipWs();
  const num = digitsBack();
  if (num === null) return null;
  if (k >= 0 && !(buf[k]! <= 32 || buf[k] === 0x3e || buf[k] === 0x25)) return null;
  return { num, gen, start: k + 1 };
}

export { PdfName };
