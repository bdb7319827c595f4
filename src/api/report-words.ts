// Plain words for the human-readable report, in Vietnamese and English. Report fields keep ETSI words;
// these say what they mean to someone who is not a PKI specialist.
import type { Lang } from "../verify/messages.js";
import type { NextStep } from "../compliance/next-steps.js";

type Words = Record<string, { vi: string; en: string }>;

export const UI: Words = {
  title: { vi: "Báo cáo kiểm tra chữ ký số", en: "Signature verification report" },
  document: { vi: "Văn bản", en: "Document" },
  number: { vi: "Số, ký hiệu", en: "Number" },
  sender: { vi: "Cơ quan gửi", en: "Sender" },
  subject: { vi: "Trích yếu", en: "Subject" },
  received: { vi: "Thời điểm nhận (theo khai báo)", en: "Received (as declared)" },
  existence: { vi: "Chứng cứ tồn tại", en: "Proof of existence" },
  file: { vi: "Tệp", en: "File" },
  checkedFile: { vi: "Tệp được kiểm tra", en: "The file checked" },
  fileName: { vi: "Tên tệp", en: "File name" },
  size: { vi: "Kích thước", en: "Size" },
  sha256: { vi: "Mã băm SHA-256", en: "SHA-256" },
  pdfHolds: { vi: "Tệp PDF gồm", en: "The PDF holds" },
  checkedAt: { vi: "Kiểm tra lúc (theo đồng hồ của kyso)", en: "Checked at (by kyso's clock)" },
  checkedAlone: {
    vi: "Tệp được kiểm tra riêng lẻ: không được lưu, không ghi nhật ký, không tính vào số liệu nào.",
    en: "The file was checked on its own: nothing of it was stored, logged or counted in any figure.",
  },
  verdict: { vi: "Kết luận", en: "Verdict" },
  category: { vi: "Nhóm thống kê", en: "Compliance category" },
  sealedBy: { vi: "Chữ ký số của cơ quan", en: "Sealed by" },
  counts: { vi: "Được tính vào tỷ lệ văn bản điện tử có ký số", en: "Counts towards the signed-electronic rate" },
  yes: { vi: "có", en: "yes" },
  no: { vi: "không", en: "no" },
  content: { vi: "Loại nội dung", en: "Content" },
  nd30: { vi: "Đủ chữ ký theo Nghị định 30/2020 (cá nhân rồi cơ quan)", en: "Both signatures of Decree 30/2020 (person, then agency)" },
  analysis: { vi: "Lần kiểm tra", en: "Analysis" },
  engine: { vi: "Phần mềm kiểm tra", en: "Engine" },
  trustStore: { vi: "Bộ chứng thư gốc tin cậy", en: "Trust store" },
  validationTime: { vi: "Thời điểm thẩm định", en: "Validation time" },
  signature: { vi: "Chữ ký", en: "Signature" },
  timestampSig: { vi: "Dấu thời gian văn bản", en: "Document time-stamp" },
  signer: { vi: "Người ký", en: "Signed by" },
  issuer: { vi: "Tổ chức cấp chứng thư", en: "Certificate issued by" },
  when: { vi: "Thời điểm ký", en: "Signed at" },
  claimed: { vi: "do người ký tự khai, không có bằng chứng", en: "claimed by the signer, not proved" },
  noTime: { vi: "không rõ", en: "unknown" },
  statedTimes: { vi: "Các thời điểm chữ ký ghi", en: "Times the signature states" },
  timeCms: { vi: "thời điểm ký trong CMS (signingTime, người ký tự khai)", en: "CMS signingTime (the signer's claim)" },
  timeM: { vi: "thời điểm /M (kèm múi giờ)", en: "/M (with its offset)" },
  timeTs: { vi: "dấu thời gian", en: "time-stamp" },
  localAsUtc: {
    vi: "signingTime lệch 7 giờ: công cụ ký ghi giờ Việt Nam như giờ UTC; đây không phải ký lùi ngày, và không phải bằng chứng thời điểm ký.",
    en: "signingTime is 7 hours off: the signing tool wrote Vietnam time as UTC; this is not back-dating, and not a proof of when it was signed.",
  },
  covers: { vi: "Phạm vi được ký", en: "What it covers" },
  revisionOf: { vi: "phiên bản {n} trên {m}", en: "revision {n} of {m}" },
  after: { vi: "Thay đổi sau khi ký", en: "Changes after signing" },
  result: { vi: "Kết quả", en: "Result" },
  chain: { vi: "Chuỗi chứng thư", en: "Certificate path" },
  trustedTo: { vi: "tin cậy, tới {anchor}", en: "trusted, up to {anchor}" },
  untrusted: { vi: "không tới được chứng thư gốc tin cậy", en: "does not reach a trusted anchor" },
  anchorNotValid: {
    vi: "tới chứng thư gốc tin cậy {anchor}, nhưng đường dẫn chứng thư không hợp lệ tại thời điểm xét (xem Kết quả)",
    en: "reaches the trusted anchor {anchor}, but the path is not valid at the time judged (see Result)",
  },
  details: { vi: "Chi tiết", en: "Details" },
  technical: { vi: "chi tiết kỹ thuật, tiếng Anh", en: "technical detail" },
  certificates: { vi: "Các chứng thư trong chuỗi", en: "Certificates of the path" },
  certRole: { vi: "Vai trò", en: "Role" },
  roleSigner: { vi: "người ký", en: "signer" },
  roleIntermediate: { vi: "tổ chức cấp trung gian", en: "intermediate" },
  roleAnchor: { vi: "chứng thư gốc tin cậy", en: "trust anchor" },
  roleLast: { vi: "chứng thư cuối tìm được", en: "last one found" },
  certSubject: { vi: "Cấp cho", en: "Issued to" },
  certIssuer: { vi: "Cấp bởi", en: "Issued by" },
  validity: { vi: "Hiệu lực", en: "Valid" },
  validityRange: { vi: "từ {from} đến {to}", en: "from {from} to {to}" },
  serial: { vi: "Số hiệu", en: "Serial number" },
  fingerprint: { vi: "Dấu vân tay SHA-256", en: "SHA-256 fingerprint" },
  timesNote: { vi: "Thời gian theo giờ Việt Nam (UTC+7).", en: "Times are Vietnam time (UTC+7)." },
  noSignatures: { vi: "Văn bản không có chữ ký số.", en: "The document carries no signature." },
  log: { vi: "Nhật ký kiểm tra", en: "Verification log" },
  at: { vi: "Thời gian", en: "Time" },
  action: { vi: "Hành động", en: "Action" },
  actor: { vi: "Thực hiện bởi", en: "By" },
  hash: { vi: "Mã băm", en: "Hash" },
  documentMessages: { vi: "Ghi chú về tệp", en: "Notes on the file" },
  // the document's receipt is stated as receipt; the proof of existence is each signature's own line
  receipt: { vi: "Thời điểm kyso nhận văn bản", en: "Received by kyso" },
  "receipt.exchange-trace": {
    vi: "Thời điểm ghi trong vết trục liên thông (kênh được cấu hình tin cậy)",
    en: "Trace time of the exchange (a channel configured as trusted)",
  },
  "receipt.given": { vi: "Thời điểm nhận", en: "Received at" },
  declaredNote: {
    vi: "cơ quan gửi khai báo: dùng để xếp kỳ thống kê, không dùng để thẩm định chữ ký",
    en: "declared by the sender: decides the period it counts in, never used to validate",
  },
  judgedHere: { vi: "chứng thư được thẩm định tại thời điểm này", en: "the certificates are judged at this time" },
  existenceNone: { vi: "không có", en: "none" },
  revocation: { vi: "Tình trạng thu hồi chứng thư", en: "Revocation" },
  changedLater: { vi: "nội dung đã bị thay đổi sau khi ký (ở một phiên bản sau)", en: "the content was changed after signing (in a later revision)" },
  resultUnchecked: {
    vi: "Hợp lệ, với một điều kiện: chưa kiểm tra được chứng thư có bị thu hồi hay không",
    en: "Valid, with a reservation: whether the certificate was revoked could not be checked",
  },
  verdictUnchecked: {
    vi: ", nhưng chưa kiểm tra được chứng thư số có bị thu hồi hay không",
    en: ", but whether the certificate was revoked could not be checked",
  },
  verdictInvalid: { vi: "Chữ ký số không hợp lệ", en: "The signature is invalid" },
  resultRevocationOff: {
    vi: "Hợp lệ, với một điều kiện: không kiểm tra chứng thư có bị thu hồi hay không (chính sách tắt kiểm tra thu hồi)",
    en: "Valid, with a reservation: whether the certificate was revoked was not checked (revocation checking is off)",
  },
  verdictRevocationOff: {
    vi: ", nhưng không kiểm tra chứng thư số có bị thu hồi hay không (chính sách tắt kiểm tra thu hồi)",
    en: ", but whether the certificate was revoked was not checked (revocation checking is off)",
  },
  offNote: {
    vi: "Chính sách hiện hành tắt việc kiểm tra thu hồi: chữ ký được tính mà không xét chứng thư có bị thu hồi hay không.",
    en: "The policy in force turns revocation checking off: the signature counts without asking whether its certificate was revoked.",
  },
  softFailNote: {
    vi: "Chính sách hiện hành (soft-fail) cho phép chữ ký này được tính khi không có dữ liệu thu hồi; điều kiện này còn đến khi kiểm tra được tình trạng thu hồi.",
    en: "The policy in force (soft-fail) lets such a signature count without revocation data; the reservation stays until its revocation is checked.",
  },
  trustedRoots: { vi: "Các chứng thư gốc tin cậy", en: "Trusted roots" },
  trustedRootsCount: { vi: "{n} của bộ chứng thư đã dùng để thẩm định:", en: "{n} of the trust store the verdicts used:" },
  trustOther: {
    vi: "Báo cáo này được lập với một bộ chứng thư gốc khác ({report}…) với bộ máy chủ đang dùng ({server}…): kiểm tra lại tại đây, kết luận có thể khác. Máy chủ không biết tên các chứng thư gốc của bộ đã dùng; chứng thư gốc mà mỗi chuỗi chứng thư tới được ghi ở từng chữ ký.",
    en: "This report was made with another trust store ({report}…) than the one this server uses ({server}…): checked again here, its verdicts could differ. The server does not know the roots of the store it used; the root each certificate path reached is named under its signature.",
  },
};

