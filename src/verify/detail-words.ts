// Vietnamese for the free-text details reports carry in English: what changed after signing (the change
// rules' "what" phrases, "level: object N: what; what"), why a certificate path failed (the path
// validator's details), and what the PDF reader could not read (its error messages). Reports store
// English; pages render these in the reader's language. A phrase this table does not know is returned
// unchanged, and a test renders every fixture and corpus report in Vietnamese to keep the table
// complete. Pure.

const LEVEL: Record<string, string> = {
  none: "không có",
  "form-fill": "điền biểu mẫu",
  annotations: "chú thích",
  signatures: "chữ ký",
  unrecognised: "thay đổi không nhận diện được",
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
  [
    /^structure element added( with no annotation or signature added)?$/,
    (m) => `phần tử cấu trúc được thêm${m[1] ? " mà không thêm chú thích hay chữ ký nào" : ""}`,
  ],
  [
    /^structure entries added( with no annotation or signature added)?$/,
    (m) => `mục cấu trúc được thêm${m[1] ? " mà không thêm chú thích hay chữ ký nào" : ""}`,
  ],
  [/^structure entries rewritten or removed$/, () => "mục cấu trúc bị ghi lại hoặc bị xóa"],
  [/^structure element rewritten \((.+)\)$/, (m) => `phần tử cấu trúc bị ghi lại (${m[1]})`],
  [/^data of a new signature field$/, () => "dữ liệu riêng của ô chữ ký mới"],
  [/^data of a form field$/, () => "dữ liệu riêng của trường biểu mẫu"],
  [/^an unrecognised change: \/(\S+) of field (\S+)$/, (m) => `thay đổi không nhận diện được: /${m[1]} của trường ${m[2]}`],
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
  [/^an already signed field was changed(?: \((.+)\))?$/, (m) => `một ô đã ký bị thay đổi${m[1] ? ` (${m[1]})` : ""}`],
  [/^an unrecognised change: (.+) of an already signed field$/, (m) => `thay đổi không nhận diện được: ${m[1]} của một ô đã ký`],
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
  [
    /^digest algorithm field holds the signature algorithm (\S+); read as (\S+)$/,
    (m) => `trường thuật toán băm ghi thuật toán chữ ký ${m[1]}; được đọc là ${m[2]}`,
  ],
  [
    /^signature algorithm (\S+) hashes with (\S+), the digest algorithm is (\S+)$/,
    (m) => `thuật toán chữ ký ${m[1]} băm bằng ${m[2]}, thuật toán băm khai báo là ${m[3]}`,
  ],
];

