// What the static pages (dashboard, auditors' page, check page) share: their script, bundled from
// src/pages at build (scripts/build-pages.mjs) and read once; a Content-Security-Policy that lets only that
// inline script run (pinned by its hash), their fetches and forms (the header's sign-out) go to this origin;
// the headers they are served with.
import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

// dist/pages beside dist/api when the server runs built; the repository's dist/pages when it runs from
// src (under vitest or tsx), which `npm run build` (and so `npm test`) writes first
const BUNDLES = new URL(import.meta.url.endsWith(".ts") ? "../../dist/pages/" : "../pages/", import.meta.url);

/** A page's bundled script, as built from src/pages/<name>/main.ts. */
export function pageScript(name: string): string {
  const file = fileURLToPath(new URL(`${name}.js`, BUNDLES));
  if (!existsSync(file)) throw new Error(`The ${name} page's script ${file} is missing: run \`npm run build\` (it bundles src/pages with esbuild)`);
  return readFileSync(file, "utf8");
}

export interface ScriptedPage {
  html: string;
  csp: string;
  headers: Record<string, string>;
}

/** A page whose script is read at its first request (so the rest of the API serves without the bundles) and kept. */
export function scriptedPage(name: string, render: (script: string) => string): () => ScriptedPage {
  let page: ScriptedPage | null = null;
  return () => {
    if (page) return page;
    const script = pageScript(name);
    const csp = pageCsp(script);
    page = { html: render(script), csp, headers: pageHeaders(csp) };
    return page;
  };
}

export function pageCsp(script: string): string {
  return `default-src 'none'; connect-src 'self'; style-src 'unsafe-inline'; script-src 'sha256-${createHash("sha256").update(script).digest("base64")}'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'`;
}

export function pageHeaders(csp: string): Record<string, string> {
  return { "content-security-policy": csp, "x-content-type-options": "nosniff", "referrer-policy": "same-origin" };
}

/** The report pages carry no script at all: only their own styles (and images written as data). */
export const REPORT_PAGE_HEADERS = pageHeaders(
  "default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'none'; base-uri 'none'; frame-ancestors 'self'",
);

/** The id of every page's main landmark, where its skip link goes. */
export const MAIN_ID = "kyso-main";

const SKIP_WORDS = { vi: "Bỏ qua, đến nội dung chính", en: "Skip to the main content" } as const;

/** The page's first focusable element: a link past the header to the main landmark, seen once focused. */
export const skipLink = (lang: "vi" | "en"): string => `<a class="kyso-skip" href="#${MAIN_ID}">${SKIP_WORDS[lang]}</a>`;

/** The id of each page's main heading (tabindex -1): signing in opens the page at it, so focus starts there. */
export const HEADING_ID = "h";

/** `next` opened at the page's main heading (a fragment it names already is kept). */
export const atHeading = (next: string): string => (next.includes("#") ? next : `${next}#${HEADING_ID}`);

/** The main landmark's opening tag: focusable from script and by its skip link, never by Tab. */
export const MAIN_OPEN = `<main id="${MAIN_ID}" tabindex="-1">`;

/**
 * What every page (and a report page) shares for the keyboard: a focus ring on every control that the
 * keyboard reached (the browser's default is thin and, on the pages' blue buttons, unseen), the skip link
 * hidden until it has focus, and no ring on what only script focuses (main, a heading, a message).
 */
export const KEYBOARD_STYLE = `:focus-visible { outline: 3px solid #0b5cad; outline-offset: 2px; }
[tabindex="-1"]:focus { outline: none; }
.kyso-skip { position: absolute; left: 0.5em; top: -10em; background: #fff; color: #0b5cad; padding: 0.4em 0.8em; border: 2px solid #0b5cad; z-index: 10; }
.kyso-skip:focus { top: 0.5em; }`;

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
${KEYBOARD_STYLE}
${style}
</style>
</head>`;
}
