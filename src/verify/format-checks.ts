// EN 319 102-1 §5.2.2 "Format checking" for PDF signatures: K2 (the signature dictionary as it stands in
// its own signed bytes) and K3 (the ByteRange against the file). Pure functions over reader facts.
import type { PdfDocument } from "../pdf/document.js";
import { type PdfDict, PdfString } from "../pdf/objects.js";
import type { Ranges } from "./digester.js";
import type { Findings } from "./findings.js";

export const KNOWN_SUBFILTERS = new Set(["adbe.pkcs7.detached", "adbe.pkcs7.sha1", "adbe.x509.rsa_sha1", "ETSI.CAdES.detached", "ETSI.RFC3161"]);
const FAIL = { effect: "fail", sub: "FORMAT_FAILURE" } as const;

export interface FormatResult {
  ranges: Ranges | null;
  byteRange: number[];
  contents: Uint8Array | null;
  coverage: "entire-file" | "entire-revision" | "partial" | "invalid";
  /** index of the covered revision (1-based), 0 when none */
  revision: number;
  /** the ranges the /ByteRange names when they lie in the file, even if they fail K3: to say precisely
   * why a signature fails (its bytes changed), never to pass one */
  declared: Ranges | null;
}

function isAllZero(b: Uint8Array): boolean {
  for (let i = 0; i < b.length; i++) if (b[i] !== 0) return false;
  return true;
}

/** K2: type, filters, no duplicate keys, /Contents a direct, even, non-zero hex string. */
export function checkDictionary(d: PdfDict, kind: "signature" | "document-timestamp", f: Findings): Uint8Array | null {
  if (d.start < 0) {
    f.add("format.unreadable", FAIL);
    return null;
  }
  const type = d.name("Type");
  if (type !== undefined && type !== "Sig" && type !== "DocTimeStamp") f.add("format.type", FAIL, { type });
  // an unknown /SubFilter (Brazil's PBAD.PAdES, a national profile) is no failure by its name: the
  // signature is verified as CAdES when /Contents is a CMS SignedData (signature.ts), with a warning
  const subFilter = d.name("SubFilter") ?? "(none)";
  if (!KNOWN_SUBFILTERS.has(subFilter)) f.add("format.subfilter", { effect: "warn" }, { subFilter });
  if (kind === "document-timestamp" && subFilter !== "ETSI.RFC3161") f.add("format.notTimestamp", FAIL);
  if (d.duplicateKeys.length) f.add("format.duplicateKeys", FAIL, { keys: d.duplicateKeys.map((k) => "/" + k).join(" ") });
  const c = d.get("Contents");
  if (!(c instanceof PdfString) || !c.hex) {
    f.add("format.contents", FAIL);
    return null;
  }
  // K3: nothing but hex digits between the brackets (no white space or comments), an even count.
  if (!c.pureHex || (c.end - c.start - 2) % 2 !== 0) f.add("format.contentsOdd", FAIL);
  if (isAllZero(c.bytes)) f.add("format.contentsZero", FAIL);
  return c.bytes;
}

/** K3: [a b c d] with a = 0, the gap exactly the /Contents token, and c+d the end of a revision. */
export function checkByteRange(doc: PdfDocument, d: PdfDict, otherGaps: Array<[number, number]>, f: Findings): FormatResult {
  const br = d.get("ByteRange");
  const nums = Array.isArray(br) ? br : [];
  const byteRange = nums.filter((x): x is number => typeof x === "number");
  const result: FormatResult = { ranges: null, byteRange, contents: null, coverage: "invalid", revision: 0, declared: null };
  if (d.start < 0) return result;
  if (!Array.isArray(br) || br.length !== 4 || byteRange.length !== 4 || byteRange.some((x) => !Number.isInteger(x) || x < 0)) {
    f.add("format.byteRange", FAIL);
    return result;
  }
  const [a, b, c, dd] = byteRange as [number, number, number, number];
  const size = doc.buf.length;
  if (a === 0 && b <= c && c + dd <= size) result.declared = { a, b, c, d: dd };
  let ok = true;
  if (a !== 0) {
    f.add("format.byteRangeStart", FAIL);
    ok = false;
  }
  const contents = d.get("Contents");
  const cs = contents instanceof PdfString ? contents.start : -1;
  const ce = contents instanceof PdfString ? contents.end : -1;
  if (a + b !== cs || c !== ce) {
    f.add("format.gap", FAIL, { from: a + b, to: c, cfrom: cs, cto: ce });
    ok = false;
  }
  if (c + dd > size) {
    f.add("format.beyondEof", FAIL, { end: c + dd, size });
    ok = false;
  }
  if (d.start < 0 || d.end > c + dd) {
    f.add("format.dictOutside", FAIL);
    ok = false;
  }
  for (const [gs, ge] of otherGaps) {
    const same = gs === a + b && ge === c;
    if (!same && gs < c && a + b < ge) {
      f.add("format.overlap", FAIL);
      ok = false;
      break;
    }
  }
  if (!ok) return result;
  result.ranges = { a, b, c, d: dd };
  const rev = doc.repaired ? undefined : doc.revisionEndingAt(c + dd);
  if (!rev) {
    if (!doc.repaired) f.add("format.notRevisionEnd", FAIL, { end: c + dd });
    result.coverage = "partial";
    result.revision = doc.repaired ? repairedRevision(doc, c + dd) : 0;
    return result;
  }
  result.revision = rev.index;
  result.coverage = c + dd === size || (rev.index === doc.revisionCount && rev.end === size) ? "entire-file" : "entire-revision";
  return result;
}

/** In a repaired file, revisions are only known from the %%EOF markers. */
function repairedRevision(doc: PdfDocument, end: number): number {
  const i = doc.eofMarkers.findIndex((m) => m === end || m + 1 === end || m + 2 === end);
  return i + 1;
}
