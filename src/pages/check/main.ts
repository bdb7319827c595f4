// The check page's script (GET /check): the browser's session (the key form signs in when there is none),
// a PDF posted to POST /api/v1/check, the checked file's report page shown in this page's body, saved as
// HTML or XML or printed to PDF; the trust warning of /readyz above it.
import { $, errorOf, label, save, sayError } from "../shared/dom.js";
import { en, LANG } from "../shared/lang.js";
import { keyFormSignsIn, sessionRole } from "../shared/session.js";
import { showTrustWarning } from "../shared/trust-box.js";
import { savedName } from "./names.js";
import { CHECK_WORDS } from "./words.js";

const T = CHECK_WORDS[LANG];
document.documentElement.lang = LANG;
document.title = T.title;
label(T, [
  ["h", "title"],
  ["note", "note"],
  ["keyLabel", "key"],
  ["show", "show"],
  ["fileLabel", "file"],
  ["check", "check"],
  ["savesH", "saves"],
  ["saveHtml", "saveHtml"],
  ["saveXml", "saveXml"],
  ["print", "print"],
]);
$("keyForm").hidden = sessionRole() !== null;
const status = $("status");
/** A refusal or failure: said in the alert, where focus goes (the status line says only progress). */
function refused(message: string): void {
  status.textContent = "";
  sayError($("error"), message);
}
keyFormSignsIn($<HTMLFormElement>("keyForm"), $<HTMLInputElement>("key"), (r) => refused(r === "network" ? T.eNet : T.e401));

// the server's trust store against the one its stored reports used: its verdicts here can differ
showTrustWarning($("trustWarning"), LANG);

/** The file last checked and its report page, for the save buttons. */
let shown: { file: File; html: string } | null = null;

/** POST /api/v1/check in this page's language; a refusal is said in the alert (and null returned). */
async function check(file: File, format: "html" | "xml"): Promise<Response | null> {
  const body = new FormData();
  body.set("file", file, file.name);
  let r: Response;
  try {
    r = await fetch(`/api/v1/check?format=${format}&lang=${en ? "en" : "vi"}`, { method: "POST", body });
  } catch {
    refused(T.eNet);
    return null;
  }
  if (r.status === 401 || r.status === 403 || r.status === 413) {
    refused(T[`e${r.status}`]);
    // a session that ended, or one whose role cannot check: sign in (again) with a key
    if (r.status !== 413) $("keyForm").hidden = false;
    return null;
  }
  if (!r.ok) {
    refused(await errorOf(r));
    return null;
  }
  return r;
}

/** The report page's content, moved into this page: its title a heading under the page's own. */
function showReport(html: string): void {
  const report = new DOMParser().parseFromString(html, "text/html").querySelector("main");
  const result = $("result");
  result.replaceChildren();
  if (!report) return;
  const title = report.querySelector("h1");
  if (title) {
    const h = document.createElement("h2");
    h.id = "resultH";
    h.textContent = title.textContent;
    title.replaceWith(h);
    result.setAttribute("aria-labelledby", "resultH");
  }
  result.append(...[...report.childNodes].map((n) => document.importNode(n, true)));
  result.hidden = false;
  $("saves").hidden = false;
  $("note").hidden = true; // the report says once that nothing was kept
  result.focus();
}

$("form").addEventListener("submit", async (ev) => {
  ev.preventDefault();
  const file = $<HTMLInputElement>("file").files?.[0];
  if (!file) return;
  // the report of a file checked before is not left on show beside another file's answer
  shown = null;
  $("result").hidden = true;
  $("saves").hidden = true;
  const button = $<HTMLButtonElement>("check");
  button.disabled = true;
  sayError($("error"), "");
  status.textContent = T.busy;
  const r = await check(file, "html");
  const html = r ? await r.text().catch(() => null) : null;
  button.disabled = false;
  if (!r) return;
  if (html === null) {
    refused(T.eNet);
    return;
  }
  shown = { file, html };
  status.textContent = T.done;
  showReport(html);
});

$("saveHtml").addEventListener("click", () => {
  if (shown) save(new Blob([shown.html], { type: "text/html" }), savedName(shown.file.name, "html"));
});
$("saveXml").addEventListener("click", async () => {
  if (!shown) return;
  const file = shown.file;
  sayError($("error"), "");
  status.textContent = T.saving;
  const r = await check(file, "xml");
  if (!r) return;
  save(await r.blob(), savedName(file.name, "xml"));
  status.textContent = "";
});
// the browser's own print, to paper or to a PDF file; every certificate table printed open
$("print").addEventListener("click", () => window.print());
window.addEventListener("beforeprint", () =>
  $("result")
    .querySelectorAll("details")
    .forEach((d) => (d.open = true)),
);