/** Whether a signer's certificate was revoked, and what said so (SignatureReport.revocation). */
export const REVOCATION: Words = {
  good: { vi: "không bị thu hồi", en: "not revoked" },
  revoked: { vi: "đã bị thu hồi", en: "revoked" },
  unknown: { vi: "chưa kiểm tra được (không có dữ liệu thu hồi)", en: "not checked (no revocation data)" },
  off: { vi: "không kiểm tra (chính sách tắt kiểm tra thu hồi)", en: "not checked (revocation checking is off)" },
  embedded: { vi: "theo dữ liệu thu hồi kèm trong tệp", en: "by the revocation data the file carries" },
  cache: { vi: "theo danh sách thu hồi lưu tại máy chủ", en: "by a revocation list the server keeps" },
  online: { vi: "theo câu trả lời trực tuyến của tổ chức cấp", en: "by the issuer's answer, asked online" },
};

/** What stopped the analysis of a whole file (DocumentReport.error.code); the reader's own message follows as a technical detail. */
export const ERRORS: Words = {
  NOT_PDF: { vi: "Tệp không phải PDF", en: "The file is not a PDF" },
  UNREADABLE: { vi: "Không đọc được cấu trúc của tệp PDF", en: "The PDF's structure cannot be read" },
  ENCRYPTED: {
    vi: "Tệp được mã hóa và cần mật khẩu để mở: không đọc được chữ ký và nội dung",
    en: "The file is encrypted and needs a password to open: its signatures and content cannot be read",
  },
  TOO_LARGE: { vi: "Tệp vượt quá giới hạn kích thước được phân tích", en: "The file is larger than the analysis limit" },
  TIMEOUT: { vi: "Phân tích tệp vượt quá thời gian cho phép", en: "The analysis took longer than its time limit" },
};

