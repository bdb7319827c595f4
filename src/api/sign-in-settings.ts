// How people sign in to the pages (issue 25), read from the environment once at start: how long a session
// lasts, the address people reach kyso at, and the province's identity provider when there is one.
import { readFileSync } from "node:fs";
import { ConfigError } from "../config.js";
import { isRole, type Role } from "../store/sqlite/keys.js";

/** Claim values and subjects mapped to kyso roles (KYSO_OIDC_ROLE_MAP, a JSON file). */
export interface RoleMap {
  /** a value of the role claim (a group, say) → a role */
  values: Record<string, Role>;
  /** an identity provider's subject → a role, whatever its claims say */
  subjects: Record<string, Role>;
}

export interface OidcSettings {
  issuer: string;
  clientId: string;
  /** none: a public client, PKCE alone */
  clientSecret: string | null;
  redirectUrl: string;
  scope: string;
  /** the claim whose values are kyso roles or keys of the map's `values` */
  roleClaim: string | null;
  roleMap: RoleMap | null;
}

export interface SignInSettings {
  sessionTtlMs: number;
  /** where people reach kyso (KYSO_PUBLIC_URL): an https one makes the cookie Secure */
  publicUrl: string | null;
  oidc: OidcSettings | null;
}

export const DEFAULT_SIGN_IN: SignInSettings = { sessionTtlMs: 12 * 3600_000, publicUrl: null, oidc: null };

function urlSetting(name: string, v: string): string {
  let u: URL;
  try {
    u = new URL(v);
  } catch {
    throw new ConfigError(`${name} must be an http(s) URL, not '${v}'`);
  }
  if (u.protocol !== "https:" && u.protocol !== "http:") throw new ConfigError(`${name} must be an http(s) URL, not '${v}'`);
  return v.replace(/\/+$/, "");
}

/** The role map file: `{"values": {"group": "viewer"}, "subjects": {"sub": "admin"}}`, every role checked. */
export function readRoleMap(file: string): RoleMap {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, "utf8"));
  } catch (e) {
    throw new ConfigError(`KYSO_OIDC_ROLE_MAP: cannot read '${file}' as JSON (${(e as Error).message})`);
  }
  const table = (k: "values" | "subjects"): Record<string, Role> => {
    const t = (raw as Record<string, unknown>)?.[k] ?? {};
    if (typeof t !== "object" || t === null || Array.isArray(t)) throw new ConfigError(`KYSO_OIDC_ROLE_MAP '${file}': "${k}" must be an object of roles`);
    for (const [name, role] of Object.entries(t)) {
      if (typeof role !== "string" || !isRole(role))
        throw new ConfigError(
          `KYSO_OIDC_ROLE_MAP '${file}': ${k} "${name}" maps to '${String(role)}', not a role a person signs in with (viewer, auditor, admin)`,
        );
      // documents are submitted with keys bound to their agencies (kyso keys create --sender), not by people
      if (role === "ingest")
        throw new ConfigError(
          `KYSO_OIDC_ROLE_MAP '${file}': ${k} "${name}" maps to 'ingest', which people do not sign in with: submitting documents takes a key bound to its agencies (kyso keys create ingest --sender CODE)`,
        );
    }
    return t as Record<string, Role>;
  };
  return { values: table("values"), subjects: table("subjects") };
}

const MAX_SESSION_HOURS = 720;

export function signInSettingsFromEnv(env: Record<string, string | undefined>): SignInSettings {
  const hours = Number(env.KYSO_SESSION_HOURS ?? 12);
  // at most 30 days: a browser keeps a cookie 400 days at most, and a longer session would outlive what
  // the province's rules allow a person's sign-in (Infinity or 10,000 hours broke every sign-in with a 500)
  if (!(hours > 0 && hours <= MAX_SESSION_HOURS))
    throw new ConfigError(`KYSO_SESSION_HOURS must be a number of hours from above 0 to ${MAX_SESSION_HOURS} (30 days), not '${env.KYSO_SESSION_HOURS}'`);
  const publicUrl = env.KYSO_PUBLIC_URL ? urlSetting("KYSO_PUBLIC_URL", env.KYSO_PUBLIC_URL) : null;
  if (!env.KYSO_OIDC_ISSUER) return { sessionTtlMs: hours * 3600_000, publicUrl, oidc: null };
  const issuer = urlSetting("KYSO_OIDC_ISSUER", env.KYSO_OIDC_ISSUER);
  if (!env.KYSO_OIDC_CLIENT_ID) throw new ConfigError("KYSO_OIDC_ISSUER is set: KYSO_OIDC_CLIENT_ID must be too");
  const redirect = env.KYSO_OIDC_REDIRECT_URL ?? (publicUrl ? `${publicUrl}/sign-in/oidc/callback` : null);
  if (!redirect) throw new ConfigError("KYSO_OIDC_ISSUER is set: KYSO_OIDC_REDIRECT_URL (or KYSO_PUBLIC_URL) must be too");
  const roleClaim = env.KYSO_OIDC_ROLE_CLAIM || null;
  const roleMap = env.KYSO_OIDC_ROLE_MAP ? readRoleMap(env.KYSO_OIDC_ROLE_MAP) : null;
  if (!roleClaim && !roleMap)
    throw new ConfigError("KYSO_OIDC_ISSUER is set: KYSO_OIDC_ROLE_CLAIM or KYSO_OIDC_ROLE_MAP must say where people's roles come from");
  const oidc: OidcSettings = {
    issuer,
    clientId: env.KYSO_OIDC_CLIENT_ID,
    clientSecret: env.KYSO_OIDC_CLIENT_SECRET || null,
    redirectUrl: urlSetting("KYSO_OIDC_REDIRECT_URL", redirect),
    scope: env.KYSO_OIDC_SCOPE || "openid profile",
    roleClaim,
    roleMap,
  };
  return { sessionTtlMs: hours * 3600_000, publicUrl, oidc };
}
