// Failures of the byte-level reader. Each carries a stable code and, where it makes sense, the byte
// offset where reading stopped, so a report can say where a hostile file went wrong.

export type PdfErrorCode = "NOT_PDF" | "SYNTAX" | "XREF" | "LIMIT" | "ENCRYPTED" | "STREAM";

export class PdfError extends Error {
  constructor(
    readonly code: PdfErrorCode,
    message: string,
    readonly offset?: number,
  ) {
    super(offset === undefined ? message : `${message} (at byte ${offset})`);
    this.name = "PdfError";
  }
}

/** Work bounds for one document; every loop in the reader counts against one of these. */
export const LIMITS = {
  maxNesting: 64,
  maxTokenLength: 1 << 16,
  maxStringLength: 16 << 20,
  maxXrefSections: 4096,
  maxObjects: 4_000_000,
  /** what one stream may decode to, every filter layer included */
  maxDecodedStream: 64 << 20,
  /** what all the streams of one document may decode to together (structure and content) */
  maxDecodedDocument: 512 << 20,
  maxResolveDepth: 32,
} as const;

/** Bytes decoded so far for one document, against LIMITS.maxDecodedDocument. */
export class DecodeBudget {
  used = 0;
  constructor(readonly max: number = LIMITS.maxDecodedDocument) {}

  spend(n: number): void {
    this.used += n;
    if (this.used > this.max) throw new PdfError("LIMIT", `the document's streams decode to more than ${this.max >> 20} MB (the per-document limit)`);
  }
}
