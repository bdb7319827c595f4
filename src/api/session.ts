// The pages' session cookie (issue 25): who a request is for when it carries no bearer key, the cookie's
// attributes, and the same-origin test that a state-changing request made with the cookie must pass.
import type { Context } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import type { ApiKey } from "../store/access-rules.js";
import type { AccessStore } from "../store/ports.js";

export const SESSION_COOKIE = "kyso_session";
/** The OpenAPI security scheme of the session cookie. */
export const SESSION_SCHEME = "session";

/** Who a request is for: a bearer key, or a session (a key's, or a person's the identity provider named). */
export interface Principal extends ApiKey {
  via: "bearer" | "session";
  /** a session of the identity provider: the person's subject there */
  oidcSubject?: string;
}

/** The cookie is Secure when the request came over TLS or people reach kyso over https (a proxy ends TLS). */
export function secureCookie(c: Context, publicUrl: string | null): boolean {
  return new URL(c.req.url).protocol === "https:" || (publicUrl ?? "").startsWith("https:");
}

export function setSessionCookie(c: Context, token: string, ttlMs: number, secure: boolean): void {
  setCookie(c, SESSION_COOKIE, token, { path: "/", httpOnly: true, sameSite: "Strict", secure, maxAge: Math.floor(ttlMs / 1000) });
}

export function clearSessionCookie(c: Context, secure: boolean): void {
  deleteCookie(c, SESSION_COOKIE, { path: "/", httpOnly: true, sameSite: "Strict", secure });
}

export const sessionToken = (c: Context): string | null => getCookie(c, SESSION_COOKIE) ?? null;

/** The live session the request's cookie names, as the principal routes see; null without one. */
export async function sessionPrincipal(access: AccessStore, c: Context): Promise<Principal | null> {
  const token = sessionToken(c);
  const s = token ? await access.findSession(token) : null;
  if (!s) return null;
  if (s.keyId !== null) return { id: s.keyId, role: s.role, label: s.label, createdAt: "", revokedAt: null, senders: s.senders, via: "session" };
  return { id: `oidc:${s.subject}`, role: s.role, label: s.label, createdAt: "", revokedAt: null, senders: null, via: "session", oidcSubject: s.subject! };
}

/**
 * A request a page of this origin made: the browser's Sec-Fetch-Site says so, or its Origin names this
 * host. A form or a script on another site cannot forge either, so a cookie it makes the browser send
 * changes nothing (SameSite=Strict already keeps the cookie from such requests; this holds without it).
 */
export function sameOrigin(c: Context): boolean {
  const site = c.req.header("sec-fetch-site");
  if (site) return site === "same-origin";
  const origin = c.req.header("origin");
  if (!origin || origin === "null") return false;
  try {
    return new URL(origin).host === (c.req.header("host") ?? new URL(c.req.url).host);
  } catch {
    return false;
  }
}

/** GET, HEAD and OPTIONS change nothing. */
export const isSafeMethod = (method: string): boolean => method === "GET" || method === "HEAD" || method === "OPTIONS";
