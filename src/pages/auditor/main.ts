// The auditors' page's script (GET /auditor): the browser's session (signed in once), documents listed
// with the API from the latest year with documents, sorted and counted by the server, filtered by the
// sender's name, saved as CSV or Excel; a report shown in a sandboxed frame with its evidence button (also
// for a document named by ?document=), the log checked since the server's last verified head or in full,
// against the heads this browser saw before, and its export saved.
import { $, el, errorOf, label, save, sayError } from "../shared/dom.js";
import { vnDate } from "../shared/format.js";
import { en, LANG } from "../shared/lang.js";
import { keyFormSignsIn, sessionRole } from "../shared/session.js";
import { clickSort, type SortState } from "../shared/sort.js";
import { pageWords } from "../shared/words.js";
import { type Agency, matchingAgencies, senderParam } from "./agencies.js";
import { checkText, type VerifyAnswer } from "./check-text.js";
import { type Head, headToKeep, verifyQuery } from "./heads.js";
import { fullCheckView, type FullCheckState } from "./full-check.js";
import { openingDays, type PeriodsAnswer } from "./opening.js";
import { firstDescending, OPENING_SORT, serverSort, sortsBy } from "./sorting.js";
import { AUDITOR_WORDS, statusWords } from "./words.js";

interface DocumentRow {
  id: string;
  receivedAt: string;
  number?: string | null;
  subject?: string | null;
  sender: string;
  category?: string | null;
  status: string;
  sha256?: string | null;
}
interface ListPage {
  documents: DocumentRow[];
  next: string | null;
  total: { count: number; exact: boolean } | null;
}

const T = AUDITOR_WORDS[LANG];
const { CATEGORY } = pageWords(LANG);
const STATUS = statusWords(LANG);
document.documentElement.lang = LANG;
document.title = T.title;
label(T, [
  ["h", "title"],
  ["keyLabel", "key"],
  ["show", "show"],
  ["docsH", "docs"],
  ["fromLabel", "from"],
  ["toLabel", "to"],
  ["agencyLabel", "agency"],
  ["recipientLabel", "recipient"],
  ["verdictLabel", "verdictF"],
  ["qLabel", "q"],
  ["categoryLabel", "category"],
  ["search", "search"],
  ["more", "more"],
  ["sortReceived", "received"],
  ["sortNumber", "number"],
  ["subjectH", "subjectCol"],
  ["sortSender", "sender"],
  ["sortCategory", "category"],
  ["statusH", "status"],
  ["viewH", "view"],
  ["saveReport", "save"],
  ["viewEvidence", "viewEvidence"],
  ["csv", "csv"],
  ["xlsx", "xlsx"],
  ["logH", "log"],
  ["verify", "verify"],
  ["verifyFull", "verifyFull"],
  ["exportLog", "export"],
]);
const option = (text: string, value: string): HTMLOptionElement => {
  const o = el("option", text);
  o.value = value;
  return o;
};
$("category").append(option(T.any, ""), ...Object.entries(CATEGORY).map(([k, v]) => option(v, k)));
// verdicts are the document-level ones (the categories of analyzed documents)
$("verdict").append(
  option(T.any, ""),
  ...["signed-valid", "signed-invalid", "signed-indeterminate", "unsigned", "unreadable"].map((k) => option(CATEGORY[k] ?? k, k)),
);
/** the directory, read once signed in: names shown beside codes, and the sender filter's names */
let agencies: Agency[] = [];
let names = new Map<string, string>();
const agencyOf = (code: string): string => (names.get(code) ? names.get(code) + " (" + code + ")" : code);
const input = (id: string): HTMLInputElement => $<HTMLInputElement>(id);