export const VERDICTS: Words = {
  "signed-valid": { vi: "Văn bản có chữ ký số hợp lệ", en: "Validly signed" },
  "signed-invalid": {
    vi: "Chữ ký số không hợp lệ: văn bản đã bị sửa hoặc chữ ký bị giả mạo",
    en: "The signature is invalid: the document was changed or the signature is not genuine",
  },
  "signed-indeterminate": { vi: "Có chữ ký số nhưng chưa xác định được tính hợp lệ", en: "Signed, but validity could not be established" },
  unsigned: { vi: "Văn bản không có chữ ký số", en: "Not signed" },
  unreadable: { vi: "Không đọc được tệp", en: "The file cannot be read" },
};

export const INDICATIONS: Words = {
  TOTAL_PASSED: { vi: "Hợp lệ", en: "Valid" },
  TOTAL_FAILED: { vi: "Không hợp lệ", en: "Invalid" },
  INDETERMINATE: { vi: "Chưa xác định được", en: "Indeterminate" },
};

export const SUB_INDICATIONS: Words = {
  FORMAT_FAILURE: { vi: "chữ ký không đúng định dạng hoặc không phủ đúng phần nội dung", en: "the signature is malformed or does not cover the right bytes" },
  HASH_FAILURE: { vi: "nội dung đã bị thay đổi sau khi ký", en: "the content was changed after signing" },
  SIG_CRYPTO_FAILURE: { vi: "giá trị chữ ký không khớp với khóa của người ký", en: "the signature value does not match the signer's key" },
  REVOKED: { vi: "chứng thư đã bị thu hồi trước khi ký", en: "the certificate was revoked before signing" },
  SIG_CONSTRAINTS_FAILURE: { vi: "chữ ký không đáp ứng ràng buộc", en: "the signature breaks a constraint" },
  CHAIN_CONSTRAINTS_FAILURE: { vi: "chuỗi chứng thư không đáp ứng ràng buộc", en: "the certificate path breaks a constraint" },
  CERTIFICATE_CHAIN_GENERAL_FAILURE: { vi: "chuỗi chứng thư không hợp lệ", en: "the certificate path is not valid" },
  CRYPTO_CONSTRAINTS_FAILURE: { vi: "thuật toán hoặc khóa quá yếu", en: "an algorithm or key is too weak" },
  CRYPTO_CONSTRAINTS_FAILURE_NO_POE: {
    vi: "thuật toán quá yếu và không có bằng chứng chữ ký tồn tại trước đó",
    en: "an algorithm is too weak and nothing proves the signature existed before",
  },
  EXPIRED: { vi: "chứng thư đã hết hạn", en: "the certificate had expired" },
  NOT_YET_VALID: { vi: "chứng thư chưa có hiệu lực", en: "the certificate was not yet valid" },
  NO_SIGNING_CERTIFICATE_FOUND: { vi: "không tìm thấy chứng thư của người ký", en: "the signer's certificate was not found" },
  NO_CERTIFICATE_CHAIN_FOUND: { vi: "không tìm thấy chuỗi chứng thư tới tổ chức tin cậy", en: "no certificate path to a trusted authority" },
  REVOKED_NO_POE: {
    vi: "chứng thư đã bị thu hồi và không có bằng chứng chữ ký có trước đó",
    en: "the certificate was revoked and nothing proves the signature came before",
  },
  REVOKED_CA_NO_POE: { vi: "chứng thư của tổ chức cấp đã bị thu hồi", en: "an issuing authority's certificate was revoked" },
  OUT_OF_BOUNDS_NO_POE: {
    vi: "chứng thư đã hết hạn và không có dấu thời gian chứng minh chữ ký có trước đó",
    en: "the certificate has expired and no time-stamp proves the signature came before",
  },
  TRY_LATER: { vi: "chưa kiểm tra được tình trạng thu hồi, thử lại sau", en: "revocation could not be checked yet; try later" },
};

