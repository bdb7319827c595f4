// The dashboard's words, in Vietnamese and English (who sealed a document: src/api/report-words.ts SEALED,
// shared with leadership's PDF and workbook).
import { vnDate } from "../shared/format.js";
import { COUNTED, pluralForm } from "../shared/plural.js";

/** "document" or "documents" as English says it of n. */
const docs = (n: number): string => pluralForm(n, COUNTED.documents, "en");

export const DASHBOARD_WORDS = {
  en: {
    title: "Signed electronic documents",
    rowsHint: "The list is one Tab stop: the arrow keys (Page Up/Down, Home, End) move along it, Enter opens an agency.",
    key: "API key (viewer role)",
    show: "Sign in",
    year: "Year",
    rate: "Signed electronic",
    target: "target",
    of: "of",
    gap: "Gap to the target",
    trend: "Trend",
    perMonth: "points a month",
    already: "already reached",
    nd30: "Full Decree 30 form",
    monthly: "By month",
    agencies: "By agency (choose one to see its months)",
    all: "Whole province",
    csv: "Download the table (CSV)",
    kind: "Period",
    kinds: { year: "year", quarter: "quarter", month: "month", custom: "from … to" },
    quarter: "Quarter",
    month: "Month",
    from: "From",
    to: "To",
    yearL: (y: number) => "year " + y,
    quarterL: (y: number, q: number) => "Q" + q + " " + y,
    monthL: (y: number, m: number) => String(m).padStart(2, "0") + "/" + y,
    customL: (f: string, t: string) => f + " – " + t,
    filter: "Find an agency",
    belowOnly: "Only agencies below the target",
    level: "Level",
    levelAll: "all",
    tierProvince: "province",
    tierDistrict: "district",
    tierCommune: "commune",
    group: "Kind",
    groupCommittee: "people's committees",
    groupDepartment: "departments (Sở, Phòng)",
    groupOther: "other bodies",
    reasonsH: "Why its documents do not count (choose one to list them)",
    moreDocs: "… and more: the auditors' page lists them all",
    pdf: "Report to print (PDF)",
    xlsx: "Report for Excel (XLSX)",
    docH: "The document's report",
    heldReason: "not counted yet",
    nextH: "What to do next",
    agencyFig: (n: string, r: string, k: number, d: number, gap: number, rank: number | string) =>
      n + ": " + r + " signed electronic (" + k + " of " + d + " " + docs(d) + "), " + gap + " short of the target, rank " + rank,
    docClose: "Close the report",
    docEvidence: "Its evidence, on the auditors' page (auditor key)",
    rank: "Rank",
    code: "Code",
    agency: "Agency",
    rateCol: "Rate",
    gapCol: "Gap",
    signed: "Signed / total",
    categories: "By category",
    heldH: "Not counted, to be resolved",
    held: {
      revoked: "revoked by the sender",
      superseded: "earlier versions replaced by a later one (the latest counts)",
      "directory-gap": "naming an agency the directory does not know",
      conflict: "messages in conflict with a recorded document (kyso reconcile lists them)",
    },
    gaps: "Agency codes to add to the directory",
    e401: "The key is not valid (unknown or revoked).",
    e403: "This key's role cannot see the statistics.",
    eNet: "The server did not answer.",
    none: "No documents in this period.",
    chartLabel: "Rate by month",
    noDocs: "no documents",
    noDocsShort: "none",
    change: (p: string, r: string, d: string) => "Against " + p + " (" + r + "): " + d + " points",
    noBefore: (p: string) => "No documents in " + p + " to compare with.",
    trendNone: "not computed (it needs two months or more with documents in the period)",
    trendUp: "already reached",
    trendNever: "on this trend the target is not reached",
    projected: (m: string) => "projected on this trend: the target in " + m,
    missed: (m: string) => "on this trend the target was projected for " + m + ", a month now past: missed",
    inPeriod: (label: string, p: string) => label + " (" + p + ")",
    counts: (k: number, d: number) => k + "/" + d,
    noCount: "–",
    gapsAdd: (sum: number, province: number, surplus: number, rest: number) =>
      "The agencies' gaps add up to " +
      sum +
      " " +
      docs(sum) +
      ", the province's is " +
      province +
      ": " +
      [
        surplus > 0 ? surplus + " signed " + docs(surplus) + " of agencies above the target count for the province but make up no other agency's gap" : "",
        rest > 0 ? rest + " from rounding each agency's gap up to whole documents" : "",
      ]
        .filter(Boolean)
        .join("; ") +
      ".",
    gapsReached: (sum: number) =>
      "The province has reached the target; the agencies below it miss " +
      sum +
      " " +
      docs(sum) +
      " between them, which the others' documents beyond the target make up for the province.",
    rankTie: "equal rates share a rank",
  },
  vi: {
    title: "Tỷ lệ văn bản điện tử có ký số",
    rowsHint: "Danh sách là một điểm dừng của phím Tab: các phím mũi tên (Page Up/Down, Home, End) di chuyển trong danh sách, Enter mở một cơ quan.",
    key: "Khóa API (vai trò viewer)",
    show: "Đăng nhập",
    year: "Năm",
    rate: "Văn bản điện tử có ký số",
    target: "mục tiêu",
    of: "trên",
    gap: "Còn thiếu so với mục tiêu",
    trend: "Xu hướng",
    perMonth: "điểm %/tháng",
    already: "đã đạt",
    nd30: "Đủ hai chữ ký theo Nghị định 30",
    monthly: "Theo tháng",
    agencies: "Theo cơ quan (chọn một cơ quan để xem theo tháng)",
    all: "Toàn tỉnh",
    csv: "Tải bảng (CSV)",
    kind: "Kỳ",
    kinds: { year: "năm", quarter: "quý", month: "tháng", custom: "từ ngày … đến ngày" },
    quarter: "Quý",
    month: "Tháng",
    from: "Từ ngày",
    to: "Đến ngày",
    yearL: (y: number) => "năm " + y,
    quarterL: (y: number, q: number) => "quý " + ["I", "II", "III", "IV"][q - 1] + "/" + y,
    monthL: (y: number, m: number) => "tháng " + String(m).padStart(2, "0") + "/" + y,
    customL: (f: string, t: string) => vnDate(f) + " – " + vnDate(t),
    filter: "Tìm cơ quan",
    belowOnly: "Chỉ cơ quan chưa đạt mục tiêu",
    level: "Cấp",
    levelAll: "tất cả",
    tierProvince: "tỉnh",
    tierDistrict: "huyện",
    tierCommune: "xã",
    group: "Loại",
    groupCommittee: "Ủy ban nhân dân",
    groupDepartment: "sở, phòng",
    groupOther: "cơ quan khác",
    reasonsH: "Vì sao văn bản chưa được tính (chọn một lý do để xem danh sách)",
    moreDocs: "… và các văn bản khác: trang kiểm tra chứng cứ liệt kê đầy đủ",
    pdf: "Báo cáo để in (PDF)",
    xlsx: "Báo cáo cho Excel (XLSX)",
    docH: "Báo cáo của văn bản",
    heldReason: "chưa tính",
    nextH: "Việc cần làm tiếp",
    agencyFig: (n: string, r: string, k: number, d: number, gap: number, rank: number | string) =>
      n + ": " + r + " văn bản điện tử có ký số (" + k + " trên " + d + " văn bản), còn thiếu " + gap + " văn bản so với mục tiêu, xếp hạng " + rank,
    docClose: "Đóng báo cáo",
    docEvidence: "Hồ sơ chứng cứ, trên trang kiểm tra chứng cứ (cần khóa auditor)",
    rank: "Hạng",
    code: "Mã",
    agency: "Cơ quan",
    rateCol: "Tỷ lệ",
    gapCol: "Còn thiếu",
    signed: "Ký số / tổng",
    categories: "Theo nhóm",
    heldH: "Chưa tính, cần xử lý",
    held: {
      revoked: "cơ quan gửi đã thu hồi",
      superseded: "phiên bản cũ đã được thay thế (tính phiên bản mới nhất)",
      "directory-gap": "có mã cơ quan chưa có trong danh mục",
      conflict: "thông điệp xung đột với văn bản đã ghi nhận (kyso reconcile liệt kê)",
    },
    gaps: "Mã cơ quan cần bổ sung vào danh mục",
    e401: "Khóa không hợp lệ (không tồn tại hoặc đã bị thu hồi).",
    e403: "Khóa này không có quyền xem thống kê.",
    eNet: "Máy chủ không trả lời.",
    none: "Không có văn bản trong kỳ này.",
    chartLabel: "Tỷ lệ theo tháng",
    noDocs: "không có văn bản",
    noDocsShort: "không có",
    change: (p: string, r: string, d: string) => "So với " + p + " (" + r + "): " + d + " điểm phần trăm",
    noBefore: (p: string) => "Kỳ trước (" + p + ") không có văn bản để so sánh.",
    trendNone: "không tính (cần ít nhất hai tháng có văn bản trong kỳ)",
    trendUp: "đã đạt mục tiêu",
    trendNever: "theo xu hướng này chưa đạt mục tiêu",
    projected: (m: string) => "dự kiến theo xu hướng này: đạt mục tiêu vào tháng " + m,
    missed: (m: string) => "theo xu hướng này mục tiêu được dự kiến đạt vào tháng " + m + ", tháng đã qua: không đạt như dự kiến",
    inPeriod: (label: string, p: string) => label + " (" + p + ")",
    counts: (k: number, d: number) => k + "/" + d,
    noCount: "–",
    gapsAdd: (sum: number, province: number, surplus: number, rest: number) =>
      "Cộng số còn thiếu của từng cơ quan được " +
      sum +
      " văn bản, của toàn tỉnh là " +
      province +
      ": " +
      [
        surplus > 0 ? surplus + " văn bản ký số của các cơ quan đã vượt mục tiêu được tính cho toàn tỉnh nhưng không bù cho cơ quan khác" : "",
        rest > 0 ? rest + " do số còn thiếu của mỗi cơ quan được làm tròn lên thành văn bản nguyên" : "",
      ]
        .filter(Boolean)
        .join("; ") +
      ".",
    gapsReached: (sum: number) =>
      "Toàn tỉnh đã đạt mục tiêu; các cơ quan chưa đạt còn thiếu tổng cộng " +
      sum +
      " văn bản, được bù cho toàn tỉnh bằng số văn bản vượt mục tiêu của các cơ quan khác.",
    rankTie: "tỷ lệ bằng nhau cùng hạng",
  },
};
