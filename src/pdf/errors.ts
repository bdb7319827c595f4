// Failures of the byte-level reader. Each carries a stable code and, where it makes sense, the byte
// offset where reading stopped, so a report can say where a hostile file went wrong.

import type { Phrase } from "../words/phrase.js";
import { readerEnglish, readerPhrase } from "./reader-words.js";

/** Something the reader could not read, where reading went on (an object, the xref chain). */
export interface ReaderProblem {
  revision: number | null;
  offset?: number;
  /** in English, as reports carry it, and as a key (reader-words.ts) */
  message: string;
  phrase: Phrase;
}

export type PdfErrorCode = "NOT_PDF" | "SYNTAX" | "XREF" | "LIMIT" | "ENCRYPTED" | "STREAM";

export class PdfError extends Error {
  /** the message as a key (reader-words.ts); a sentence given as text is kept as text */
  readonly phrase: Phrase;
  constructor(
    readonly code: PdfErrorCode,
    message: string | Phrase,
    readonly offset?: number,
  ) {
    const text = typeof message === "string" ? message : readerEnglish(message);
    super(offset === undefined ? text : `${text} (at byte ${offset})`);
    this.name = "PdfError";
    const phrase = typeof message === "string" ? readerPhrase("reader.text", { text: message }) : message;
    this.phrase = offset === undefined ? phrase : readerPhrase("reader.at", { problem: phrase, offset });
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
    if (this.used > this.max) throw new PdfError("LIMIT", readerPhrase("reader.documentLimit", { mb: this.max >> 20 }));
  }
}