export const MODIFICATIONS: Words = {
  none: {
    vi: "không có phiên bản nào sau phiên bản đã ký (phần đã ký được xét ở Kết quả)",
    en: "no revision after the signed one (the signed bytes are judged under Result)",
  },
  signatures: { vi: "chỉ thêm chữ ký hoặc dấu thời gian (được phép)", en: "only signatures or time-stamps added (allowed)" },
  "form-fill": { vi: "chỉ điền biểu mẫu", en: "form fields filled in" },
  annotations: { vi: "thêm chú thích", en: "annotations added" },
  unrecognised: { vi: "có thay đổi không nhận diện được (không phải nội dung trang)", en: "an unrecognised change (not page content)" },
  other: { vi: "nội dung đã bị thay đổi", en: "the content was changed" },
  unknown: { vi: "không đọc được các phiên bản sau để so sánh", en: "the later revisions could not be read to compare" },
};

export const CONTENT: Words = {
  "born-digital": { vi: "văn bản điện tử gốc", en: "born-digital" },
  scanned: { vi: "bản quét (ảnh)", en: "scanned image" },
  "scanned-ocr": { vi: "bản quét có lớp chữ nhận dạng (OCR)", en: "scan with an OCR text layer" },
  mixed: { vi: "hỗn hợp", en: "mixed" },
  empty: { vi: "trang trống", en: "empty" },
  unknown: { vi: "không xác định", en: "unknown" },
};

