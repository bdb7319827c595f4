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

export interface ScriptedPage { html: string; csp: string; headers: Record<string, string> }

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
