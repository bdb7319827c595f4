// The server's word tables (src/api/report-words.ts) in the page's language: the pages say categories,
// actions and next steps exactly as leadership's PDF does, from the same tables.
import { ACTIONS_NEXT, CATEGORY_SHORT, NEXT_SENTENCES } from "../../api/report-words.js";

export type Lang = "vi" | "en";
type Words = Record<string, { vi: string; en: string }>;

/** One language's column of a word table. */
export function inLang(table: Words, lang: Lang): Record<string, string> {
  return Object.fromEntries(Object.entries(table).map(([k, w]) => [k, w[lang]]));
}

/** The tables every page uses: category names, what removes each reason, the next-step sentences. */
export function pageWords(lang: Lang): { CATEGORY: Record<string, string>; ACTIONS: Record<string, string>; NEXT: Record<string, string> } {
  return { CATEGORY: inLang(CATEGORY_SHORT, lang), ACTIONS: inLang(ACTIONS_NEXT, lang), NEXT: inLang(NEXT_SENTENCES, lang) };
}
