// Personal or organisation certificate, by the Vietnamese conventions of VIETNAM.md (Certificates), with
// the rule that decided so a report can say why, and the agency the certificate names.
import type { NameAttr } from "./names.js";
import { firstOf } from "./names.js";

export type SignerKind = "personal" | "organization" | "unknown";

const PERSONAL_ID = /\b(CMND|CCCD|HC|CMT)\s*:/i;
const TAX_CODE = /\b(MST|MNS)\s*:/i;
/** The first words of a body's name, folded (no case, no diacritics): a CN that starts so names a body. */
const BODY_WORDS =
  /^(uy ban nhan dan|ubnd|van phong|so|ban|cuc|bo|cong|trung tam|cong ty|chi cuc|phong|tong cuc|vien|truong|benh vien|hoi dong nhan dan|hdnd|kho bac|ngan hang|chinh phu|dang uy|tinh uy|huyen uy)(\s|$)/;
/** The Government specialised PKI's issuing body (Ban Cơ yếu Chính phủ), folded. */
const VGCA = "ban co yeu chinh phu";

/** A name compared as VIETNAM.md asks: without case, diacritics or punctuation. */
export function foldName(s: string): string {
  return s
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/[đĐ]/g, "d")
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, " ")
    .trim();
}

export interface SignerKindReading {
  kind: SignerKind;
  /** the rule that decided, in words */
  rule: string;
}

export function signerKind(subject: NameAttr[], issuer: NameAttr[] = []): SignerKindReading {
  const ids = subject.filter((a) => a.type === "UID" || a.type === "serialNumber").map((a) => a.value);
  if (ids.some((v) => PERSONAL_ID.test(v))) return { kind: "personal", rule: "a personal identifier (CMND/CCCD/HC) in UID or serialNumber" };
  if (ids.some((v) => TAX_CODE.test(v))) return { kind: "organization", rule: "a tax or budget code (MST/MNS) in UID or serialNumber" };
  const cn = firstOf(subject, "CN")?.trim() ?? null;
  const o = firstOf(subject, "O")?.trim() ?? null;
  if (cn && o && foldName(cn) === foldName(o)) return { kind: "organization", rule: "CN equals O" };
  if (cn && BODY_WORDS.test(foldName(cn))) return { kind: "organization", rule: "CN names a body" };
  // Real VGCA personal certificates carry no personal identifier: CN=<name>, OU=<unit>, O=<agency>
  const byVgca = issuer.some((a) => a.type === "O" && foldName(a.value) === VGCA);
  if (byVgca && cn && o)
    return { kind: "personal", rule: "issued under the VGCA hierarchy, with a CN that is not a body's name and differs from O (an official of O)" };
  return { kind: "unknown", rule: "no rule matched" };
}

/** The agency a certificate names (VIETNAM.md): O (with OU) for an official, CN (within O) for an organisation. */
export function signerAgency(subject: NameAttr[], kind: SignerKind): { name: string; unit: string | null; parent: string | null } | null {
  const cn = firstOf(subject, "CN")?.trim() || null;
  const o = firstOf(subject, "O")?.trim() || null;
  const ou = firstOf(subject, "OU")?.trim() || null;
  if (kind === "organization") {
    const name = cn ?? o;
    return name ? { name, unit: null, parent: o && foldName(o) !== foldName(name) ? o : null } : null;
  }
  if (kind === "personal") return o ? { name: o, unit: ou, parent: null } : null;
  return null;
}
