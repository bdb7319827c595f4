// Bearer API keys with roles (DESIGN.md §4.5), and the pages' sessions (issue 25): a request without an
// Authorization header is judged by its session cookie, which carries a key's role or the role the identity
// provider's sign-in gave. Each route names the roles it admits; admin is admitted everywhere. 401 without
// a valid active key or live session, 403 with another role, and 403 for a state-changing request made with
// the cookie from anywhere but this origin. Keys and session tokens never reach a log.
import { createRoute, type RouteConfig } from "@hono/zod-openapi";
import type { MiddlewareHandler } from "hono";
import type { AccessStore } from "../store/ports.js";
import type { ApiKey, Role } from "../store/access-rules.js";
import { ApiError } from "./errors.js";
import { isSafeMethod, sameOrigin, SESSION_SCHEME, sessionPrincipal, sessionToken, type Principal } from "./session.js";

export type { Principal } from "./session.js";
export type AuthEnv = { Variables: { key: Principal } };

export const SECURITY_SCHEME = "apiKey";

/** The principal a request authenticates as (bearer key first), or why not. */
async function principalOf(access: AccessStore, c: Parameters<MiddlewareHandler<AuthEnv>>[0]): Promise<Principal | { refused: string }> {
  const header = c.req.header("authorization");
  if (header) {
    const m = /^Bearer +(\S+)$/i.exec(header);
    const key = m ? await access.authenticate(m[1]!) : null;
    return key
      ? { ...key, via: "bearer" }
      : { refused: m ? "the API key is not valid (unknown or revoked)" : "an API key is required: Authorization: Bearer <key>" };
  }
  const session = await sessionPrincipal(access, c);
  if (session) return session;
  return {
    refused: sessionToken(c)
      ? "the session has ended (expired, signed out, or its key revoked): sign in again at /sign-in"
      : "an API key is required (Authorization: Bearer <key>), or a session: sign in at /sign-in",
  };
}

export function requireRole(access: AccessStore, roles: readonly Role[]): MiddlewareHandler<AuthEnv> {
  const admitted = new Set<Role>([...roles, "admin"]);
  return async (c, next) => {
    const who = await principalOf(access, c);
    if ("refused" in who) {
      c.header("WWW-Authenticate", 'Bearer realm="kyso"');
      return c.json({ error: { code: "UNAUTHORIZED", message: who.refused } }, 401);
    }
    // a cookie goes with whatever the browser sends: a change needs the page of this origin behind it
    if (who.via === "session" && !isSafeMethod(c.req.method) && !sameOrigin(c))
      return c.json({ error: { code: "CROSS_SITE", message: "a change made with the session cookie must come from kyso's own pages (same origin)" } }, 403);
    if (!admitted.has(who.role))
      return c.json(
        {
          error: {
            code: "FORBIDDEN",
            message: `this route needs the role ${[...admitted].join(" or ")}; the ${who.via === "bearer" ? "key" : "session"} has the role ${who.role}`,
          },
        },
        403,
      );
    c.set("key", who);
    await next();
  };
}

/**
 * A key bound to sender agencies submits for those only: 403 otherwise. Codes are compared as the
 * directory resolves them (a legacy code names its agency), and a key bound to an agency that a
 * reorganisation merged into another also submits for its successors (the same office, a new code).
 */
export function requireSender(key: ApiKey, sender: string, dir: { resolve(code: string): string | null; successorsOf(code: string): string[] }): void {
  if (!key.senders) return;
  const canonical = (c: string) => dir.resolve(c) ?? c;
  const allowed = new Set(key.senders.flatMap((c) => [canonical(c), ...dir.successorsOf(c)]));
  if (!allowed.has(canonical(sender)))
    throw new ApiError(403, "FORBIDDEN_SENDER", `this key submits documents of ${key.senders.join(", ")} only; this one is from ${sender}`);
}

/** Who the verification log names for a request: the key (itself or through its session), or the person. */
export function actorOf(key: ApiKey | Principal): string {
  if ("oidcSubject" in key && key.oidcSubject !== undefined) return `oidc:${key.oidcSubject} (${key.role}, ${key.label})`;
  return `key:${key.id} (${key.role}, ${key.label})`;
}

/**
 * A route that requires one of `roles` (or admin): the middleware, the security requirement and the
 * roles in the OpenAPI document (`x-kyso-roles`, and in words in the description).
 */
export function securedRoute<R extends RouteConfig>(access: AccessStore, roles: readonly Role[], config: R) {
  const admitted = [...new Set<Role>([...roles, "admin"])];
  return createRoute({
    ...config,
    security: [{ [SECURITY_SCHEME]: [] as string[] }, { [SESSION_SCHEME]: [] as string[] }] as Array<Record<string, string[]>>,
    description: `${config.description ? config.description + "\n\n" : ""}Roles: ${admitted.join(", ")}.`,
    "x-kyso-roles": admitted,
    middleware: [requireRole(access, roles)] as const,
  });
}
