// What the PDF reader says when it cannot read something (its PdfError messages and the problems a
// document collects), by key (STYLE.md §14): offsets, object numbers and the file's own bytes are
// parameters, never translated. Pure.
import { type Phrase, type PhraseParam, phraseText, type Words } from "../words/phrase.js";

export const READER_WORDS = {
  /** a message written as a sentence (the content reader's): shown as it is */
  "reader.text": { en: "{text}", vi: "{text}" },
  "reader.object": { en: "object {num}: {problem}", vi: "không đọc được đối tượng {num}: {problem}" },
  "reader.at": { en: "{problem} (at byte {offset})", vi: "{problem} (tại byte {offset})" },
  "reader.atByte": { en: "{problem} (byte {offset})", vi: "{problem} (byte {offset})" },
  "reader.xrefUnreadable": {
    en: "xref chain unreadable ({problem}); objects found by scanning",
    vi: "không đọc được chuỗi bảng tham chiếu chéo ({problem}); các đối tượng được tìm bằng cách quét tệp",
  },
  "reader.noHeader": { en: "no %PDF- header in the first 1024 bytes", vi: "không có tiêu đề %PDF- trong 1024 byte đầu" },
  "reader.tokenTooLong": { en: "token too long", vi: "một từ tố quá dài" },
  "reader.expected": { en: "expected '{keyword}'", vi: "thiếu từ khóa '{keyword}'" },
  "reader.integerTooLong": { en: "integer too long", vi: "số nguyên quá dài" },
  "reader.nestedTooDeeply": { en: "objects nested too deeply", vi: "các đối tượng lồng nhau quá sâu" },
  "reader.endOfData": { en: "unexpected end of data", vi: "dữ liệu kết thúc giữa chừng" },
  "reader.unterminatedArray": { en: "unterminated array", vi: "mảng không được đóng" },
  "reader.unterminatedDictionary": { en: "unterminated dictionary", vi: "từ điển không được đóng" },
  "reader.unterminatedHex": { en: "unterminated hex string", vi: "chuỗi hex không được đóng" },
  "reader.unterminatedString": { en: "unterminated string", vi: "chuỗi không được đóng" },
  "reader.unexpectedToken": { en: "unexpected token '{token}'", vi: "gặp từ tố không hợp lệ '{token}'" },
  "reader.unexpectedByte": { en: "unexpected byte 0x{byte}", vi: "gặp byte không hợp lệ 0x{byte}" },
  "reader.badNumber": { en: "bad number '{token}'", vi: "số không hợp lệ '{token}'" },
  "reader.nameTooLong": { en: "name too long", vi: "tên quá dài" },
  "reader.keyNotName": { en: "dictionary key is not a name", vi: "khóa của từ điển không phải là tên" },
  "reader.hexTooLong": { en: "hex string too long", vi: "chuỗi hex quá dài" },
  "reader.stringTooLong": { en: "string too long", vi: "chuỗi quá dài" },
  "reader.badHexCharacter": { en: "bad character in hex string", vi: "ký tự không hợp lệ trong chuỗi hex" },
  "reader.offsetOutside": { en: "object offset outside the file", vi: "vị trí của đối tượng nằm ngoài tệp" },
  "reader.noObjHeader": { en: "no 'N G obj' header where the xref points", vi: "bảng tham chiếu chéo (xref) trỏ đến chỗ không có tiêu đề 'N G obj'" },
  "reader.noEndstream": { en: "stream without endstream", vi: "luồng dữ liệu không có endstream" },
  "reader.referenceTooDeep": { en: "reference chain too deep", vi: "chuỗi tham chiếu quá sâu" },
  "reader.tooManyParsed": { en: "too many objects parsed", vi: "quá nhiều đối tượng phải đọc" },
  "reader.pastRevision": { en: "object {num} extends past the end of revision {revision}", vi: "đối tượng {num} vượt quá cuối phiên bản {revision}" },
  "reader.wrongObject": {
    en: "xref entry for {num} {gen} points at object {foundNum} {foundGen}",
    vi: "mục xref của {num} {gen} trỏ đến đối tượng {foundNum} {foundGen}",
  },
  "reader.streamNotPlain": {
    en: "object stream {stream} of object {num} is not a plain object",
    vi: "luồng đối tượng {stream} (chứa đối tượng {num}) không phải một đối tượng thường",
  },
  "reader.notObjectStream": { en: "object {stream} is not an object stream", vi: "đối tượng {stream} không phải một luồng đối tượng (ObjStm)" },
  "reader.badObjectStream": { en: "object stream {stream} has a bad /N or /First", vi: "luồng đối tượng {stream} có /N hoặc /First sai" },
  "reader.missingInStream": {
    en: "object stream {stream} has no object {num} at index {index}",
    vi: "luồng đối tượng {stream} không có đối tượng {num} ở vị trí {index}",
  },
  "reader.unsupportedFilter": { en: "unsupported filter {filter} on a structural stream", vi: "bộ lọc {filter} không được hỗ trợ trên luồng cấu trúc" },
  "reader.streamLimit": {
    en: "a stream decodes to more than {mb} MB (the per-stream limit)",
    vi: "một luồng giải nén ra hơn {mb} MB (giới hạn cho mỗi luồng)",
  },
  "reader.documentLimit": {
    en: "the document's streams decode to more than {mb} MB (the per-document limit)",
    vi: "các luồng của tài liệu giải nén ra hơn {mb} MB (giới hạn cho mỗi tài liệu)",
  },
  "reader.inflate": { en: "cannot inflate stream: {error}", vi: "không giải nén được luồng dữ liệu (chi tiết kỹ thuật: {error})" },
  "reader.unsupportedPredictor": { en: "unsupported predictor {predictor}", vi: "bộ dự đoán (predictor) {predictor} không được hỗ trợ" },
  "reader.badPredictorColumns": { en: "bad predictor columns", vi: "số cột của bộ dự đoán (predictor) sai" },
  "reader.badPngRow": { en: "bad PNG predictor row type {type}", vi: "kiểu dòng {type} của bộ dự đoán PNG sai" },
  "reader.startxrefOutside": { en: "startxref or /Prev points outside the file", vi: "startxref hoặc /Prev trỏ ra ngoài tệp" },
  "reader.subsectionCount": { en: "xref subsection without a count", vi: "một phần của bảng xref không có số lượng mục" },
  "reader.tooManyEntries": { en: "too many xref entries", vi: "bảng xref có quá nhiều mục" },
  "reader.badEntry": { en: "malformed xref entry", vi: "một mục của bảng xref sai định dạng" },
  "reader.trailerNotDict": { en: "trailer is not a dictionary", vi: "trailer không phải một từ điển" },
  "reader.noXref": { en: "no xref table or xref stream where expected", vi: "không có bảng xref hay luồng xref ở chỗ cần có" },
  "reader.badW": { en: "xref stream /W is malformed", vi: "/W của luồng xref sai định dạng" },
  "reader.noSize": { en: "xref stream without /Size", vi: "luồng xref không có /Size" },
  "reader.badIndex": { en: "xref stream /Index is malformed", vi: "/Index của luồng xref sai định dạng" },
  "reader.shortXrefStream": { en: "xref stream shorter than its /Index says", vi: "luồng xref ngắn hơn /Index khai báo" },
  "reader.prevLoop": { en: "loop in the /Prev chain", vi: "chuỗi /Prev quay vòng" },
  "reader.noEofAfterXref": { en: "no %%EOF after an xref section", vi: "không có %%EOF sau một phần bảng xref" },
  "reader.noStartxref": { en: "no startxref", vi: "không có startxref" },
  "reader.startxrefNoOffset": { en: "startxref without an offset", vi: "startxref không kèm vị trí" },
  "reader.noTrailer": { en: "no trailer and no catalog found", vi: "không tìm thấy trailer lẫn mục lục tài liệu" },
  "reader.tooManyObjects": { en: "too many objects", vi: "quá nhiều đối tượng" },
  "reader.tooManySections": { en: "too many xref sections", vi: "quá nhiều phần bảng xref" },
} as const satisfies Words;

export type ReaderKey = keyof typeof READER_WORDS;

/** A reader phrase; its key is checked against the table. */
export const readerPhrase = (key: ReaderKey, params?: Record<string, PhraseParam>): Phrase => (params ? { key, params } : { key });

/** The English of a reader phrase, as error messages and reports carry it. */
export const readerEnglish = (p: Phrase): string => phraseText(p, READER_WORDS, "en");
