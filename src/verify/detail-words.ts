// Vietnamese for the free-text details reports carry in English: what changed after signing (the change
// rules' "what" phrases, "level: object N: what; what"), and why a certificate path failed (the path
// validator's details). Reports store English; pages render these in the reader's language. A phrase this
// table does not know is returned unchanged, and a test renders every fixture and corpus report in
// Vietnamese to keep the table complete. Pure.

const LEVEL: Record<string, string> = {
  none: "không có",
  "form-fill": "điền biểu mẫu",
  annotations: "chú thích",
  signatures: "chữ ký",
  other: "thay đổi khác",
  unknown: "không xác định",
};

/** What `${role} updated` and the field-list rules name (pdf/roles.ts kinds). */
const PART: Record<string, string> = {
  "AcroForm field list": "danh sách trường của biểu mẫu (AcroForm)",
  info: "thông tin tài liệu (/Info)",
  metadata: "siêu dữ liệu XMP",
  dss: "dữ liệu kiểm tra dài hạn (/DSS)",
  extensions: "khai báo phần mở rộng (/Extensions)",
};
const part = (s: string): string => PART[s] ?? s;

/** A modification level (none, signatures, form-fill…) as a finding names it. */
export function levelVi(level: string): string {
  return LEVEL[level] ?? level;
}

/** One change rule's phrase; patterns whose parameters are PDF names or numbers keep them as they are. */
const CHANGE: Array<[RegExp, (m: RegExpExecArray) => string]> = [
  [/^catalog entries changed: (.+)$/, (m) => `mục lục tài liệu thay đổi: ${m[1]}`],
  [/^catalog written again with equal values$/, () => "mục lục tài liệu được ghi lại với giá trị như cũ"],
  [/^catalog updated \(signature-related entries\)$/, () => "mục lục tài liệu cập nhật (các mục liên quan đến chữ ký)"],
  [/^form changed: (.+)$/, (m) => `biểu mẫu thay đổi: ${m[1]}`],
  [/^form dictionary updated$/, () => "từ điển biểu mẫu được cập nhật"],
  [/^form default resources updated$/, () => "tài nguyên mặc định của biểu mẫu được cập nhật"],
  [/^(.+) is not an array$/, (m) => `${part(m[1]!)} không phải một mảng`],
  [/^(.+): fields removed$/, (m) => `${part(m[1]!)}: trường bị xóa`],
  [/^(.+): a non-signature field was added$/, (m) => `${part(m[1]!)}: thêm một trường không phải chữ ký`],
  [/^(.+): signature fields added$/, (m) => `${part(m[1]!)}: thêm ô chữ ký`],
  [/^annotations of page (\S+) are not an array$/, (m) => `danh sách chú thích của trang ${m[1]} không phải một mảng`],
  [/^annotations of page (\S+) changed$/, (m) => `danh sách chú thích của trang ${m[1]} thay đổi`],
  [/^page (\S+): a widget was removed$/, (m) => `trang ${m[1]}: một ô hiển thị (widget) bị xóa`],
  [/^page (\S+): a direct or missing annotation was added$/, (m) => `trang ${m[1]}: thêm một chú thích trực tiếp hoặc không tồn tại`],
  [/^page (\S+): a widget of a non-signature field was added$/, (m) => `trang ${m[1]}: thêm ô hiển thị của một trường không phải chữ ký`],
  [/^page (\S+) changed \((.+)\) with no annotation added$/, (m) => `trang ${m[1]} thay đổi (${m[2]}) mà không thêm chú thích nào`],
  [/^page (\S+) changed \((.+)\)$/, (m) => `trang ${m[1]} thay đổi (${m[2]})`],
  [/^page written again with equal values$/, () => "trang được ghi lại với giá trị như cũ"],
  [/^producer stamp on the page tree$/, () => "dấu của phần mềm tạo tệp trên cây trang"],
  [/^page tree changed$/, () => "cây trang thay đổi"],
  [/^a non-signature form field was added$/, () => "thêm một trường biểu mẫu không phải chữ ký"],
  [/^an empty signature field added$/, () => "thêm một ô chữ ký trống"],
  [/^signature field added$/, () => "thêm ô chữ ký"],
  [/^an already signed field was changed$/, () => "một ô đã ký bị thay đổi"],
  [/^signature field changed \((.+)\)$/, (m) => `ô chữ ký thay đổi (${m[1]})`],
  [/^the replaced appearance is also used elsewhere in the signed document$/, () => "hình hiển thị được thay cũng được dùng ở chỗ khác trong tài liệu đã ký"],
  [/^signature field signed$/, () => "ô chữ ký được ký"],
  [/^form field changed \((.+)\)$/, (m) => `trường biểu mẫu thay đổi (${m[1]})`],
  [/^the locked field '(.*)' was changed$/s, (m) => `trường '${m[1]}' đã bị khóa nhưng bị thay đổi`],
  [/^form field filled$/, () => "trường biểu mẫu được điền"],
  [/^an existing signature dictionary was changed$/, () => "một từ điển chữ ký đã có bị thay đổi"],
  [/^signature dictionary added$/, () => "thêm từ điển chữ ký"],
  [/^annotation appearance changed$/, () => "hình hiển thị của chú thích thay đổi"],
  [/^appearance of an already signed field changed$/, () => "hình hiển thị của một ô đã ký thay đổi"],
  [/^signature appearance$/, () => "hình hiển thị chữ ký"],
  [/^form field appearance$/, () => "hình hiển thị trường biểu mẫu"],
  [/^logical structure updated$/, () => "cấu trúc logic được cập nhật"],
  [/^permissions \(\/Perms\) changed$/, () => "quyền (/Perms) thay đổi"],
  [/^named annotation appearances updated$/, () => "hình hiển thị chú thích có tên được cập nhật"],
  [/^name trees changed \((.+)\)$/, (m) => `cây tên thay đổi (${m[1]})`],
  [/^trailer \/Info replaced$/, () => "thông tin tài liệu (/Info ở trailer) bị thay"],
  [/^trailer \/(\S+) changed$/, (m) => `/${m[1]} ở trailer thay đổi`],
  [/^(\d+) bytes appended after the last %%EOF$/, (m) => `${m[1]} byte được nối thêm sau %%EOF cuối cùng`],
  [/^objects of the later revisions could not be read$/, () => "không đọc được các đối tượng của các phiên bản sau"],
  [/^the cross-reference data is broken: revisions unknown$/, () => "bảng tham chiếu chéo bị hỏng: không biết các phiên bản"],
  [/^content object added$/, () => "thêm đối tượng nội dung"],
  [/^content object changed$/, () => "đối tượng nội dung thay đổi"],
  [/^(\S+) updated$/, (m) => `${part(m[1]!)} được cập nhật`],
];

