// A PDF read revision by revision: the startxref → /Prev chain, each revision's own xref entries and
// trailer, where each revision ends, and a resolver per revision that sees the file as that revision did
// (only the bytes before its end). Repairs are recorded facts, never silent.
import { readerPhrase } from "./reader-words.js";
import { DecodeBudget, LIMITS, PdfError, type ReaderProblem } from "./errors.js";
import { indexOf } from "./indirect.js";
import { PdfDict, type PdfObject } from "./objects.js";
import { Parser, latin1 } from "./parser.js";
import { Resolver, ObjectCache } from "./resolver.js";
import { readXrefSection, type XrefEntry, type XrefSection } from "./xref.js";
import { repairScan } from "./repair.js";

export interface Revision {
  /** 1 = the original document */
  index: number;
  /** its xref sections, newest first (two for a linearized original) */
  sections: XrefSection[];
  entries: Map<number, XrefEntry>;
  trailer: PdfDict;
  /** offset just after its `%%EOF` and at most one end-of-line */
  end: number;
  /** offset just after the `%%EOF` itself */
  eofEnd: number;
}

export type { ReaderProblem };

const STARTXREF = Buffer.from("startxref");
const EOF = Buffer.from("%%EOF");

export class PdfDocument {
  readonly revisions: Revision[];
  readonly version: string;
  /** true when the xref chain could not be followed and objects were found by scanning */
  readonly repaired: boolean;
  readonly problems: ReaderProblem[] = [];
  private eofs: number[] | undefined;
  readonly cache = new ObjectCache();
  /** every stream decoded for this document counts here (LIMITS.maxDecodedDocument) */
  readonly decodeBudget = new DecodeBudget();
  private readonly resolvers = new Map<number, Resolver>();

  private constructor(
    readonly buf: Uint8Array,
    init: { revisions: Revision[]; version: string; repaired: boolean; eofMarkers?: number[]; problems: ReaderProblem[] },
  ) {
    this.revisions = init.revisions;
    this.version = init.version;
    this.repaired = init.repaired;
    this.eofs = init.eofMarkers;
    this.problems.push(...init.problems);
  }

  static open(buf: Uint8Array): PdfDocument {
    const head = Buffer.from(buf.buffer, buf.byteOffset, Math.min(buf.length, 1024));
    const h = head.indexOf("%PDF-");
    if (h < 0) throw new PdfError("NOT_PDF", readerPhrase("reader.noHeader"));
    const version = /^%PDF-(\d\.\d)/.exec(latin1(buf, h, h + 8))?.[1] ?? "unknown";
    try {
      const revisions = readChain(buf);
      return new PdfDocument(buf, { revisions, version, repaired: false, problems: [] });
    } catch (e) {
      if (!(e instanceof PdfError) || e.code === "LIMIT") throw e;
      const scanned = repairScan(buf);
      const eofMarkers = findEofMarkers(buf);
      const end = eofMarkers.length ? withEol(buf, eofMarkers[eofMarkers.length - 1]!) : buf.length;
      const rev: Revision = { index: 1, sections: [], entries: scanned.entries, trailer: scanned.trailer, end: Math.max(end, buf.length), eofEnd: end };
      return new PdfDocument(buf, {
        revisions: [rev],
        version,
        repaired: true,
        eofMarkers,
        problems: [
          {
            revision: null,
            ...(e.offset !== undefined ? { offset: e.offset } : {}),
            message: `xref chain unreadable (${e.message}); objects found by scanning`,
            phrase: readerPhrase("reader.xrefUnreadable", { problem: e.phrase }),
          },
        ],
      });
    }
  }

  /** offsets just after every `%%EOF` marker in the file (K5 cross-check; found on first use) */
  get eofMarkers(): number[] {
    this.eofs ??= findEofMarkers(this.buf);
    return this.eofs;
  }

  get revisionCount(): number {
    return this.revisions.length;
  }

  /**
   * The xref entry that decides object `num` in revision `index` (1-based): the newest at or before it.
   * Files with many revisions get an index of each object's versions, built once, so a lookup does not
   * walk every revision.
   */
  entryAt(num: number, index: number): XrefEntry | undefined {
    if (this.revisions.length <= 4) {
      for (let i = index - 1; i >= 0; i--) {
        const e = this.revisions[i]!.entries.get(num);
        if (e) return e;
      }
      return undefined;
    }
    const versions = (this.versions ??= this.indexVersions()).get(num);
    if (!versions) return undefined;
    for (let i = versions.length - 1; i >= 0; i--) if (versions[i]!.revision <= index) return versions[i]!.entry;
    return undefined;
  }

  private versions: Map<number, Array<{ revision: number; entry: XrefEntry }>> | undefined;

  private indexVersions(): Map<number, Array<{ revision: number; entry: XrefEntry }>> {
    const m = new Map<number, Array<{ revision: number; entry: XrefEntry }>>();
    for (const r of this.revisions) {
      for (const [num, entry] of r.entries) {
        let list = m.get(num);
        if (!list) m.set(num, (list = []));
        list.push({ revision: r.index, entry });
      }
    }
    return m;
  }

