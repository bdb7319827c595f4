// What the static pages (dashboard, auditors' page) share: a Content-Security-Policy that lets only their
// own inline script run (pinned by its hash) and their fetches go to this origin, and the headers they are
// served with.
import { createHash } from "node:crypto";

export function pageCsp(script: string): string {
  return `default-src 'none'; connect-src 'self'; style-src 'unsafe-inline'; script-src 'sha256-${createHash("sha256").update(script).digest("base64")}'; form-action 'none'; base-uri 'none'; frame-ancestors 'none'`;
}

export function pageHeaders(csp: string): Record<string, string> {
  return { "content-security-policy": csp, "x-content-type-options": "nosniff", "referrer-policy": "no-referrer" };
}

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
${style}
</style>
</head>`;
}
