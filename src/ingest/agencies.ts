// The agency directory as it is loaded (PUT /api/v1/agencies as JSON or CSV, kyso scan --agencies):
// code, name, parent, kind, and the optional legacy aliases (space-, comma- or semicolon-separated in
// CSV), validity dates and successor, the names its certificates give (signerNames, "|"-separated) and
// its registered certificates' SHA-256 fingerprints (certificates). One reader, so both ways in validate alike and say which row is bad.
import { z } from "zod";
import type { Agency } from "../store/sqlite/documents.js";
import { csvObjects } from "./csv.js";
import { canonicalCode, codeProblem } from "../compliance/directory.js";

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "a date YYYY-MM-DD");

export const AgencySchema = z.object({
  code: z.string().trim().min(1),
  name: z.string().min(1),
  parent: z.string().nullable().optional(),
  kind: z.string().min(1),
  aliases: z.union([z.array(z.string()), z.string()]).optional(),
  validFrom: day.nullable().optional(),
  validTo: day.nullable().optional(),
  successor: z.string().nullable().optional(),
  /** names as its certificates spell them ("|"-separated in CSV) */
  signerNames: z
    .union([z.array(z.string()), z.string()])
    .nullable()
    .optional(),
  /** SHA-256 fingerprints of its organisation certificates (hex; "|", space, comma or semicolon separated in CSV) */
  certificates: z
    .union([z.array(z.string()), z.string()])
    .nullable()
    .optional(),
});

export class AgencyError extends Error {
  override name = "AgencyError";
}

/** Agencies from JSON values (one per element); throws AgencyError naming the first bad one. */
export function agencyRows(raw: unknown[]): Agency[] {
  return raw.map((v, i) => {
    const r = AgencySchema.safeParse(v);
    if (!r.success) throw new AgencyError(`agency ${i + 1}: ${r.error.issues.map((x) => `${x.path.join(".")}: ${x.message}`).join("; ")}`);
    const aliases = typeof r.data.aliases === "string" ? r.data.aliases.split(/[\s;,]+/).filter(Boolean) : (r.data.aliases ?? []);
    if (r.data.successor && !r.data.validTo) throw new AgencyError(`agency ${i + 1}: a successor needs validTo (the first day it takes over)`);
    // every code in its canonical form; one outside the alphabet is refused, naming the character
    const code = (field: string, c: string): string => {
      const problem = codeProblem(c);
      if (problem) throw new AgencyError(`agency ${i + 1}, ${field}: ${problem}`);
      return canonicalCode(c);
    };
    const signerNames = (typeof r.data.signerNames === "string" ? r.data.signerNames.split("|") : (r.data.signerNames ?? []))
      .map((n) => n.trim())
      .filter(Boolean);
    const certificates = (typeof r.data.certificates === "string" ? r.data.certificates.split(/[\s|;,]+/) : (r.data.certificates ?? []))
      .map((c) => c.trim().toLowerCase().replace(/:/g, ""))
      .filter(Boolean);
    for (const c of certificates)
      if (!/^[0-9a-f]{64}$/.test(c)) throw new AgencyError(`agency ${i + 1}, certificates: '${c}' is not a SHA-256 fingerprint (64 hexadecimal digits)`);
    for (const n of signerNames) if (n.includes("|")) throw new AgencyError(`agency ${i + 1}, signerNames: a name cannot contain "|"`);
    return {
      code: code("code", r.data.code),
      name: r.data.name,
      parent: r.data.parent ? code("parent", r.data.parent) : null,
      kind: r.data.kind,
      aliases: aliases.map((a) => code("aliases", a)),
      validFrom: r.data.validFrom || null,
      validTo: r.data.validTo || null,
      successor: r.data.successor ? code("successor", r.data.successor) : null,
      ...(signerNames.length ? { signerNames } : {}),
      ...(certificates.length ? { certificates } : {}),
    };
  });
}

/** Agencies from a CSV directory (columns snake_case or camelCase, empty cells absent). */
export function agenciesFromCsv(text: string): Agency[] {
  return agencyRows(
    csvObjects(text).map((r) => {
      if ("error" in r) return { error: r.error };
      const out: Record<string, string> = {};
      for (const [k, val] of Object.entries(r.values)) if (val !== "") out[k.replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase())] = val;
      return out;
    }),
  );
}