export const SIGNER_KINDS: Words = {
  personal: { vi: "cá nhân", en: "a person" },
  organization: { vi: "cơ quan, tổ chức", en: "an organisation" },
  unknown: { vi: "không rõ", en: "unknown" },
};

export const COVERAGE: Words = {
  "entire-file": { vi: "toàn bộ tệp", en: "the whole file" },
  "entire-revision": { vi: "trọn một phiên bản của tệp", en: "a whole revision of the file" },
  partial: { vi: "một phần tệp", en: "part of the file" },
  invalid: { vi: "không xác định được", en: "cannot be determined" },
};

export function word(table: Words, key: string | null | undefined, lang: Lang): string {
  if (key == null) return "";
  return table[key]?.[lang] ?? key;
}

/** A noun that is counted: Vietnamese has one form; English one for 1 and another for every other number. */
export interface CountedWord {
  readonly vi: string;
  readonly en: { readonly one: string; readonly other: string };
}

const EN_PLURAL = new Intl.PluralRules("en");

/** The noun's form for `n` in `lang` (English: "document" for 1, "documents" for 0, 2 or 1.5). */
export function pluralForm(n: number, w: CountedWord, lang: Lang): string {
  return lang === "vi" ? w.vi : EN_PLURAL.select(n) === "one" ? w.en.one : w.en.other;
}

/** `n` with its noun ("1 page", "3 pages", "3 trang"), the number written by `format`; null, a count nobody knows, is "?" with the plural. */
export function counted(n: number | null, w: CountedWord, lang: Lang, format: (n: number) => string = String): string {
  return n === null ? `? ${pluralForm(2, w, lang)}` : `${format(n)} ${pluralForm(n, w, lang)}`;
}

/** The nouns the report pages and the pages count. */
export const COUNTED = {
  bytes: { vi: "byte", en: { one: "byte", other: "bytes" } },
  pages: { vi: "trang", en: { one: "page", other: "pages" } },
  revisions: { vi: "phiên bản", en: { one: "revision", other: "revisions" } },
  roots: { vi: "chứng thư gốc", en: { one: "root", other: "roots" } },
  // for the pages' figures ("133 of 149 documents", "1 document short")
  documents: { vi: "văn bản", en: { one: "document", other: "documents" } },
  agencyCodes: { vi: "mã cơ quan", en: { one: "agency code", other: "agency codes" } },
} as const satisfies Record<string, CountedWord>;

