// The auditors' page's words, in Vietnamese and English: one table for the page's labels, the documents'
// statuses (the server's STATUS table, as the list's files say them), the result count and the log check.
import { inLang } from "../shared/words.js";
import { STATUS } from "../../api/report-words.js";
import { pluralForm } from "../shared/plural.js";

const DOCUMENT = { vi: "văn bản", en: { one: "document", other: "documents" } } as const;
const ENTRY = { vi: "mục", en: { one: "entry", other: "entries" } } as const;
const NEW_ENTRY = { vi: "mục mới", en: { one: "new entry", other: "new entries" } } as const;
const vi = new Intl.NumberFormat("vi-VN");
const en = new Intl.NumberFormat("en");

export const AUDITOR_WORDS = {
  en: {
    title: "Verification evidence",
    key: "API key (auditor role)",
    show: "Sign in",
    docs: "Documents",
    from: "From",
    to: "To",
    agency: "Sender (name or code)",
    agencyNone: "No agency in the directory has that name or code.",
    agencyMatched: (names: string[]) => "Senders matched: " + names.join("; "),
    recipient: "Recipient code",
    verdictF: "Verdict",
    q: "Number or subject contains",
    subjectCol: "Subject",
    category: "Category",
    any: "any",
    search: "List",
    more: "More",
    received: "Received",
    number: "Number",
    sender: "Sender",
    status: "Status",
    report: "Report",
    evidence: "Evidence (ZIP)",
    view: "Report",
    save: "Save this report",
    viewEvidence: "Save its evidence (ZIP)",
    csv: "Save the list (CSV)",
    xlsx: "Save the list (Excel)",
    count: (n: number, exact: boolean) => (exact ? "" : "more than ") + en.format(n) + " " + pluralForm(exact ? n : 2, DOCUMENT, "en"),
    log: "Verification log",
    verify: "Check since the last check",
    verifyFull: "Full check",
    export: "Save the export (JSONL)",
    fullOk: (n: number, h: string) => "Full check: intact, " + en.format(n) + " " + pluralForm(n, ENTRY, "en") + "; the last one's hash is " + h,
    sinceOk: (since: number, n: number, h: string) =>
      "Intact: checked since entry " + since + ": " + en.format(n) + " " + pluralForm(n, NEW_ENTRY, "en") + "; the last one's hash is " + h,
    fullBroken: "Full check: ",
    sinceBroken: (since: number) => "Checked since entry " + since + ": ",
    lastFull: (at: string, ok: boolean) => "; last full check: " + at + ", " + (ok ? "held" : "did not hold"),
    noFull: "; no full check yet",
    checkingLog: (done: number, total: number) =>
      "Full check running: the log's entries, " + en.format(done) + " of " + en.format(total) + " (then the figures replayed)",
    checkingFigures: (done: number, total: number) =>
      "Full check running: the figures replayed from the log, " + en.format(done) + " of " + en.format(total) + " " + pluralForm(total, DOCUMENT, "en"),
    checkStarting: "Full check running: starting",
    couldNotRun: (m: string) => "The full check could not run: " + m,
    since: (s: number, at: string) => "; it still holds entry " + s + " as this browser saw it on " + at.slice(0, 10),
    broken: (s: number, r: string) => "broken at entry " + s + ": " + r,
    figures: (m: string) => "the log is intact, but the figures do not follow from it: " + m,
    agree: (n: number) => "; the figures replayed from it agree (" + en.format(n) + " " + pluralForm(n, DOCUMENT, "en") + ")",
    none: "No documents match.",
    e401: "The key is not valid (unknown or revoked).",
    e403: "This key's role cannot see verification evidence (it needs auditor or admin).",
    eNet: "The server did not answer.",
  },
  vi: {
    title: "Chứng cứ kiểm tra chữ ký số",
    key: "Khóa API (vai trò auditor)",
    show: "Đăng nhập",
    docs: "Văn bản",
    from: "Từ ngày",
    to: "Đến ngày",
    agency: "Cơ quan gửi (tên hoặc mã)",
    agencyNone: "Không có cơ quan nào trong danh mục có tên hoặc mã này.",
    agencyMatched: (names: string[]) => "Cơ quan gửi phù hợp: " + names.join("; "),
    recipient: "Mã cơ quan nhận",
    verdictF: "Kết luận",
    q: "Số, ký hiệu hoặc trích yếu có chữ",
    subjectCol: "Trích yếu",
    category: "Nhóm",
    any: "tất cả",
    search: "Liệt kê",
    more: "Xem thêm",
    received: "Ngày nhận",
    number: "Số, ký hiệu",
    sender: "Cơ quan gửi",
    status: "Trạng thái",
    report: "Báo cáo",
    evidence: "Hồ sơ chứng cứ (ZIP)",
    view: "Báo cáo",
    save: "Lưu báo cáo này",
    viewEvidence: "Lưu hồ sơ chứng cứ (ZIP)",
    csv: "Lưu danh sách (CSV)",
    xlsx: "Lưu danh sách (Excel)",
    count: (n: number, exact: boolean) => (exact ? "" : "hơn ") + vi.format(n) + " " + DOCUMENT.vi,
    log: "Nhật ký kiểm tra",
    verify: "Kiểm tra từ lần trước",
    verifyFull: "Kiểm tra toàn bộ",
    export: "Lưu bản xuất (JSONL)",
    fullOk: (n: number, h: string) => "Kiểm tra toàn bộ: nguyên vẹn, " + vi.format(n) + " mục; mã băm của mục cuối là " + h,
    sinceOk: (since: number, n: number, h: string) => "Nguyên vẹn: kiểm tra từ mục " + since + ": " + vi.format(n) + " mục mới; mã băm của mục cuối là " + h,
    fullBroken: "Kiểm tra toàn bộ: ",
    sinceBroken: (since: number) => "Kiểm tra từ mục " + since + ": ",
    lastFull: (at: string, ok: boolean) => "; lần kiểm tra toàn bộ gần nhất: " + at + ", " + (ok ? "nguyên vẹn" : "không nguyên vẹn"),
    noFull: "; chưa có lần kiểm tra toàn bộ nào",
    checkingLog: (done: number, total: number) =>
      "Đang kiểm tra toàn bộ: các mục của nhật ký, " + vi.format(done) + " trên " + vi.format(total) + " (sau đó tính lại số liệu)",
    checkingFigures: (done: number, total: number) =>
      "Đang kiểm tra toàn bộ: tính lại số liệu từ nhật ký, " + vi.format(done) + " trên " + vi.format(total) + " văn bản",
    checkStarting: "Đang kiểm tra toàn bộ: đang bắt đầu",
    couldNotRun: (m: string) => "Không chạy được lần kiểm tra toàn bộ: " + m,
    since: (s: number, at: string) => "; vẫn giữ nguyên mục " + s + " như trình duyệt này đã thấy ngày " + at.slice(0, 10).split("-").reverse().join("/"),
    broken: (s: number, r: string) => "bị thay đổi tại mục " + s + ": " + r,
    figures: (m: string) => "nhật ký nguyên vẹn, nhưng số liệu không khớp với nhật ký: " + m,
    agree: (n: number) => "; số liệu tính lại từ nhật ký khớp (" + vi.format(n) + " văn bản)",
    none: "Không có văn bản phù hợp.",
    e401: "Khóa không hợp lệ (không tồn tại hoặc đã bị thu hồi).",
    e403: "Khóa này không có quyền xem chứng cứ (cần vai trò auditor hoặc admin).",
    eNet: "Máy chủ không trả lời.",
  },
};

export type AuditorWords = (typeof AUDITOR_WORDS)["vi"];

/** A document's status in the page's language (an unknown status as itself). */
export const statusWords = (lang: "vi" | "en"): Record<string, string> => inLang(STATUS, lang);
