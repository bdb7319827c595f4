// The leadership dashboard (GET /dashboard): one static page with no data in it. The reader enters a
// viewer key once (kept in the tab's sessionStorage only); the page then asks the API for the period's
// figure, the monthly series and the per-agency ranking, with the key as a bearer token, so it sees exactly
// what the key's role allows. Vietnamese by default, English with ?lang=en. Data is written with
// textContent (agency names never become markup), and the inline script is pinned by its hash (CSP).
import { inLang, PAGE_PRELUDE, pageCsp, pageHead } from "./page.js";
import { SEALED } from "./report-words.js";

const SCRIPT = PAGE_PRELUDE + String.raw`
// who sealed the validly signed documents: the words leadership's PDF and workbook use too
const SEAL = en ? ${inLang(SEALED, "en")} : ${inLang(SEALED, "vi")};
const T = en
  ? { title: "Signed electronic documents", key: "API key (viewer role)", show: "Show", forget: "Forget the key", year: "Year", rate: "Signed electronic", target: "target", of: "of", docs: "documents", gap: "Gap to the target", trend: "Trend", perMonth: "points a month", reach: "Target reached", never: "not on the current trend", already: "already reached", nd30: "Full Decree 30 form", monthly: "By month", agencies: "By agency (choose one to see its months)", all: "Whole province", csv: "Download the table (CSV)", kind: "Period", kinds: { year: "year", quarter: "quarter", month: "month", custom: "from … to" }, quarter: "Quarter", month: "Month", from: "From", to: "To", yearL: (y) => "year " + y, quarterL: (y, q) => "Q" + q + " " + y, monthL: (y, m) => String(m).padStart(2, "0") + "/" + y, customL: (f, t) => f + " – " + t, filter: "Find an agency", belowOnly: "Only agencies below the target", level: "Level", levelAll: "all", tierProvince: "province", tierDistrict: "district", tierCommune: "commune", group: "Kind", groupCommittee: "people's committees", groupDepartment: "departments (Sở, Phòng)", groupOther: "other bodies", reasonsH: "Why its documents do not count (choose one to list them)", moreDocs: "… and more: the auditors' page lists them all", pdf: "Report to print (PDF)", xlsx: "Report for Excel (XLSX)", docH: "The document's report", heldReason: "not counted yet", nextH: "What to do next", agencyFig: (n, r, k, d, gap, rank) => n + ": " + r + " signed electronic (" + k + " of " + d + " documents), " + gap + " short of the target, rank " + rank, docClose: "Close the report", docEvidence: "Its evidence, on the auditors' page (auditor key)", rank: "Rank", code: "Code", agency: "Agency", rateCol: "Rate", gapCol: "Gap", signed: "Signed / total", categories: "By category", heldH: "Not counted, to be resolved", held: { revoked: "revoked by the sender", superseded: "earlier versions replaced by a later one (the latest counts)", "directory-gap": "naming an agency the directory does not know", conflict: "messages in conflict with a recorded document (kyso reconcile lists them)" }, gaps: "Agency codes to add to the directory", gapDocs: "documents", e401: "The key is not valid (unknown or revoked).", e403: "This key's role cannot see the statistics.", eNet: "The server did not answer.", none: "No documents in this period.", chartLabel: "Rate by month", noDocs: "no documents", noDocsShort: "none", change: (p, r, d) => "Against " + p + " (" + r + "): " + d + " points", noBefore: (p) => "No documents in " + p + " to compare with." }
  : { title: "Tỷ lệ văn bản điện tử có ký số", key: "Khóa API (vai trò viewer)", show: "Xem", forget: "Quên khóa", year: "Năm", rate: "Văn bản điện tử có ký số", target: "mục tiêu", of: "trên", docs: "văn bản", gap: "Còn thiếu so với mục tiêu", trend: "Xu hướng", perMonth: "điểm %/tháng", reach: "Dự kiến đạt mục tiêu", never: "chưa đạt theo xu hướng hiện tại", already: "đã đạt", nd30: "Đủ hai chữ ký theo Nghị định 30", monthly: "Theo tháng", agencies: "Theo cơ quan (chọn một cơ quan để xem theo tháng)", all: "Toàn tỉnh", csv: "Tải bảng (CSV)", kind: "Kỳ", kinds: { year: "năm", quarter: "quý", month: "tháng", custom: "từ ngày … đến ngày" }, quarter: "Quý", month: "Tháng", from: "Từ ngày", to: "Đến ngày", yearL: (y) => "năm " + y, quarterL: (y, q) => "quý " + ["I", "II", "III", "IV"][q - 1] + "/" + y, monthL: (y, m) => "tháng " + String(m).padStart(2, "0") + "/" + y, customL: (f, t) => vnDate(f) + " – " + vnDate(t), filter: "Tìm cơ quan", belowOnly: "Chỉ cơ quan chưa đạt mục tiêu", level: "Cấp", levelAll: "tất cả", tierProvince: "tỉnh", tierDistrict: "huyện", tierCommune: "xã", group: "Loại", groupCommittee: "Ủy ban nhân dân", groupDepartment: "sở, phòng", groupOther: "cơ quan khác", reasonsH: "Vì sao văn bản chưa được tính (chọn một lý do để xem danh sách)", moreDocs: "… và các văn bản khác: trang kiểm tra chứng cứ liệt kê đầy đủ", pdf: "Báo cáo để in (PDF)", xlsx: "Báo cáo cho Excel (XLSX)", docH: "Báo cáo của văn bản", heldReason: "chưa tính", nextH: "Việc cần làm tiếp", agencyFig: (n, r, k, d, gap, rank) => n + ": " + r + " văn bản điện tử có ký số (" + k + " trên " + d + " văn bản), còn thiếu " + gap + " văn bản so với mục tiêu, xếp hạng " + rank, docClose: "Đóng báo cáo", docEvidence: "Hồ sơ chứng cứ, trên trang kiểm tra chứng cứ (cần khóa auditor)", rank: "Hạng", code: "Mã", agency: "Cơ quan", rateCol: "Tỷ lệ", gapCol: "Còn thiếu", signed: "Ký số / tổng", categories: "Theo nhóm", heldH: "Chưa tính, cần xử lý", held: { revoked: "cơ quan gửi đã thu hồi", superseded: "phiên bản cũ đã được thay thế (tính phiên bản mới nhất)", "directory-gap": "có mã cơ quan chưa có trong danh mục", conflict: "thông điệp xung đột với văn bản đã ghi nhận (kyso reconcile liệt kê)" }, gaps: "Mã cơ quan cần bổ sung vào danh mục", gapDocs: "văn bản", e401: "Khóa không hợp lệ (không tồn tại hoặc đã bị thu hồi).", e403: "Khóa này không có quyền xem thống kê.", eNet: "Máy chủ không trả lời.", none: "Không có văn bản trong kỳ này.", chartLabel: "Tỷ lệ theo tháng", noDocs: "không có văn bản", noDocsShort: "không có", change: (p, r, d) => "So với " + p + " (" + r + "): " + d + " điểm phần trăm", noBefore: (p) => "Kỳ trước (" + p + ") không có văn bản để so sánh." };
const NUM = new Intl.NumberFormat(en ? "en" : "vi-VN", { minimumFractionDigits: 1, maximumFractionDigits: 1 });
const pct = (x) => (x === null || x === undefined ? "–" : NUM.format(x * 100) + "%");
document.documentElement.lang = en ? "en" : "vi";
document.title = T.title;
for (const [id, k] of [["h", "title"], ["keyLabel", "key"], ["show", "show"], ["forget", "forget"], ["yearLabel", "year"], ["kindLabel", "kind"], ["quarterLabel", "quarter"], ["monthLabel", "month"], ["fromLabel", "from"], ["toLabel", "to"], ["monthlyH", "monthly"], ["agenciesH", "agencies"], ["csv", "csv"], ["pdf", "pdf"], ["xlsx", "xlsx"], ["all", "all"], ["categoriesH", "categories"], ["heldH", "heldH"], ["gapsH", "gaps"], ["filterLabel", "filter"], ["belowLabel", "belowOnly"], ["levelLabel", "level"], ["groupLabel", "group"], ["nextH", "nextH"], ["docH", "docH"], ["docClose", "docClose"], ["docEvidence", "docEvidence"], ["reasonsH", "reasonsH"], ["thRank", "rank"], ["thCode", "code"], ["thAgency", "agency"], ["thRate", "rateCol"], ["thSigned", "signed"], ["thGap", "gapCol"]]) $(id).textContent = T[k];
for (const [id, k] of [["thSealed", "column"], ["sealedH", "listH"], ["thSealNumber", "number"], ["thSealDate", "date"], ["thSealSender", "sender"], ["thSealBy", "sealedBy"], ["sealedNone", "none"]]) $(id).textContent = SEAL[k];
// the year in the URL, else (once a key is given) the latest year with documents
// the period: a year, a quarter, a month or any two days, kept in the URL (?period=2024, 2024-Q4,
// 2024-11, or ?from=…&to=…); with none, the year of the latest month with documents
for (const k of ["year", "quarter", "month", "custom"]) { const o = el("option", T.kinds[k]); o.value = k; $("kind").append(o); }
for (let q = 1; q <= 4; q++) { const o = el("option", String(q)); o.value = String(q); $("quarter").append(o); }
for (let m = 1; m <= 12; m++) { const o = el("option", String(m).padStart(2, "0")); o.value = String(m); $("month").append(o); }
const pad = (n) => String(n).padStart(2, "0");
const lastDay = (y, m) => y + "-" + pad(m) + "-" + pad(new Date(Date.UTC(y, m, 0)).getUTCDate());
const addMonths = (ym, n) => { const [y, m] = ym.split("-").map(Number); const d = new Date(Date.UTC(y, m - 1 + n, 1)); return d.getUTCFullYear() + "-" + pad(d.getUTCMonth() + 1); };
function choose(key, from, to) {
  let m;
  if (key && (m = /^(\d{4})$/.exec(key))) { $("kind").value = "year"; $("year").value = m[1]; }
  else if (key && (m = /^(\d{4})-Q([1-4])$/.exec(key))) { $("kind").value = "quarter"; $("year").value = m[1]; $("quarter").value = m[2]; }
  else if (key && (m = /^(\d{4})-(\d{2})$/.exec(key))) { $("kind").value = "month"; $("year").value = m[1]; $("month").value = String(Number(m[2])); }
  else if (from && to) { $("kind").value = "custom"; $("from").value = from; $("to").value = to; }
  showKind();
}
function showKind() {
  const k = $("kind").value;
  $("yearBox").hidden = k === "custom";
  $("quarterBox").hidden = k !== "quarter";
  $("monthBox").hidden = k !== "month";
  $("customBox").hidden = k !== "custom";
  $("pdf").hidden = $("xlsx").hidden = k === "custom";
}
/** The chosen period, and the one of the same length just before it. */
function chosen() {
  const k = $("kind").value, y = Number($("year").value);
  if (k === "custom") {
    const from = $("from").value, to = $("to").value;
    if (!from || !to) return null;
    const days = Math.round((Date.parse(to) - Date.parse(from)) / 86400000) + 1;
    const pTo = new Date(Date.parse(from) - 86400000).toISOString().slice(0, 10), pFrom = new Date(Date.parse(from) - days * 86400000).toISOString().slice(0, 10);
    return { key: null, from, to, label: T.customL(from, to), prev: { from: pFrom, to: pTo, label: T.customL(pFrom, pTo) } };
  }
  if (!y) return null;
  if (k === "quarter") {
    const q = Number($("quarter").value), m1 = (q - 1) * 3 + 1, pq = q === 1 ? 4 : q - 1, py = q === 1 ? y - 1 : y;
    return { key: y + "-Q" + q, from: y + "-" + pad(m1) + "-01", to: lastDay(y, m1 + 2), label: T.quarterL(y, q), prev: { from: py + "-" + pad((pq - 1) * 3 + 1) + "-01", to: lastDay(py, (pq - 1) * 3 + 3), label: T.quarterL(py, pq) } };
  }
  if (k === "month") {
    const mo = Number($("month").value), [py, pm] = addMonths(y + "-" + pad(mo), -1).split("-").map(Number);
    return { key: y + "-" + pad(mo), from: y + "-" + pad(mo) + "-01", to: lastDay(y, mo), label: T.monthL(y, mo), prev: { from: py + "-" + pad(pm) + "-01", to: lastDay(py, pm), label: T.monthL(py, pm) } };
  }
  return { key: String(y), from: y + "-01-01", to: y + "-12-31", label: T.yearL(y), prev: { from: (y - 1) + "-01-01", to: (y - 1) + "-12-31", label: T.yearL(y - 1) } };
}
{
  const u = new URLSearchParams(location.search);
  choose(u.get("period") ?? u.get("year"), u.get("from"), u.get("to"));
}
let period = null;
async function api(path) {
  const r = await fetch(path, { headers: { authorization: "Bearer " + sessionStorage.getItem("kysoKey") } });
  if (r.status === 401) throw new Error(T.e401);
  if (r.status === 403) throw new Error(T.e403);
  if (!r.ok) throw new Error((await r.json().catch(() => null))?.error?.message ?? "HTTP " + r.status);
  return r.json();
}
function showError(message) { $("error").textContent = message; $("error").hidden = !message; }
/** a request refused: say why; a key that is not valid or not allowed is forgotten and asked for again */
function refused(e) {
  showError(e instanceof TypeError ? T.eNet : e.message);
  if (e.message === T.e401 || e.message === T.e403) { sessionStorage.removeItem("kysoKey"); $("keyForm").hidden = false; }
}
// a newer choice of period starts a newer load: an older one that answers late must not paint over it
let loads = 0;
async function load() {
  const mine = ++loads;
  showError("");
  $("keyForm").hidden = !!sessionStorage.getItem("kysoKey");
  $("report").hidden = true;
  if (!sessionStorage.getItem("kysoKey")) return;
  if (!chosen()) {
    try {
      const p = await api("/api/v1/stats/periods");
      choose(p.latest ? p.latest.slice(0, 4) : String(new Date().getFullYear()));
    } catch (e) {
      return refused(e);
    }
  }
  period = chosen();
  const url = new URL(location.href);
  for (const k of ["year", "period", "from", "to"]) url.searchParams.delete(k);
  if (period.key) url.searchParams.set("period", period.key);
  else { url.searchParams.set("from", period.from); url.searchParams.set("to", period.to); }
  history.replaceState(null, "", url);
  const q = "from=" + period.from + "&to=" + period.to;
  // the chart: the twelve months that end with the period
  const months = "from=" + addMonths(period.to.slice(0, 7), -11) + "-01&to=" + period.to;
  let s, a, m, g, before, next, dir, notSealed;
  try {
    [s, a, m, g, before, next, dir, ...notSealed] = await Promise.all([api("/api/v1/stats/summary?" + q), api("/api/v1/stats/agencies?" + q), api("/api/v1/stats/timeseries?" + months), api("/api/v1/directory-gaps"), api("/api/v1/stats/summary?from=" + period.prev.from + "&to=" + period.prev.to), api("/api/v1/stats/next?" + q), api("/api/v1/agencies"),
      // the documents sealed otherwise than by their sender, by how (the API lists one binding at a time)
      ...NOT_SENDER.map((b) => api("/api/v1/documents?limit=500&binding=" + b + "&" + q))]);
  } catch (e) {
    return mine === loads ? refused(e) : undefined;
  }
  if (mine !== loads) return;
  $("report").hidden = false;
  $("rate").textContent = pct(s.rate);
  $("rate").className = s.rate !== null && s.rate >= s.target ? "ok" : "lag";
  $("rateOf").textContent = T.rate + ": " + s.numerator + " " + T.of + " " + s.denominator + " " + T.docs + " (" + T.target + " " + pct(s.target) + ")";
  $("gap").textContent = T.gap + ": " + s.gap + " " + T.docs;
  const slope = s.trend.slopePerMonth;
  $("trend").textContent = T.trend + ": " + (slope === null ? "–" : NUM.format(slope * 100) + " " + T.perMonth) + "; " + T.reach + ": " + (s.rate !== null && s.rate >= s.target ? T.already : s.trend.projectedMonth ?? T.never);
  $("nd30").textContent = T.nd30 + ": " + s.nd30Complete;
  const sb = s.sealedBySender;
  $("sealed").textContent = fillIn(SEAL.headline, { bySender: sb.bySender, signedValid: sb.signedValid, share: pct(sb.share) });
  $("sealed").hidden = s.denominator === 0;
  $("change").textContent = before.rate === null || s.rate === null ? T.noBefore(period.prev.label) : T.change(period.prev.label, pct(before.rate), (s.rate >= before.rate ? "+" : "−") + NUM.format(Math.abs(s.rate - before.rate) * 100));
  $("next").replaceChildren(...next.steps.map((x) => el("li", nextText(x))));
  if (s.denominator === 0) $("rateOf").textContent = T.none;
  province = { series: m.series, target: s.target };
  showMonths(null);
  const body = $("agencies");
  body.replaceChildren();
  for (const g of a.agencies) {
    if (g.denominator === 0) continue;
    const tr = el("tr", undefined, g.rate !== null && g.rate < a.target ? "lag" : "");
    // each cell keeps the value it sorts by: rank, code, name, rate, volume, gap
    const sealed = g.sealedBySender.signedValid ? pct(g.sealedBySender.share) + " (" + g.sealedBySender.bySender + "/" + g.sealedBySender.signedValid + ")" : "–";
    for (const [v, key] of [[g.rank ?? "–", g.rank ?? 1e9], [g.code, g.code], [g.name, g.name], [pct(g.rate), g.rate ?? -1], [g.numerator + " / " + g.denominator, g.denominator], [g.gap, g.gap], [sealed, g.sealedBySender.share ?? -1]]) { const td = el("td", v); td.dataset.key = String(key); tr.append(td); }
    tr.dataset.code = g.code;
    tr.dataset.below = String(g.rate !== null && g.rate < a.target);
    tr.dataset.tier = g.tier ?? "";
    tr.dataset.group = g.group ?? "";
    tr.tabIndex = 0;
    const pick = () => { showMonths(g); reasons(g); };
    tr.addEventListener("click", pick);
    tr.addEventListener("keydown", (e) => { if (e.key === "Enter") pick(); });
    body.append(tr);
  }
  filterAgencies();
  reasons(null);
  showNotSealed(notSealed, new Map(dir.agencies.map((x) => [x.code, x.name])));
  const cats = $("categories");
  cats.replaceChildren();
  for (const [k, v] of Object.entries(s.byCategory)) cats.append(el("li", (CATEGORY[k] ?? k) + ": " + v));
  // what is outside every category until someone acts: the IT department's list
  const held = $("held");
  held.replaceChildren();
  for (const [k, v] of Object.entries(g.held)) held.append(el("li", (T.held[k] ?? k) + ": " + v));
  // messages the store could not take as they are: not counted, for the IT department to resolve
  if (g.conflicts && g.conflicts.length) held.append(el("li", T.held.conflict + ": " + g.conflicts.length));
  const gaps = $("gaps");
  gaps.replaceChildren();
  for (const x of g.gaps) gaps.append(el("li", x.code + ": " + x.documents + " " + T.gapDocs));
  $("heldSection").hidden = g.gaps.length === 0 && Object.keys(g.held).length === 0 && !(g.conflicts && g.conflicts.length);
}
/** What to do next (GET /api/v1/stats/next: the rule is the server's, the words are the page's). */
function nextText(step) {
  const values = step.kind === "agencies" ? { list: step.agencies.map((x) => x.name + " (" + x.gap + ")").join(", ") }
    : step.kind === "reason" ? { reason: CATEGORY[step.category] ?? step.category, documents: step.documents, action: ACTIONS[step.category] ?? step.category }
    : step.kind === "directory" ? { codes: step.codes, documents: step.documents }
    : step.kind === "seal" ? { list: step.agencies.map((x) => x.name + " (" + x.documents + ")").join(", ") } : {};
  return NEXT[step.kind] ? fillIn(NEXT[step.kind], values) : "";
}
const NOT_SENDER = ["another-agency", "not-matched", "no-organisation-signature"];
/** Who sealed a document its sender did not seal: the directory's name, else the certificate's (as leadership's report says it). */
function sealer(b, names) {
  if (b.status === "another-agency" && b.agency) return names.get(b.agency) ?? b.name;
  if (b.status === "no-organisation-signature") return b.name ? fillIn(SEAL.officials, { name: b.name }) : SEAL.officialsNoName;
  return fillIn(b.candidates && b.candidates.length ? SEAL.ambiguous : SEAL.notInDirectory, { name: b.name, candidates: (b.candidates ?? []).join(", ") });
}
/**
 * The period's validly signed documents their sender did not seal (those the share above leaves out), in
 * leadership's report's order: by how, by who sealed them, by sender; each number opens its report here.
 */
function showNotSealed(pages, names) {
  const docs = pages.flatMap((p) => p.documents).filter((d) => d.category === "signed-valid" || d.category === "signed-valid-not-sender").map((d) => ({ d, by: sealer(d.signerBinding, names), from: names.get(d.sender) ?? d.sender }));
  docs.sort((x, y) => NOT_SENDER.indexOf(x.d.signerBinding.status) - NOT_SENDER.indexOf(y.d.signerBinding.status) || x.by.localeCompare(y.by, "vi") || x.from.localeCompare(y.from, "vi") || (x.d.issuedDate ?? x.d.receivedAt).slice(0, 10).localeCompare((y.d.issuedDate ?? y.d.receivedAt).slice(0, 10)) || (x.d.number ?? "").localeCompare(y.d.number ?? "", "vi", { numeric: true }));
  const body = $("sealedList");
  body.replaceChildren();
  for (const { d, by, from } of docs) {
    const tr = el("tr");
    tr.dataset.id = d.id;
    tr.dataset.binding = d.signerBinding.status;
    const a = el("a", d.number ?? "–");
    a.href = "/auditor?document=" + encodeURIComponent(d.id) + (en ? "&lang=en" : "");
    a.addEventListener("click", (e) => { e.preventDefault(); showDocument(d.id, a); });
    const number = el("td");
    number.append(a);
    tr.append(number, el("td", vnDate(d.issuedDate ?? d.receivedAt)), el("td", from), el("td", by));
    body.append(tr);
  }
  $("sealedBox").hidden = docs.length === 0;
  $("sealedNone").hidden = docs.length > 0;
  $("sealedMore").textContent = T.moreDocs;
  $("sealedMore").hidden = !pages.some((p) => p.next);
}
let province = null;
// the monthly chart: the province's, or one agency's (asked of the API when chosen)
async function showMonths(g) {
  $("all").hidden = !g;
  for (const tr of $("agencies").children) tr.classList.toggle("chosen", !!g && tr.dataset.code === g.code);
  if (!g) { $("monthlyH").textContent = T.monthly; return chart(province.series, province.target); }
  try {
    const t = await api("/api/v1/stats/timeseries?from=" + addMonths(period.to.slice(0, 7), -11) + "-01&to=" + period.to + "&agency=" + encodeURIComponent(g.code));
    $("monthlyH").textContent = T.monthly + " — " + g.name + " (" + g.code + ")";
    chart(t.series, t.target);
  } catch (e) { showError(e instanceof TypeError ? T.eNet : e.message); }
}
$("all").addEventListener("click", () => { showMonths(null); reasons(null); });
/** The chosen agency's documents that do not count, by reason (none chosen: the list is hidden). */
function reasons(g) {
  const list = $("reasons");
  list.replaceChildren();
  $("reasonsSection").hidden = !g;
  if (!g) return;
  // the chosen agency's own figures, beside its chart, which is brought into view
  $("agencyFigures").textContent = T.agencyFig(g.name + " (" + g.code + ")", pct(g.rate), g.numerator, g.denominator, g.gap, g.rank ?? "–");
  $("monthlyH").scrollIntoView({ block: "start" });
  const reason = (label, v, filter, data) => {
    const li = el("li");
    const b = el("button", label + ": " + v + " " + T.docs, "reason");
    b.type = "button";
    Object.assign(b.dataset, data);
    b.setAttribute("aria-expanded", "false");
    b.addEventListener("click", () => documentsBehind(g, filter, li, b));
    li.append(b);
    list.append(li);
  };
  for (const [k, v] of Object.entries(g.byCategory ?? {})) if (v > 0 && k !== "signed-valid" && k !== "excluded") reason(CATEGORY[k] ?? k, v, "category=" + encodeURIComponent(k), { category: k });
  // documents no category holds until someone acts: revoked, replaced, naming an agency the directory lacks
  for (const [k, v] of Object.entries(g.held ?? {})) if (v > 0) reason(T.heldReason + " — " + (T.held[k] ?? k), v, "held=" + encodeURIComponent(k), { held: k });
  if (!list.children.length) list.append(el("li", T.already));
}
/**
 * The documents behind one reason of one agency, in the period: number, date and subject, each opening its
 * report here (a viewer key reads reports); the link itself leads to the auditors' page, for evidence.
 */
async function documentsBehind(g, filter, li, button) {
  const open = li.querySelector("ul");
  if (open) { open.remove(); button.setAttribute("aria-expanded", "false"); return; }
  let page;
  try {
    page = await api("/api/v1/documents?limit=100&agency=" + encodeURIComponent(g.code) + "&" + filter + "&from=" + period.from + "&to=" + period.to);
  } catch (e) { return refused(e); }
  const ul = el("ul", undefined, "documents");
  for (const d of page.documents) {
    const item = el("li");
    const a = el("a", (d.number ?? "–") + " (" + vnDate(d.issuedDate ?? d.receivedAt) + ")");
    a.href = "/auditor?document=" + encodeURIComponent(d.id) + (en ? "&lang=en" : "");
    a.addEventListener("click", (e) => { e.preventDefault(); showDocument(d.id, a); });
    item.append(a, d.subject ? " — " + d.subject : "");
    ul.append(item);
  }
  if (page.next) ul.append(el("li", T.moreDocs));
  li.append(ul);
  button.setAttribute("aria-expanded", "true");
}
/** One document's report page, in a frame made from its text (sandboxed: no script, no origin). */
async function showDocument(id, from) {
  let r;
  try { r = await fetch("/api/v1/documents/" + encodeURIComponent(id) + "/report.html" + (en ? "?lang=en" : ""), { headers: { authorization: "Bearer " + sessionStorage.getItem("kysoKey") } }); }
  catch { return showError(T.eNet); }
  if (!r.ok) return showError((await r.json().catch(() => null))?.error?.message ?? "HTTP " + r.status);
  $("docFrame").srcdoc = await r.text();
  $("docEvidence").href = "/auditor?document=" + encodeURIComponent(id) + (en ? "&lang=en" : "");
  $("docViewer").dataset.id = id;
  $("docViewer").hidden = false;
  $("docClose").onclick = () => { $("docViewer").hidden = true; from.focus(); };
  $("docClose").focus();
}
/** Rows shown: the name or code contains the words typed, the tier and group chosen (the directory's, from the API), below the target if asked. */
function filterAgencies() {
  const words = $("agencyFilter").value.trim().toLocaleLowerCase("vi").split(/\s+/).filter(Boolean);
  const tier = $("level").value;
  const group = $("group").value;
  for (const tr of $("agencies").children) {
    const text = (tr.children[1].textContent + " " + tr.children[2].textContent).toLocaleLowerCase("vi");
    tr.hidden = !(words.every((w) => text.includes(w)) && (tier === "" || tr.dataset.tier === tier) && (group === "" || tr.dataset.group === group) && (!$("belowOnly").checked || tr.dataset.below === "true"));
  }
}
for (const id of ["agencyFilter", "level", "group", "belowOnly"]) $(id).addEventListener("input", filterAgencies);
for (const [v, k] of [["", "levelAll"], ["province", "tierProvince"], ["district", "tierDistrict"], ["commune", "tierCommune"]]) { const o = el("option", T[k]); o.value = v; $("level").append(o); }
for (const [v, k] of [["", "levelAll"], ["committee", "groupCommittee"], ["department", "groupDepartment"], ["other", "groupOther"]]) { const o = el("option", T[k]); o.value = v; $("group").append(o); }
// the table sorted by a column, from the keyboard too: rank, rate, volume and gap as numbers, the rate,
// volume and gap largest first
sortable($("agencyTable"), $("agencies"), (col) => col !== 1 && col !== 2, (col) => col >= 3);
function chart(series, target) {
  // an axis (0, 50, 100 %), each month's bar with its value, months without documents said so, and the
  // target as a labelled dashed line; the whole series as the chart's text alternative
  const svg = $("chart"), ns = "http://www.w3.org/2000/svg", w = 40, h = 160, left = 34, top = 14;
  const node = (tag, attrs, text) => { const e = document.createElementNS(ns, tag); for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v)); if (text !== undefined) e.textContent = text; return e; };
  const y = (r) => top + h - r * h;
  svg.replaceChildren();
  svg.setAttribute("viewBox", "0 0 " + (left + series.length * w + 10) + " " + (top + h + 30));
  svg.setAttribute("aria-label", T.chartLabel + ": " + series.map((p) => p.month.slice(5) + "/" + p.month.slice(0, 4) + " " + (p.denominator ? pct(p.rate) : T.noDocs)).join("; ") + ". " + T.target + " " + pct(target) + ".");
  for (const v of [0, 0.5, 1]) {
    svg.append(node("line", { x1: left, x2: left + series.length * w, y1: y(v), y2: y(v), class: "grid" }));
    svg.append(node("text", { x: 0, y: y(v) + 3 }, pct(v).replace(/[.,]0%/, "%")));
  }
  series.forEach((p, i) => {
    const r = p.rate ?? 0;
    const x = left + i * w + 6;
    const bar = node("rect", { x, y: y(r), width: w - 12, height: r * h, class: p.rate !== null && p.rate >= target ? "ok" : "lag" });
    bar.append(node("title", {}, p.month + ": " + pct(p.rate) + " (" + p.numerator + "/" + p.denominator + ")"));
    svg.append(bar);
    svg.append(node("text", { x, y: p.denominator ? y(r) - 3 : y(0) - 3, class: p.denominator ? "value" : "none" }, p.denominator ? pct(p.rate) : T.noDocsShort));
    svg.append(node("text", { x: x + 4, y: top + h + 16 }, p.month.slice(5)));
  });
  svg.append(node("line", { x1: left, x2: left + series.length * w, y1: y(target), y2: y(target), class: "target" }));
  svg.append(node("text", { x: left + series.length * w - 70, y: y(target) - 4, class: "targetLabel" }, T.target + " " + pct(target)));
}
$("keyForm").addEventListener("submit", (e) => { e.preventDefault(); sessionStorage.setItem("kysoKey", $("key").value.trim()); $("key").value = ""; load(); });
$("forget").addEventListener("click", () => { sessionStorage.removeItem("kysoKey"); load(); });
for (const id of ["year", "quarter", "month", "from", "to"]) $(id).addEventListener("change", () => { if (chosen()) load(); });
$("kind").addEventListener("change", () => { showKind(); if (chosen()) load(); });
async function download(path, name) {
  try {
    const r = await fetch(path, { headers: { authorization: "Bearer " + sessionStorage.getItem("kysoKey") } });
    if (!r.ok) throw new Error(((await r.json().catch(() => null))?.error?.message) ?? "HTTP " + r.status);
    save(await r.blob(), name);
  } catch (e) { showError(e instanceof TypeError ? T.eNet : e.message); }
}
$("csv").addEventListener("click", () => download("/api/v1/stats/agencies?format=csv&from=" + period.from + "&to=" + period.to, "kyso-agencies-" + (period.key ?? period.from + "-" + period.to) + ".csv"));
$("pdf").addEventListener("click", () => download("/api/v1/reports/leadership?format=pdf&period=" + period.key, "kyso-bao-cao-" + period.key + ".pdf"));
$("xlsx").addEventListener("click", () => download("/api/v1/reports/leadership?format=xlsx&period=" + period.key, "kyso-bao-cao-" + period.key + ".xlsx"));
load();
`;

