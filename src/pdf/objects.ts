// The PDF object model as the reader sees it. Offsets are kept where the verifier needs them
// (a signature's /Contents string must sit exactly in its ByteRange gap), so nothing is normalised away.

export class PdfName {
  constructor(readonly name: string) {}
}

export class PdfString {
  constructor(
    readonly bytes: Uint8Array,
    readonly hex: boolean,
    /** offset of the opening `<` or `(` */
    readonly start: number,
    /** offset just after the closing `>` or `)` */
    readonly end: number,
    /** a hex string with nothing but hex digits between its brackets (no white space) */
    readonly pureHex = false,
  ) {}
  /** Text of a PDF text string: UTF-16BE with BOM, UTF-8 with BOM, else PDFDocEncoding (approximated by latin1). */
  text(): string {
    const b = this.bytes;
    if (b.length >= 2 && b[0] === 0xfe && b[1] === 0xff) {
      const even = b.subarray(2, 2 + ((b.length - 2) & ~1));
      return Buffer.from(even).swap16().toString("utf16le");
    }
    if (b.length >= 3 && b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) return Buffer.from(b.subarray(3)).toString("utf8");
    return Buffer.from(b).toString("latin1");
  }
}

export class PdfRef {
  constructor(
    readonly num: number,
    readonly gen: number,
  ) {}
  toString(): string {
    return `${this.num} ${this.gen} R`;
  }
}

export class PdfDict {
  constructor(
    readonly map: Map<string, PdfObject>,
    readonly start: number,
    readonly end: number,
    /** keys that appeared more than once (K2: a signature dictionary must have none) */
    readonly duplicateKeys: readonly string[] = [],
  ) {}
  get(key: string): PdfObject | undefined {
    return this.map.get(key);
  }
  has(key: string): boolean {
    return this.map.has(key);
  }
  /** the name value of a key, when it is a direct name */
  name(key: string): string | undefined {
    const v = this.map.get(key);
    return v instanceof PdfName ? v.name : undefined;
  }
}

export class PdfStream {
  constructor(
    readonly dict: PdfDict,
    /** first byte of the raw (still encoded) data */
    readonly dataStart: number,
    readonly dataEnd: number,
  ) {}
}

export type PdfObject = null | boolean | number | PdfName | PdfString | PdfRef | PdfDict | PdfStream | PdfArray;
export type PdfArray = PdfObject[];

export const isDict = (o: unknown): o is PdfDict => o instanceof PdfDict;
export const isRef = (o: unknown): o is PdfRef => o instanceof PdfRef;

/** The dictionary of a dict or stream, else undefined. */
export function dictOf(o: PdfObject | undefined): PdfDict | undefined {
  if (o instanceof PdfDict) return o;
  if (o instanceof PdfStream) return o.dict;
  return undefined;
}
