// The check page's script (GET /check): the browser's session (the key form signs in when there is none),
// a PDF posted to POST /api/v1/check, its report page shown in a sandboxed frame.
import { $, errorOf, label } from "../shared/dom.js";
import { en, LANG } from "../shared/lang.js";
import { keyFormSignsIn, sessionRole } from "../shared/session.js";
import { CHECK_WORDS } from "./words.js";

const T = CHECK_WORDS[LANG];
document.documentElement.lang = LANG;
document.title = T.title;
label(T, [["h", "title"], ["note", "note"], ["keyLabel", "key"], ["show", "show"], ["fileLabel", "file"], ["check", "check"]]);
$("keyForm").hidden = sessionRole() !== null;
keyFormSignsIn($<HTMLFormElement>("keyForm"), $<HTMLInputElement>("key"), (r) => ($("status").textContent = r === "network" ? T.eNet : T.e401));
$("form").addEventListener("submit", async (ev) => {
  ev.preventDefault();
  const file = $<HTMLInputElement>("file").files?.[0];
  if (!file) return;
  const status = $("status");
  status.textContent = T.busy;
  const body = new FormData();
  body.set("file", file, file.name);
  let r: Response;
  try {
    r = await fetch("/api/v1/check?format=html&lang=" + (en ? "en" : "vi"), { method: "POST", body });
  } catch {
    status.textContent = T.eNet;
    return;
  }
  if (r.status === 401 || r.status === 403 || r.status === 413) {
    status.textContent = T[`e${r.status}`];
    // a session that ended, or one whose role cannot check: sign in (again) with a key
    if (r.status !== 413) $("keyForm").hidden = false;
    return;
  }
  if (!r.ok) {
    status.textContent = await errorOf(r);
    return;
  }
  status.textContent = "";
  const view = $<HTMLIFrameElement>("view");
  view.srcdoc = await r.text();
  view.hidden = false;
});
