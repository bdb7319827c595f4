// A small BER/DER reader: tag-length walks over the original bytes, no copying, no schema. Parsing a
// whole CMS with a schema library costs ~100× more (STACK.md); verification needs only a few fields.

export class DerError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(`${message} (at DER offset ${offset})`);
    this.name = "DerError";
  }
}

export interface Tlv {
  /** the identifier octet (single-byte tags only: CMS and X.509 need no more) */
  tag: number;
  /** offset of the identifier octet */
  start: number;
  /** offset of the first content octet */
  valueStart: number;
  /** offset after the last content octet (before the end-of-contents octets of an indefinite length) */
  valueEnd: number;
  /** offset after the whole element */
  end: number;
  indefinite: boolean;
}

const MAX_DEPTH = 64;

export function readTlv(buf: Uint8Array, pos: number, limit = buf.length, depth = 0): Tlv {
  if (depth > MAX_DEPTH) throw new DerError("nested too deeply", pos);
  if (pos + 2 > limit) throw new DerError("truncated element", pos);
  const tag = buf[pos]!;
  if ((tag & 0x1f) === 0x1f) throw new DerError("multi-byte tags are not supported", pos);
  let p = pos + 1;
  const first = buf[p++]!;
  if (first === 0x80) {
    if ((tag & 0x20) === 0) throw new DerError("indefinite length on a primitive element", pos);
    // BER indefinite length: children until 00 00.
    let q = p;
    for (;;) {
      if (q + 2 > limit) throw new DerError("unterminated indefinite length", pos);
      if (buf[q] === 0 && buf[q + 1] === 0) return { tag, start: pos, valueStart: p, valueEnd: q, end: q + 2, indefinite: true };
      q = readTlv(buf, q, limit, depth + 1).end;
    }
  }
  let len = first;
  if (first & 0x80) {
    const n = first & 0x7f;
    if (n > 4) throw new DerError("length too large", pos);
    len = 0;
    for (let i = 0; i < n; i++) {
      if (p >= limit) throw new DerError("truncated length", pos);
      len = len * 256 + buf[p++]!;
    }
  }
  if (p + len > limit) throw new DerError("element extends past its parent", pos);
  return { tag, start: pos, valueStart: p, valueEnd: p + len, end: p + len, indefinite: false };
}

/** The children of a constructed element. */
export function children(buf: Uint8Array, t: Tlv, max = 100_000): Tlv[] {
  const out: Tlv[] = [];
  let p = t.valueStart;
  while (p < t.valueEnd) {
    if (out.length >= max) throw new DerError("too many elements", p);
    const c = readTlv(buf, p, t.valueEnd);
    out.push(c);
    p = c.end;
  }
  return out;
}

export function expectTag(t: Tlv | undefined, tag: number, what: string): Tlv {
  if (!t || t.tag !== tag) throw new DerError(`expected ${what}`, t?.start ?? -1);
  return t;
}

export function value(buf: Uint8Array, t: Tlv): Uint8Array {
  return buf.subarray(t.valueStart, t.valueEnd);
}

export function raw(buf: Uint8Array, t: Tlv): Uint8Array {
  return buf.subarray(t.start, t.end);
}

export function decodeOid(bytes: Uint8Array): string {
  const parts: number[] = [];
  let v = 0;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!;
    v = v * 128 + (b & 0x7f);
    if ((b & 0x80) === 0) {
      if (parts.length === 0) {
        const first = v < 80 ? Math.floor(v / 40) : 2;
        parts.push(first, v - first * 40);
      } else parts.push(v);
      v = 0;
    }
  }
  return parts.join(".");
}

export function oidAt(buf: Uint8Array, t: Tlv): string {
  return decodeOid(value(buf, expectTag(t, 0x06, "an OBJECT IDENTIFIER")));
}

/** Octets of an OCTET STRING, joining the segments of a constructed (BER) one. */
export function octets(buf: Uint8Array, t: Tlv): Uint8Array {
  if (t.tag === 0x04) return value(buf, t);
  if (t.tag === 0x24) return Buffer.concat(children(buf, t).map((c) => octets(buf, c)));
  throw new DerError("expected an OCTET STRING", t.start);
}

/** UTCTime or GeneralizedTime as an ISO 8601 string in UTC. */
export function timeAt(buf: Uint8Array, t: Tlv): string {
  const s = Buffer.from(value(buf, t)).toString("latin1");
  let m: RegExpExecArray | null;
  if (t.tag === 0x17 && (m = /^(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)?Z$/.exec(s))) {
    const yy = Number(m[1]);
    const year = yy >= 50 ? 1900 + yy : 2000 + yy;
    return `${year}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6] ?? "00"}Z`;
  }
  if (t.tag === 0x18 && (m = /^(\d{4})(\d\d)(\d\d)(\d\d)(\d\d)?(\d\d)?(?:[.,](\d+))?(Z|[+-]\d{4})?$/.exec(s))) {
    const frac = m[7] ? `.${m[7].slice(0, 3).padEnd(3, "0")}` : "";
    const zone = !m[8] || m[8] === "Z" ? "Z" : `${m[8].slice(0, 3)}:${m[8].slice(3)}`;
    return new Date(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5] ?? "00"}:${m[6] ?? "00"}${frac}${zone}`).toISOString();
  }
  throw new DerError(`bad time '${s.slice(0, 30)}'`, t.start);
}

export function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString("hex");
}

/** Parses each item, dropping those that are not well-formed DER (the caller reports missing data). */
export function parseEach<T>(items: Uint8Array[], parse: (der: Uint8Array) => T): T[] {
  const out: T[] = [];
  for (const d of items) {
    try {
      out.push(parse(d));
    } catch (e) {
      if (!(e instanceof DerError)) throw e;
    }
  }
  return out;
}
