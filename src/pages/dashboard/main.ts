// The dashboard's script (GET /dashboard): the viewer key entered once (kept in the tab), then the
// period's figure, what to do next, the twelve months' chart, the per-agency ranking, the documents their
// sender did not seal and what is not counted yet, all read from the API with the key as a bearer token.
import type { NextStep } from "../../compliance/next-steps.js";
import { fillIn, SEALED } from "../../api/report-words.js";
import { $, el, errorOf, label, rovingRows, save, sayError, sortable } from "../shared/dom.js";
import { oneDecimal, percent, vnDate } from "../shared/format.js";
import { en, LANG } from "../shared/lang.js";
import { keyFormSignsIn, sessionRole } from "../shared/session.js";
import { showTrustWarning } from "../shared/trust-box.js";
import { COUNTED, counted } from "../shared/plural.js";
import { inLang, pageWords } from "../shared/words.js";
import type { AgencyFigure, DirectoryGaps, DocumentPage, MonthPoint, Summary } from "./api.js";
import { boundsText, chartStart, periodQuery, previousKey } from "./bounds.js";
import { type At, chartDrawing } from "./chart.js";
import { monthText, outlook, readerMonth } from "./headline.js";
import { nextText } from "./next.js";
import { openingYear, parseChoice, type Choice, type Kind, type Period, periodOf, periodParams } from "./period.js";
import { agencyCells, DEFAULT_SORT, DESCENDING_FIRST, gapNote, isBelow, keepsRow, NUMERIC_COLUMN, sharedRanks } from "./ranking.js";
import { NOT_SENDER, notSealedRows } from "./sealed.js";
import { DASHBOARD_WORDS } from "./words.js";

const T = DASHBOARD_WORDS[LANG];
const WORDS = pageWords(LANG);
const { CATEGORY } = WORDS;
// who sealed the validly signed documents: the words leadership's PDF and workbook use too
const SEAL = inLang(SEALED, LANG);
const NUM = oneDecimal(LANG);
const pct = percent(LANG);
const input = (id: string): HTMLInputElement => $<HTMLInputElement>(id);
const select = (id: string): HTMLSelectElement => $<HTMLSelectElement>(id);
// the session this page was served for (its header says); a key form signs in when there is none
const signedIn = sessionRole() !== null;

document.documentElement.lang = LANG;
document.title = T.title;
label(T, [
  ["h", "title"],
  ["keyLabel", "key"],
  ["show", "show"],
  ["yearLabel", "year"],
  ["kindLabel", "kind"],
  ["quarterLabel", "quarter"],
  ["monthLabel", "month"],
  ["fromLabel", "from"],
  ["toLabel", "to"],
  ["monthlyH", "monthly"],
  ["agenciesH", "agencies"],
  ["csv", "csv"],
  ["pdf", "pdf"],
  ["xlsx", "xlsx"],
  ["all", "all"],
  ["categoriesH", "categories"],
  ["heldH", "heldH"],
  ["gapsH", "gaps"],
  ["filterLabel", "filter"],
  ["belowLabel", "belowOnly"],
  ["levelLabel", "level"],
  ["groupLabel", "group"],
  ["nextH", "nextH"],
  ["docH", "docH"],
  ["docClose", "docClose"],
  ["docEvidence", "docEvidence"],
  ["reasonsH", "reasonsH"],
  ["thRank", "rank"],
  ["thCode", "code"],
  ["thAgency", "agency"],
  ["thRate", "rateCol"],
  ["thSigned", "signed"],
  ["thGap", "gapCol"],
  ["agencyHint", "rowsHint"],
]);
label(SEAL, [
  ["thSealed", "column"],
  ["sealedH", "listH"],
  ["thSealNumber", "number"],
  ["thSealDate", "date"],
  ["thSealSender", "sender"],
  ["thSealBy", "sealedBy"],
  ["sealedNone", "none"],
]);

