// What proves the time a signature is judged at (a proof of existence, EN 319 102-1 §5.6.2.3), as a key:
// the pages word it in the reader's language and the ETSI report types it from the key, and `proof`, the
// English words programs read, is made from it here, so no one has to read the words back. Pure.
import { type Phrase, phrase, type Words } from "../words/phrase.js";

export type ProofBasis =
  /** the time the user gave (--at): judged there, whatever the proofs */
  | { readonly kind: "given" }
  /** the signature's own time-stamp, its authority trusted at the time it states */
  | { readonly kind: "signature-timestamp"; readonly tsa: string | null }
  /** a trusted document time-stamp over a later revision */
  | { readonly kind: "document-timestamp" }
  /** a document time-stamp judged at the time it states itself */
  | { readonly kind: "own-timestamp" }
  /** kyso's own receipt of the document */
  | { readonly kind: "receipt" }
  /** the exchange's trace time, on a channel configured as trusted */
  | { readonly kind: "exchange-trace" }
  /** the time the document was received, as the caller gave it */
  | { readonly kind: "received" }
  /** the validation's own time: nothing proves an earlier one */
  | { readonly kind: "now" };

export type ProofKind = ProofBasis["kind"];

/**
 * Each key's words in both languages ({tsa}: the time-stamp authority's name). The English is what reports
 * have always carried, so a report stored before the key is still read by its words (messages.ts).
 */
export const PROOF_WORDS: Record<ProofKind, { readonly en: string; readonly vi: string }> = {
  given: { en: "the time given", vi: "thời điểm được chỉ định" },
  "signature-timestamp": { en: "proved by the signature time-stamp of {tsa}", vi: "được chứng minh bằng dấu thời gian chữ ký của {tsa}" },
  "document-timestamp": { en: "proved by a document time-stamp", vi: "được chứng minh bằng dấu thời gian văn bản" },
  "own-timestamp": { en: "the time the time-stamp states", vi: "thời điểm ghi trong dấu thời gian" },
  receipt: { en: "kyso's own receipt of the document", vi: "thời điểm kyso nhận văn bản" },
  "exchange-trace": {
    en: "the exchange's trace time, on a channel configured as trusted",
    vi: "thời điểm ghi vết của trục liên thông (kênh được cấu hình là tin cậy)",
  },
  received: { en: "the time the document was received", vi: "thời điểm nhận văn bản" },
  now: { en: "now: nothing proves an earlier time", vi: "thời điểm hiện tại: không có bằng chứng về thời điểm sớm hơn" },
};

/** The same words as a table of phrases (`proof.<kind>`), for a proof passed as a finding's parameter. */
export const PROOF_PHRASES: Words = {
  ...Object.fromEntries(Object.entries(PROOF_WORDS).map(([k, w]) => [`proof.${k}`, w])),
  "proof.itsAuthority": { en: "its authority", vi: "tổ chức cấp dấu thời gian" },
};

/** The proof as a phrase; its English is `proofText(b)`. */
export const proofPhrase = (b: ProofBasis): Phrase =>
  b.kind === "signature-timestamp" ? phrase(`proof.${b.kind}`, { tsa: b.tsa ?? phrase("proof.itsAuthority") }) : phrase(`proof.${b.kind}`);

/** The proof in a language (English: as reports carry it). */
export function proofText(b: ProofBasis, lang: "en" | "vi" = "en"): string {
  const tsa = b.kind === "signature-timestamp" ? (b.tsa ?? (lang === "vi" ? "tổ chức cấp dấu thời gian" : "its authority")) : "";
  return PROOF_WORDS[b.kind][lang].replace("{tsa}", tsa);
}

/** A time and what proves it, its English made from its key. */
export const proved = (time: Date, basis: ProofBasis): { time: Date; proof: string; basis: ProofBasis } => ({ time, proof: proofText(basis), basis });

/** Bases the validation itself establishes (ETSI's "validation" type of proof); the others were provided. */
export const FOUND_BY_VALIDATION: ReadonlySet<ProofKind> = new Set(["signature-timestamp", "document-timestamp", "own-timestamp", "now"]);
