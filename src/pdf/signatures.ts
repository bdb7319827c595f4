// K1: every signature, found two ways. Fields are walked from the AcroForm (with /Kids) and from page
// annotations; separately every body holding a /ByteRange is found by a byte search, so a signature
// dictionary that no field points to is still reported.
import type { PdfDocument } from "./document.js";
import { readIndirect } from "./indirect.js";
import { PdfDict, PdfName, type PdfObject, PdfRef, PdfStream, PdfString } from "./objects.js";
import { listPages } from "./pages.js";
import type { Resolver } from "./resolver.js";

export interface SignatureField {
  /** fully qualified field name */
  name: string;
  num: number | null;
  dict: PdfDict;
  /** the /V value as written (reference or direct dictionary), undefined when the field is empty */
  value: PdfObject | undefined;
  lock: PdfDict | undefined;
}

export interface FoundSignature {
  /** object number of the signature dictionary, null when direct inside its field */
  num: number | null;
  dict: PdfDict;
  /** names of the fields whose /V is this dictionary (more than one is reported) */
  fields: string[];
}

export interface SignatureInventory {
  fields: SignatureField[];
  signatures: FoundSignature[];
  /** K1 findings that are not signatures: empty fields, values that are not signature dictionaries */
  /** K1 notes, as message keys (src/verify/messages.ts renders them) with their parameters */
  notes: InventoryNote[];
}

const BYTERANGE = Buffer.from("/ByteRange");
/**
 * What the scan looks for: Buffer#indexOf finds needles of up to 7 bytes by their first byte (memchr) and
 * longer ones by Boyer-Moore-Horspool, which is several times slower on PDF bytes; and '/' is everywhere
 * in a PDF while 'y' is rare. So "yteRang" is searched, then the bytes around it checked.
 */
const YTERANG = Buffer.from("yteRang");

/** Offset of the next "/ByteRange" at or after `from`, or -1. */
function nextByteRange(b: Buffer, from: number): number {
  for (let i = b.indexOf(YTERANG, from + 2); i >= 0; i = b.indexOf(YTERANG, i + 1))
    if (b[i - 1] === 0x42 && b[i - 2] === 0x2f && b[i + 7] === 0x65) return i - 2;
  return -1;
}

export interface InventoryNote {
  key:
    "inventory.emptyField" | "inventory.unreadableValue" | "inventory.notSignature" | "inventory.unreadableBody" | "inventory.placeholder" | "inventory.orphan";
  params: Record<string, string | number>;
}

export function findSignatures(doc: PdfDocument): SignatureInventory {
  const r = doc.final();
  const fields = signatureFields(r);
  const notes: InventoryNote[] = [];
  const byKey = new Map<string, FoundSignature>();
  for (const f of fields) {
    if (f.value === undefined) {
      notes.push({ key: "inventory.emptyField", params: { field: f.name } });
      continue;
    }
    let d = r.dict(f.value);
    if (!d && f.value instanceof PdfRef && r.entry(f.value.num)?.type !== "free" && r.entry(f.value.num) !== undefined) {
      // The field points at an object that exists but cannot be read (a truncated or damaged file): it is
      // a signature that fails, not an absent one.
      notes.push({ key: "inventory.unreadableValue", params: { field: f.name, num: f.value.num } });
      d = new PdfDict(new Map(), -1, -1);
    }
    if (!d) {
      notes.push({ key: "inventory.notSignature", params: { field: f.name } });
      continue;
    }
    const num = f.value instanceof PdfRef ? f.value.num : null;
    const key = num !== null ? `n${num}` : `d${d.start}`;
    const existing = byKey.get(key);
    if (existing) existing.fields.push(f.name);
    else byKey.set(key, { num, dict: d, fields: [f.name] });
  }
  // Bodies with a /ByteRange that no field reaches.
  const known = new Set([...byKey.values()].map((s) => s.dict.start));
  const spans = [...byKey.values()].filter((s) => s.dict.start >= 0).map((s): [number, number] => [s.dict.start, s.dict.end]);
  for (const body of byteRangeBodies(doc, spans)) {
    if (body.dict === null) {
      // A /ByteRange in a body that cannot be parsed (a truncated or damaged signature): a failed signature.
      notes.push({ key: "inventory.unreadableBody", params: { offset: body.offset } });
      byKey.set(`x${body.offset}`, { num: body.num, dict: new PdfDict(new Map(), -1, -1), fields: [] });
      continue;
    }
    if (known.has(body.dict.start)) continue;
    known.add(body.dict.start);
    const contents = body.dict.get("Contents");
    const placeholder = !(contents instanceof PdfString) || contents.bytes.every((x) => x === 0);
    if (placeholder) {
      notes.push({ key: "inventory.placeholder", params: { num: body.num ?? "?" } });
      continue;
    }
    notes.push({ key: "inventory.orphan", params: { num: body.num ?? "?" } });
    byKey.set(`o${body.dict.start}`, { num: body.num, dict: body.dict, fields: [] });
  }
  const signatures = [...byKey.values()].sort((a, b) => byteRangeEnd(a.dict) - byteRangeEnd(b.dict) || a.dict.start - b.dict.start);
  return { fields, signatures, notes };
}