  /** The resolver that sees the document as revision `index` (1-based) did. */
  at(index: number): Resolver {
    let r = this.resolvers.get(index);
    if (!r) {
      r = new Resolver(this, index);
      this.resolvers.set(index, r);
    }
    return r;
  }

  final(): Resolver {
    return this.at(this.revisions.length);
  }

  /** The revision whose end (with or without its end-of-line) is `offset`, if any. */
  revisionEndingAt(offset: number): Revision | undefined {
    return this.revisions.find((r) => r.end === offset || r.eofEnd === offset);
  }

  /** Bytes after the end of the last revision. */
  get trailingBytes(): number {
    const last = this.revisions[this.revisions.length - 1]!;
    return Math.max(0, this.buf.length - last.end);
  }

  problem(p: ReaderProblem): void {
    if (this.problems.length < 200) this.problems.push(p);
  }
}

function readChain(buf: Uint8Array): Revision[] {
  const b = Buffer.from(buf.buffer, buf.byteOffset, buf.length);
  const sx = b.lastIndexOf(STARTXREF);
  if (sx < 0) throw new PdfError("XREF", readerPhrase("reader.noStartxref"));
  const p = new Parser(buf, sx + STARTXREF.length);
  const first = p.tryUint();
  if (first === null) throw new PdfError("XREF", readerPhrase("reader.startxrefNoOffset"), sx);

  // Follow /Prev from the newest section; `visited` stops loops.
  const chain: XrefSection[] = [];
  const visited = new Set<number>();
  // xref streams count against a budget of their own: the document's begins once it is open
  const budget = new DecodeBudget();
  let next: number | null = first;
  while (next !== null) {
    if (visited.has(next)) throw new PdfError("XREF", readerPhrase("reader.prevLoop"), next);
    if (chain.length >= LIMITS.maxXrefSections) throw new PdfError("LIMIT", readerPhrase("reader.tooManySections"));
    visited.add(next);
    const sec = readXrefSection(buf, next, budget);
    const stm = sec.kind === "table" ? sec.trailer.get("XRefStm") : undefined;
    if (typeof stm === "number") {
      // Hybrid file: the stream's entries complete the table's (compressed objects are listed there only).
      const extra = readXrefSection(buf, stm, budget);
      for (const [n, e] of extra.entries) if (sec.entries.get(n)?.type !== "offset") sec.entries.set(n, e);
    }
    chain.push(sec);
    const prev = sec.trailer.get("Prev");
    next = typeof prev === "number" ? prev : null;
  }

  // Group sections into revisions: a /Prev that points forward is a linearized file's main xref, part of
  // the same revision as the first-page xref that points to it.
  const groups: XrefSection[][] = [];
  for (let i = 0; i < chain.length; i++) {
    const s = chain[i]!;
    const prevGroup = groups[groups.length - 1];
    if (prevGroup && chain[i - 1]!.offset < s.offset && isLinearizedPair(buf, chain[i - 1]!)) prevGroup.push(s);
    else groups.push([s]);
  }
  groups.reverse();
  return groups.map((sections, i) => {
    const entries = new Map<number, XrefEntry>();
    // newest section wins inside a revision
    for (const s of [...sections].reverse()) for (const [n, e] of s.entries) entries.set(n, e);
    const last = Math.max(...sections.map((s) => s.offset));
    const eofAt = indexOf(buf, EOF, last);
    if (eofAt < 0) throw new PdfError("XREF", readerPhrase("reader.noEofAfterXref"), last);
    const eofEnd = eofAt + EOF.length;
    return { index: i + 1, sections, entries, trailer: sections[0]!.trailer, end: withEol(buf, eofEnd), eofEnd };
  });
}

/** A first-page xref of a linearized file is near the start and the file begins with a /Linearized dict. */
function isLinearizedPair(buf: Uint8Array, firstPage: XrefSection): boolean {
  const head = Buffer.from(buf.buffer, buf.byteOffset, Math.min(buf.length, 2048)).toString("latin1");
  return head.includes("/Linearized") && firstPage.offset < Math.min(buf.length, 1 << 20);
}

export function withEol(buf: Uint8Array, at: number): number {
  if (buf[at] === 13 && buf[at + 1] === 10) return at + 2;
  if (buf[at] === 10 || buf[at] === 13) return at + 1;
  return at;
}

function findEofMarkers(buf: Uint8Array): number[] {
  return findAll(buf, EOF).map((i) => i + EOF.length);
}

function findAll(buf: Uint8Array, needle: Uint8Array): number[] {
  const out: number[] = [];
  const b = Buffer.from(buf.buffer, buf.byteOffset, buf.length);
  let i = b.indexOf(needle);
  while (i >= 0 && out.length < 10_000) {
    out.push(i);
    i = b.indexOf(needle, i + needle.length);
  }
  return out;
}

export type { PdfObject };
