// Who sealed a document (DESIGN.md §4.3, "The signer and the sender"; issue 24). A valid signature proves
// who signed, not that the agency credited with the document did: the agency an organisation signature
// speaks for is read from its certificate (a fingerprint the agency registered, else CN within O) and
// resolved through the directory's names, signer names and certificates; any valid organisation signature
// of the sender (or of the agency it succeeded or that succeeded it) makes the document the sender's. An
// ambiguous name is never a guess: not matched, with the candidates. Pure.
import type { SignatureReport } from "../verify/report.js";
import type { Directory } from "./directory.js";

/** What a valid signature's certificate says of who signed (kept per document at analysis). */
export interface Seal {
  kind: "personal" | "organization" | "unknown";
  cn: string | null;
  o: string | null;
  /** the official's unit (OU), when the certificate names one */
  ou: string | null;
  /** the signer certificate's SHA-256 (hex) */
  sha256: string;
}

export type BindingStatus = "sender" | "another-agency" | "not-matched" | "no-organisation-signature";
export const BINDING_STATUSES: readonly BindingStatus[] = ["sender", "another-agency", "not-matched", "no-organisation-signature"];

export interface SignerBinding {
  status: BindingStatus;
  /** the directory's code of the agency the seal speaks for (sender, another-agency) */
  agency?: string;
  /** the name as the certificate gives it */
  name: string;
  /** what decided, in words */
  rule: string;
  /** an ambiguous name: the agencies it could be (not-matched) */
  candidates?: string[];
}

/** The seals of a report: the signer of each valid signature (TOTAL_PASSED), in signature order. */
export function sealsOf(signatures: readonly Pick<SignatureReport, "kind" | "indication" | "signer">[]): Seal[] {
  return signatures
    .filter((s) => s.kind === "signature" && s.indication === "TOTAL_PASSED" && s.signer)
    .map((s) => ({ kind: s.signer!.kind, cn: s.signer!.commonName, o: s.signer!.organization, ou: s.signer!.agency?.unit ?? null, sha256: s.signer!.sha256 }));
}

type Match = { agency: string; name: string; rule: string } | { ambiguous: string[]; name: string } | { unmatched: string };

/**
 * The agency one organisation seal speaks for: its registered certificate, else its CN (the organisation
 * itself; O is usually the body above it, so a CN the directory lacks is not matched rather than credited
 * to that body), O serving to tell apart agencies of one name under different parents, and O alone when
 * there is no CN.
 */
function matchSeal(seal: Seal, dir: Directory): Match {
  const registered = dir.agencyOfCertificate(seal.sha256);
  const shown = seal.cn ?? seal.o ?? "(no name)";
  if (registered) return { agency: registered, name: shown, rule: `its certificate (SHA-256 ${seal.sha256.slice(0, 16)}…) is registered by ${registered}` };
  const field = seal.cn ? "CN" : "O";
  const name = seal.cn ?? seal.o;
  if (!name) return { unmatched: shown };
  let codes = dir.agenciesNamed(name);
  if (codes.length > 1 && seal.cn && seal.o) {
    // one name under several parents (a district's office in each district): the O names which parent
    const parents = new Set(dir.agenciesNamed(seal.o));
    const within = codes.filter((c) => parents.has(dir.entry(c)?.parent ?? ""));
    if (within.length === 1) return { agency: within[0]!, name, rule: `the certificate's CN "${name}" within O "${seal.o}" is ${within[0]} in the directory` };
  }
  if (codes.length === 1) return { agency: codes[0]!, name, rule: `the certificate's ${field} "${name}" is the name of ${codes[0]} in the directory` };
  if (codes.length > 1) return { ambiguous: codes, name };
  return { unmatched: name };
}

/** The document's binding: whose organisation seal it carries, with respect to its sender. */
export function bindSigner(seals: readonly Seal[], sender: string, dir: Directory): SignerBinding {
  const orgs = seals.filter((s) => s.kind === "organization");
  if (!orgs.length) {
    const official = seals.find((s) => s.kind === "personal");
    const name = official ? [official.ou, official.o].filter(Boolean).join(", ") || (official.cn ?? "") : "";
    return {
      status: "no-organisation-signature",
      name,
      rule: official ? "only officials' signatures are valid: no agency's organisation signature seals it" : "no valid organisation signature",
    };
  }
  const matches = orgs.map((s) => matchSeal(s, dir));
  const found = matches.filter((m): m is Extract<Match, { agency: string }> => "agency" in m);
  const own = found.find((m) => dir.sameLineage(m.agency, sender));
  if (own)
    return {
      status: "sender",
      agency: own.agency,
      name: own.name,
      rule:
        own.agency === (dir.resolve(sender) ?? sender)
          ? own.rule
          : `${own.rule}, the sender's ${dir.successorsOf(own.agency).includes(dir.resolve(sender) ?? sender) ? "predecessor" : "successor"} in a reorganisation`,
    };
  if (found.length) return { status: "another-agency", agency: found[0]!.agency, name: found[0]!.name, rule: found[0]!.rule };
  const ambiguous = matches.find((m): m is Extract<Match, { ambiguous: string[] }> => "ambiguous" in m);
  if (ambiguous)
    return {
      status: "not-matched",
      name: ambiguous.name,
      rule: `the name "${ambiguous.name}" fits several agencies of the directory: which one is not guessed`,
      candidates: ambiguous.ambiguous,
    };
  const first = matches[0] as { unmatched: string };
  return {
    status: "not-matched",
    name: first.unmatched,
    rule: `no agency of the directory has the name "${first.unmatched}" (add it to the agency's signer names, or register its certificate)`,
  };
}
