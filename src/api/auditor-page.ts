// The auditors' page (GET /auditor): one static page with no data in it, like the dashboard. The auditor
// enters a key once (kept in the tab's sessionStorage only); the page lists documents with the API, shows
// a document's report page inside a sandboxed frame (no scripts, no origin), saves the report and the
// evidence archive as files, re-checks the log's hash chain (and that it still holds the heads this
// browser saw before) and saves the log export. A browser cannot add
// a bearer header to a link, so everything is fetched by the script and handed over as blobs. Data is
// written with textContent; the inline script is pinned by its hash (CSP).
import { PAGE_PRELUDE, pageCsp, pageHead } from "./page.js";

const SCRIPT = PAGE_PRELUDE + String.raw`
const T = en
  ? { title: "Verification evidence", key: "API key (auditor role)", show: "Open", forget: "Forget the key", docs: "Documents", from: "From", to: "To", agency: "Sender code", recipient: "Recipient code", verdictF: "Verdict", q: "Number or subject contains", subjectCol: "Subject", sortBy: "Sort by", category: "Category", any: "any", search: "List", more: "More", received: "Received", number: "Number", sender: "Sender", status: "Status", report: "Report", evidence: "Evidence (ZIP)", view: "Report", save: "Save this report", log: "Verification log", verify: "Re-check the chain", export: "Save the export (JSONL)", ok: (n, h) => "Intact: " + n + " entries; the last one's hash is " + h, since: (s, at) => "; it still holds entry " + s + " as this browser saw it on " + at.slice(0, 10), broken: (s, r) => "Broken at entry " + s + ": " + r, figures: (m) => "The log is intact, but the figures do not follow from it: " + m, agree: (n) => "; the figures replayed from it agree (" + n + " documents)", none: "No documents match.", e401: "The key is not valid (unknown or revoked).", e403: "This key's role cannot see verification evidence (it needs auditor or admin).", eNet: "The server did not answer." }
  : { title: "Chứng cứ kiểm tra chữ ký số", key: "Khóa API (vai trò auditor)", show: "Mở", forget: "Quên khóa", docs: "Văn bản", from: "Từ ngày", to: "Đến ngày", agency: "Mã cơ quan gửi", recipient: "Mã cơ quan nhận", verdictF: "Kết luận", q: "Số, ký hiệu hoặc trích yếu có chữ", subjectCol: "Trích yếu", sortBy: "Sắp xếp theo", category: "Nhóm", any: "tất cả", search: "Liệt kê", more: "Xem thêm", received: "Ngày nhận", number: "Số, ký hiệu", sender: "Cơ quan gửi", status: "Trạng thái", report: "Báo cáo", evidence: "Hồ sơ chứng cứ (ZIP)", view: "Báo cáo", save: "Lưu báo cáo này", log: "Nhật ký kiểm tra", verify: "Kiểm tra lại chuỗi băm", export: "Lưu bản xuất (JSONL)", ok: (n, h) => "Nguyên vẹn: " + n + " mục; mã băm của mục cuối là " + h, since: (s, at) => "; vẫn giữ nguyên mục " + s + " như trình duyệt này đã thấy ngày " + vnDate(at), broken: (s, r) => "Bị thay đổi tại mục " + s + ": " + r, figures: (m) => "Nhật ký nguyên vẹn, nhưng số liệu không khớp với nhật ký: " + m, agree: (n) => "; số liệu tính lại từ nhật ký khớp (" + n + " văn bản)", none: "Không có văn bản phù hợp.", e401: "Khóa không hợp lệ (không tồn tại hoặc đã bị thu hồi).", e403: "Khóa này không có quyền xem chứng cứ (cần vai trò auditor hoặc admin).", eNet: "Máy chủ không trả lời." };
document.documentElement.lang = en ? "en" : "vi";
document.title = T.title;
for (const [id, k] of [["h", "title"], ["keyLabel", "key"], ["show", "show"], ["forget", "forget"], ["docsH", "docs"], ["fromLabel", "from"], ["toLabel", "to"], ["agencyLabel", "agency"], ["recipientLabel", "recipient"], ["verdictLabel", "verdictF"], ["qLabel", "q"], ["categoryLabel", "category"], ["search", "search"], ["more", "more"], ["sortReceived", "received"], ["sortNumber", "number"], ["sortSubject", "subjectCol"], ["sortSender", "sender"], ["sortCategory", "category"], ["sortStatus", "status"], ["viewH", "view"], ["saveReport", "save"], ["logH", "log"], ["verify", "verify"], ["exportLog", "export"]]) $(id).textContent = T[k];
$("category").append(el("option", T.any));
$("category").firstChild.value = "";
for (const [k, v] of Object.entries(CATEGORY)) { const o = el("option", v); o.value = k; $("category").append(o); }
// verdicts are the document-level ones (the categories of analyzed documents)
$("verdict").append(el("option", T.any));
$("verdict").firstChild.value = "";
for (const k of ["signed-valid", "signed-invalid", "signed-indeterminate", "unsigned", "unreadable"]) { const o = el("option", CATEGORY[k]); o.value = k; $("verdict").append(o); }
/** agency code → name, read once a key is given (an unknown code shows as itself) */
let names = new Map();
const agencyOf = (code) => (names.get(code) ? names.get(code) + " (" + code + ")" : code);
$("from").value = new Date().getFullYear() + "-01-01";
async function call(path) {
  let r;
  try { r = await fetch(path, { headers: { authorization: "Bearer " + sessionStorage.getItem("kysoAuditorKey") } }); }
  catch { throw new Error(T.eNet); }
  if (r.status === 401) { forget(); throw new Error(T.e401); }
  if (r.status === 403) { forget(); throw new Error(T.e403); }
  return r;
}
async function json(path) {
  const r = await call(path);
  const body = await r.json().catch(() => null);
  if (!r.ok && r.status !== 409) throw new Error(body?.error?.message ?? "HTTP " + r.status);
  return body;
}
function showError(message) { $("error").textContent = message; $("error").hidden = !message; }
function forget() { sessionStorage.removeItem("kysoAuditorKey"); $("keyForm").hidden = false; $("main").hidden = true; }
let cursor = null;
async function list(reset) {
  showError("");
  if (reset) { cursor = null; $("rows").replaceChildren(); }
  const q = new URLSearchParams({ limit: "50" });
  for (const [k, id] of [["from", "from"], ["to", "to"], ["sender", "agency"], ["recipient", "recipient"], ["verdict", "verdict"], ["q", "q"], ["category", "category"]]) if ($(id).value.trim()) q.set(k, $(id).value.trim());
  if (cursor) q.set("cursor", cursor);
  let page;
  try { page = await json("/api/v1/documents?" + q); } catch (e) { return showError(e.message); }
  $("main").hidden = false;
  $("keyForm").hidden = true;
  for (const d of page.documents) {
    const tr = el("tr");
    tr.dataset.id = d.id;
    const cells = [[vnDate(d.receivedAt), d.receivedAt], [d.number ?? "–"], [d.subject ?? "–"], [agencyOf(d.sender)], [CATEGORY[d.category] ?? d.category ?? "–"], [d.status]];
    for (const [v, key] of cells) { const td = el("td", v); td.dataset.key = key ?? v; tr.append(td); }
    const actions = el("td");
    if (d.sha256) {
      const r = el("button", T.report); r.type = "button"; r.className = "report"; r.addEventListener("click", () => report(d.id));
      const z = el("button", T.evidence); z.type = "button"; z.className = "evidence"; z.addEventListener("click", () => evidence(d.id));
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
async function report(id) {
  showError("");
  try {
    const r = await call("/api/v1/documents/" + encodeURIComponent(id) + "/report.html" + (en ? "?lang=en" : ""));
    if (!r.ok) throw new Error((await r.json().catch(() => null))?.error?.message ?? "HTTP " + r.status);
    const html = await r.text();
    $("view").srcdoc = html;
    $("viewer").hidden = false;
    $("viewer").dataset.id = id;
    $("saveReport").onclick = () => save(new Blob([html], { type: "text/html" }), "kyso-report-" + id + ".html");
  } catch (e) { showError(e.message); }
}
async function evidence(id) {
  showError("");
  try {
    const r = await call("/api/v1/documents/" + encodeURIComponent(id) + "/evidence");
    if (!r.ok) throw new Error((await r.json().catch(() => null))?.error?.message ?? "HTTP " + r.status);
    save(await r.blob(), "kyso-evidence-" + id + ".zip");
  } catch (e) { showError(e.message); }
}
// the documents list admits viewers too: the log (auditors only) tells whether the key may see evidence
async function start() {
  showError("");
  try { await json("/api/v1/audit?limit=1"); } catch (e) { return showError(e.message); }
  try { names = new Map((await json("/api/v1/agencies")).agencies.map((a) => [a.code, a.name])); } catch { /* codes are shown instead */ }
  list(true);
  // the log is checked as the page opens, so its result is always on screen (the button checks again)
  checkLog();
  // a link from the dashboard names one document: its report opens at once
  const asked = new URLSearchParams(location.search).get("document");
  if (asked) report(asked);
}
$("keyForm").addEventListener("submit", (e) => { e.preventDefault(); sessionStorage.setItem("kysoAuditorKey", $("key").value.trim()); $("key").value = ""; start(); });
$("forget").addEventListener("click", forget);
$("filters").addEventListener("submit", (e) => { e.preventDefault(); list(true); });
$("more").addEventListener("click", () => list(false));
// the rows listed so far, sorted by a column; the header buttons work from the keyboard
sortable($("rows").closest("table"), $("rows"));
// Heads this browser has seen are kept (localStorage, this origin) and the next check asks the server to
// prove its log still holds the latest of them: a log rewritten whole, hashes recomputed, fails that.
const HEADS = "kysoAuditHeads";
const seenHeads = () => { try { return JSON.parse(localStorage.getItem(HEADS) ?? "[]"); } catch { return []; } };
$("verify").addEventListener("click", () => checkLog());
let checks = 0;
async function checkLog() {
  showError("");
  // only the latest check speaks: one started as the page opened must not overwrite a later one
  const mine = ++checks;
  $("verifyResult").textContent = "";
  try {
    const kept = seenHeads().at(-1);
    const v = await json("/api/v1/audit/verify" + (kept ? "?seq=" + kept.seq + "&hash=" + kept.hash : ""));
    if (mine !== checks) return;
    let text = v.ok ? T.ok(v.entries, v.head.hash) : v.broken ? T.broken(v.broken.seq, v.broken.reason) : T.figures(v.figures?.broken ? v.figures.broken.table + " " + v.figures.broken.row + ": " + v.figures.broken.reason : v.error?.message ?? "");
    if (v.ok && kept) text += T.since(kept.seq, kept.at);
    if (v.ok && v.figures) text += T.agree(v.figures.documents);
    $("verifyResult").textContent = text;
    $("verifyResult").className = v.ok ? "ok" : "lag";
    if (v.ok && v.head.seq > 0 && (!kept || kept.seq !== v.head.seq)) localStorage.setItem(HEADS, JSON.stringify([...seenHeads(), { seq: v.head.seq, hash: v.head.hash, at: new Date().toISOString() }].slice(-50)));
  } catch (e) { showError(e.message); }
}
$("exportLog").addEventListener("click", async () => {
  showError("");
  try {
    const r = await call("/api/v1/audit?format=jsonl");
    if (!r.ok) throw new Error("HTTP " + r.status);
    save(await r.blob(), "kyso-audit.jsonl");
  } catch (e) { showError(e.message); }
});
if (sessionStorage.getItem("kysoAuditorKey")) start();
`;