const option = (text: string, value: string): HTMLOptionElement => {
  const o = el("option", text);
  o.value = value;
  return o;
};
// the period: a year, a quarter, a month or any two days, kept in the URL; with none, the year of the
// latest month with documents
for (const k of ["year", "quarter", "month", "custom"] as const) select("kind").append(option(T.kinds[k], k));
for (let q = 1; q <= 4; q++) select("quarter").append(option(String(q), String(q)));
for (let m = 1; m <= 12; m++) select("month").append(option(String(m).padStart(2, "0"), String(m)));

/** Sets the picker to the period a URL names (a year, "2024-Q4", "2024-11", or two days). */
function choose(periodKey: string | null, from: string | null = null, to: string | null = null): void {
  const c = parseChoice(periodKey, from, to);
  if (c) for (const [id, v] of Object.entries(c)) $<HTMLInputElement | HTMLSelectElement>(id).value = v;
  showKind();
}
function showKind(): void {
  const k = select("kind").value;
  $("yearBox").hidden = k === "custom";
  $("quarterBox").hidden = k !== "quarter";
  $("monthBox").hidden = k !== "month";
  $("customBox").hidden = k !== "custom";
  $("pdf").hidden = $("xlsx").hidden = k === "custom";
}
/** The chosen period, and the one of the same length just before it. */
function chosen(): Period | null {
  const c: Choice = {
    kind: select("kind").value as Kind,
    year: input("year").value,
    quarter: select("quarter").value,
    month: select("month").value,
    from: input("from").value,
    to: input("to").value,
  };
  return periodOf(c, T);
}
{
  const u = new URLSearchParams(location.search);
  choose(u.get("period") ?? u.get("year"), u.get("from"), u.get("to"));
}

let period: Period | null = null;
/** the convention the server bounds periods by, as its last answer said (KYSO_REPORTING_PERIODS) */
let convention: "calendar" | "nd09" = "calendar";
async function api<R>(path: string): Promise<R> {
  const r = await fetch(path);
  if (r.status === 401) throw new Error(T.e401);
  if (r.status === 403) throw new Error(T.e403);
  if (!r.ok) throw new Error(await errorOf(r));
  return r.json() as Promise<R>;
}
/** An error said where focus goes (role=alert); an empty one hidden. */
function showError(message: string): void {
  sayError($("error"), message);
}
/** a request refused: say why; a session that ended or is not allowed here is asked to sign in again */
function refused(e: unknown): void {
  const message = e instanceof Error ? e.message : String(e);
  showError(e instanceof TypeError ? T.eNet : message);
  if (message === T.e401 || message === T.e403) $("keyForm").hidden = false;
}

