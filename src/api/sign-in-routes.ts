// Signing in once (issue 25): the sign-in page, a key's sign-in (POST /sign-in), the identity provider's
// (GET /sign-in/oidc, then its callback) and sign-out. Each gives or ends the pages' session cookie
// (session.ts); API keys in a bearer header stay as they are, for machines. A form posted here must come
// from this origin (a sign-in forced from another site would sign the browser in as someone else).
import type { OpenAPIHono } from "@hono/zod-openapi";
import type { Context } from "hono";
import { bodyLimit } from "hono/body-limit";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import type { SessionHolder } from "../store/access-rules.js";
import type { AuthEnv } from "./auth.js";
import type { MountedDeps } from "./deps.js";
import { routes } from "./http.js";
import { OidcSignIn } from "./oidc.js";
import { langOf, pageHeaderFor } from "./page-header.js";
import { clearSessionCookie, sameOrigin, secureCookie, sessionPrincipal, sessionToken, SESSION_COOKIE, SESSION_SCHEME, setSessionCookie } from "./session.js";
import { DEFAULT_SIGN_IN } from "./sign-in-settings.js";
import { isSignInMessage, renderContinue, renderSignIn, renderSignOut, SIGN_IN_CSP, SIGN_IN_MESSAGES, type SignInMessage } from "./sign-in-page.js";

const FLOW_COOKIE = "kyso_oidc_flow";
const HEADERS = { "content-security-policy": SIGN_IN_CSP, "x-content-type-options": "nosniff", "referrer-policy": "same-origin", "cache-control": "no-store" };

/** Where to go after signing in: a path of this origin only (never another site), else the dashboard. */
export function localNext(v: unknown): string {
  return typeof v === "string" && /^\/(?![/\\])[^\s\\]*$/.test(v) && v.length <= 2000 ? v : "/dashboard";
}

export function signInRoutes(deps: MountedDeps): OpenAPIHono<AuthEnv> {
  const settings = deps.signIn ?? DEFAULT_SIGN_IN;
  const oidc = settings.oidc ? new OidcSignIn(settings.oidc) : null;
  const app = routes();
  const secure = (c: Context) => secureCookie(c, settings.publicUrl);
  const hours = settings.sessionTtlMs / 3600_000;

  const signInPage = async (c: Context, status: 200 | 401 | 403 | 404 | 502, message: SignInMessage | null, next = localNext(c.req.query("next"))) => {
    const who = await sessionPrincipal(deps.access, c);
    return c.html(
      renderSignIn({
        lang: langOf(c),
        header: await pageHeaderFor(c, deps, "sign-in"),
        next,
        message,
        who: who && { label: who.label, role: who.role },
        oidc: oidc !== null,
        sessionHours: hours,
      }),
      status,
      HEADERS,
    );
  };
  /** a new session for the browser; one it had is ended */
  const startSession = async (c: Context, holder: SessionHolder) => {
    const before = sessionToken(c);
    if (before) await deps.access.endSession(before);
    const { token } = await deps.access.createSession(holder, { ttlMs: settings.sessionTtlMs });
    setSessionCookie(c, token, settings.sessionTtlMs, secure(c));
  };

  app.use("/sign-in", bodyLimit({ maxSize: 16 * 1024, onError: (c) => c.text("the sign-in form is larger than it can be", 413) }));
  app.use("/sign-out", bodyLimit({ maxSize: 16 * 1024, onError: (c) => c.text("the sign-out form is larger than it can be", 413) }));

  app.get("/sign-in", (c) => {
    const error = c.req.query("error");
    return signInPage(c, 200, isSignInMessage(error) ? error : null);
  });

  // the sign-in page's form, or a page's own key form by script (Accept: application/json: an answer, not a page)
  app.post("/sign-in", async (c) => {
    const form = await c.req.parseBody();
    const next = localNext(form.next);
    const asJson = /application\/json/.test(c.req.header("accept") ?? "");
    if (!sameOrigin(c))
      return asJson ? c.json({ error: { code: "CROSS_SITE", message: SIGN_IN_MESSAGES["cross-site"].en } }, 403) : signInPage(c, 403, "cross-site", next);
    const key = typeof form.key === "string" ? await deps.access.authenticate(form.key.trim()) : null;
    if (!key) return asJson ? c.json({ error: { code: "UNAUTHORIZED", message: SIGN_IN_MESSAGES["bad-key"].en } }, 401) : signInPage(c, 401, "bad-key", next);
    await startSession(c, { kind: "key", keyId: key.id });
    return asJson ? c.json({ role: key.role, label: key.label }) : c.redirect(next, 303);
  });

  app.get("/sign-out", async (c) => c.html(renderSignOut(langOf(c), await pageHeaderFor(c, deps, "sign-in")), 200, HEADERS));

  app.post("/sign-out", async (c) => {
    if (!sameOrigin(c)) return signInPage(c, 403, "cross-site");
    const token = sessionToken(c);
    if (token) await deps.access.endSession(token);
    clearSessionCookie(c, secure(c));
    if (/application\/json/.test(c.req.header("accept") ?? "")) return c.json({ signedOut: true });
    return c.redirect(`/sign-in?error=signed-out${langOf(c) === "en" ? "&lang=en" : ""}`, 303);
  });

  app.get("/sign-in/oidc", async (c) => {
    if (!oidc) return signInPage(c, 404, "no-oidc");
    let started: Awaited<ReturnType<OidcSignIn["start"]>>;
    try {
      started = await oidc.start(localNext(c.req.query("next")));
    } catch (e) {
      console.error(`kyso sign-in: the identity provider cannot be reached: ${(e as Error).message}`);
      return signInPage(c, 502, "oidc-failed");
    }
    // Lax: the provider's redirect back is a navigation from its site, which a Strict cookie would miss
    setCookie(c, FLOW_COOKIE, started.flowId, { path: "/sign-in/oidc", httpOnly: true, sameSite: "Lax", secure: secure(c), maxAge: 600 });
    return c.redirect(started.url, 302);
  });

  app.get("/sign-in/oidc/callback", async (c) => {
    if (!oidc) return signInPage(c, 404, "no-oidc");
    const flowId = getCookie(c, FLOW_COOKIE) ?? null;
    deleteCookie(c, FLOW_COOKIE, { path: "/sign-in/oidc", httpOnly: true, sameSite: "Lax", secure: secure(c) });
    let person: Awaited<ReturnType<OidcSignIn["finish"]>>;
    try {
      person = await oidc.finish(flowId, new URL(c.req.url).search);
    } catch (e) {
      console.error(`kyso sign-in: the identity provider's sign-in did not hold: ${(e as Error).message}`);
      return signInPage(c, 403, "oidc-failed", "/dashboard");
    }
    if (!person.role) return signInPage(c, 403, "no-role", person.next);
    await startSession(c, { kind: "oidc", subject: person.subject, name: person.name, role: person.role });
    const lang = new URL(person.next, "http://kyso").searchParams.get("lang") === "en" ? "en" : "vi";
    return c.html(renderContinue(lang, person.next), 200, HEADERS);
  });

  app.openAPIRegistry.registerComponent("securitySchemes", SESSION_SCHEME, {
    type: "apiKey",
    in: "cookie",
    name: SESSION_COOKIE,
    description:
      "The pages' session: sign in once at /sign-in (an API key, or the province's identity provider). A change (POST, PUT) made with it must come from kyso's own pages.",
  });
  return app;
}
