// What the CMS reader notes about a SignedData and why a time-stamp token does not hold, by key
// (STYLE.md §14): algorithm names are parameters, never translated; a parser's own message is kept as
// a technical detail. Pure.
import { type Phrase, type PhraseParam, type Words } from "../words/phrase.js";

export const CMS_WORDS = {
  "cms.imprintMismatch": {
    en: "the time-stamp's message imprint does not match the data it should stamp",
    vi: "message imprint của dấu thời gian không khớp với dữ liệu cần đóng dấu",
  },
  "cms.tokenNoSignerInfo": { en: "the time-stamp token has no SignerInfo", vi: "token dấu thời gian không có SignerInfo" },
  "cms.tokenSignature": { en: "the time-stamp token's own signature does not verify", vi: "chữ ký của chính token dấu thời gian không hợp lệ" },
  "cms.certUnreadable": { en: "a certificate in the CMS could not be parsed: {error}", vi: "không đọc được một chứng thư trong CMS: {error}" },
  "cms.messageDigestCount": { en: "signed attributes must hold exactly one messageDigest", vi: "thuộc tính được ký phải có đúng một messageDigest" },
  "cms.signingTimeMalformed": { en: "the signing-time attribute is malformed", vi: "thuộc tính signing-time sai định dạng" },
  "cms.notChecked": { en: "signature could not be checked: {error}", vi: "không kiểm tra được chữ ký: {error}" },
  "cms.digestFieldSignature": {
    en: "digest algorithm field holds the signature algorithm {signature}; read as {hash}",
    vi: "trường thuật toán băm ghi thuật toán chữ ký {signature}; được đọc là {hash}",
  },
  "cms.hashDiffers": {
    en: "signature algorithm {signature} hashes with {hash}, the digest algorithm is {digest}",
    vi: "thuật toán chữ ký {signature} băm bằng {hash}, thuật toán băm khai báo là {digest}",
  },
} as const satisfies Words;

export type CmsKey = keyof typeof CMS_WORDS;

/** A CMS phrase; its key is checked against the table. */
export const cmsPhrase = (key: CmsKey, params?: Record<string, PhraseParam>): Phrase => (params ? { key, params } : { key });
