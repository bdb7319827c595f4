// Why a certificate path is not valid at a time, and what revocation data says beside it, by key
// (STYLE.md §14): times, object identifiers and sizes are parameters, never translated. Pure.
import { type Phrase, type PhraseParam, type Words } from "../words/phrase.js";

export const PATH_WORDS = {
  "path.validUntil": { en: "valid until {time}", vi: "hiệu lực đến {time}" },
  "path.validFrom": { en: "valid from {time}", vi: "hiệu lực từ {time}" },
  "path.criticalExtension": { en: "unknown critical extension {oid}", vi: "phần mở rộng bắt buộc (critical) không xác định {oid}" },
  "path.signedWith": { en: "signed with {hash}", vi: "được ký bằng {hash}" },
  "path.notCa": { en: "issues certificates without CA rights (basicConstraints)", vi: "cấp chứng thư mà không có quyền CA (basicConstraints)" },
  "path.length": { en: "path length {length} exceeds {max}", vi: "độ dài đường dẫn {length} vượt quá {max}" },
  "path.caKeyUsage": { en: "key usage does not allow certificate signing", vi: "mục đích sử dụng khóa không cho phép ký chứng thư" },
  "path.anchorNotCa": { en: "the trust anchor is not a CA", vi: "chứng thư gốc tin cậy không phải CA" },
  "path.rsaBits": { en: "RSA key of {bits} bits", vi: "khóa RSA {bits} bit" },
  "path.signerKeyUsage": {
    en: "key usage allows neither digitalSignature nor nonRepudiation",
    vi: "mục đích sử dụng khóa không có digitalSignature lẫn nonRepudiation",
  },
  "path.noTimeStamping": { en: "no timeStamping extended key usage", vi: "không có mục đích sử dụng khóa mở rộng timeStamping" },
  "path.revokedLater": {
    en: "{subject} was revoked on {at}, after the time the signature is judged at",
    vi: "{subject} bị thu hồi ngày {at}, sau thời điểm chữ ký được thẩm định",
  },
} as const satisfies Words;

export type PathKey = keyof typeof PATH_WORDS;

/** A path phrase; its key is checked against the table. */
export const pathPhrase = (key: PathKey, params?: Record<string, PhraseParam>): Phrase => (params ? { key, params } : { key });
