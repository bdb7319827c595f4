// Bearer API keys with roles (DESIGN.md §4.5). Each route names the roles it admits; admin is admitted
// everywhere. 401 without a valid active key, 403 with a key of another role. Keys never reach a log.
import { createRoute, type RouteConfig } from "@hono/zod-openapi";
import type { MiddlewareHandler } from "hono";
import type { Db } from "../store/db.js";
import { authenticate, type ApiKey, type Role } from "../store/keys.js";
import { ApiError } from "./errors.js";

export type AuthEnv = { Variables: { key: ApiKey } };

export const SECURITY_SCHEME = "apiKey";

export function requireRole(db: Db, roles: readonly Role[]): MiddlewareHandler<AuthEnv> {
  const admitted = new Set<Role>([...roles, "admin"]);
  return async (c, next) => {
    const header = c.req.header("authorization") ?? "";
    const m = /^Bearer +(\S+)$/i.exec(header);
    const key = m ? authenticate(db, m[1]!) : null;
    if (!key) {
      c.header("WWW-Authenticate", 'Bearer realm="kyso"');
      return c.json({ error: { code: "UNAUTHORIZED", message: m ? "the API key is not valid (unknown or revoked)" : "an API key is required: Authorization: Bearer <key>" } }, 401);
    }
    if (!admitted.has(key.role)) return c.json({ error: { code: "FORBIDDEN", message: `this route needs the role ${[...admitted].join(" or ")}; the key has the role ${key.role}` } }, 403);
    c.set("key", key);
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
  if (!allowed.has(canonical(sender))) throw new ApiError(403, "FORBIDDEN_SENDER", `this key submits documents of ${key.senders.join(", ")} only; this one is from ${sender}`);
}

/** Who the verification log names for a request. */
export function actorOf(key: ApiKey): string {
  return `key:${key.id} (${key.role}, ${key.label})`;
}

/**
 * A route that requires one of `roles` (or admin): the middleware, the security requirement and the
 * roles in the OpenAPI document (`x-kyso-roles`, and in words in the description).
 */
export function securedRoute<R extends RouteConfig>(db: Db, roles: readonly Role[], config: R) {
  const admitted = [...new Set<Role>([...roles, "admin"])];
  return createRoute({
    ...config,
    security: [{ [SECURITY_SCHEME]: [] }],
    description: `${config.description ? config.description + "\n\n" : ""}Roles: ${admitted.join(", ")}.`,
    "x-kyso-roles": admitted,
    middleware: [requireRole(db, roles)] as const,
  });
}
