// Personal or organisation certificate, by the Vietnamese conventions of VIETNAM.md (Certificates), with
// the rule that decided so a report can say why.
import type { NameAttr } from "./names.js";
import { firstOf } from "./names.js";

export type SignerKind = "personal" | "organization" | "unknown";

const PERSONAL_ID = /\b(CMND|CCCD|HC|CMT)\s*:/i;
const TAX_CODE = /\bMST\s*:/i;
const BODY_WORDS = /^(Ủy ban nhân dân|Uỷ ban nhân dân|UBND|Văn phòng|Sở|Ban|Cục|Bộ|Cổng|Trung tâm|Công ty|Chi cục|Phòng|Tổng cục|Viện|Trường|Bệnh viện|Hội đồng nhân dân|HĐND|Kho bạc|Ngân hàng)\b/iu;

export function signerKind(subject: NameAttr[]): { kind: SignerKind; rule: string } {
  const ids = subject.filter((a) => a.type === "UID" || a.type === "serialNumber").map((a) => a.value);
  if (ids.some((v) => PERSONAL_ID.test(v))) return { kind: "personal", rule: "a personal identifier (CMND/CCCD/HC) in UID or serialNumber" };
  if (ids.some((v) => TAX_CODE.test(v))) return { kind: "organization", rule: "a tax code (MST) in UID or serialNumber" };
  const cn = firstOf(subject, "CN")?.trim() ?? null;
  const o = firstOf(subject, "O")?.trim() ?? null;
  if (cn && o && cn.normalize("NFC").toLowerCase() === o.normalize("NFC").toLowerCase()) return { kind: "organization", rule: "CN equals O" };
  if (cn && BODY_WORDS.test(cn.normalize("NFC"))) return { kind: "organization", rule: "CN names a body" };
  return { kind: "unknown", rule: "no rule matched" };
}