let province: { series: MonthPoint[]; target: number } | null = null;
/** the rank each listed agency shows: equal rates share one */
let ranks = new Map<string, number>();
// a newer choice of period starts a newer load: an older one that answers late must not paint over it
let loads = 0;
async function load(): Promise<void> {
  const mine = ++loads;
  showError("");
  $("keyForm").hidden = signedIn;
  $("report").hidden = true;
  if (!signedIn) return;
  if (!chosen()) {
    try {
      const p = await api<{ latest: string | null }>("/api/v1/stats/periods");
      choose(openingYear(p.latest, new Date()));
    } catch (e) {
      return refused(e);
    }
  }
  const asked = chosen();
  if (!asked) return;
  const url = new URL(location.href);
  for (const k of ["year", "period", "from", "to"]) url.searchParams.delete(k);
  for (const [k, v] of periodParams(asked)) url.searchParams.set(k, v);
  history.replaceState(null, "", url);
  // a named period's days are the server's (its convention may close months on the 14th): every other
  // read takes the days its figure answered with
  let s: Summary;
  try {
    s = await api<Summary>("/api/v1/stats/summary?" + periodQuery(asked));
  } catch (e) {
    return mine === loads ? refused(e) : undefined;
  }
  if (mine !== loads) return;
  const at: Period = { ...asked, from: s.period.from, to: s.period.to };
  period = at;
  convention = s.periods ?? "calendar";
  const q = "from=" + at.from + "&to=" + at.to;
  const prevKey = previousKey(at.key);
  let a: { agencies: AgencyFigure[]; target: number },
    m: { series: MonthPoint[] },
    g: DirectoryGaps,
    before: Summary,
    next: { steps: NextStep[] },
    dir: { agencies: Array<{ code: string; name: string }> },
    notSealed: DocumentPage[];
  try {
    [a, m, g, before, next, dir, notSealed] = await Promise.all([
      api<{ agencies: AgencyFigure[]; target: number }>("/api/v1/stats/agencies?" + q),
      // the chart: the twelve months (reporting months under nd09) that end with the period
      api<{ series: MonthPoint[] }>("/api/v1/stats/timeseries?from=" + chartStart(at.to, convention) + "&to=" + at.to),
      api<DirectoryGaps>("/api/v1/directory-gaps"),
      api<Summary>("/api/v1/stats/summary?" + (prevKey ? "period=" + prevKey : "from=" + at.prev.from + "&to=" + at.prev.to)),
      api<{ steps: NextStep[] }>("/api/v1/stats/next?" + q),
      api<{ agencies: Array<{ code: string; name: string }> }>("/api/v1/agencies"),
      // the documents sealed otherwise than by their sender, by how (the API lists one binding at a time)
      Promise.all(NOT_SENDER.map((b) => api<DocumentPage>("/api/v1/documents?limit=500&binding=" + b + "&" + q))),
    ]);
  } catch (e) {
    return mine === loads ? refused(e) : undefined;
  }
  if (mine !== loads) return;
  $("periodBounds").textContent = boundsText(s, LANG);
  $("report").hidden = false;
  // every headline figure says its period beside it
  const inPeriod = (text: string): string => T.inPeriod(text, at.label);
  $("rate").textContent = pct(s.rate);
  $("rate").className = s.rate !== null && s.rate >= s.target ? "ok" : "lag";
  $("ratePeriod").textContent = at.label;
  $("rateOf").textContent =
    inPeriod(T.rate) + ": " + s.numerator + " " + T.of + " " + counted(s.denominator, COUNTED.documents, LANG) + " (" + T.target + " " + pct(s.target) + ")";
  $("gap").textContent = inPeriod(T.gap) + ": " + counted(s.gap, COUNTED.documents, LANG);
  $("trend").textContent = inPeriod(T.trend) + ": " + trendText(s);
  $("nd30").textContent = inPeriod(T.nd30) + ": " + s.nd30Complete;
  const sb = s.sealedBySender;
  $("sealed").textContent = fillIn(SEAL.headline ?? "", { bySender: sb.bySender, signedValid: sb.signedValid, share: pct(sb.share) }) + " (" + at.label + ")";
  $("sealed").hidden = s.denominator === 0;
  $("change").textContent =
    before.rate === null || s.rate === null
      ? T.noBefore(at.prev.label)
      : T.change(at.prev.label, pct(before.rate), (s.rate >= before.rate ? "+" : "−") + NUM(Math.abs(s.rate - before.rate) * 100));
  $("next").replaceChildren(...next.steps.map((x) => el("li", nextText(x, WORDS))));
  if (s.denominator === 0) $("rateOf").textContent = inPeriod(T.none);
  province = { series: m.series, target: s.target };
  void showMonths(null);
  const body = $("agencies");
  body.replaceChildren();
  const listed = a.agencies.filter((ag) => ag.denominator > 0);
  ranks = sharedRanks(listed);
  for (const ag of listed) {
    const tr = el("tr", undefined, isBelow(ag, a.target) ? "lag" : "");
    // each cell keeps the value it sorts by: rank, code, name, rate, volume, gap, sealed share
    for (const [v, k] of agencyCells(ag, ranks.get(ag.code) ?? null, pct)) {
      const td = el("td", v);
      td.dataset.key = k;
      tr.append(td);
    }
    tr.dataset.code = ag.code;
    tr.dataset.below = String(isBelow(ag, a.target));
    tr.dataset.tier = ag.tier ?? "";
    tr.dataset.group = ag.group ?? "";
    const pick = (): void => {
      void showMonths(ag);
      reasons(ag);
    };
    tr.addEventListener("click", pick);
    tr.addEventListener("keydown", (e) => {
      if (e.key === "Enter") pick();
    });
    body.append(tr);
  }
  sortAgencies();
  settleRows();
  const note = gapNote(s, listed, a.target);
  $("gapNote").textContent =
    note.kind === "add" ? T.gapsAdd(note.sum, note.province, note.surplus, note.rest) : note.kind === "reached" ? T.gapsReached(note.sum) : "";
  $("gapNote").hidden = note.kind === "none";
  filterAgencies();
  reasons(null);
  showNotSealed(notSealed, new Map(dir.agencies.map((x) => [x.code, x.name])));
  $("categories").replaceChildren(...Object.entries(s.byCategory).map(([k, v]) => el("li", (CATEGORY[k] ?? k) + ": " + v)));
  // what is outside every category until someone acts: the IT department's list
  const held = $("held");
  held.replaceChildren(...Object.entries(g.held).map(([k, v]) => el("li", (T.held[k as keyof typeof T.held] ?? k) + ": " + v)));
  // messages the store could not take as they are: not counted, for the IT department to resolve
  if (g.conflicts && g.conflicts.length) held.append(el("li", T.held.conflict + ": " + g.conflicts.length));
  $("gaps").replaceChildren(...g.gaps.map((x) => el("li", x.code + ": " + counted(x.documents, COUNTED.documents, LANG))));
  $("heldSection").hidden = g.gaps.length === 0 && Object.keys(g.held).length === 0 && !(g.conflicts && g.conflicts.length);
}

