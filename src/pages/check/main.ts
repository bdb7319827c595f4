// The check page's script (GET /check): the key entered once (kept in the tab), a PDF posted to
// POST /api/v1/check, its report page shown in a sandboxed frame.
import { $, errorOf, label } from "../shared/dom.js";
import { en, LANG } from "../shared/lang.js";
import { CHECK_WORDS } from "./words.js";

const T = CHECK_WORDS[LANG];
document.documentElement.lang = LANG;
document.title = T.title;
label(T, [["h", "title"], ["note", "note"], ["keyLabel", "key"], ["fileLabel", "file"], ["check", "check"], ["forget", "forget"]]);
const key = $<HTMLInputElement>("key");
key.value = sessionStorage.getItem("kysoCheckKey") ?? "";
$("forget").addEventListener("click", () => {
  sessionStorage.removeItem("kysoCheckKey");
  key.value = "";
});
$("form").addEventListener("submit", async (ev) => {
  ev.preventDefault();
  const file = $<HTMLInputElement>("file").files?.[0];
  if (!file) return;
  sessionStorage.setItem("kysoCheckKey", key.value.trim());
  const status = $("status");
  status.textContent = T.busy;
  const body = new FormData();
  body.set("file", file, file.name);
  let r: Response;
  try {
    r = await fetch("/api/v1/check?format=html&lang=" + (en ? "en" : "vi"), { method: "POST", body, headers: { authorization: "Bearer " + key.value.trim() } });
  } catch {
    status.textContent = T.eNet;
    return;
  }
  if (r.status === 401 || r.status === 403 || r.status === 413) {
    status.textContent = T[`e${r.status}`];
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
