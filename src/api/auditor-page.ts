// The auditors' page (GET /auditor): one static page with no data in it, like the dashboard. The auditor
// signs in once (a session cookie: the province's account, or an auditor key in its form); the page lists
// documents with the API (from the latest year with documents, sorted and counted by the server, filtered
// by the sender's name, saved as CSV or Excel), shows a document's report page inside a sandboxed frame
// (no scripts, no origin), saves the report and the evidence archive as files, re-checks the log (since
// the server's last verified head, or in full: the server's full check followed with a progress bar; and
// that it still holds the heads this browser saw before) and saves the log export. Files are fetched by
// the script and handed over as blobs. Data is written with textContent; the script (src/pages/auditor) is
// inlined, pinned by its hash (CSP).
import { MAIN_OPEN, pageHead, scriptedPage } from "./page.js";

/** The page and its policy; its script is src/pages/auditor/main.ts, bundled. The report is shown in a frame made from its text (srcdoc), sandboxed: no script, no origin. */
export const auditorPage = scriptedPage(
  "auditor",
  (script) => `${pageHead(`body { max-width: 80em; } td, th { vertical-align: top; }
#error, .lag { color: #b03020; font-weight: 600; } .ok { color: #1b7a2a; font-weight: 600; } #verifyResult { overflow-wrap: anywhere; }
form#filters label { margin-right: 0.3em; } form#filters input, form#filters select { margin-right: 1em; }
iframe { width: 100%; height: 40em; border: 1px solid #bbb; }
@media (max-width: 40em) { form#filters label, form#filters input, form#filters select { display: block; max-width: 100%; }
 #docs { min-width: 0; } #docs thead tr { display: flex; flex-wrap: wrap; gap: 0.2em 1em; } #docs thead :is(th, td) { display: block; padding: 0; }
 #docs tbody tr { display: block; border-top: 1px solid #ccc; padding: 0.4em 0; } #docs tbody td { display: block; padding: 0.1em 0; overflow-wrap: anywhere; } }`)}
<body>
${MAIN_OPEN}
<h1 id="h" tabindex="-1"></h1>
<form id="keyForm"><label for="key" id="keyLabel"></label> <input id="key" type="password" autocomplete="off" size="50"> <button id="show" type="submit"></button></form>
<p id="error" role="alert" tabindex="-1" hidden></p>
<section id="main" hidden>
<h2 id="docsH"></h2>
<form id="filters">
<label for="from" id="fromLabel"></label><input id="from" type="date">
<label for="to" id="toLabel"></label><input id="to" type="date">
<label for="agency" id="agencyLabel"></label><input id="agency" size="24" list="agencyNames" autocomplete="off"><datalist id="agencyNames"></datalist>
<label for="recipient" id="recipientLabel"></label><input id="recipient" size="12">
<label for="category" id="categoryLabel"></label><select id="category"></select>
<label for="verdict" id="verdictLabel"></label><select id="verdict"></select>
<label for="q" id="qLabel"></label><input id="q" type="search" size="24">
<button id="search" type="submit"></button>
</form>
<p id="agencyMatch" aria-live="polite"></p>
<p><strong id="count" aria-live="polite"></strong> <button id="csv" type="button"></button> <button id="xlsx" type="button"></button></p>
<div class="scroll"><table id="docs"><thead><tr><th><button type="button" class="sort" data-col="0" id="sortReceived"></button></th><th><button type="button" class="sort" data-col="1" id="sortNumber"></button></th><th id="subjectH"></th><th><button type="button" class="sort" data-col="3" id="sortSender"></button></th><th><button type="button" class="sort" data-col="4" id="sortCategory"></button></th><th id="statusH"></th><td></td></tr></thead><tbody id="rows"></tbody></table></div>
<p id="empty" hidden></p>
<p><button id="more" type="button" hidden></button></p>
<section id="viewer" hidden>
<h2 id="viewH" tabindex="-1"></h2>
<p><button id="saveReport" type="button"></button> <button id="viewEvidence" type="button"></button></p>
<iframe id="view" sandbox="" title="report"></iframe>
</section>
<h2 id="logH"></h2>
<p><button id="verify" type="button"></button> <button id="verifyFull" type="button"></button></p>
<p><progress id="verifyProgress" max="1" aria-labelledby="logH" hidden></progress></p>
<p id="verifyResult" aria-live="polite"></p>
<p><button id="exportLog" type="button"></button></p>
</section>
</main>
<script>${script}</script>
</body>
</html>
`,
);
