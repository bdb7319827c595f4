// What the change rules and the revision diff say about a change after signing, by key (STYLE.md §14):
// PDF names, object and page numbers are parameters, never translated. Reports keep the English as `what`
// beside the key; pages render the key in the reader's language. Pure.
import { type Phrase, type PhraseParam, phraseText, type Words } from "../words/phrase.js";

export const CHANGE_WORDS = {
  "level.none": { en: "none", vi: "không có" },
  "level.form-fill": { en: "form-fill", vi: "điền biểu mẫu" },
  "level.annotations": { en: "annotations", vi: "chú thích" },
  "level.signatures": { en: "signatures", vi: "chữ ký" },
  "level.unrecognised": { en: "unrecognised", vi: "thay đổi không nhận diện được" },
  "level.other": { en: "other", vi: "thay đổi khác" },
  "level.unknown": { en: "unknown", vi: "không xác định" },
  "level.newSignature": { en: "a new signature", vi: "một chữ ký mới" },

  // the parts of a document a rule names (pdf/roles.ts kinds)
  "part.fieldList": { en: "AcroForm field list", vi: "danh sách trường của biểu mẫu (AcroForm)" },
  "part.info": { en: "info", vi: "thông tin tài liệu (/Info)" },
  "part.metadata": { en: "metadata", vi: "siêu dữ liệu XMP" },
  "part.dss": { en: "dss", vi: "dữ liệu kiểm tra dài hạn (/DSS)" },
  "part.extensions": { en: "extensions", vi: "khai báo phần mở rộng (/Extensions)" },

  // a change as a report lists it: its level, and what changed to which object
  "change.levelled": { en: "{level}: {what}", vi: "{level}: {what}" },
  "change.object": { en: "object {num}: {what}", vi: "đối tượng {num}: {what}" },
  "change.objectRewritten": { en: "object {num} rewritten", vi: "đối tượng {num} được ghi lại" },
  "change.nothingAdded": { en: "{what} with no annotation or signature added", vi: "{what} mà không thêm chú thích hay chữ ký nào" },

  "change.catalogEntries": { en: "catalog entries changed: {keys}", vi: "mục lục tài liệu thay đổi: {keys}" },
  "change.catalogEqual": { en: "catalog written again with equal values", vi: "mục lục tài liệu được ghi lại với giá trị như cũ" },
  "change.catalogUpdated": { en: "catalog updated (signature-related entries)", vi: "mục lục tài liệu cập nhật (các mục liên quan đến chữ ký)" },
  "change.formChanged": { en: "form changed: {keys}", vi: "biểu mẫu thay đổi: {keys}" },
  /** `more`: the other keys that changed, ", /A, /B", or nothing */
  "change.formListChanged": { en: "form changed: {list}{more}", vi: "biểu mẫu thay đổi: {list}{more}" },
  "change.formUpdated": { en: "form dictionary updated", vi: "từ điển biểu mẫu được cập nhật" },
  "change.formResources": { en: "form default resources updated", vi: "tài nguyên mặc định của biểu mẫu được cập nhật" },
  "change.listNotArray": { en: "{list} is not an array", vi: "{list} không phải một mảng" },
  "change.listRemoved": { en: "{list}: fields removed", vi: "{list}: trường bị xóa" },
  "change.listNonSignature": { en: "{list}: a non-signature field was added", vi: "{list}: thêm một trường không phải chữ ký" },
  "change.listSignatures": { en: "{list}: signature fields added", vi: "{list}: thêm ô chữ ký" },
  "change.annotsNotArray": { en: "annotations of page {page} are not an array", vi: "danh sách chú thích của trang {page} không phải một mảng" },
  "change.annotsChanged": { en: "annotations of page {page} changed", vi: "danh sách chú thích của trang {page} thay đổi" },
  "change.widgetRemoved": { en: "page {page}: a widget was removed", vi: "trang {page}: một ô hiển thị (widget) bị xóa" },
  "change.annotDirect": { en: "page {page}: a direct or missing annotation was added", vi: "trang {page}: thêm một chú thích trực tiếp hoặc không tồn tại" },
  "change.widgetNonSignature": {
    en: "page {page}: a widget of a non-signature field was added",
    vi: "trang {page}: thêm ô hiển thị của một trường không phải chữ ký",
  },
  "change.nonSignatureField": { en: "a non-signature form field was added", vi: "thêm một trường biểu mẫu không phải chữ ký" },
  "change.emptySigField": { en: "an empty signature field added", vi: "thêm một ô chữ ký trống" },
  "change.sigFieldAdded": { en: "signature field added", vi: "thêm ô chữ ký" },
  "change.unrecognisedSigned": {
    en: "an unrecognised change: {keys} of an already signed field",
    vi: "thay đổi không nhận diện được: {keys} của một ô đã ký",
  },
  "change.signedFieldChanged": { en: "an already signed field was changed ({keys})", vi: "một ô đã ký bị thay đổi ({keys})" },
  "change.sigFieldChanged": { en: "signature field changed ({keys})", vi: "ô chữ ký thay đổi ({keys})" },
  "change.apShared": {
    en: "the replaced appearance is also used elsewhere in the signed document",
    vi: "hình hiển thị được thay cũng được dùng ở chỗ khác trong tài liệu đã ký",
  },
  "change.sigFieldSigned": { en: "signature field signed", vi: "ô chữ ký được ký" },
  "change.formFieldChanged": { en: "form field changed ({keys})", vi: "trường biểu mẫu thay đổi ({keys})" },
  "change.lockedField": { en: "the locked field '{field}' was changed", vi: "trường '{field}' đã bị khóa nhưng bị thay đổi" },
  "change.formFieldFilled": { en: "form field filled", vi: "trường biểu mẫu được điền" },
  "change.updated": { en: "{part} updated", vi: "{part} được cập nhật" },
  "change.sigDictChanged": { en: "an existing signature dictionary was changed", vi: "một từ điển chữ ký đã có bị thay đổi" },
  "change.sigDictAdded": { en: "signature dictionary added", vi: "thêm từ điển chữ ký" },
  "change.annotAppearance": { en: "annotation appearance changed", vi: "hình hiển thị của chú thích thay đổi" },
  "change.signedAppearance": { en: "appearance of an already signed field changed", vi: "hình hiển thị của một ô đã ký thay đổi" },
  "change.sigAppearance": { en: "signature appearance", vi: "hình hiển thị chữ ký" },
  "change.formAppearance": { en: "form field appearance", vi: "hình hiển thị trường biểu mẫu" },
  "change.annotAdded": { en: "annotation added", vi: "thêm chú thích" },
  "change.annotChanged": { en: "annotation changed", vi: "chú thích thay đổi" },
  "change.pageEqual": { en: "page written again with equal values", vi: "trang được ghi lại với giá trị như cũ" },
  "change.pageChanged": { en: "page {page} changed ({keys})", vi: "trang {page} thay đổi ({keys})" },
  "change.pageChangedNoAnnot": {
    en: "page {page} changed ({keys}) with no annotation added",
    vi: "trang {page} thay đổi ({keys}) mà không thêm chú thích nào",
  },
  "change.producerStamp": { en: "producer stamp on the page tree", vi: "dấu của phần mềm tạo tệp trên cây trang" },
  "change.pageTree": { en: "page tree changed", vi: "cây trang thay đổi" },
  "change.structureAdded": { en: "structure element added", vi: "phần tử cấu trúc được thêm" },
  "change.structureEntriesAdded": { en: "structure entries added", vi: "mục cấu trúc được thêm" },
  "change.structureRewritten": { en: "structure entries rewritten or removed", vi: "mục cấu trúc bị ghi lại hoặc bị xóa" },
  "change.structureElementRewritten": { en: "structure element rewritten ({keys})", vi: "phần tử cấu trúc bị ghi lại ({keys})" },
  "change.perms": { en: "permissions (/Perms) changed", vi: "quyền (/Perms) thay đổi" },
  "change.namedAppearances": { en: "named annotation appearances updated", vi: "hình hiển thị chú thích có tên được cập nhật" },
  "change.nameTrees": { en: "name trees changed ({keys})", vi: "cây tên thay đổi ({keys})" },
  "change.sigFieldData": { en: "data of a new signature field", vi: "dữ liệu riêng của ô chữ ký mới" },
  "change.formFieldData": { en: "data of a form field", vi: "dữ liệu riêng của trường biểu mẫu" },
  "change.unrecognisedData": { en: "an unrecognised change: /{via} of field {field}", vi: "thay đổi không nhận diện được: /{via} của trường {field}" },
  "change.contentAdded": { en: "content object added", vi: "thêm đối tượng nội dung" },
  "change.contentChanged": { en: "content object changed", vi: "đối tượng nội dung thay đổi" },
  "change.trailerInfo": { en: "trailer /Info replaced", vi: "thông tin tài liệu (/Info ở trailer) bị thay" },
  "change.trailerKey": { en: "trailer /{key} changed", vi: "/{key} ở trailer thay đổi" },
  "change.trailing": { en: "{n} bytes appended after the last %%EOF", vi: "{n} byte được nối thêm sau %%EOF cuối cùng" },
  "change.unreadable": { en: "objects of the later revisions could not be read", vi: "không đọc được các đối tượng của các phiên bản sau" },
  "change.xrefBroken": { en: "the cross-reference data is broken: revisions unknown", vi: "bảng tham chiếu chéo bị hỏng: không biết các phiên bản" },
} as const satisfies Words;

