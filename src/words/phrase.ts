// A text as data (STYLE.md §14): a key and its parameters, so that what the core says reaches the pages
// typed and each reader gets it in their language. Parameters are PDF names, numbers and other data,
// never translated, or texts of their own (a nested phrase, or a list of them). Each domain keeps its
// words in one table, English and Vietnamese side by side. Pure.

export type Lang = "en" | "vi";

export type PhraseParam = string | number | Phrase | readonly Phrase[];

export interface Phrase {
  readonly key: string;
  readonly params?: Readonly<Record<string, PhraseParam>>;
}

/** One domain's texts by key; `{name}` marks a parameter. */
export type Words = Readonly<Record<string, { readonly en: string; readonly vi: string }>>;

export const phrase = (key: string, params?: Record<string, PhraseParam>): Phrase => (params ? { key, params } : { key });

export const isPhrase = (v: unknown): v is Phrase => typeof v === "object" && v !== null && typeof (v as Phrase).key === "string";

/**
 * The text of `p` in `lang`, nested phrases rendered from the same tables and lists joined by "; ". A key
 * the tables do not hold (a report written by a later version) renders as the key itself.
 */
export function phraseText(p: Phrase, words: Words, lang: Lang): string {
  const template = words[p.key]?.[lang] ?? p.key;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const v = p.params?.[name];
    return v === undefined ? whole : paramText(v, words, lang);
  });
}

export function paramText(v: PhraseParam, words: Words, lang: Lang): string {
  if (typeof v === "string" || typeof v === "number") return String(v);
  if (isPhrase(v)) return phraseText(v, words, lang);
  return v.map((x) => phraseText(x, words, lang)).join("; ");
}
