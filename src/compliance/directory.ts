// The agency directory's rules (shared EXCHANGE.md §3): codes and their explicit legacy aliases (never a
// conversion by rule: the legacy 13-character form has no defined reading), names, which agencies are
// administrative (only those are in the KPI), and validity periods with successors, so that after a merge,
// split or rename a document is counted for the agency that sent it in periods before the change and for
// its successor in periods after it. Pure.
import { foldName } from "../pki/signer-kind.js";

export interface DirectoryEntry {
  code: string;
  name: string;
  parent: string | null;
  kind: string;
  /** legacy codes that name this agency (edXML's 000.00.00.H53 form, codes before a reorganisation) */
  aliases: string[];
  /** first day the agency exists (YYYY-MM-DD), null: always */
  validFrom: string | null;
  /** first day it no longer exists (YYYY-MM-DD), null: still exists */
  validTo: string | null;
  /** the agency that takes over its documents from validTo on */
  successor: string | null;
  /** names its certificates give besides `name` (a former name, "Ủy ban nhân dân" for "UBND"): issue 24 */
  signerNames?: readonly string[];
  /** SHA-256 fingerprints (hex) of its organisation certificates, registered by the IT department */
  certificates?: readonly string[];
}

/**
 * An agency code in its one canonical form (issue 28, point 5): Unicode NFKC (full-width digits become
 * digits), invisible characters (zero-width spaces and joiners, byte-order marks) removed, trimmed,
 * upper-cased. `h53.01`, `H53.０１` and `H53.01` with a zero-width space are all `H53.01`.
 */
export const canonicalCode = (c: string): string =>
  c
    .normalize("NFKC")
    .replace(/[\u200B-\u200D\u2060\uFEFF\u00AD]/g, "")
    .trim()
    .toUpperCase();

/** What makes a code unusable in the directory (Decision 20/2020: `.`, digits and A–Z), naming the character; null when none. */
export function codeProblem(code: string): string | null {
  const c = canonicalCode(code);
  if (!c) return "the code is empty";
  for (const ch of c)
    if (!/[A-Z0-9.]/.test(ch))
      return `'${code}' has the character ${JSON.stringify(ch)} (U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0")}), outside an agency code's alphabet (., 0–9, A–Z)`;
  return null;
}

/** A code the directory lacks, as kept: canonical when it is one, else as sent (trimmed), never refused. */
export const codeAsSent = (c: string): string => (codeProblem(c) ? c.trim() : canonicalCode(c));

const normCode = canonicalCode;
/** Names compared as people type them: Unicode NFC, case and runs of spaces ignored. */
export const normName = (n: string): string => n.normalize("NFC").toLocaleLowerCase("vi").replace(/\s+/g, " ").trim();

export class Directory {
  private readonly byCode = new Map<string, DirectoryEntry>();
  private readonly byAlias = new Map<string, string>();
  private readonly byName = new Map<string, string[]>();
  /** names as certificates are compared (foldName: no case, diacritics or punctuation) → codes */
  private readonly bySignerName = new Map<string, string[]>();
  private readonly byCertificate = new Map<string, string>();

  constructor(readonly entries: readonly DirectoryEntry[]) {
    for (const e of entries) this.byCode.set(normCode(e.code), e);
    for (const e of entries)
      for (const a of e.aliases) {
        const k = normCode(a);
        if (!this.byCode.has(k) && !this.byAlias.has(k)) this.byAlias.set(k, e.code);
      }
    for (const e of entries) {
      const k = normName(e.name);
      this.byName.set(k, [...(this.byName.get(k) ?? []), e.code]);
      for (const n of new Set([e.name, ...(e.signerNames ?? [])].map(foldName).filter(Boolean)))
        this.bySignerName.set(n, [...(this.bySignerName.get(n) ?? []), e.code]);
      for (const c of e.certificates ?? []) this.byCertificate.set(c.toLowerCase(), e.code);
    }
  }

  /** The agencies a name in a certificate names (its name or a signer name, folded): one, several or none. */
  agenciesNamed(name: string): string[] {
    return this.bySignerName.get(foldName(name)) ?? [];
  }

  /** The agency that registered this certificate (its SHA-256, hex), if one did. */
  agencyOfCertificate(sha256: string): string | undefined {
    return this.byCertificate.get(sha256.toLowerCase());
  }

  /** One agency under two codes of a reorganisation: equal, or one the other's successor (either way). */
  sameLineage(a: string, b: string): boolean {
    const ra = this.resolve(a) ?? canonicalCode(a);
    const rb = this.resolve(b) ?? canonicalCode(b);
    return ra === rb || this.successorsOf(ra).includes(rb) || this.successorsOf(rb).includes(ra);
  }

  get size(): number {
    return this.entries.length;
  }

  /** The agency a code or one of its aliases names (a code stored as sent finds its agency once listed). */
  entry(code: string): DirectoryEntry | undefined {
    const k = normCode(code);
    const e = this.byCode.get(k);
    if (e) return e;
    const alias = this.byAlias.get(k);
    return alias === undefined ? undefined : this.byCode.get(normCode(alias));
  }

  /** The directory's code for a code as sent (itself, or the agency that lists it as an alias). */
  resolve = (code: string): string | null => {
    const k = normCode(code);
    return this.byCode.get(k)?.code ?? this.byAlias.get(k) ?? null;
  };

  /** A code, alias or agency name as a register writes it: one code, several (ambiguous), or none. */
  resolveName(text: string): { code: string } | { ambiguous: string[] } | null {
    const byCode = this.resolve(text);
    if (byCode) return { code: byCode };
    const codes = this.byName.get(normName(text));
    if (!codes) return null;
    return codes.length === 1 ? { code: codes[0]! } : { ambiguous: codes };
  }

  isAdministrative(code: string): boolean {
    return this.entry(code)?.kind === "administrative";
  }

  /** The agency a document sent by `sender` counts for in the period of `date` (successors after a change). */
  countedFor(sender: string, date: string): string {
    let e = this.entry(sender);
    if (!e) return sender;
    for (let hops = 0; hops < 16 && e.validTo && e.successor && date >= e.validTo; hops++) {
      const next = this.entry(e.successor);
      if (!next) return e.successor;
      e = next;
    }
    return e.code;
  }

  /** The agencies that took over from `code` after reorganisations, nearest first (none when it goes on). */
  successorsOf(code: string): string[] {
    const out: string[] = [];
    let e = this.entry(code);
    for (let hops = 0; hops < 16 && e?.successor; hops++) {
      const next = this.resolve(e.successor) ?? e.successor;
      if (out.includes(next) || next === code) break;
      out.push(next);
      e = this.entry(next);
    }
    return out;
  }

  /** Codes of an exchange that the directory does not know. */
  unknown(sender: string, recipients: readonly string[]): string[] {
    return [sender, ...recipients].filter((c) => !this.entry(c));
  }

  /** Sender and at least one recipient are administrative agencies. */
  betweenAdministrative(sender: string, recipients: readonly string[]): boolean {
    return this.isAdministrative(sender) && recipients.some((r) => this.isAdministrative(r));
  }

  /**
   * A directory gap holds a document out of the figures while the directory cannot say whether it is in
   * the KPI: its sender is unknown, or no recipient is a known administrative agency and some are unknown.
   * (An unknown extra recipient of a document already between administrative agencies changes nothing.)
   */
  isGap(sender: string, recipients: readonly string[]): boolean {
    if (!this.entry(sender)) return true;
    if (recipients.some((r) => this.isAdministrative(r))) return false;
    return recipients.some((r) => !this.entry(r));
  }
}
