// Failures of the byte-level reader. Each carries a stable code and, where it makes sense, the byte
// offset where reading stopped, so a report can say where a hostile file went wrong.

export type PdfErrorCode =
  | "NOT_PDF"
  | "SYNTAX"
  | "XREF"
  | "LIMIT"
  | "ENCRYPTED"
  | "STREAM";

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
  maxDecodedStream: 256 << 20,
  maxResolveDepth: 32,
} as const;
