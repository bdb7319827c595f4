// Structural equality of PDF objects as resolved in two revisions: references compare by number, streams by
// dictionary and raw bytes. Used to tell a real change from an object merely re-written unchanged.
import { PdfDict, PdfName, type PdfObject, PdfRef, PdfStream, PdfString } from "./objects.js";

export function pdfEqual(a: PdfObject | undefined, b: PdfObject | undefined, bufA: Uint8Array, bufB: Uint8Array, depth = 0): boolean {
  if (depth > 64) return false;
  if (a === b) return true;
  if (a === undefined || b === undefined || a === null || b === null) return false;
  if (typeof a !== "object" || typeof b !== "object") return false;
  if (a instanceof PdfName) return b instanceof PdfName && a.name === b.name;
  if (a instanceof PdfRef) return b instanceof PdfRef && a.num === b.num && a.gen === b.gen;
  if (a instanceof PdfString) return b instanceof PdfString && Buffer.from(a.bytes).equals(b.bytes);
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((x, i) => pdfEqual(x, b[i], bufA, bufB, depth + 1));
  if (a instanceof PdfStream) {
    if (!(b instanceof PdfStream) || !pdfEqual(a.dict, b.dict, bufA, bufB, depth + 1)) return false;
    return sameStreamData(a, b, bufA, bufB);
  }
  if (a instanceof PdfDict) {
    if (!(b instanceof PdfDict) || a.map.size !== b.map.size) return false;
    for (const [k, v] of a.map) if (!pdfEqual(v, b.map.get(k), bufA, bufB, depth + 1)) return false;
    return true;
  }
  return false;
}

/** The raw (still encoded) data of two streams is byte for byte the same. */
export function sameStreamData(a: PdfStream, b: PdfStream, bufA: Uint8Array, bufB: Uint8Array): boolean {
  // views, not copies: stream data can be most of a large file
  return a.dataEnd - a.dataStart === b.dataEnd - b.dataStart && view(bufA, a.dataStart, a.dataEnd).equals(view(bufB, b.dataStart, b.dataEnd));
}

/** Keys whose values differ between two dictionaries (added and removed keys included). */
export function changedKeys(a: PdfDict | undefined, b: PdfDict | undefined, buf: Uint8Array): string[] {
  const keys = new Set([...(a?.map.keys() ?? []), ...(b?.map.keys() ?? [])]);
  return [...keys].filter((k) => !pdfEqual(a?.get(k), b?.get(k), buf, buf));
}

function view(buf: Uint8Array, start: number, end: number): Buffer {
  return Buffer.from(buf.buffer, buf.byteOffset + start, end - start);
}
