// The header every page carries (issue 25), rendered by the server at each request: links between the
// three pages, the language switch, who is signed in with their sign-out, and how recent the data is (the
// newest analysis or document the store recorded). Vietnamese by default, English with ?lang=en. Every
// value is escaped; the sign-out is a form, so it works without script. The pages' scripts read whether a
// session is there from the header (data-kyso-role), as the server saw it for this page.
import type { Context } from "hono";
import { skipLink } from "./page.js";
import { sessionPrincipal, type Principal } from "./session.js";
import type { AccessStore, Operations } from "../store/ports.js";

export type PageName = "dashboard" | "auditor" | "check" | "sign-in";
export type Lang = "vi" | "en";

const PAGES: ReadonlyArray<{ page: PageName; path: string; vi: string; en: string }> = [
  { page: "dashboard", path: "/dashboard", vi: "Bảng điều hành", en: "Dashboard" },
  { page: "auditor", path: "/auditor", vi: "Trang kiểm toán", en: "Auditors' page" },
  { page: "check", path: "/check", vi: "Kiểm tra một văn bản", en: "Check a document" },
];

const WORDS = {
  vi: {
    pages: "Các trang của kyso",
    signedIn: "Đang đăng nhập",
    notSignedIn: "Chưa đăng nhập",
    signIn: "Đăng nhập",
    signOut: "Đăng xuất",
    asOf: "Dữ liệu đến",
    noData: "chưa có dữ liệu",
    switchTo: "English",
    switchLang: "en",
  },
  en: {
    pages: "kyso's pages",
    signedIn: "Signed in",
    notSignedIn: "Not signed in",
    signIn: "Sign in",
    signOut: "Sign out",
    asOf: "Data as of",
    noData: "no data yet",
    switchTo: "Tiếng Việt",
    switchLang: "vi",
  },
} as const;

export const escapeHtml = (s: string): string => s.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);

const VN_TIME = new Intl.DateTimeFormat("vi-VN", {
  timeZone: "Asia/Ho_Chi_Minh",
  day: "2-digit",
  month: "2-digit",
  year: "numeric",
  hour: "2-digit",
  minute: "2-digit",
  hour12: false,
});

/** 26/11/2024 09:00, Vietnam time, whatever the server's zone. */
export function vietnamTimeText(iso: string): string {
  const p = Object.fromEntries(VN_TIME.formatToParts(new Date(iso)).map((x) => [x.type, x.value]));
  return `${p.day}/${p.month}/${p.year} ${p.hour}:${p.minute}`;
}

/** The same address in the other language (?lang=en, or without lang for Vietnamese). */
export function otherLanguage(url: URL, lang: Lang): string {
  const q = new URLSearchParams(url.search);
  if (lang === "vi") q.set("lang", "en");
  else q.delete("lang");
  const s = q.toString();
  return url.pathname + (s ? `?${s}` : "");
}

export interface HeaderFacts {
  page: PageName;
  lang: Lang;
  /** the page's own address (the language switch keeps its query) */
  url: URL;
  who: Principal | null;
  dataAsOf: string | null;
}

/** The header's markup, after the page's skip link (its first Tab stop); the header is the banner landmark. */
export function renderPageHeader(h: HeaderFacts): string {
  const w = WORDS[h.lang];
  const q = h.lang === "en" ? "?lang=en" : "";
  const links = PAGES.map((p) => `<li><a href="${p.path}${q}"${p.page === h.page ? ' aria-current="page"' : ""}>${escapeHtml(p[h.lang])}</a></li>`).join("");
  const here = h.url.pathname + h.url.search;
  const who = h.who
    ? `<span id="kyso-who" data-kyso-role="${escapeHtml(h.who.role)}">${w.signedIn}: <strong>${escapeHtml(h.who.label)}</strong> (${escapeHtml(h.who.role)})</span> <form method="post" action="/sign-out${q}" class="kyso-signout"><button type="submit">${w.signOut}</button></form>`
    : `<span id="kyso-who">${w.notSignedIn}</span> <a href="/sign-in?${escapeHtml(String(new URLSearchParams({ next: here, ...(h.lang === "en" ? { lang: "en" } : {}) })))}">${w.signIn}</a>`;
  const asOf = h.dataAsOf ? `<time datetime="${escapeHtml(h.dataAsOf)}">${vietnamTimeText(h.dataAsOf)}</time>` : w.noData;
  return `${skipLink(h.lang)}
<header class="kyso-top">
<nav aria-label="${w.pages}"><ul>${links}</ul></nav>
<p class="kyso-meta"><a href="${escapeHtml(otherLanguage(h.url, h.lang))}" hreflang="${w.switchLang}" lang="${w.switchLang}" id="kyso-lang">${w.switchTo}</a>
<span id="kyso-as-of">${w.asOf}: ${asOf}</span>
${who}</p>
</header>`;
}

/** The header's styles, for the page's <head>. */
export const PAGE_HEADER_STYLE = `.kyso-top { display: flex; flex-wrap: wrap; gap: 0.4em 1.5em; align-items: center; justify-content: space-between; border-bottom: 1px solid #ccc; padding-bottom: 0.5em; margin-bottom: 1em; }
.kyso-top ul { list-style: none; display: flex; flex-wrap: wrap; gap: 0.3em 1.2em; margin: 0; padding: 0; }
.kyso-top a[aria-current] { font-weight: 700; text-decoration: none; color: inherit; }
.kyso-meta { display: flex; flex-wrap: wrap; gap: 0.3em 1em; align-items: center; margin: 0; font-size: 0.95em; }
.kyso-signout { display: inline; margin: 0; }`;

export const langOf = (c: Context): Lang => (c.req.query("lang") === "en" ? "en" : "vi");

/** The header for this request: the page's language, the session its cookie names, the store's newest data. */
export async function pageHeaderFor(c: Context, deps: { operations: Operations; access: AccessStore }, page: PageName): Promise<string> {
  const [who, dataAsOf] = await Promise.all([sessionPrincipal(deps.access, c), deps.operations.dataAsOf()]);
  return renderPageHeader({ page, lang: langOf(c), url: new URL(c.req.url), who, dataAsOf });
}

/** A page's HTML with the header's styles in its head and the header first in its body. */
export function withPageHeader(html: string, header: string): string {
  return html.replace("</head>", `<style>\n${PAGE_HEADER_STYLE}\n</style>\n</head>`).replace(/<body([^>]*)>/, (m) => `${m}\n${header}`);
}
