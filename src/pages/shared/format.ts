// Numbers and dates as the pages write them (no DOM: unit-tested as they are).
import type { Lang } from "./words.js";

/** YYYY-MM-DD… → DD/MM/YYYY */
export const vnDate = (iso: string): string => iso.slice(0, 10).split("-").reverse().join("/");

/** A number with one decimal in the page's language (65,4 in Vietnamese, 65.4 in English). */
export function oneDecimal(lang: Lang): (x: number) => string {
  const f = new Intl.NumberFormat(lang === "en" ? "en" : "vi-VN", { minimumFractionDigits: 1, maximumFractionDigits: 1 });
  return (x) => f.format(x);
}

/** A rate (a fraction) as a percentage with one decimal; none as "–". */
export function percent(lang: Lang): (x: number | null | undefined) => string {
  const num = oneDecimal(lang);
  return (x) => (x === null || x === undefined ? "–" : num(x * 100) + "%");
}