/** The trend and what it projects; none where the API computed none (a month, or one month with documents). */
function trendText(s: Summary): string {
  const o = outlook(s.rate, s.target, s.trend, readerMonth(new Date(), convention));
  if (o.kind === "none") return T.trendNone;
  const slope = NUM((s.trend.slopePerMonth ?? 0) * 100) + " " + T.perMonth;
  const what =
    o.kind === "reached"
      ? T.trendUp
      : o.kind === "never"
        ? T.trendNever
        : o.kind === "projected"
          ? T.projected(monthText(o.month))
          : T.missed(monthText(o.month));
  return slope + "; " + what;
}

/** A link to a document's evidence on the auditors' page that opens its report here instead. */
function documentLink(id: string, text: string): HTMLAnchorElement {
  const a = el("a", text);
  a.href = "/auditor?document=" + encodeURIComponent(id) + (en ? "&lang=en" : "");
  a.addEventListener("click", (e) => {
    e.preventDefault();
    void showDocument(id, a);
  });
  return a;
}

/**
 * The period's validly signed documents their sender did not seal (those the share above leaves out), in
 * leadership's report's order; each number opens its report here.
 */
function showNotSealed(pages: DocumentPage[], names: Map<string, string>): void {
  const rows = notSealedRows(pages, names, SEAL);
  const body = $("sealedList");
  body.replaceChildren();
  for (const { d, by, from } of rows) {
    const tr = el("tr");
    tr.dataset.id = d.id;
    tr.dataset.binding = d.signerBinding.status;
    const number = el("td");
    number.append(documentLink(d.id, d.number ?? "–"));
    tr.append(number, el("td", vnDate(d.issuedDate ?? d.receivedAt)), el("td", from), el("td", by));
    body.append(tr);
  }
  $("sealedBox").hidden = rows.length === 0;
  $("sealedNone").hidden = rows.length > 0;
  $("sealedMore").textContent = T.moreDocs;
  $("sealedMore").hidden = !pages.some((p) => p.next);
}

