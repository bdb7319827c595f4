// Every table of words a report's keys can name, in one lookup: the findings (messages.ts), what changed
// after signing (pdf/change-words.ts), what the PDF reader could not read (pdf/reader-words.ts), why a
// certificate path failed (pki/path-words.ts), the CMS notes (cms/cms-words.ts) and how a time is proved
// (proof-basis.ts). Producers emit keys and parameters; this renders them in either language. Pure.
import { CMS_WORDS } from "../cms/cms-words.js";
import { CHANGE_WORDS } from "../pdf/change-words.js";
import { READER_WORDS } from "../pdf/reader-words.js";
import { PATH_WORDS } from "../pki/path-words.js";
import { type Lang, paramText, type PhraseParam, type Words } from "../words/phrase.js";
import { MESSAGES } from "./messages.js";
import { PROOF_PHRASES } from "./proof-basis.js";

/** Each domain's table; a key is in one of them only (a test says so). */
export const WORD_TABLES: Readonly<Record<string, Words>> = {
  messages: MESSAGES,
  change: CHANGE_WORDS,
  reader: READER_WORDS,
  path: PATH_WORDS,
  cms: CMS_WORDS,
  proof: PROOF_PHRASES,
};

export const WORDS: Words = Object.assign({}, ...Object.values(WORD_TABLES)) as Words;

/** A detail (a phrase, a list of them, or a name or number) in `lang`. */
export const detailText = (v: PhraseParam, lang: Lang): string => paramText(v, WORDS, lang);

/** A modification level (none, signatures, form-fill…) in `lang`: the level is a key of its own. */
export const levelText = (level: string, lang: Lang): string => WORDS[`level.${level}`]?.[lang] ?? level;
