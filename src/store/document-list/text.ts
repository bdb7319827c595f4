// What a text query of the document list matches, the same on every backend: its words (composed, in
// Vietnamese lower case, at most eight), each found anywhere in the document's number or subject folded to
// lower case. A word of three characters or more is looked up through a trigram index (SQLite's FTS5
// trigram table, PostgreSQL's pg_trgm), which folds case but not Unicode forms, so it is looked for as
// composed and as decomposed; a shorter word has no trigram and is looked for in the composed, lower-cased
// text of the documents the others found.

/** A trigram index finds substrings of three characters or more. */
export const TRIGRAM = 3;

/** The words of a search, composed (NFC) and in Vietnamese lower case; at most eight. */
export function searchWords(q: string | undefined): string[] {
  return (q ?? "").normalize("NFC").toLocaleLowerCase("vi").split(/\s+/).filter(Boolean).slice(0, 8);
}

/** A query's words as the backends look for them; null when there are none. */
export interface TextTerms {
  /** words the trigram index finds: each in the forms any of which may appear (composed, and decomposed when that differs) */
  indexed: string[][];
  /** words of one or two characters, looked for in the composed, lower-cased text */
  short: string[];
}

export function textTerms(q: string | undefined): TextTerms | null {
  const words = searchWords(q);
  if (!words.length) return null;
  const long = words.filter((w) => [...w].length >= TRIGRAM);
  return {
    indexed: long.map((w) => (w.normalize("NFD") === w ? [w] : [w, w.normalize("NFD")])),
    short: words.filter((w) => [...w].length < TRIGRAM),
  };
}

/** A LIKE pattern (escape character `\`) for text that contains `w` anywhere: its wildcards are letters here. */
export const containsPattern = (w: string): string => `%${w.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
