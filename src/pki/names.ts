// X.500 names as people read them: RFC 4514 order (most specific first), strings decoded from their
// ASN.1 types so Vietnamese UTF-8 and BMP names show correctly.
import { children, oidAt, type Tlv, value } from "../asn1/der.js";

const SHORT: Record<string, string> = {
  "2.5.4.3": "CN",
  "2.5.4.4": "SN",
  "2.5.4.5": "serialNumber",
  "2.5.4.6": "C",
  "2.5.4.7": "L",
  "2.5.4.8": "ST",
  "2.5.4.9": "street",
  "2.5.4.10": "O",
  "2.5.4.11": "OU",
  "2.5.4.12": "title",
  "2.5.4.42": "GN",
  "2.5.4.97": "organizationIdentifier",
  "0.9.2342.19200300.100.1.1": "UID",
  "0.9.2342.19200300.100.1.25": "DC",
  "1.2.840.113549.1.9.1": "E",
};

export interface NameAttr {
  type: string;
  oid: string;
  value: string;
}

export function decodeString(buf: Uint8Array, t: Tlv): string {
  const v = Buffer.from(value(buf, t));
  switch (t.tag) {
    case 0x0c: // UTF8String
      return v.toString("utf8");
    case 0x1e: // BMPString: UTF-16BE
      return Buffer.from(v.subarray(0, v.length & ~1))
        .swap16()
        .toString("utf16le");
    case 0x1c: {
      // UniversalString: UTF-32BE
      let s = "";
      for (let i = 0; i + 3 < v.length; i += 4) s += String.fromCodePoint(v.readUInt32BE(i) & 0x10ffff);
      return s;
    }
    default: // Printable, IA5, Teletex (treated as Latin-1), Visible
      return v.toString("latin1");
  }
}

/**
 * Throws a DerError unless `t` is a Name parseName can read. Certificates check their names when parsed
 * (without decoding the values), so the lazily read subject and issuer can never throw later, far from
 * where a damaged certificate is handled.
 */
export function checkName(buf: Uint8Array, t: Tlv): void {
  for (const rdn of children(buf, t, 200)) {
    for (const atv of children(buf, rdn, 50)) {
      const [o, v] = children(buf, atv);
      if (o && v) oidAt(buf, o);
    }
  }
}

export function parseName(buf: Uint8Array, t: Tlv): NameAttr[] {
  const out: NameAttr[] = [];
  for (const rdn of children(buf, t, 200)) {
    for (const atv of children(buf, rdn, 50)) {
      const [o, v] = children(buf, atv);
      if (!o || !v) continue;
      const oid = oidAt(buf, o);
      out.push({ oid, type: SHORT[oid] ?? oid, value: decodeString(buf, v) });
    }
  }
  return out;
}

function escape(v: string): string {
  return v
    .replace(/([,+"\\<>;])/g, "\\$1")
    .replace(/^([ #])/, "\\$1")
    .replace(/ $/, "\\ ");
}

/** Names are parsed once per certificate and shared across documents (shared-cache.ts): so is their text. */
const texts = new WeakMap<NameAttr[], string>();

/** RFC 4514 string: last RDN first. */
export function nameToString(attrs: NameAttr[]): string {
  let s = texts.get(attrs);
  if (s === undefined)
    texts.set(
      attrs,
      (s = [...attrs]
        .reverse()
        .map((a) => `${a.type}=${escape(a.value)}`)
        .join(", ")),
    );
  return s;
}

export function firstOf(attrs: NameAttr[], type: string): string | null {
  return attrs.find((a) => a.type === type)?.value ?? null;
}

/**
 * A comparison key for names (RFC 5280 §7.1, simplified): attribute types and values in order, values
 * case-folded with white space collapsed, so PrintableString and UTF8String encodings of one name match.
 */
export function nameKey(attrs: NameAttr[]): string {
  return attrs.map((a) => `${a.oid}=${a.value.normalize("NFC").trim().replace(/\s+/g, " ").toLowerCase()}`).join("\u0001");
}