// the monthly chart: the province's, or one agency's (asked of the API when chosen)
async function showMonths(g: AgencyFigure | null): Promise<void> {
  $("all").hidden = !g;
  for (const tr of $("agencies").children) tr.classList.toggle("chosen", !!g && (tr as HTMLElement).dataset.code === g.code);
  if (!g || !period) {
    $("monthlyH").textContent = T.monthly;
    if (province) chart(province.series, province.target);
    return;
  }
  try {
    const t = await api<{ series: MonthPoint[]; target: number }>(
      "/api/v1/stats/timeseries?from=" + chartStart(period.to, convention) + "&to=" + period.to + "&agency=" + encodeURIComponent(g.code),
    );
    $("monthlyH").textContent = T.monthly + " — " + g.name + " (" + g.code + ")";
    chart(t.series, t.target);
  } catch (e) {
    showError(e instanceof TypeError ? T.eNet : (e as Error).message);
  }
}
$("all").addEventListener("click", () => {
  void showMonths(null);
  reasons(null);
});

/** The chosen agency's documents that do not count, by reason (none chosen: the list is hidden). */
function reasons(g: AgencyFigure | null): void {
  const list = $("reasons");
  list.replaceChildren();
  $("reasonsSection").hidden = !g;
  if (!g) return;
  // the chosen agency's own figures, beside its chart, which is brought into view
  $("agencyFigures").textContent = T.agencyFig(g.name + " (" + g.code + ")", pct(g.rate), g.numerator, g.denominator, g.gap, ranks.get(g.code) ?? "–");
  // and focus moves there: the reader chose it (its figures are read first, its chart shown above them)
  $("agencyFigures").focus({ preventScroll: true });
  $("monthlyH").scrollIntoView({ block: "start" });
  const reason = (text: string, v: number, filter: string, data: Record<string, string>): void => {
    const li = el("li");
    const b = el("button", text + ": " + counted(v, COUNTED.documents, LANG), "reason");
    b.type = "button";
    Object.assign(b.dataset, data);
    b.setAttribute("aria-expanded", "false");
    b.addEventListener("click", () => void documentsBehind(g, filter, li, b));
    li.append(b);
    list.append(li);
  };
  for (const [k, v] of Object.entries(g.byCategory ?? {}))
    if (v > 0 && k !== "signed-valid" && k !== "excluded") reason(CATEGORY[k] ?? k, v, "category=" + encodeURIComponent(k), { category: k });
  // documents no category holds until someone acts: revoked, replaced, naming an agency the directory lacks
  for (const [k, v] of Object.entries(g.held ?? {}))
    if (v > 0) reason(T.heldReason + " — " + (T.held[k as keyof typeof T.held] ?? k), v, "held=" + encodeURIComponent(k), { held: k });
  if (!list.children.length) list.append(el("li", T.already));
}

/**
 * The documents behind one reason of one agency, in the period: number, date and subject, each opening its
 * report here (a viewer key reads reports); the link itself leads to the auditors' page, for evidence.
 */
async function documentsBehind(g: AgencyFigure, filter: string, li: HTMLElement, button: HTMLElement): Promise<void> {
  const open = li.querySelector("ul");
  if (open) {
    open.remove();
    button.setAttribute("aria-expanded", "false");
    return;
  }
  if (!period) return;
  let page: DocumentPage;
  try {
    page = await api<DocumentPage>(
      "/api/v1/documents?limit=100&agency=" + encodeURIComponent(g.code) + "&" + filter + "&from=" + period.from + "&to=" + period.to,
    );
  } catch (e) {
    return refused(e);
  }
  const ul = el("ul", undefined, "documents");
  for (const d of page.documents) {
    const item = el("li");
    item.append(documentLink(d.id, (d.number ?? "–") + " (" + vnDate(d.issuedDate ?? d.receivedAt) + ")"), d.subject ? " — " + d.subject : "");
    ul.append(item);
  }
  if (page.next) ul.append(el("li", T.moreDocs));
  li.append(ul);
  button.setAttribute("aria-expanded", "true");
}