export const CATEGORIES: Words = {
  ...VERDICTS,
  excluded: { vi: "ngoài phạm vi (văn bản mật hoặc không giữa các cơ quan hành chính)", en: "excluded (classified, or not between administrative agencies)" },
  paper: { vi: "văn bản giấy", en: "paper" },
  "electronic-not-pdf": { vi: "văn bản điện tử không phải PDF (.doc, .txt, ảnh…)", en: "electronic, not a PDF (.doc, .txt, an image…)" },
  "signed-valid-not-sender": {
    vi: "ký số hợp lệ nhưng không phải chữ ký số của chính cơ quan gửi",
    en: "validly signed, but not with the sender's own organisation signature",
  },
};

/** Who sealed a document with respect to its sender (issue 24). */
export const BINDING: Words = {
  sender: { vi: "chính cơ quan gửi ký số tổ chức", en: "sealed by the sender itself" },
  "another-agency": { vi: "cơ quan khác ký số tổ chức", en: "sealed by another agency" },
  "not-matched": { vi: "không xác định được cơ quan ký (tên trên chứng thư số không có trong danh mục)", en: "the sealing agency is not in the directory" },
  "no-organisation-signature": { vi: "chỉ có chữ ký số cá nhân, không có chữ ký số của cơ quan", en: "officials' signatures only, no organisation signature" },
};

/**
 * The share of validly signed documents sealed by their sender itself, and the list of those it did not
 * seal with who did (issue 24): the dashboard's words and leadership's PDF and workbook's, so all three say
 * it alike. `{name}` marks a value (fillIn).
 */
export const SEALED: Words = {
  headline: {
    vi: "Văn bản ký số hợp lệ mang chữ ký số của chính cơ quan gửi: {bySender} trên {signedValid} văn bản ({share})",
    en: "Validly signed documents sealed by their sender itself: {bySender} of {signedValid} {signedValid:document|documents} ({share})",
  },
  signedValid: { vi: "Văn bản có chữ ký số hợp lệ (bất kể cơ quan nào ký)", en: "Validly signed documents (whoever sealed them)" },
  bySender: { vi: "Mang chữ ký số của chính cơ quan gửi", en: "Sealed by the sender itself" },
  share: { vi: "Tỷ lệ mang chữ ký số của chính cơ quan gửi", en: "Share sealed by the sender itself" },
  column: { vi: "Chính cơ quan ký số", en: "Sealed by itself" },
  listH: { vi: "Văn bản ký số hợp lệ không mang chữ ký số của chính cơ quan gửi", en: "Validly signed documents their sender did not seal" },
  sheet: { vi: "Không do cơ quan gửi ký số", en: "Not sealed by the sender" },
  number: { vi: "Số, ký hiệu", en: "Number" },
  date: { vi: "Ngày", en: "Date" },
  sender: { vi: "Cơ quan gửi", en: "Sender" },
  senderCode: { vi: "Mã cơ quan gửi", en: "Sender's code" },
  sealedBy: { vi: "Được ký số bởi", en: "Sealed by" },
  sealedByCode: { vi: "Mã cơ quan ký số", en: "Sealer's code" },
  case: { vi: "Trường hợp", en: "Case" },
  id: { vi: "Mã văn bản trong kyso", en: "kyso id" },
  notInDirectory: { vi: "{name} (tên không có trong danh mục)", en: "{name} (a name the directory lacks)" },
  ambiguous: { vi: "{name} (trùng tên nhiều cơ quan: {candidates})", en: "{name} (the name of several agencies: {candidates})" },
  officials: { vi: "chỉ có chữ ký số cá nhân ({name})", en: "officials only ({name})" },
  officialsNoName: { vi: "chỉ có chữ ký số cá nhân", en: "officials only" },
  none: {
    vi: "Không có: mọi văn bản ký số hợp lệ trong kỳ đều mang chữ ký số của chính cơ quan gửi.",
    en: "None: every validly signed document of the period carries its sender's own seal.",
  },
  more: { vi: "… và {n} văn bản khác: bảng Excel của báo cáo liệt kê đầy đủ.", en: "… and {n} more: the report's workbook lists them all." },
};