function byteRangeEnd(d: PdfDict): number {
  const br = d.get("ByteRange");
  if (Array.isArray(br) && br.length === 4 && typeof br[2] === "number" && typeof br[3] === "number") return br[2] + br[3];
  return Number.MAX_SAFE_INTEGER;
}

/** Signature fields of one revision: AcroForm fields and kids, then widgets in page /Annots. */
export function signatureFields(r: Resolver): SignatureField[] {
  const out: SignatureField[] = [];
  const seen = new Set<number>();
  const visit = (o: PdfObject | undefined, parentName: string, inheritedFt: string | undefined, depth: number): void => {
    if (depth > 32) return;
    if (o instanceof PdfRef) {
      if (seen.has(o.num)) return;
      seen.add(o.num);
    }
    const d = r.dict(o);
    if (!d) return;
    const t = r.resolve(d.get("T"));
    const partial = t instanceof PdfString ? t.text() : null;
    const name = partial === null ? parentName : parentName ? `${parentName}.${partial}` : partial;
    const ftObj = d.get("FT");
    const ft = ftObj instanceof PdfName ? ftObj.name : inheritedFt;
    const kids = r.resolve(d.get("Kids"));
    const fieldKids = Array.isArray(kids) ? kids.filter((k) => r.dict(k)?.has("T")) : [];
    if (fieldKids.length > 0) {
      for (const k of fieldKids) visit(k, name, ft, depth + 1);
      return;
    }
    if (ft !== "Sig") return;
    const lock = r.dict(d.get("Lock"));
    out.push({ name: name || "(unnamed)", num: o instanceof PdfRef ? o.num : null, dict: d, value: d.get("V"), lock });
  };
  const acro = r.dict(r.catalog()?.get("AcroForm"));
  const top = r.resolve(acro?.get("Fields"));
  if (Array.isArray(top)) for (const f of top) visit(f, "", undefined, 0);
  // Widgets reachable only from pages: a field the AcroForm forgot is still a field.
  for (const page of listPages(r, 5000)) {
    const annots = r.resolve(page.dict.get("Annots"));
    if (!Array.isArray(annots)) continue;
    for (const a of annots.slice(0, 10_000)) {
      const ad = r.dict(a);
      if (!ad || ad.name("Subtype") !== "Widget") continue;
      // a widget's field is itself (merged) or its /Parent chain
      let field: PdfObject | undefined = a;
      let fd = ad;
      for (let i = 0; i < 32 && !fd.has("T") && fd.has("Parent"); i++) {
        field = fd.get("Parent");
        const pd = r.dict(field);
        if (!pd) break;
        fd = pd;
      }
      if (field instanceof PdfRef && seen.has(field.num)) continue;
      visit(field, fullName(r, fd), inheritedFt(r, fd), 0);
    }
  }
  return out;
}

/** The name of the field a dictionary's parents make up (the prefix of its own name). */
function fullName(r: Resolver, d: PdfDict): string {
  return qualifiedName(r, r.dict(d.get("Parent"))) ?? "";
}

/** The fully qualified name of a field: its /T and its parents', joined by '.' (null: none has a name). */
export function qualifiedName(r: Pick<Resolver, "dict" | "resolve">, d: PdfDict | undefined): string | null {
  const parts: string[] = [];
  let cur = d;
  for (let i = 0; cur && i < 32; i++) {
    const t = r.resolve(cur.get("T"));
    if (t instanceof PdfString) parts.unshift(t.text());
    cur = r.dict(cur.get("Parent"));
  }
  return parts.length ? parts.join(".") : null;
}

