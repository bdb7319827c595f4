// Message keys and their texts (STYLE.md §14): checks emit keys, reports carry the rendered text beside
// them. Every key has an English and a Vietnamese text; a test fails when one is missing. A parameter that
// is a text of its own (a certificate's detail, what changed) is a phrase of another table (detail-words.ts).

import type { Lang } from "../words/phrase.js";

export const MESSAGES = {
  "format.unreadable": {
    en: "the signature dictionary cannot be read (damaged or truncated file)",
    vi: "không đọc được từ điển chữ ký (tệp hỏng hoặc bị cắt)",
  },
  "format.type": {
    en: "the signature dictionary has /Type {type}, not /Sig or /DocTimeStamp",
    vi: "từ điển chữ ký có /Type {type}, không phải /Sig hoặc /DocTimeStamp",
  },
  "format.subfilter": {
    en: "unknown /SubFilter {subFilter}: verified as a CAdES signature since /Contents is a CMS SignedData",
    vi: "/SubFilter không xác định: {subFilter}; được kiểm tra như chữ ký CAdES vì /Contents là CMS SignedData",
  },
  "format.x509Cert": {
    en: "adbe.x509.rsa_sha1: /Cert holds no readable signer certificate",
    vi: "adbe.x509.rsa_sha1: /Cert không chứa chứng thư người ký đọc được",
  },
  "format.x509Value": {
    en: "adbe.x509.rsa_sha1: /Contents is not a DER OCTET STRING holding the RSA signature",
    vi: "adbe.x509.rsa_sha1: /Contents không phải OCTET STRING DER chứa chữ ký RSA",
  },
  "format.duplicateKeys": { en: "the signature dictionary repeats keys: {keys}", vi: "từ điển chữ ký có khóa lặp: {keys}" },
  "format.contents": { en: "/Contents is not a direct hexadecimal string", vi: "/Contents không phải chuỗi thập lục phân trực tiếp" },
  "format.contentsOdd": {
    en: "/Contents has an odd number of hexadecimal digits or other characters between its brackets",
    vi: "/Contents có số chữ số lẻ hoặc ký tự lạ giữa hai dấu ngoặc",
  },
  "format.contentsZero": {
    en: "/Contents is all zeros: the signature placeholder was never filled",
    vi: "/Contents toàn số 0: chỗ dành cho chữ ký chưa bao giờ được điền",
  },
  "format.byteRange": {
    en: "/ByteRange is not a direct array of four non-negative integers",
    vi: "/ByteRange không phải mảng trực tiếp gồm bốn số nguyên không âm",
  },
  "format.byteRangeStart": { en: "/ByteRange does not start at byte 0", vi: "/ByteRange không bắt đầu từ byte 0" },
  "format.gap": {
    en: "the /ByteRange gap [{from}, {to}) is not exactly this signature's /Contents string [{cfrom}, {cto}): unsigned bytes could be shown as signed",
    vi: "khoảng trống /ByteRange [{from}, {to}) không trùng chuỗi /Contents [{cfrom}, {cto}) của chữ ký này",
  },
  "format.beyondEof": {
    en: "/ByteRange ends at byte {end}, past the end of the file ({size} bytes)",
    vi: "/ByteRange kết thúc ở byte {end}, vượt quá cuối tệp ({size} byte)",
  },
  "format.notRevisionEnd": {
    en: "/ByteRange ends at byte {end}, which is not the end of any revision",
    vi: "/ByteRange kết thúc ở byte {end}, không phải cuối một phiên bản nào",
  },
  "format.dictOutside": { en: "the signature dictionary is not inside the bytes it signs", vi: "từ điển chữ ký không nằm trong phần byte được ký" },
  "format.overlap": { en: "the /ByteRange gap overlaps another signature's gap", vi: "khoảng trống /ByteRange chồng lên khoảng trống của chữ ký khác" },
  "format.cms": { en: "the CMS signature cannot be read: {error}", vi: "không đọc được chữ ký CMS: {error}" },
  "format.eContent": { en: "a detached signature ({subFilter}) carries encapsulated content", vi: "chữ ký tách rời ({subFilter}) lại chứa nội dung đóng gói" },
  "format.contentType": {
    en: "the signed content-type attribute is missing or does not match the content",
    vi: "thuộc tính content-type được ký bị thiếu hoặc không khớp",
  },
  "format.noSignerInfo": { en: "the CMS holds no SignerInfo", vi: "CMS không có SignerInfo" },
  "format.sha1Content": {
    en: "adbe.pkcs7.sha1: the encapsulated content is not the SHA-1 digest of the signed bytes",
    vi: "adbe.pkcs7.sha1: nội dung đóng gói không phải giá trị băm SHA-1 của phần được ký",
  },
  "format.notTimestamp": { en: "a document time-stamp must use /SubFilter ETSI.RFC3161", vi: "dấu thời gian tài liệu phải dùng /SubFilter ETSI.RFC3161" },
  "hash.mismatch": {
    en: "the signed bytes were changed: their digest differs from the one that was signed",
    vi: "phần được ký đã bị thay đổi: giá trị băm khác với giá trị đã ký",
  },
  "hash.notFramed": {
    en: "the file was changed after signing: this signature's /ByteRange no longer frames its /Contents (the signature dictionary was written again elsewhere), and the bytes it names do not hash to the signed digest",
    vi: "tệp đã bị thay đổi sau khi ký: /ByteRange của chữ ký không còn bao đúng /Contents (từ điển chữ ký đã được ghi lại ở chỗ khác), và phần byte nó chỉ ra không cho giá trị băm đã ký",
  },
  "hash.imprint": {
    en: "the time-stamp does not cover these bytes (its message imprint differs): a copied or altered token",
    vi: "dấu thời gian không phủ phần byte này (message imprint khác): token bị sao chép hoặc sửa",
  },
  "crypto.invalid": { en: "the signature value does not verify with the signer's public key", vi: "giá trị chữ ký không khớp với khóa công khai của người ký" },
  "crypto.unsupported": { en: "the signature algorithm {alg} is not supported", vi: "thuật toán chữ ký {alg} không được hỗ trợ" },
  "crypto.digestUnknown": { en: "unknown digest algorithm {oid}", vi: "thuật toán băm không xác định {oid}" },
  "crypto.eddsaHash": { en: "{alg} requires digest {want}, the signature uses {got}", vi: "{alg} yêu cầu thuật toán băm {want}, chữ ký dùng {got}" },
  "crypto.digestInfoNoNull": {
    en: "the RSA signature's DigestInfo ({hash}) has no NULL parameter (VGCA SignService writes it so; RFC 4055 asks verifiers to accept it): accepted by the default policy",
    vi: "DigestInfo của chữ ký RSA ({hash}) không có tham số NULL (VGCA SignService ghi như vậy; RFC 4055 yêu cầu chấp nhận): được chấp nhận theo chính sách mặc định",
  },
  "crypto.hashMismatch": {
    en: "the signature algorithm names {named}, but the value signs a {used} digest, as the digest algorithm says (the DigestInfo names it): accepted by the default policy",
    vi: "thuật toán chữ ký ghi {named} nhưng giá trị ký trên giá trị băm {used} như thuật toán băm đã khai (DigestInfo ghi rõ): được chấp nhận theo chính sách mặc định",
  },
  "crypto.md5": { en: "MD5 is broken and never accepted", vi: "MD5 đã bị phá và không bao giờ được chấp nhận" },
  "crypto.sha1": {
    en: "SHA-1 is weak; accepted by the default policy (the VGCA G1 hierarchy uses it)",
    vi: "SHA-1 yếu; được chấp nhận theo chính sách mặc định (hệ thống VGCA G1 dùng SHA-1)",
  },
  "crypto.signerInfos": { en: "the CMS holds {n} SignerInfos; every one must verify", vi: "CMS có {n} SignerInfo; tất cả phải hợp lệ" },
  "signer.notFound": { en: "the signing certificate is not in the signature", vi: "chứng thư ký không có trong chữ ký" },
  "signer.ess": {
    en: "the signed signing-certificate attribute does not match the certificate used",
    vi: "thuộc tính signing-certificate được ký không khớp với chứng thư đã dùng",
  },
  "trust.noChain": {
    en: "no certificate path to a trusted anchor was found (the last issuer found is {subject})",
    vi: "không tìm thấy đường dẫn chứng thư tới chứng thư gốc tin cậy (bên cấp cuối cùng tìm được: {subject})",
  },
  "trust.expired": {
    en: "{subject} was not valid at {time} ({detail}) and nothing proves the signature existed while it was",
    vi: "{subject} không còn hiệu lực tại {time} ({detail}) và không có bằng chứng chữ ký tồn tại khi còn hiệu lực",
  },
  "trust.notYetValid": { en: "{subject} was not yet valid at {time} ({detail})", vi: "{subject} chưa có hiệu lực tại {time} ({detail})" },
  "trust.chainGeneral": { en: "the certificate path is not valid: {subject} {detail}", vi: "đường dẫn chứng thư không hợp lệ: {subject} {detail}" },
  "trust.keyUsage": { en: "{subject}: {detail}", vi: "{subject}: mục đích sử dụng khóa không cho phép ký ({detail})" },
  "trust.tsaEku": { en: "{subject} is not a time-stamping certificate ({detail})", vi: "{subject} không phải chứng thư cấp dấu thời gian ({detail})" },
  "trust.md5": { en: "{subject} is signed with MD5, which is never accepted", vi: "{subject} được ký bằng MD5, không bao giờ được chấp nhận" },
  "trust.sha1": {
    en: "{subject} is signed with SHA-1 (accepted by the default policy: the VGCA G1 hierarchy uses it)",
    vi: "{subject} được ký bằng SHA-1 (chính sách mặc định chấp nhận: hệ thống VGCA G1 dùng SHA-1)",
  },
  "trust.smallKey": { en: "{subject} has a key too small to trust ({detail})", vi: "{subject} có khóa quá ngắn ({detail})" },
  "trust.weakKey": {
    en: "{subject} has a weak key ({detail}), accepted by the default policy",
    vi: "{subject} có khóa yếu ({detail}), chính sách mặc định chấp nhận",
  },
  "trust.revoked": { en: "{subject} was revoked on {at}, before {time}", vi: "{subject} đã bị thu hồi ngày {at}, trước {time}" },
  "trust.revokedLater": { en: "{note}", vi: "{note}" },
  "trust.noRevocation": {
    en: "no revocation data could be checked for the signer's certificate path",
    vi: "không kiểm tra được tình trạng thu hồi của đường dẫn chứng thư người ký",
  },
  "trust.anchored": { en: "certificate path ends at the trust anchor {anchor}", vi: "đường dẫn chứng thư kết thúc tại chứng thư gốc tin cậy {anchor}" },
  "trust.judgedAt": { en: "judged at {time} ({proof})", vi: "thẩm định tại thời điểm {time} ({proof})" },
  "ts.untrusted": {
    en: "the time-stamp authority is not trusted, so the time-stamp proves nothing: {reason}",
    vi: "đơn vị cấp dấu thời gian không được tin cậy nên dấu thời gian không chứng minh được gì: {reason}",
  },
  "ts.invalid": { en: "the signature time-stamp is not valid: {reason}", vi: "dấu thời gian của chữ ký không hợp lệ: {reason}" },
  "ts.unreadable": { en: "the signature time-stamp cannot be read: {error}", vi: "không đọc được dấu thời gian của chữ ký: {error}" },
  "mod.other": {
    en: "changed after signing, so the document shown is not the one signed: {details}",
    vi: "bị thay đổi sau khi ký, tài liệu hiển thị không phải tài liệu đã ký: {details}",
  },
  "mod.unrecognised": {
    en: "changed after signing in a way no rule recognises, outside page content: {details}",
    vi: "bị thay đổi sau khi ký theo cách không quy tắc nào nhận diện được, ngoài nội dung trang: {details}",
  },
  "mod.lockPIgnored": {
    en: "a field lock asks P={p}, less strict than the certification's P={docmdp}: the certification's level applies",
    vi: "khóa trường yêu cầu P={p}, lỏng hơn mức P={docmdp} của chữ ký chứng nhận: áp dụng mức của chữ ký chứng nhận",
  },
  "time.localAsUtc": {
    en: "the signer's claimed signing time {signingTime} is 7 hours after {reference}: Vietnam wall time written as UTC by the signing tool, not back-dating; the time-stamp (or /M with its offset) is what counts",
    vi: "thời điểm ký do người ký khai {signingTime} lệch 7 giờ so với {reference}: công cụ ký ghi giờ Việt Nam như giờ UTC, không phải ký lùi ngày; thời điểm theo dấu thời gian (hoặc /M kèm múi giờ) mới có giá trị",
  },
  "mod.notPermitted": {
    en: "changes after signing ({level}) exceed what the certification signature or a signed field's lock permits (P={p})",
    vi: "thay đổi sau khi ký ({level}) vượt quá mức chữ ký chứng nhận hoặc khóa của trường đã ký cho phép (P={p})",
  },
  "mod.annotation": { en: "annotation /{subtype} added on page {page} after signing", vi: "chú thích /{subtype} được thêm vào trang {page} sau khi ký" },
  "mod.allowed": { en: "later revisions only add {level} changes, which are allowed", vi: "các phiên bản sau chỉ thêm thay đổi loại {level}, được phép" },
  "mod.emptySigField": {
    en: "an empty signature field was added after a certification signature with P={p}, which allows none",
    vi: "một ô chữ ký trống được thêm sau chữ ký chứng nhận mức P={p}, mức này không cho phép",
  },
  "mod.unknown": {
    en: "later revisions could not be compared reliably (unreadable objects)",
    vi: "không so sánh tin cậy được các phiên bản sau (đối tượng không đọc được)",
  },
  "mod.repaired": {
    en: "the file's cross-reference data is broken; revisions could not be read strictly",
    vi: "bảng tham chiếu chéo của tệp bị hỏng; không đọc chặt chẽ được các phiên bản",
  },
  "mod.trailing": { en: "{n} bytes after the last %%EOF belong to no revision", vi: "{n} byte sau %%EOF cuối cùng không thuộc phiên bản nào" },
  "mod.trailingWhite": { en: "{n} bytes of white space after the last %%EOF (ignored)", vi: "{n} byte khoảng trắng sau %%EOF cuối cùng (bỏ qua)" },
  "mod.fieldLocked": { en: "field '{field}' locked by a signature was changed", vi: "trường '{field}' bị chữ ký khóa đã bị thay đổi" },
  "cms.attrsOrder": {
    en: "signed attributes are not in DER order; verified as encoded",
    vi: "thuộc tính được ký không theo thứ tự DER; đã kiểm tra theo bản mã hóa nhận được",
  },
  "cms.note": { en: "{note}", vi: "{note}" },
  "doc.certNotFirst": { en: "a certification signature that is not the first signature", vi: "chữ ký chứng nhận không phải là chữ ký đầu tiên" },
  "doc.sharedDict": {
    en: "this signature dictionary is the value of several fields: {fields}",
    vi: "từ điển chữ ký này là giá trị của nhiều trường: {fields}",
  },
  "doc.orphan": { en: "no signature field uses this signature dictionary", vi: "không có trường chữ ký nào dùng từ điển chữ ký này" },
  "doc.repaired": {
    en: "the cross-reference data is broken; objects were found by scanning the file",
    vi: "bảng tham chiếu chéo bị hỏng; các đối tượng được tìm bằng cách quét tệp",
  },
  "doc.reader": { en: "reader: {problem}", vi: "bộ đọc: {problem}" },
  "doc.emptyPassword": {
    en: "the file is encrypted with an empty user password; signatures were verified on the raw bytes",
    vi: "tệp được mã hóa với mật khẩu người dùng rỗng; chữ ký được kiểm tra trên các byte gốc",
  },
  "doc.onlineRevocation": { en: "online revocation: {problem}", vi: "kiểm tra thu hồi trực tuyến: {problem}" },
  "inventory.emptyField": { en: "signature field '{field}' is empty", vi: "ô chữ ký '{field}' còn trống" },
  "inventory.unreadableValue": {
    en: "the signature dictionary of field '{field}' (object {num}) cannot be read",
    vi: "không đọc được từ điển chữ ký của ô '{field}' (đối tượng {num})",
  },
  "inventory.notSignature": {
    en: "signature field '{field}' has a value that is not a signature dictionary",
    vi: "giá trị của ô chữ ký '{field}' không phải từ điển chữ ký",
  },
  "inventory.unreadableBody": { en: "a signature dictionary at byte {offset} cannot be read", vi: "không đọc được từ điển chữ ký tại byte {offset}" },
  "inventory.placeholder": {
    en: "a signature dictionary (object {num}) that no field uses is an unfilled placeholder",
    vi: "từ điển chữ ký (đối tượng {num}) không ô nào dùng là chỗ dành sẵn chưa được ký",
  },
  "inventory.orphan": {
    en: "signature dictionary object {num} is not the value of any signature field",
    vi: "đối tượng từ điển chữ ký {num} không là giá trị của ô chữ ký nào",
  },
} as const satisfies Record<string, { en: string; vi: string }>;

export type MessageKey = keyof typeof MESSAGES;
export type { Lang };

export function say(key: MessageKey, params: Record<string, string | number> = {}, lang: Lang = "en"): string {
  return MESSAGES[key][lang].replace(/\{(\w+)\}/g, (_, p: string) => String(params[p] ?? `{${p}}`));
}