export const DASHBOARD_CSP = pageCsp(SCRIPT);

export const DASHBOARD_HTML = `${pageHead(`body { max-width: 70em; }
#rate { font-size: 3em; font-weight: 700; } .ok { color: #1b7a2a; fill: #5cb85c; } .lag { color: #b03020; fill: #d9534f; }
tr.lag td { background: #fbeeee; } #agencies tr { cursor: pointer; } #agencies tr.chosen td { outline: 2px solid #333; }
#error { color: #b03020; font-weight: 600; } svg { width: 100%; max-width: 40em; height: 14em; } line.target { stroke: #1b5e20; stroke-dasharray: 4 3; }
svg text { font-size: 9px; fill: #555; } svg text.value { fill: #222; } svg text.targetLabel { fill: #1b5e20; font-weight: 700; } line.grid { stroke: #ddd; }
button.reason { background: none; border: none; font: inherit; padding: 0; cursor: pointer; text-decoration: underline; color: #0645ad; }
@media (max-width: 40em) { #rate { font-size: 2.2em; } }`)}
<body>
<h1 id="h"></h1>
<form id="keyForm"><label for="key" id="keyLabel"></label> <input id="key" type="password" autocomplete="off" size="50"> <button id="show" type="submit"></button></form>
<p id="error" hidden></p>
<p><label for="kind" id="kindLabel"></label> <select id="kind"></select>
<span id="yearBox"><label for="year" id="yearLabel"></label> <input id="year" type="number" min="2000" max="2100"></span>
<span id="quarterBox" hidden><label for="quarter" id="quarterLabel"></label> <select id="quarter"></select></span>
<span id="monthBox" hidden><label for="month" id="monthLabel"></label> <select id="month"></select></span>
<span id="customBox" hidden><label for="from" id="fromLabel"></label> <input id="from" type="date"> <label for="to" id="toLabel"></label> <input id="to" type="date"></span>
<button id="forget" type="button"></button></p>
<section id="report" hidden>
<div id="rate"></div>
<p id="rateOf"></p>
<p id="gap"></p>
<p id="trend"></p>
<p id="nd30"></p>
<p id="sealed"></p>
<p id="change"></p>
<h2 id="nextH"></h2>
<ul id="next"></ul>
<p><button id="pdf" type="button"></button> <button id="xlsx" type="button"></button></p>
<h2 id="monthlyH"></h2>
<p><button id="all" type="button" hidden></button></p>
<svg id="chart" role="img"></svg>
<div id="reasonsSection" hidden><p id="agencyFigures"></p><h3 id="reasonsH"></h3><ul id="reasons"></ul></div>
<section id="docViewer" hidden><h3 id="docH"></h3><p><button id="docClose" type="button"></button> <a id="docEvidence" target="_blank" rel="noopener"></a></p><iframe id="docFrame" sandbox="" title="report"></iframe></section>
<h2 id="agenciesH"></h2>
<p><button id="csv" type="button"></button></p>
<p><label for="agencyFilter" id="filterLabel"></label> <input id="agencyFilter" type="search" size="20"> <label for="level" id="levelLabel"></label> <select id="level"></select> <label for="group" id="groupLabel"></label> <select id="group"></select> <input id="belowOnly" type="checkbox"> <label for="belowOnly" id="belowLabel"></label></p>
<div class="scroll"><table id="agencyTable"><thead><tr><th><button type="button" class="sort" data-col="0" id="thRank"></button></th><th><button type="button" class="sort" data-col="1" id="thCode"></button></th><th><button type="button" class="sort" data-col="2" id="thAgency"></button></th><th><button type="button" class="sort" data-col="3" id="thRate"></button></th><th><button type="button" class="sort" data-col="4" id="thSigned"></button></th><th><button type="button" class="sort" data-col="5" id="thGap"></button></th><th><button type="button" class="sort" data-col="6" id="thSealed"></button></th></tr></thead><tbody id="agencies"></tbody></table></div>
<h2 id="sealedH"></h2>
<p id="sealedNone" hidden></p>
<div class="scroll" id="sealedBox" hidden><table id="sealedTable"><thead><tr><th id="thSealNumber"></th><th id="thSealDate"></th><th id="thSealSender"></th><th id="thSealBy"></th></tr></thead><tbody id="sealedList"></tbody></table></div>
<p id="sealedMore" hidden></p>
<h2 id="categoriesH"></h2>
<ul id="categories"></ul>
<div id="heldSection" hidden>
<h2 id="heldH"></h2>
<ul id="held"></ul>
<h3 id="gapsH"></h3>
<ul id="gaps"></ul>
</div>
</section>
<script>${SCRIPT}</script>
</body>
</html>
`;
