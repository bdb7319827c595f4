// What the static pages (dashboard, auditors' page) share: the start of their script (language, category
// names, DOM helpers, saving a blob as a file), a Content-Security-Policy that lets only their own inline
// script run (pinned by its hash) and their fetches go to this origin, and the headers they are served with.
import { createHash } from "node:crypto";
import { ACTIONS_NEXT, CATEGORY_SHORT, fillIn, NEXT_SENTENCES } from "./report-words.js";

/** A word table in one language, as a script's object literal (the page picks one at run time). */
export const inLang = (table: Record<string, { vi: string; en: string }>, lang: "vi" | "en") => JSON.stringify(Object.fromEntries(Object.entries(table).map(([k, w]) => [k, w[lang]])));

/** The start of every page's script; the page's own code follows it. */
export const PAGE_PRELUDE = String.raw`
const en = new URLSearchParams(location.search).get("lang") === "en";
const CATEGORY = en ? ${inLang(CATEGORY_SHORT, "en")} : ${inLang(CATEGORY_SHORT, "vi")};
// what removes each reason a document does not count ("what to do next", as leadership's report says it)
const ACTIONS = en ? ${inLang(ACTIONS_NEXT, "en")} : ${inLang(ACTIONS_NEXT, "vi")};
const NEXT = en ? ${inLang(NEXT_SENTENCES, "en")} : ${inLang(NEXT_SENTENCES, "vi")};
// the report's own function, so the page fills the sentences exactly as leadership's PDF does
${fillIn.toString()}
const $ = (id) => document.getElementById(id);
const el = (tag, text, cls) => { const e = document.createElement(tag); if (text !== undefined && text !== null) e.textContent = String(text); if (cls) e.className = cls; return e; };
// a blob handed to the reader as a file (the API needs a bearer header, which a plain link cannot send)
function save(blob, name) {
  const a = el("a");
  a.href = URL.createObjectURL(blob);
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 60000);
}
/**
 * Makes the header buttons (button.sort, data-col) of a table sort its rows by that column, again the
 * other way, marking aria-sort; each cell sorts by its data-key, as a number in the columns numeric()
 * names, else as Vietnamese text; columns firstDescending() names sort largest first.
 */
function sortable(table, tbody, numeric = () => false, firstDescending = () => false) {
  let state = { col: -1, dir: 1 };
  table.querySelectorAll("button.sort").forEach((b) => b.addEventListener("click", () => {
    const col = Number(b.dataset.col);
    state = { col, dir: state.col === col ? -state.dir : firstDescending(col) ? -1 : 1 };
    const key = (tr) => tr.children[col].dataset.key;
    const rows = [...tbody.children].sort((x, y) => state.dir * (numeric(col) ? Number(key(x)) - Number(key(y)) : key(x).localeCompare(key(y), "vi", { numeric: true })));
    tbody.replaceChildren(...rows);
    table.querySelectorAll("th[aria-sort]").forEach((th) => th.removeAttribute("aria-sort"));
    b.parentElement.setAttribute("aria-sort", state.dir > 0 ? "ascending" : "descending");
  }));
}
/** YYYY-MM-DD… → DD/MM/YYYY */
const vnDate = (iso) => iso.slice(0, 10).split("-").reverse().join("/");
`;

export function pageCsp(script: string): string {
  return `default-src 'none'; connect-src 'self'; style-src 'unsafe-inline'; script-src 'sha256-${createHash("sha256").update(script).digest("base64")}'; form-action 'none'; base-uri 'none'; frame-ancestors 'none'`;
}

export function pageHeaders(csp: string): Record<string, string> {
  return { "content-security-policy": csp, "x-content-type-options": "nosniff", "referrer-policy": "no-referrer" };
}

/** The report pages carry no script at all: only their own styles (and images written as data). */
export const REPORT_PAGE_HEADERS = pageHeaders("default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'none'; base-uri 'none'; frame-ancestors 'self'");

/** The head every page starts with; `style` is its own CSS. */
export function pageHead(style: string): string {
  return `<!doctype html>
<html lang="vi">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>kyso</title>
<style>
body { font-family: "DejaVu Sans", "Noto Sans", Arial, sans-serif; margin: 2em; color: #222; }
h1 { font-size: 1.5em; } h2 { font-size: 1.15em; margin-top: 1.6em; }
table { border-collapse: collapse; } td, th { padding: 0.25em 0.8em 0.25em 0; text-align: left; }
.scroll { overflow-x: auto; max-width: 100%; } .scroll table { min-width: 44em; }
button.sort { background: none; border: none; font: inherit; font-weight: 600; padding: 0; cursor: pointer; text-decoration: underline dotted; }
@media (max-width: 40em) { body { margin: 0.8em; } input[type=password] { width: 100%; box-sizing: border-box; } }
${style}
</style>
</head>`;
}