/** One document's report page, in a frame made from its text (sandboxed: no script, no origin). */
async function showDocument(id: string, from: HTMLElement): Promise<void> {
  let r: Response;
  try {
    r = await fetch("/api/v1/documents/" + encodeURIComponent(id) + "/report.html" + (en ? "?lang=en" : ""));
  } catch {
    return showError(T.eNet);
  }
  if (!r.ok) return showError(await errorOf(r));
  $<HTMLIFrameElement>("docFrame").srcdoc = await r.text();
  $<HTMLAnchorElement>("docEvidence").href = "/auditor?document=" + encodeURIComponent(id) + (en ? "&lang=en" : "");
  $("docViewer").dataset.id = id;
  $("docViewer").hidden = false;
  $("docClose").onclick = () => {
    $("docViewer").hidden = true;
    from.focus();
  };
  $("docClose").focus();
}
// Escape closes the report as its button does, from anywhere in the viewer
$("docViewer").addEventListener("keydown", (e) => {
  if (e.key === "Escape") $("docClose").click();
});

/** Rows shown: the name or code contains the words typed, the tier and group chosen (the directory's, from the API), below the target if asked. */
function filterAgencies(): void {
  const f = { words: input("agencyFilter").value, tier: select("level").value, group: select("group").value, belowOnly: input("belowOnly").checked };
  for (const tr of $("agencies").children as HTMLCollectionOf<HTMLElement>) {
    tr.hidden = !keepsRow(
      {
        text: tr.children[1]?.textContent + " " + tr.children[2]?.textContent,
        tier: tr.dataset.tier ?? "",
        group: tr.dataset.group ?? "",
        below: tr.dataset.below === "true",
      },
      f,
    );
  }
  settleRows();
}
for (const id of ["agencyFilter", "level", "group", "belowOnly"]) $(id).addEventListener("input", filterAgencies);
for (const [v, k] of [
  ["", "levelAll"],
  ["province", "tierProvince"],
  ["district", "tierDistrict"],
  ["commune", "tierCommune"],
] as const)
  select("level").append(option(T[k], v));
for (const [v, k] of [
  ["", "levelAll"],
  ["committee", "groupCommittee"],
  ["department", "groupDepartment"],
  ["other", "groupOther"],
] as const)
  select("group").append(option(T[k], v));
// the table sorted by a column, from the keyboard too: rank, rate, volume and gap as numbers, the rate,
// volume and gap largest first; it opens with the laggards first (the largest gap)
const sortAgencies = sortable($("agencyTable"), $("agencies"), NUMERIC_COLUMN, DESCENDING_FIRST, DEFAULT_SORT);
// the rows are one Tab stop, the arrow keys move among them (the 38th agency is not 38 Tabs down)
const settleRows = rovingRows($("agencies"));

/** the chart last drawn: drawn again when the window's width changes (a phone turned), for its new box */
let drawn: { series: MonthPoint[]; target: number } | null = null;
addEventListener("resize", () => drawn && chart(drawn.series, drawn.target));