/** Who sealed a document its sender did not seal, in words: the directory's name, else the certificate's. */
export function sealerText(x: { status: string; sealedByName?: string; certificateName: string; candidates?: string[] }, lang: Lang): string {
  if (x.status === "another-agency" && x.sealedByName) return x.sealedByName;
  if (x.status === "no-organisation-signature")
    return x.certificateName ? fillIn(word(SEALED, "officials", lang), { name: x.certificateName }) : word(SEALED, "officialsNoName", lang);
  return fillIn(word(SEALED, x.candidates?.length ? "ambiguous" : "notInDirectory", lang), {
    name: x.certificateName,
    candidates: (x.candidates ?? []).join(", "),
  });
}

/** Category names short enough for a table cell or a chart label (pages, printed reports). */
export const CATEGORY_SHORT: Words = {
  "signed-valid": { vi: "ký số hợp lệ", en: "validly signed" },
  "signed-valid-not-sender": { vi: "ký hợp lệ, không phải chữ ký của cơ quan gửi", en: "valid, not the sender's seal" },
  "signed-invalid": { vi: "chữ ký không hợp lệ", en: "signature invalid" },
  "signed-indeterminate": { vi: "có ký số, chưa xác định được", en: "signed, not established" },
  unsigned: { vi: "không ký số", en: "not signed" },
  unreadable: { vi: "không đọc được", en: "unreadable" },
  paper: { vi: "văn bản giấy", en: "paper" },
  "electronic-not-pdf": { vi: "điện tử, không phải PDF", en: "electronic, not a PDF" },
  excluded: { vi: "ngoài phạm vi (mật, hoặc không giữa các cơ quan hành chính)", en: "excluded (classified, or not between administrative agencies)" },
};

/** A document's status in kyso (rows.ts): where its analysis stands, or that it was exchanged on paper. */
export const STATUS: Words = {
  queued: { vi: "chờ kiểm tra", en: "waiting for analysis" },
  processing: { vi: "đang kiểm tra", en: "being analysed" },
  done: { vi: "đã kiểm tra", en: "analysed" },
  failed: { vi: "kiểm tra không thành", en: "analysis failed" },
  paper: { vi: "văn bản giấy (không có tệp)", en: "paper (no file)" },
};

export const ACTIONS: Words = {
  analysis: { vi: "kiểm tra", en: "analysis" },
  reanalysis: { vi: "kiểm tra lại", en: "re-analysis" },
  "analysis-failed": { vi: "không kiểm tra được", en: "analysis failed" },
  "category-change": { vi: "đổi nhóm thống kê", en: "category change" },
  "file-attached": { vi: "gắn tệp vào văn bản đã đăng ký", en: "file attached to a registered document" },
  "another-file": {
    vi: "nhận một tệp khác cho văn bản đã có (giữ lại, không tính thêm)",
    en: "another file for a document already recorded (kept, not counted again)",
  },
  reverify: { vi: "yêu cầu kiểm tra lại", en: "re-verification requested" },
  superseded: { vi: "được thay bằng phiên bản mới", en: "superseded by a new version" },
  revoked: { vi: "bị cơ quan gửi thu hồi", en: "revoked by the sender" },
  "register-import": { vi: "nhập sổ đăng ký văn bản", en: "register imported" },
};