/** The report is shown in a frame made from its text (srcdoc), sandboxed: no script, no origin. */
export const AUDITOR_CSP = pageCsp(SCRIPT);

export const AUDITOR_HTML = `${pageHead(`body { max-width: 80em; } td, th { vertical-align: top; }
#error, .lag { color: #b03020; font-weight: 600; } .ok { color: #1b7a2a; font-weight: 600; } #verifyResult { overflow-wrap: anywhere; }
form#filters label { margin-right: 0.3em; } form#filters input, form#filters select { margin-right: 1em; }
iframe { width: 100%; height: 40em; border: 1px solid #bbb; }
@media (max-width: 40em) { form#filters label, form#filters input, form#filters select { display: block; max-width: 100%; } }`)}
<body>
<h1 id="h"></h1>
<form id="keyForm"><label for="key" id="keyLabel"></label> <input id="key" type="password" autocomplete="off" size="50"> <button id="show" type="submit"></button></form>
<p id="error" hidden></p>
<section id="main" hidden>
<p><button id="forget" type="button"></button></p>
<h2 id="docsH"></h2>
<form id="filters">
<label for="from" id="fromLabel"></label><input id="from" type="date">
<label for="to" id="toLabel"></label><input id="to" type="date">
<label for="agency" id="agencyLabel"></label><input id="agency" size="12">
<label for="recipient" id="recipientLabel"></label><input id="recipient" size="12">
<label for="category" id="categoryLabel"></label><select id="category"></select>
<label for="verdict" id="verdictLabel"></label><select id="verdict"></select>
<label for="q" id="qLabel"></label><input id="q" type="search" size="24">
<button id="search" type="submit"></button>
</form>
<div class="scroll"><table><thead><tr><th><button type="button" class="sort" data-col="0" id="sortReceived"></button></th><th><button type="button" class="sort" data-col="1" id="sortNumber"></button></th><th><button type="button" class="sort" data-col="2" id="sortSubject"></button></th><th><button type="button" class="sort" data-col="3" id="sortSender"></button></th><th><button type="button" class="sort" data-col="4" id="sortCategory"></button></th><th><button type="button" class="sort" data-col="5" id="sortStatus"></button></th><th></th></tr></thead><tbody id="rows"></tbody></table></div>
<p id="empty" hidden></p>
<p><button id="more" type="button" hidden></button></p>
<section id="viewer" hidden>
<h2 id="viewH"></h2>
<p><button id="saveReport" type="button"></button></p>
<iframe id="view" sandbox="" title="report"></iframe>
</section>
<h2 id="logH"></h2>
<p><button id="verify" type="button"></button> <span id="verifyResult"></span></p>
<p><button id="exportLog" type="button"></button></p>
</section>
<script>${SCRIPT}</script>
</body>
</html>
`;
