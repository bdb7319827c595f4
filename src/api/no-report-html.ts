// The page for a document kyso has no report of (GET /api/v1/documents/:id/report.html): a paper exchange,
// a file that is not a PDF or could not be read, one still waiting for its analysis, one held out of the
// figures. It says which, in the reader's language, with what the figures count it as, instead of an
// error body a person cannot use.
import type { DocumentRow } from "../store/sqlite/documents.js";
import type { Lang } from "../verify/messages.js";
import { CATEGORIES, UI, word } from "./report-words.js";
import { moment } from "./exports/format.js";
import { KEYBOARD_STYLE, MAIN_OPEN, skipLink } from "./page.js";

const esc = (s: unknown): string => String(s ?? "").replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const WHY: Record<string, { vi: string; en: string }> = {
  paper: {
    vi: "Văn bản giấy: trao đổi không qua đường điện tử, nên không có tệp để kiểm tra chữ ký số. Văn bản vẫn được tính vào mẫu số.",
    en: "A paper exchange: it did not travel electronically, so there is no file whose signatures could be checked. It still counts in the denominator.",
  },
  "not-pdf": {
    vi: "Tệp không phải PDF (ví dụ .doc): được lưu lại và tính là văn bản điện tử không phải PDF; không có chữ ký PDF để kiểm tra.",
    en: "The file is not a PDF (a .doc, say): it is kept and counted as electronic but not a PDF; there is no PDF signature to check.",
  },
  broken: { vi: "Tệp không đọc được: ", en: "The file could not be read: " },
  pending: {
    vi: "Văn bản đang chờ phân tích; báo cáo sẽ có khi phân tích xong.",
    en: "The document is waiting for its analysis; the report appears when it is done.",
  },
  failed: {
    vi: "Mọi lần phân tích đều không thành công; văn bản được tính là không đọc được. Lý do: ",
    en: "Every analysis attempt failed; the document counts as unreadable. Reason: ",
  },
};

export function renderNoReportHtml(d: DocumentRow, senderName: string | null, lang: Lang): string {
  const t = (k: string) => word(UI, k, lang);
  const why =
    d.channel === "paper" && !d.sha256
      ? WHY.paper![lang]
      : d.file_kind === "not-pdf"
        ? WHY["not-pdf"]![lang]
        : d.file_kind === "broken"
          ? WHY.broken![lang] + (d.failure ?? "")
          : d.status === "failed"
            ? WHY.failed![lang] + (d.failure ?? "")
            : WHY.pending![lang];
  const held = d.held ? ` (${lang === "vi" ? "không tính vào số liệu" : "held out of the figures"}: ${esc(d.held)})` : "";
  const row = (k: string, v: string) => `<tr><th>${esc(t(k))}</th><td>${v}</td></tr>`;
  return `<!doctype html>
<html lang="${lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(t("title"))}: ${esc(d.number ?? d.id)}</title>
<style>body { font-family: "DejaVu Sans", "Noto Sans", Arial, sans-serif; margin: 2em; color: #222; max-width: 60em; } th, td { text-align: left; padding: 0.2em 0.8em 0.2em 0; } .why { background: #fdf3d8; padding: 0.6em; } .note { color: #555; font-size: 0.9em; } td, th { overflow-wrap: anywhere; }
@media (max-width: 40em) { body { margin: 0.8em; } table, tbody, tr, th, td { display: block; } td { padding-left: 0.6em; } }
${KEYBOARD_STYLE}</style>
</head>
<body>
${skipLink(lang)}
${MAIN_OPEN}
<h1>${esc(t("title"))}</h1>
<p class="note">${esc(t("timesNote"))}</p>
<p class="why" id="why">${esc(why)}</p>
<table>
${row("number", esc(d.number ?? ""))}
${row("sender", `${esc(senderName ?? d.sender)} (${esc(d.sender)})`)}
${row("subject", esc(d.subject ?? ""))}
${row("received", esc(moment(d.received_at, true)))}
${row("category", esc(d.category ? word(CATEGORIES, d.category, lang) : lang === "vi" ? "chưa có" : "none yet") + held)}
</table>
</main>
</body>
</html>
`;
}