function inheritedFt(r: Resolver, d: PdfDict): string | undefined {
  let cur: PdfDict | undefined = r.dict(d.get("Parent"));
  for (let i = 0; cur && i < 32; i++) {
    const ft = cur.get("FT");
    if (ft instanceof PdfName) return ft.name;
    cur = r.dict(cur.get("Parent"));
  }
  return undefined;
}

/**
 * Every indirect object body in the file whose dictionary holds a /ByteRange, except those inside
 * `known` spans (signature dictionaries already found through their fields).
 */
export function byteRangeBodies(doc: PdfDocument, known: Array<[number, number]> = []): Array<{ num: number; dict: PdfDict | null; offset: number }> {
  const buf = doc.buf;
  const b = Buffer.from(buf.buffer, buf.byteOffset, buf.length);
  const out: Array<{ num: number; dict: PdfDict | null; offset: number }> = [];
  const seenStarts = new Set<number>();
  let starts: number[] | null = null;
  let i = nextByteRange(b, 0);
  while (i >= 0 && out.length < 1000) {
    const at = i;
    i = nextByteRange(b, i + BYTERANGE.length);
    if (known.some(([s, e]) => at > s && at < e)) continue;
    starts ??= objectOffsets(doc);
    // the object the xref says precedes the hit, when it really contains it; else search backwards
    let start = containingStart(starts, at);
    const cachedAt = start !== null ? doc.cache.byOffset.get(start) : undefined;
    if (start === null || !cachedAt || cachedAt instanceof Error || cachedAt.end <= at) start = objectStartBefore(b, at);
    if (start !== null && !seenStarts.has(start)) {
      seenStarts.add(start);
      try {
        const cached = doc.cache.byOffset.get(start);
        const o = cached && !(cached instanceof Error) ? cached : readIndirect(buf, start);
        const d = o.value instanceof PdfStream ? null : o.value;
        if (d instanceof PdfDict && d.has("ByteRange")) out.push({ num: o.num, dict: d, offset: start });
        else if (d instanceof PdfDict) {
          // the /ByteRange sits in a nested dictionary (a field with a direct /V)
          const v = d.get("V");
          if (v instanceof PdfDict && v.has("ByteRange")) out.push({ num: o.num, dict: v, offset: start });
        }
      } catch {
        out.push({ num: -1, dict: null, offset: start });
      }
    }
  }
  return out;
}

/** Sorted offsets of every object body some xref section points at. */
function objectOffsets(doc: PdfDocument): number[] {
  const set = new Set<number>();
  for (const r of doc.revisions) for (const e of r.entries.values()) if (e.type === "offset") set.add(e.offset);
  return [...set].sort((a, b) => a - b);
}

/** The greatest object offset before `at` (the object that should contain it), by binary search. */
function containingStart(starts: number[], at: number): number | null {
  let lo = 0;
  let hi = starts.length - 1;
  let best = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (starts[mid]! < at) {
      best = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return best >= 0 ? starts[best]! : null;
}

/** Offset of the nearest `N G obj` header before `at` (searching at most 64 kB back). */
function objectStartBefore(b: Buffer, at: number): number | null {
  let k = at;
  const floor = Math.max(0, at - 65536);
  while (k > floor) {
    const o = b.lastIndexOf("obj", k - 1);
    if (o < floor) return null;
    let j = o - 1;
    while (j >= 0 && (b[j] === 32 || b[j] === 10 || b[j] === 13)) j--;
    const genEnd = j;
    while (j >= 0 && b[j]! >= 0x30 && b[j]! <= 0x39) j--;
    if (j < genEnd && (b[j] === 32 || b[j] === 10 || b[j] === 13)) {
      while (j >= 0 && (b[j] === 32 || b[j] === 10 || b[j] === 13)) j--;
      const numEnd = j;
      while (j >= 0 && b[j]! >= 0x30 && b[j]! <= 0x39) j--;
      if (j < numEnd && (j < 0 || b[j]! <= 32 || b[j] === 0x3e || b[j] === 0x25)) return j + 1;
    }
    k = o;
  }
  return null;
}