export type ChangeKey = keyof typeof CHANGE_WORDS;

/** A change phrase; its key is checked against the table. */
export const changePhrase = (key: ChangeKey, params?: Record<string, PhraseParam>): Phrase => (params ? { key, params } : { key });

/** PDF names as a rule lists them: "/A, /B". */
export const pdfNames = (keys: readonly string[]): string => keys.map((k) => "/" + k).join(", ");

/** The English of a change phrase, as reports carry it. */
export const changeEnglish = (p: Phrase): string => phraseText(p, CHANGE_WORDS, "en");

/** True when `p` or a phrase inside it has one of `keys`. */
export function mentions(p: PhraseParam, keys: readonly ChangeKey[]): boolean {
  if (typeof p !== "object") return false;
  if (Array.isArray(p)) return (p as readonly Phrase[]).some((x) => mentions(x, keys));
  const ph = p as Phrase;
  return (keys as readonly string[]).includes(ph.key) || Object.values(ph.params ?? {}).some((v) => mentions(v, keys));
}

/** A change's English (as reports carry it) and its phrase, from one key. */
export function said(key: ChangeKey, params?: Record<string, PhraseParam>): { what: string; phrase: Phrase } {
  const phrase = changePhrase(key, params);
  return { what: changeEnglish(phrase), phrase };
}
