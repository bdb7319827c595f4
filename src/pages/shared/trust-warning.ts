// The trust warning of /readyz (issue 25, point 6) in the page's language, with no DOM: a server started
// without the trust folders its stored reports used gives other verdicts than those reports, and a page
// that shows verdicts says so. A page fetches /readyz (no sign-in needed) and passes its JSON here:
//   const w = trustWarning(await (await fetch("/readyz")).json(), LANG);  // null: nothing to say
import { counted, pluralForm, type CountedWord } from "./plural.js";
import type { Lang } from "./words.js";

/** The part of /readyz's `trust` the warning reads. */
export interface TrustFacts {
  readonly store: string;
  readonly anchors: readonly string[];
  readonly reports: { readonly thisStore: number; readonly otherStores: number };
}

const REPORTS: CountedWord = { vi: "báo cáo đã lưu", en: { one: "stored report", other: "stored reports" } };
const ROOTS: CountedWord = { vi: "chứng thư gốc", en: { one: "root", other: "roots" } };
const WERE: CountedWord = { vi: "", en: { one: "was", other: "were" } };

const WORDS = {
  vi: (reports: string, store: string, roots: string, _were: string) =>
    `${reports} được lập với một bộ chứng thư gốc khác với bộ máy chủ này đang dùng (${store}…, ${roots}): một văn bản kiểm tra tại đây có thể nhận kết luận khác với báo cáo đã lưu của nó. Hãy khởi động máy chủ với các thư mục chứng thư gốc mà các báo cáo đó đã dùng, hoặc cho kiểm tra lại các văn bản đó.`,
  en: (reports: string, store: string, roots: string, were: string) =>
    `${reports} ${were} made under another trust store than the one this server uses (${store}…, ${roots}): a document checked here can get another verdict than its stored report. Start the server with the trust folders those reports used, or have those documents analysed again.`,
};

/** /readyz's `trust`, when the answer carries one that reads as such; else null. */
export function trustFactsOf(readyz: unknown): TrustFacts | null {
  const t = (readyz as { trust?: Partial<TrustFacts> } | null)?.trust;
  const r = t?.reports;
  if (!t || typeof t.store !== "string" || !Array.isArray(t.anchors) || !r || typeof r.otherStores !== "number" || typeof r.thisStore !== "number") return null;
  return t as TrustFacts;
}

/** The warning to show, in `lang`, for /readyz's answer; null when every stored report was made under the server's store (or the answer says nothing of trust). */
export function trustWarning(readyz: unknown, lang: Lang): string | null {
  const t = trustFactsOf(readyz);
  if (!t || t.reports.otherStores <= 0) return null;
  const n = t.reports.otherStores;
  return WORDS[lang](counted(n, REPORTS, lang), t.store.slice(0, 12), counted(t.anchors.length, ROOTS, lang), pluralForm(n, WERE, lang));
}