async function call(path: string, init?: RequestInit): Promise<Response> {
  let r: Response;
  try {
    r = await fetch(path, init);
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
async function json<R>(path: string, init?: RequestInit): Promise<R> {
  const r = await call(path, init);
  const body = (await r.json().catch(() => null)) as (R & { error?: { message?: string } }) | null;
  if (!r.ok && r.status !== 409) throw new Error(body?.error?.message ?? "HTTP " + r.status);
  return body as R;
}
/** An error said where focus goes (role=alert); an empty one hidden. */
function showError(message: string): void {
  sayError($("error"), message);
}
/** no session, or one whose role cannot see evidence: the key form signs in (again) */
function signInAgain(): void {
  $("keyForm").hidden = false;
  $("main").hidden = true;
}

// ---- the list: filters, the server's order and count, its files
let sort: SortState = OPENING_SORT;
/** rows a page of the list holds: ?limit= in the URL (1–500), else 50 */
const PAGE_SIZE = Math.min(500, Math.max(1, Math.floor(Number(new URLSearchParams(location.search).get("limit"))) || 50));
let cursor: string | null = null;
/** The list's query from the filters and the sort; null when the sender typed names no agency. */
function listQuery(): URLSearchParams | null {
  const q = new URLSearchParams({ sort: serverSort(sort) });
  for (const [k, id] of [
    ["from", "from"],
    ["to", "to"],
    ["recipient", "recipient"],
    ["verdict", "verdict"],
    ["q", "q"],
    ["category", "category"],
  ] as const) {
    const v = $<HTMLInputElement | HTMLSelectElement>(id).value.trim();
    if (v) q.set(k, v);
  }
  const typed = input("agency").value.trim();
  const matched = matchingAgencies(typed, agencies);
  // a code the directory does not know is still a code: asked as typed
  if (typed && !matched.length && /^\S+$/.test(typed) && !agencies.length) q.set("sender", typed);
  else if (typed && !matched.length) {
    $("agencyMatch").textContent = T.agencyNone;
    return null;
  } else if (matched.length) q.set("sender", senderParam(matched));
  $("agencyMatch").textContent = matched.length ? T.agencyMatched(matched.map((a) => a.name)) : "";
  return q;
}
function markSort(): void {
  document.querySelectorAll("#docs th[aria-sort]").forEach((th) => th.removeAttribute("aria-sort"));
  document.querySelector(`#docs button.sort[data-col="${sort.col}"]`)?.parentElement?.setAttribute("aria-sort", sort.dir > 0 ? "ascending" : "descending");
}
async function list(reset: boolean): Promise<void> {
  showError("");
  const q = listQuery();
  if (reset) {
    cursor = null;
    $("rows").replaceChildren();
    $("count").textContent = "";
  }
  if (!q) {
    $("more").hidden = true;
    $("empty").hidden = false;
    $("empty").textContent = T.none;
    $("count").textContent = T.count(0, true);
    return;
  }
  q.set("limit", String(PAGE_SIZE));
  if (cursor) q.set("cursor", cursor);
  let page: ListPage;
  try {
    page = await json<ListPage>("/api/v1/documents?" + q);
  } catch (e) {
    return showError((e as Error).message);
  }
  $("main").hidden = false;
  $("keyForm").hidden = true;
  if (page.total) $("count").textContent = T.count(page.total.count, page.total.exact);
  for (const d of page.documents) {
    const tr = el("tr");
    tr.dataset.id = d.id;
    for (const v of [
      vnDate(d.receivedAt),
      d.number ?? "–",
      d.subject ?? "–",
      agencyOf(d.sender),
      (d.category ? CATEGORY[d.category] : undefined) ?? d.category ?? "–",
      STATUS[d.status] ?? d.status,
    ])
      tr.append(el("td", v));
    const actions = el("td");
    if (d.sha256)
      actions.append(
        button(T.report, "report", () => void report(d.id)),
        " ",
        button(T.evidence, "evidence", () => void evidence(d.id)),
      );
    tr.append(actions);
    $("rows").append(tr);
  }
  $("empty").hidden = $("rows").children.length > 0;
  $("empty").textContent = T.none;
  cursor = page.next;
  $("more").hidden = !cursor;
  markSort();
}
function button(text: string, cls: string, click: () => void): HTMLButtonElement {
  const b = el("button", text, cls);
  b.type = "button";
  b.addEventListener("click", click);
  return b;
}
async function saveList(format: "csv" | "xlsx"): Promise<void> {
  showError("");
  const q = listQuery();
  if (!q) return;
  q.set("format", format);
  if (en) q.set("lang", "en");
  try {
    const r = await call("/api/v1/documents?" + q);
    if (!r.ok) throw new Error(await errorOf(r));
    save(await r.blob(), "kyso-documents." + format);
  } catch (e) {
    showError((e as Error).message);
  }
}

// ---- one document: its report and its evidence
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
    // the evidence of the document shown, whether or not its row is among those listed
    $("viewEvidence").onclick = () => void evidence(id);
    // focus goes to the report opened (its heading, above its buttons and frame)
    $("viewH").focus();
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
  const [directory, periods] = await Promise.all([
    json<{ agencies: Agency[] }>("/api/v1/agencies").catch(() => null),
    json<PeriodsAnswer>("/api/v1/stats/periods").catch(() => null),
  ]);
  agencies = directory?.agencies ?? [];
  names = new Map(agencies.map((a) => [a.code, a.name]));
  $<HTMLDataListElement>("agencyNames").replaceChildren(...agencies.map((a) => option(a.name, a.name)));
  // the period the URL names, else the latest year with documents
  const url = new URLSearchParams(location.search);
  const opening = openingDays(periods, new Date());
  input("from").value = url.get("from") ?? opening.from;
  input("to").value = url.get("to") ?? opening.to;
  void list(true);
  // the log is checked as the page opens, so its result is always on screen (the buttons check again)
  void checkLog(false);
  // a link from the dashboard names one document: its report and its evidence open at once
  const asked = url.get("document");
  if (asked) void report(asked);
}
keyFormSignsIn($<HTMLFormElement>("keyForm"), input("key"), (r) => showError(r === "network" ? T.eNet : T.e401));
$("filters").addEventListener("submit", (e) => {
  e.preventDefault();
  void list(true);
});
$("more").addEventListener("click", () => void list(false));
$("csv").addEventListener("click", () => void saveList("csv"));
$("xlsx").addEventListener("click", () => void saveList("xlsx"));
// a header asks the server for its order (the same column again: the other way), from the first page
document.querySelectorAll<HTMLButtonElement>("#docs button.sort").forEach((b) =>
  b.addEventListener("click", () => {
    const col = Number(b.dataset.col);
    if (!sortsBy(col)) return;
    sort = clickSort(sort, col, firstDescending(col));
    void list(true);
  }),
);
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
$("verify").addEventListener("click", () => void checkLog(false));
$("verifyFull").addEventListener("click", () => void checkLog(true));
let checks = 0;
async function checkLog(full: boolean): Promise<void> {
  showError("");
  // only the latest check speaks: one started as the page opened must not overwrite a later one
  const mine = ++checks;
  $("verifyResult").textContent = "";
  // set again with the answer: a reader (or a test) waits for it, not for the progress sentences
  delete $("verifyResult").dataset.mode;
  const bar = $<HTMLProgressElement>("verifyProgress");
  try {
    const kept = seenHeads().at(-1);
    const v = full ? await fullCheck(kept, mine, bar) : await json<VerifyAnswer>("/api/v1/audit/verify" + verifyQuery(kept));
    if (!v || mine !== checks) return;
    $("verifyResult").textContent = checkText(v, kept, T);
    $("verifyResult").className = v.ok ? "ok" : "lag";
    $("verifyResult").dataset.mode = v.mode ?? "full";
    const keep = v.ok ? headToKeep(kept, v.head, new Date().toISOString()) : null;
    if (keep) localStorage.setItem(HEADS, JSON.stringify([...seenHeads(), keep].slice(-50)));
  } catch (e) {
    if (mine === checks) showError((e as Error).message);
  } finally {
    if (mine === checks) bar.hidden = true;
  }
}
/** Starts the server's full check (or joins the one running) and follows it, the bar showing how far it has gone; its answer, or null when a later check took over. */
async function fullCheck(kept: Head | undefined, mine: number, bar: HTMLProgressElement): Promise<VerifyAnswer | null> {
  const { run } = await json<{ run: number }>("/api/v1/audit/verify/full", { method: "POST" });
  for (;;) {
    if (mine !== checks) return null;
    const view = fullCheckView(await json<FullCheckState>("/api/v1/audit/verify/full" + verifyQuery(kept)), run, T);
    if (view.kind === "done") return view.answer;
    if (view.kind === "failed") throw new Error(view.text);
    if (mine !== checks) return null;
    bar.hidden = false;
    if (view.fraction === null) bar.removeAttribute("value");
    else bar.value = view.fraction;
    $("verifyResult").className = "";
    $("verifyResult").textContent = view.text;
    await new Promise((r) => setTimeout(r, 1000));
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
