// The page for checking one document (GET /check): an IT officer or an auditor picks a PDF and reads what
// kyso found, with nothing stored, logged or counted (POST /api/v1/check). Like the other pages it holds no
// data: the reader signs in once (a session cookie; the key form signs in). The result is the checked
// file's report page (the file, the verdict, one block per signature), shown in this page's own body so it
// is sized and printed with it, then saved as HTML or XML, or printed to PDF by the browser (a print
// stylesheet leaves the page's controls out). Above it, the trust warning of /readyz when there is one.
import { HEADING_ID, MAIN_OPEN, pageHead, scriptedPage } from "./page.js";
import { REPORT_CONTENT_STYLE } from "./report-html.js";

const STYLE = `body { max-width: 62em; } label { display: block; margin: 0.6em 0 0.2em; } input[type=password] { width: 30em; max-width: 100%; }
input[type=file] { max-width: 100%; } #note { background: #eef4fb; padding: 0.5em; }
#trustWarning { background: #fdf3d8; border-left: 0.4em solid #b26a00; padding: 0.5em 0.7em; }
#saves { display: flex; flex-wrap: wrap; gap: 0.5em; margin: 1em 0; } #saves h2 { flex-basis: 100%; margin: 0; font-size: 1em; border: 0; }
#result:focus { outline: none; } #result h2:first-child { font-size: 1.35em; border: 0; }
${REPORT_CONTENT_STYLE}
#error { color: #b03020; font-weight: 600; }
@media print { .kyso-top, #note, #keyForm, #form, #status, #error, #saves { display: none !important; } body { margin: 0; max-width: none; } }`;

/** The page and its policy; its script is src/pages/check/main.ts, bundled. */
export const checkPage = scriptedPage(
  "check",
  (script) => `${pageHead(STYLE)}
<body>
${MAIN_OPEN}
<h1 id="${HEADING_ID}" tabindex="-1"></h1>
<p id="note"></p>
<form id="keyForm" hidden><label id="keyLabel" for="key"></label><input id="key" type="password" autocomplete="off" required> <button id="show" type="submit"></button></form>
<form id="form">
<label id="fileLabel" for="file"></label><input id="file" type="file" accept="application/pdf,.pdf" required>
<p><button id="check" type="submit"></button></p>
</form>
<p id="status" role="status" aria-live="polite"></p>
<p id="error" role="alert" tabindex="-1" hidden></p>
<p id="trustWarning" hidden></p>
<section id="saves" aria-labelledby="savesH" hidden><h2 id="savesH"></h2><button id="saveHtml" type="button"></button><button id="saveXml" type="button"></button><button id="print" type="button"></button></section>
<section id="result" tabindex="-1" hidden></section>
</main>
<script>${script}</script>
</body>
</html>
`,
);
