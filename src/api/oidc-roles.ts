// The kyso role of a person the identity provider signed in: the local map's entry for their subject if
// there is one, else what the role claim's values give — looked up in the map's values when a map is set
// (a group the province happens to call "admin" for another system is no kyso role), taken as role names
// only without a map. A person with several gets the widest (admin, auditor, viewer); none: no sign-in.
// People never get the ingest role this way: it submits documents, and a key bound to its agencies
// (kyso keys create --sender) is what limits whose; a person's session has no such binding.
import { isRole, type Role } from "../store/sqlite/keys.js";
import type { OidcSettings } from "./sign-in-settings.js";

const WIDEST_FIRST: readonly Role[] = ["admin", "auditor", "viewer"];

/** A claim's values as strings: a list, a single value, or space- or comma-separated words. */
function valuesOf(claim: unknown): string[] {
  if (Array.isArray(claim)) return claim.filter((v): v is string => typeof v === "string");
  if (typeof claim === "string") return claim.split(/[\s,]+/).filter(Boolean);
  return [];
}

export function roleOf(claims: Record<string, unknown>, o: Pick<OidcSettings, "roleClaim" | "roleMap">): Role | null {
  const sub = typeof claims.sub === "string" ? claims.sub : "";
  // own properties only: a subject or value such as "constructor" is no entry of the map
  const bySubject = o.roleMap && Object.hasOwn(o.roleMap.subjects, sub) ? o.roleMap.subjects[sub] : undefined;
  if (bySubject) return WIDEST_FIRST.includes(bySubject) ? bySubject : null;
  if (!o.roleClaim) return null;
  const found = new Set<Role>();
  for (const v of valuesOf(claims[o.roleClaim])) {
    const mapped = o.roleMap ? (Object.hasOwn(o.roleMap.values, v) ? o.roleMap.values[v] : undefined) : isRole(v) ? v : undefined;
    if (mapped) found.add(mapped);
  }
  return WIDEST_FIRST.find((r) => found.has(r)) ?? null;
}

/** The name the header shows for a person. */
export function nameOf(claims: Record<string, unknown>): string {
  for (const k of ["name", "preferred_username", "email", "sub"]) if (typeof claims[k] === "string" && claims[k]) return claims[k] as string;
  return "?";
}