/** What removes each reason a document does not count (compliance ACTIONABLE), for "what to do next". */
export const ACTIONS_NEXT: Words = {
  unsigned: { vi: "yêu cầu ký số trước khi gửi", en: "have them signed digitally before they are sent" },
  paper: { vi: "gửi văn bản điện tử thay cho bản giấy", en: "send them electronically instead of on paper" },
  "signed-invalid": {
    vi: "kiểm tra lại chữ ký số (không hợp lệ, hoặc văn bản bị sửa sau khi ký)",
    en: "check the signatures (invalid, or the document changed after signing)",
  },
  "signed-indeterminate": {
    vi: "kiểm tra chứng thư số và thời điểm ký của người ký (chưa xác nhận được)",
    en: "check the signers' certificates and signing times, which could not be confirmed",
  },
  "electronic-not-pdf": { vi: "gửi dưới dạng tệp PDF có ký số", en: "send them as signed PDF files" },
  unreadable: { vi: "gửi lại tệp đọc được", en: "send readable files again" },
  "signed-valid-not-sender": { vi: "ký số bằng chứng thư số tổ chức của chính cơ quan gửi", en: "seal them with the sender's own organisation certificate" },
};

/**
 * "What to do next" (compliance/next-steps.ts), one sentence per kind of step; `{name}` marks a value.
 * Leadership's PDF and workbook fill them here, the dashboard in its page (the same table, inlined).
 */
export const NEXT_SENTENCES: Words = {
  keep: { vi: "Đã đạt mục tiêu: duy trì ở từng cơ quan.", en: "The target is reached: keep it, agency by agency." },
  agencies: {
    vi: "Ưu tiên các cơ quan còn cách xa mục tiêu nhất (số văn bản còn thiếu): {list}.",
    en: "Start with the agencies furthest from the target (documents short): {list}.",
  },
  reason: {
    vi: "Lý do chính khiến văn bản chưa được tính: {reason} ({documents} văn bản): {action}.",
    en: "The main reason documents do not count: {reason} ({documents} {documents:document|documents}): {action}.",
  },
  directory: {
    vi: "Bổ sung {codes} mã cơ quan vào danh mục: {documents} văn bản đang chờ.",
    en: "Add {codes} agency {codes:code|codes} to the directory: {documents} {documents:document waits|documents wait} for them.",
  },
  seal: {
    vi: "Các cơ quan có văn bản ký số hợp lệ nhưng không mang chữ ký số của chính cơ quan (chưa được tính): {list}.",
    en: "Agencies whose validly signed documents do not carry their own organisation signature (not counted): {list}.",
  },
};

/**
 * A sentence with its `{name}` marks replaced (a mark with no value is left as it is). An English
 * sentence says a counted noun as `{name:one|other}`, which becomes the form for that value ("{n}
 * {n:document|documents}": "1 document", "2 documents"), so every page and file that fills the sentence
 * gets the plural right; a value given as text is read as the number it writes.
 */
export function fillIn(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{(\w+)(?::([^|{}]*)\|([^{}]*))?\}/g, (mark, name: string, one: string | undefined, other: string | undefined) => {
    if (!(name in values)) return mark;
    const v = values[name]!;
    if (one === undefined || other === undefined) return String(v);
    const n = typeof v === "number" ? v : Number(String(v).replace(/[^\d.-]/g, ""));
    return pluralForm(n, { vi: other, en: { one, other } }, "en");
  });
}

/** One step of "what to do next" in words. */
export function nextStepText(step: NextStep, lang: Lang): string {
  const values: Record<string, string | number> =
    step.kind === "agencies"
      ? { list: step.agencies.map((a) => `${a.name} (${a.gap})`).join(", ") }
      : step.kind === "reason"
        ? { reason: word(CATEGORY_SHORT, step.category, lang), documents: step.documents, action: word(ACTIONS_NEXT, step.category, lang) }
        : step.kind === "directory"
          ? { codes: step.codes, documents: step.documents }
          : step.kind === "seal"
            ? { list: step.agencies.map((a) => `${a.name} (${a.documents})`).join(", ") }
            : {};
  return fillIn(word(NEXT_SENTENCES, step.kind, lang), values);
}

/** One step in Vietnamese, for leadership's report. */
export const nextStepVi = (step: NextStep): string => nextStepText(step, "vi");
