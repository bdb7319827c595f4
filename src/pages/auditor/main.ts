// The auditors' page's script (GET /auditor): the browser's session (signed in once), documents listed
// with the API, a report shown in a sandboxed frame, report and evidence saved as files, the log's hash
// chain re-checked against the heads this browser saw before, and its export saved.
import { $, el, errorOf, label, save, sortable } from "../shared/dom.js";
import { vnDate } from "../shared/format.js";
import { en, LANG } from "../shared/lang.js";
import { keyFormSignsIn, sessionRole } from "../shared/session.js";
import { pageWords } from "../shared/words.js";
import { type Head, headToKeep, verifyQuery } from "./heads.js";
import { AUDITOR_WORDS } from "./words.js";

interface DocumentRow { id: string; receivedAt: string; number?: string | null; subject?: string | null; sender: string; category?: string | null; status: string; sha256?: string | null }
interface VerifyAnswer { ok: boolean; entries: number; head: { seq: number; hash: string }; broken?: { seq: number; reason: string }; figures?: { documents: number; broken?: { table: string; row: string; reason: string } }; error?: { message?: string } }

const T = AUDITOR_WORDS[LANG];
const { CATEGORY } = pageWords(LANG);
document.documentElement.lang = LANG;
document.title = T.title;
label(T, [["h", "title"], ["keyLabel", "key"], ["show", "show"], ["docsH", "docs"], ["fromLabel", "from"], ["toLabel", "to"], ["agencyLabel", "agency"], ["recipientLabel", "recipient"], ["verdictLabel", "verdictF"], ["qLabel", "q"], ["categoryLabel", "category"], ["search", "search"], ["more", "more"], ["sortReceived", "received"], ["sortNumber", "number"], ["sortSubject", "subjectCol"], ["sortSender", "sender"], ["sortCategory", "category"], ["sortStatus", "status"], ["viewH", "view"], ["saveReport", "save"], ["logH", "log"], ["verify", "verify"], ["exportLog", "export"]]);
const option = (text: string, value: string): HTMLOptionElement => {
  const o = el("option", text);
  o.value = value;
  return o;
};
$("category").append(option(T.any, ""), ...Object.entries(CATEGORY).map(([k, v]) => option(v, k)));
// verdicts are the document-level ones (the categories of analyzed documents)
$("verdict").append(option(T.any, ""), ...["signed-valid", "signed-invalid", "signed-indeterminate", "unsigned", "unreadable"].map((k) => option(CATEGORY[k] ?? k, k)));
/** agency code → name, read once a key is given (an unknown code shows as itself) */
let names = new Map<string, string>();
const agencyOf = (code: string): string => (names.get(code) ? names.get(code) + " (" + code + ")" : code);
const input = (id: string): HTMLInputElement => $<HTMLInputElement>(id);
input("from").value = new Date().getFullYear() + "-01-01";