/** The path validator's details (pki/validate.ts), revocation, time-stamp and CMS notes passed into findings. */
const CERT: Array<[RegExp, (m: RegExpExecArray) => string]> = [
  [/^valid until (.+)$/, (m) => `hiệu lực đến ${m[1]}`],
  [/^valid from (.+)$/, (m) => `hiệu lực từ ${m[1]}`],
  [/^unknown critical extension (.+)$/, (m) => `phần mở rộng bắt buộc (critical) không xác định ${m[1]}`],
  [/^signed with (SHA-1|MD5)$/, (m) => `được ký bằng ${m[1]}`],
  [/^issues certificates without CA rights \(basicConstraints\)$/, () => "cấp chứng thư mà không có quyền CA (basicConstraints)"],
  [/^path length (\d+) exceeds (\d+)$/, (m) => `độ dài đường dẫn ${m[1]} vượt quá ${m[2]}`],
  [/^key usage does not allow certificate signing$/, () => "mục đích sử dụng khóa không cho phép ký chứng thư"],
  [/^the trust anchor is not a CA$/, () => "chứng thư gốc tin cậy không phải CA"],
  [/^RSA key of (\d+) bits$/, (m) => `khóa RSA ${m[1]} bit`],
  [/^key usage allows neither digitalSignature nor nonRepudiation$/, () => "mục đích sử dụng khóa không có digitalSignature lẫn nonRepudiation"],
  [/^no timeStamping extended key usage$/, () => "không có mục đích sử dụng khóa mở rộng timeStamping"],
  [/^(.+) was revoked on (\S+), after the time the signature is judged at$/s, (m) => `${m[1]} bị thu hồi ngày ${m[2]}, sau thời điểm chữ ký được thẩm định`],
  [/^the time-stamp's message imprint does not match the data it should stamp$/, () => "message imprint của dấu thời gian không khớp với dữ liệu cần đóng dấu"],
  [/^the time-stamp token has no SignerInfo$/, () => "token dấu thời gian không có SignerInfo"],
  [/^the time-stamp token's own signature does not verify$/, () => "chữ ký của chính token dấu thời gian không hợp lệ"],
  [/^a certificate in the CMS could not be parsed: (.*)$/s, (m) => `không đọc được một chứng thư trong CMS: ${m[1]}`],
  [/^signed attributes must hold exactly one messageDigest$/, () => "thuộc tính được ký phải có đúng một messageDigest"],
  [/^the signing-time attribute is malformed$/, () => "thuộc tính signing-time sai định dạng"],
  [/^signature could not be checked: (.*)$/s, (m) => `không kiểm tra được chữ ký: ${m[1]}`],
  [/^digest algorithm field holds the signature algorithm (\S+); read as (\S+)$/, (m) => `trường thuật toán băm ghi thuật toán chữ ký ${m[1]}; được đọc là ${m[2]}`],
  [/^signature algorithm (\S+) hashes with (\S+), the digest algorithm is (\S+)$/, (m) => `thuật toán chữ ký ${m[1]} băm bằng ${m[2]}, thuật toán băm khai báo là ${m[3]}`],
];

const first = (table: Array<[RegExp, (m: RegExpExecArray) => string]>, s: string): string | null => {
  for (const [re, vi] of table) {
    const m = re.exec(s);
    if (m) return vi(m);
  }
  return null;
};

/** One "what" (several are joined by "; "), possibly led by "object N: ". */
function changePart(part: string): string {
  const obj = /^object (\d+)(?:: (.*)| rewritten)$/s.exec(part);
  if (obj) return obj[2] === undefined ? `đối tượng ${obj[1]} được ghi lại` : `đối tượng ${obj[1]}: ${changePart(obj[2])}`;
  return first(CHANGE, part) ?? part;
}

/** A change detail ("signatures: object 12: signature appearance; …") in Vietnamese. */
export function changeDetailVi(detail: string): string {
  const m = /^(none|form-fill|annotations|signatures|other|unknown): (.*)$/s.exec(detail);
  const body = m ? m[2]! : detail;
  const text = body.split("; ").map(changePart).join("; ");
  return m ? `${LEVEL[m[1]!]}: ${text}` : text;
}

/** A certificate-path detail, or a list of change details (as mod.other carries them), in Vietnamese; null if unknown. */
export function detailVi(value: string): string | null {
  const cert = first(CERT, value);
  if (cert !== null) return cert;
  const change = changeDetailVi(value);
  return change === value ? null : change;
}