function chart(series: MonthPoint[], target: number): void {
  drawn = { series, target };
  // an axis (0, 50, 100 %), each month's bar with its value, months without documents said so, and the
  // target as a labelled dashed line; the whole series as the chart's text alternative
  const svg = $("chart") as unknown as SVGSVGElement;
  const ns = "http://www.w3.org/2000/svg";
  const node = (tag: string, attrs: Record<string, string | number>, text?: string): SVGElement => {
    const e = document.createElementNS(ns, tag) as SVGElement;
    for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
    if (text !== undefined) e.textContent = text;
    return e;
  };
  // drawn for the box it has (standing bars, or one row a month on a phone) at a scale of at least 1, so
  // its 12 px labels are at least 12 px on the screen
  const c = chartDrawing(series, target, svg.parentElement?.clientWidth ?? 0);
  const at = (a: At): Record<string, number | string> => ({ x: a.x, y: a.y, ...(a.end ? { "text-anchor": "end" } : {}) });
  svg.replaceChildren();
  svg.setAttribute("viewBox", "0 0 " + c.width + " " + c.height);
  svg.setAttribute("width", String(c.width));
  svg.dataset.shape = c.shape;
  svg.setAttribute(
    "aria-label",
    T.chartLabel +
      ": " +
      series
        .map(
          (p) =>
            p.month.slice(5) + "/" + p.month.slice(0, 4) + " " + (p.denominator ? pct(p.rate) + " (" + T.counts(p.numerator, p.denominator) + ")" : T.noDocs),
        )
        .join("; ") +
      ". " +
      T.target +
      " " +
      pct(target) +
      ".",
  );
  for (const t of c.grid) {
    svg.append(node("line", { x1: t.x1, x2: t.x2, y1: t.y1, y2: t.y2, class: "grid" }));
    svg.append(node("text", at(t.label), pct(t.v).replace(/[.,]0%/, "%")));
  }
  c.marks.forEach(({ bar: b, value, month: monthAt, count }, i) => {
    const p = series[i]!;
    const month = node("g", { class: "month", "data-kind": b.kind, "data-month": b.month, "data-documents": p.denominator });
    const bar = node("rect", { x: b.x, y: b.y, width: b.width, height: b.height, class: b.kind });
    bar.append(node("title", {}, p.month + ": " + pct(p.rate) + " (" + p.numerator + "/" + p.denominator + ")"));
    month.append(bar);
    month.append(node("text", { ...at(value), class: b.hasDocuments ? "value" : "none" }, b.hasDocuments ? pct(p.rate) : T.noDocsShort));
    month.append(node("text", at(monthAt), p.month.slice(5)));
    // the month's counted documents of all its documents, so a full bar of one document reads as one
    month.append(node("text", { ...at(count), class: "count" }, b.count ? T.counts(b.count.numerator, b.count.denominator) : T.noCount));
    svg.append(month);
  });
  svg.append(node("line", { x1: c.target.x1, x2: c.target.x2, y1: c.target.y1, y2: c.target.y2, class: "target" }));
  svg.append(node("text", { ...at(c.target.label), class: "targetLabel" }, T.target + " " + pct(target)));
}

keyFormSignsIn($<HTMLFormElement>("keyForm"), input("key"), (r) => showError(r === "network" ? T.eNet : T.e401));
// figures made from reports under another trust store than this server's: said above them
showTrustWarning($("trustWarning"), LANG);
for (const id of ["year", "quarter", "month", "from", "to"])
  $(id).addEventListener("change", () => {
    if (chosen()) void load();
  });
$("kind").addEventListener("change", () => {
  showKind();
  if (chosen()) void load();
});
async function download(path: string, name: string): Promise<void> {
  try {
    const r = await fetch(path);
    if (!r.ok) throw new Error(await errorOf(r));
    save(await r.blob(), name);
  } catch (e) {
    showError(e instanceof TypeError ? T.eNet : (e as Error).message);
  }
}
$("csv").addEventListener(
  "click",
  () =>
    period &&
    void download(
      "/api/v1/stats/agencies?format=csv&from=" + period.from + "&to=" + period.to,
      "kyso-agencies-" + (period.key ?? period.from + "-" + period.to) + ".csv",
    ),
);
$("pdf").addEventListener(
  "click",
  () => period && void download("/api/v1/reports/leadership?format=pdf&period=" + period.key, "kyso-bao-cao-" + period.key + ".pdf"),
);
$("xlsx").addEventListener(
  "click",
  () => period && void download("/api/v1/reports/leadership?format=xlsx&period=" + period.key, "kyso-bao-cao-" + period.key + ".xlsx"),
);
void load();