/** What the PDF reader says when it cannot read something (its PdfError messages, pdf/*.ts). */
const READER: Array<[RegExp, (m: RegExpExecArray) => string]> = [
  [/^token too long$/, () => "một từ tố quá dài"],
  [/^expected '(.+)'$/, (m) => `thiếu từ khóa '${m[1]}'`],
  [/^integer too long$/, () => "số nguyên quá dài"],
  [/^objects nested too deeply$/, () => "các đối tượng lồng nhau quá sâu"],
  [/^unexpected end of data$/, () => "dữ liệu kết thúc giữa chừng"],
  [/^unterminated array$/, () => "mảng không được đóng"],
  [/^unterminated dictionary$/, () => "từ điển không được đóng"],
  [/^unterminated hex string$/, () => "chuỗi hex không được đóng"],
  [/^unterminated string$/, () => "chuỗi không được đóng"],
  [/^unexpected token '(.*)'$/s, (m) => `gặp từ tố không hợp lệ '${m[1]}'`],
  [/^unexpected byte (0x[0-9a-f]+)$/, (m) => `gặp byte không hợp lệ ${m[1]}`],
  [/^bad number '(.*)'$/s, (m) => `số không hợp lệ '${m[1]}'`],
  [/^name too long$/, () => "tên quá dài"],
  [/^dictionary key is not a name$/, () => "khóa của từ điển không phải là tên"],
  [/^hex string too long$/, () => "chuỗi hex quá dài"],
  [/^string too long$/, () => "chuỗi quá dài"],
  [/^bad character in hex string$/, () => "ký tự không hợp lệ trong chuỗi hex"],
  [/^object offset outside the file$/, () => "vị trí của đối tượng nằm ngoài tệp"],
  [/^no 'N G obj' header where the xref points$/, () => "bảng tham chiếu chéo (xref) trỏ đến chỗ không có tiêu đề 'N G obj'"],
  [/^stream without endstream$/, () => "luồng dữ liệu không có endstream"],
  [/^reference chain too deep$/, () => "chuỗi tham chiếu quá sâu"],
  [/^too many objects parsed$/, () => "quá nhiều đối tượng phải đọc"],
  [/^object (\d+) extends past the end of revision (\d+)$/, (m) => `đối tượng ${m[1]} vượt quá cuối phiên bản ${m[2]}`],
  [/^xref entry for (\d+) (\d+) points at object (\d+) (\d+)$/, (m) => `mục xref của ${m[1]} ${m[2]} trỏ đến đối tượng ${m[3]} ${m[4]}`],
  [/^object stream (\d+) of object (\d+) is not a plain object$/, (m) => `luồng đối tượng ${m[1]} (chứa đối tượng ${m[2]}) không phải một đối tượng thường`],
  [/^object (\d+) is not an object stream$/, (m) => `đối tượng ${m[1]} không phải một luồng đối tượng (ObjStm)`],
  [/^object stream (\d+) has a bad \/N or \/First$/, (m) => `luồng đối tượng ${m[1]} có /N hoặc /First sai`],
  [/^object stream (\d+) has no object (\d+) at index (\d+)$/, (m) => `luồng đối tượng ${m[1]} không có đối tượng ${m[2]} ở vị trí ${m[3]}`],
  [/^unsupported filter (\S+) on a structural stream$/, (m) => `bộ lọc ${m[1]} không được hỗ trợ trên luồng cấu trúc`],
  [/^a stream decodes to more than (\d+) MB \(the per-stream limit\)$/, (m) => `một luồng giải nén ra hơn ${m[1]} MB (giới hạn cho mỗi luồng)`],
  [/^cannot inflate stream: (.*)$/s, (m) => `không giải nén được luồng dữ liệu (chi tiết kỹ thuật: ${m[1]})`],
  [/^unsupported predictor (\S+)$/, (m) => `bộ dự đoán (predictor) ${m[1]} không được hỗ trợ`],
  [/^bad predictor columns$/, () => "số cột của bộ dự đoán (predictor) sai"],
  [/^bad PNG predictor row type (\S+)$/, (m) => `kiểu dòng ${m[1]} của bộ dự đoán PNG sai`],
  [/^startxref or \/Prev points outside the file$/, () => "startxref hoặc /Prev trỏ ra ngoài tệp"],
  [/^xref subsection without a count$/, () => "một phần của bảng xref không có số lượng mục"],
  [/^too many xref entries$/, () => "bảng xref có quá nhiều mục"],
  [/^malformed xref entry$/, () => "một mục của bảng xref sai định dạng"],
  [/^trailer is not a dictionary$/, () => "trailer không phải một từ điển"],
  [/^no xref table or xref stream where expected$/, () => "không có bảng xref hay luồng xref ở chỗ cần có"],
  [/^xref stream \/W is malformed$/, () => "/W của luồng xref sai định dạng"],
  [/^xref stream without \/Size$/, () => "luồng xref không có /Size"],
  [/^xref stream \/Index is malformed$/, () => "/Index của luồng xref sai định dạng"],
  [/^xref stream shorter than its \/Index says$/, () => "luồng xref ngắn hơn /Index khai báo"],
  [/^loop in the \/Prev chain$/, () => "chuỗi /Prev quay vòng"],
  [/^no %%EOF after an xref section$/, () => "không có %%EOF sau một phần bảng xref"],
  [/^no startxref$/, () => "không có startxref"],
  [/^startxref without an offset$/, () => "startxref không kèm vị trí"],
  [/^no trailer and no catalog found$/, () => "không tìm thấy trailer lẫn mục lục tài liệu"],
  [/^too many objects$/, () => "quá nhiều đối tượng"],
  [/^too many xref sections$/, () => "quá nhiều phần bảng xref"],
  [
    /^the document's streams decode to more than (\d+) MB \(the per-document limit\)$/,
    (m) => `các luồng của tài liệu giải nén ra hơn ${m[1]} MB (giới hạn cho mỗi tài liệu)`,
  ],
];

/** A reader problem ("object N: …", "xref chain unreadable (…); …", with "(byte B)" after it) in Vietnamese. */
function readerVi(value: string): string | null {
  const at = /^(.*) \(byte (\d+)\)$/s.exec(value);
  const body = at ? at[1]! : value;
  const tail = at ? ` (byte ${at[2]})` : "";
  const chain = /^xref chain unreadable \((.*)\); objects found by scanning$/s.exec(body);
  if (chain) return `không đọc được chuỗi bảng tham chiếu chéo (${first(READER, chain[1]!) ?? chain[1]}); các đối tượng được tìm bằng cách quét tệp${tail}`;
  const obj = /^object (\d+): (.*)$/s.exec(body);
  const vi = first(READER, obj ? obj[2]! : body);
  if (vi === null) return null;
  return `${obj ? `không đọc được đối tượng ${obj[1]}: ` : ""}${vi}${tail}`;
}

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
  const m = /^(none|form-fill|annotations|signatures|unrecognised|other|unknown): (.*)$/s.exec(detail);
  const body = m ? m[2]! : detail;
  const text = body.split("; ").map(changePart).join("; ");
  return m ? `${LEVEL[m[1]!]}: ${text}` : text;
}

/** A certificate-path detail, a reader problem, or a list of change details (as mod.other carries them), in Vietnamese; null if unknown. */
export function detailVi(value: string): string | null {
  const cert = first(CERT, value) ?? readerVi(value);
  if (cert !== null) return cert;
  const change = changeDetailVi(value);
  return change === value ? null : change;
}
