// The kyso role of a person the identity provider signed in: the local map's entry for their subject if
// there is one, else what the role claim's values give (each looked up in the map's values, or taken as a
// role name). A person with several gets the widest (admin, auditor, viewer, ingest); none: no sign-in.
import { isRole, type Role } from "../store/keys.js";
import type { OidcSettings } from "./sign-in-settings.js";

const WIDEST_FIRST: readonly Role[] = ["admin", "auditor", "viewer", "ingest"];

/** A claim's values as strings: a list, a single value, or space- or comma-separated words. */
function valuesOf(claim: unknown): string[] {
  if (Array.isArray(claim)) return claim.filter((v): v is string => typeof v === "string");
  if (typeof claim === "string") return claim.split(/[\s,]+/).filter(Boolean);
  return [];
}

export function roleOf(claims: Record<string, unknown>, o: Pick<OidcSettings, "roleClaim" | "roleMap">): Role | null {
  const sub = typeof claims.sub === "string" ? claims.sub : "";
  const bySubject = o.roleMap?.subjects[sub];
  if (bySubject) return bySubject;
  if (!o.roleClaim) return null;
  const found = new Set<Role>();
  for (const v of valuesOf(claims[o.roleClaim])) {
    const mapped = o.roleMap?.values[v] ?? (isRole(v) ? v : undefined);
    if (mapped) found.add(mapped);
  }
  return WIDEST_FIRST.find((r) => found.has(r)) ?? null;
}

/** The name the header shows for a person. */
export function nameOf(claims: Record<string, unknown>): string {
  for (const k of ["name", "preferred_username", "email", "sub"]) if (typeof claims[k] === "string" && claims[k]) return claims[k] as string;
  return "?";
}