async function call(path: string): Promise<Response> {
  let r: Response;
  try {
    r = await fetch(path);
  } catch {
    throw new Error(T.eNet);
  }
  if (r.status === 401) {
    signInAgain();
    throw new Error(T.e401);
  }
  if (r.status === 403) {
    signInAgain();
    throw new Error(T.e403);
  }
  return r;
}
async function json<R>(path: string): Promise<R> {
  const r = await call(path);
  const body = (await r.json().catch(() => null)) as (R & { error?: { message?: string } }) | null;
  if (!r.ok && r.status !== 409) throw new Error(body?.error?.message ?? "HTTP " + r.status);
  return body as R;
}
function showError(message: string): void {
  $("error").textContent = message;
  $("error").hidden = !message;
}
/** no session, or one whose role cannot see evidence: the key form signs in (again) */
function signInAgain(): void {
  $("keyForm").hidden = false;
  $("main").hidden = true;
}
let cursor: string | null = null;
async function list(reset: boolean): Promise<void> {
  showError("");
  if (reset) {
    cursor = null;
    $("rows").replaceChildren();
  }
  const q = new URLSearchParams({ limit: "50" });
  for (const [k, id] of [["from", "from"], ["to", "to"], ["sender", "agency"], ["recipient", "recipient"], ["verdict", "verdict"], ["q", "q"], ["category", "category"]] as const) {
    const v = $<HTMLInputElement | HTMLSelectElement>(id).value.trim();
    if (v) q.set(k, v);
  }
  if (cursor) q.set("cursor", cursor);
  let page: { documents: DocumentRow[]; next: string | null };
  try {
    page = await json("/api/v1/documents?" + q);
  } catch (e) {
    return showError((e as Error).message);
  }
  $("main").hidden = false;
  $("keyForm").hidden = true;
  for (const d of page.documents) {
    const tr = el("tr");
    tr.dataset.id = d.id;
    const cells: Array<[string, string?]> = [[vnDate(d.receivedAt), d.receivedAt], [d.number ?? "–"], [d.subject ?? "–"], [agencyOf(d.sender)], [(d.category ? CATEGORY[d.category] : undefined) ?? d.category ?? "–"], [d.status]];
    for (const [v, key] of cells) {
      const td = el("td", v);
      td.dataset.key = key ?? v;
      tr.append(td);
    }
    const actions = el("td");
    if (d.sha256) {
      const r = el("button", T.report, "report");
      r.type = "button";
      r.addEventListener("click", () => report(d.id));
      const z = el("button", T.evidence, "evidence");
      z.type = "button";
      z.addEventListener("click", () => evidence(d.id));
      actions.append(r, " ", z);
    }
    tr.append(actions);
    $("rows").append(tr);
  }
  $("empty").hidden = $("rows").children.length > 0;
  $("empty").textContent = T.none;
  cursor = page.next;
  $("more").hidden = !cursor;
}
async function report(id: string): Promise<void> {
  showError("");
  try {
    const r = await call("/api/v1/documents/" + encodeURIComponent(id) + "/report.html" + (en ? "?lang=en" : ""));
    if (!r.ok) throw new Error(await errorOf(r));
    const html = await r.text();
    $<HTMLIFrameElement>("view").srcdoc = html;
    $("viewer").hidden = false;
    $("viewer").dataset.id = id;
    $("saveReport").onclick = () => save(new Blob([html], { type: "text/html" }), "kyso-report-" + id + ".html");
  } catch (e) {
    showError((e as Error).message);
  }
}
async function evidence(id: string): Promise<void> {
  showError("");
  try {
    const r = await call("/api/v1/documents/" + encodeURIComponent(id) + "/evidence");
    if (!r.ok) throw new Error(await errorOf(r));
    save(await r.blob(), "kyso-evidence-" + id + ".zip");
  } catch (e) {
    showError((e as Error).message);
  }
}
// the documents list admits viewers too: the log (auditors only) tells whether the key may see evidence
async function start(): Promise<void> {
  showError("");
  try {
    await json("/api/v1/audit?limit=1");
  } catch (e) {
    return showError((e as Error).message);
  }
  try {
    names = new Map((await json<{ agencies: Array<{ code: string; name: string }> }>("/api/v1/agencies")).agencies.map((a) => [a.code, a.name]));
  } catch {
    /* codes are shown instead */
  }
  void list(true);
  // the log is checked as the page opens, so its result is always on screen (the button checks again)
  void checkLog();
  // a link from the dashboard names one document: its report opens at once
  const asked = new URLSearchParams(location.search).get("document");
  if (asked) void report(asked);
}
keyFormSignsIn($<HTMLFormElement>("keyForm"), input("key"), (r) => showError(r === "network" ? T.eNet : T.e401));
$("filters").addEventListener("submit", (e) => {
  e.preventDefault();
  void list(true);
});
$("more").addEventListener("click", () => void list(false));
// the rows listed so far, sorted by a column; the header buttons work from the keyboard
sortable($("rows").closest("table")!, $("rows"));
// Heads this browser has seen are kept (localStorage, this origin) and the next check asks the server to
// prove its log still holds the latest of them: a log rewritten whole, hashes recomputed, fails that.
const HEADS = "kysoAuditHeads";
const seenHeads = (): Head[] => {
  try {
    return JSON.parse(localStorage.getItem(HEADS) ?? "[]") as Head[];
  } catch {
    return [];
  }
};
$("verify").addEventListener("click", () => void checkLog());
let checks = 0;
async function checkLog(): Promise<void> {
  showError("");
  // only the latest check speaks: one started as the page opened must not overwrite a later one
  const mine = ++checks;
  $("verifyResult").textContent = "";
  try {
    const kept = seenHeads().at(-1);
    const v = await json<VerifyAnswer>("/api/v1/audit/verify" + verifyQuery(kept));
    if (mine !== checks) return;
    let text = v.ok ? T.ok(v.entries, v.head.hash) : v.broken ? T.broken(v.broken.seq, v.broken.reason) : T.figures(v.figures?.broken ? v.figures.broken.table + " " + v.figures.broken.row + ": " + v.figures.broken.reason : v.error?.message ?? "");
    if (v.ok && kept) text += T.since(kept.seq, kept.at);
    if (v.ok && v.figures) text += T.agree(v.figures.documents);
    $("verifyResult").textContent = text;
    $("verifyResult").className = v.ok ? "ok" : "lag";
    const keep = v.ok ? headToKeep(kept, v.head, new Date().toISOString()) : null;
    if (keep) localStorage.setItem(HEADS, JSON.stringify([...seenHeads(), keep].slice(-50)));
  } catch (e) {
    showError((e as Error).message);
  }
}
$("exportLog").addEventListener("click", async () => {
  showError("");
  try {
    const r = await call("/api/v1/audit?format=jsonl");
    if (!r.ok) throw new Error("HTTP " + r.status);
    save(await r.blob(), "kyso-audit.jsonl");
  } catch (e) {
    showError((e as Error).message);
  }
});
if (sessionRole()) void start();
