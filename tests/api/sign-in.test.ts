// Signing in once with an API key (issue 25, point 1 b): the key posted once becomes a session cookie
// (HttpOnly, SameSite=Strict, Secure over TLS or behind an https public address, with its expiry) that
// the API takes instead of a bearer header; sign-out, expiry and the key's revocation each end it on the
// server; a change made with the cookie must come from this origin; the sign-in form cannot be posted
// from another site or send the browser elsewhere afterwards.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../../src/api/app.js";
import { localNext } from "../../src/api/sign-in-routes.js";
import { DEFAULT_POLICY } from "../../src/compliance/index.js";
import { loadTrustStore } from "../../src/config.js";
import { BlobStore } from "../../src/store/blobs.js";
import { dataAsOf } from "../../src/store/sqlite/data-as-of.js";
import { createKey, revokeKey } from "../../src/store/sqlite/keys.js";
import { createSession } from "../../src/store/sqlite/sessions.js";
import { escapeHtml, renderPageHeader, vietnamTimeText } from "../../src/api/page-header.js";
import { startSampleServer, type SampleServer } from "../helpers/sample-server.js";

let s: SampleServer;
beforeAll(async () => {
  s = await startSampleServer(4, 3);
}, 120_000);
afterAll(async () => s?.server.close());

const url = (path: string) => `${s.server.url}${path}`;
const origin = () => new URL(s.server.url).origin;

/** Posts the sign-in form as kyso's own page would (same origin); the answer is not followed. */
async function signIn(key: string, extra: Record<string, string> = {}, headers: Record<string, string> = { origin: origin() }): Promise<Response> {
  return fetch(url("/sign-in"), {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", ...headers },
    body: new URLSearchParams({ key, ...extra }).toString(),
  });
}

const sessionCookie = (res: Response) => res.headers.getSetCookie().find((c) => c.startsWith("kyso_session=")) ?? null;
const tokenOf = (res: Response) => /^kyso_session=([^;]+)/.exec(sessionCookie(res) ?? "")?.[1] ?? null;
const withCookie = (token: string, init: RequestInit = {}): RequestInit => ({
  ...init,
  headers: { ...(init.headers as Record<string, string>), cookie: `kyso_session=${token}` },
});

describe("a key's sign-in", () => {
  it("sets an HttpOnly, SameSite=Strict session cookie with the session's expiry, and opens the page asked for", async () => {
    const res = await signIn(s.keys.viewer, { next: "/auditor?lang=en" });
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe("/auditor?lang=en");
    const cookie = sessionCookie(res)!;
    expect(cookie).toMatch(/^kyso_session=kyso_s_[A-Za-z0-9_-]{43};/);
    const attrs = cookie
      .split(";")
      .slice(1)
      .map((a) => a.trim().toLowerCase());
    expect(attrs).toEqual(expect.arrayContaining(["httponly", "samesite=strict", "path=/", `max-age=${12 * 3600}`]));
    // plain http on this machine, no https public address: a Secure cookie would never come back
    expect(attrs).not.toContain("secure");
    // the key itself is nowhere in the cookie
    expect(cookie).not.toContain(s.keys.viewer);
  });

  it("gives a session the API takes in place of the bearer key, with the key's role", async () => {
    const token = tokenOf(await signIn(s.keys.viewer))!;
    expect((await fetch(url("/api/v1/stats/periods"), withCookie(token))).status).toBe(200);
    // a viewer's session is a viewer: evidence is for auditors
    const doc = s.server.db.prepare("SELECT id FROM documents WHERE status = 'done' LIMIT 1").get() as { id: string };
    const evidence = await fetch(url(`/api/v1/documents/${doc.id}/evidence`), withCookie(token));
    expect(evidence.status).toBe(403);
    expect(((await evidence.json()) as { error: { message: string } }).error.message).toMatch(/session has the role viewer/);
    // without the cookie or a key: 401, and it says how to sign in
    const none = await fetch(url("/api/v1/stats/periods"));
    expect(none.status).toBe(401);
    expect(((await none.json()) as { error: { message: string } }).error.message).toMatch(/sign in at \/sign-in/);
  });

  it("refuses a key that is not valid, with the form again and no cookie", async () => {
    for (const key of ["kyso_000000000000_" + "0".repeat(32), s.keys.revoked, "not a key"]) {
      const res = await signIn(key);
      expect(res.status, key).toBe(401);
      expect(sessionCookie(res)).toBeNull();
      expect(await res.text()).toContain("Khóa API không hợp lệ");
    }
    const english = await fetch(url("/sign-in?lang=en"), {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", origin: origin() },
      body: "key=nope",
    });
    expect(await english.text()).toContain("The API key is not valid");
  });

  it("is refused when the form comes from another site (no cookie is set), and never sends the browser off-site", async () => {
    const attempts: Array<Record<string, string>> = [{ origin: "https://evil.example" }, { "sec-fetch-site": "cross-site", origin: origin() }, {}];
    for (const headers of attempts) {
      const res = await signIn(s.keys.admin, {}, headers);
      expect(res.status, JSON.stringify(headers)).toBe(403);
      expect(sessionCookie(res)).toBeNull();
    }
    const res = await signIn(s.keys.viewer, { next: "//evil.example/x" }, { "sec-fetch-site": "same-origin" });
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe("/dashboard");
    expect(
      ["/dashboard?period=2024", "/auditor?document=ab", "//evil.example", "/\\evil.example", "https://evil.example/", "javascript:alert(1)", "/a b", ""].map(
        localNext,
      ),
    ).toEqual(["/dashboard?period=2024", "/auditor?document=ab", "/dashboard", "/dashboard", "/dashboard", "/dashboard", "/dashboard", "/dashboard"]);
  });
});

describe("a session ends", () => {
  it("at sign-out, on the server: the old cookie is refused afterwards", async () => {
    const token = tokenOf(await signIn(s.keys.auditor))!;
    expect((await fetch(url("/api/v1/audit?limit=1"), withCookie(token))).status).toBe(200);
    const out = await fetch(url("/sign-out"), withCookie(token, { method: "POST", redirect: "manual", headers: { origin: origin() } }));
    expect(out.status).toBe(303);
    expect(out.headers.get("location")).toBe("/sign-in?error=signed-out");
    expect(sessionCookie(out)).toMatch(/^kyso_session=;.*Max-Age=0/i);
    // a copy of the cookie kept somewhere is worth nothing now
    const after = await fetch(url("/api/v1/audit?limit=1"), withCookie(token));
    expect(after.status).toBe(401);
    expect(((await after.json()) as { error: { message: string } }).error.message).toMatch(/session has ended/);
  });

  it("never by a link: GET /sign-out only shows the button", async () => {
    const token = tokenOf(await signIn(s.keys.viewer))!;
    const page = await fetch(url("/sign-out?lang=en"), withCookie(token));
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<form method="post" action="/sign-out?lang=en"><button id="sign-out" type="submit">Sign out</button></form>');
    expect((await fetch(url("/api/v1/stats/periods"), withCookie(token))).status).toBe(200);
  });

  it("at its expiry", async () => {
    const key = createKey(s.server.db, "viewer", "expiry test", "test");
    const hours = 3600_000;
    const expired = createSession(s.server.db, { kind: "key", keyId: key.id }, { ttlMs: 12 * hours, now: Date.now() - 12 * hours - 1000 });
    const live = createSession(s.server.db, { kind: "key", keyId: key.id }, { ttlMs: 12 * hours, now: Date.now() - 11 * hours });
    expect((await fetch(url("/api/v1/stats/periods"), withCookie(expired.token))).status).toBe(401);
    expect((await fetch(url("/api/v1/stats/periods"), withCookie(live.token))).status).toBe(200);
  });

  it("as soon as its key is revoked", async () => {
    const key = createKey(s.server.db, "viewer", "revocation test", "test");
    const token = tokenOf(await signIn(key.key))!;
    expect((await fetch(url("/api/v1/stats/periods"), withCookie(token))).status).toBe(200);
    revokeKey(s.server.db, key.id, "test");
    expect((await fetch(url("/api/v1/stats/periods"), withCookie(token))).status).toBe(401);
  });
});

describe("a change made with the session cookie", () => {
  it("must come from this origin; a bearer key needs no such proof; the log names the key behind the session", async () => {
    const token = tokenOf(await signIn(s.keys.admin))!;
    const reverify = (headers: Record<string, string>) =>
      fetch(
        url("/api/v1/admin/reverify"),
        withCookie(token, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify({ since: "2099-01-01" }) }),
      );
    const attempts: Array<Record<string, string>> = [
      {},
      { origin: "https://evil.example" },
      { "sec-fetch-site": "same-site" },
      { "sec-fetch-site": "cross-site", origin: origin() },
    ];
    for (const headers of attempts) {
      const res = await reverify(headers);
      expect(res.status, JSON.stringify(headers)).toBe(403);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe("CROSS_SITE");
    }
    expect((await reverify({ "sec-fetch-site": "same-origin" })).status).toBe(202);
    expect((await reverify({ origin: origin() })).status).toBe(202);
    // machines with a bearer key send no Origin
    expect(
      (
        await s.as("admin", "/api/v1/admin/reverify", {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ since: "2099-01-01" }),
        })
      ).status,
    ).toBe(202);
    const log = (await (await fetch(url("/api/v1/audit?action=reverify&limit=3"), withCookie(token))).json()) as { entries: Array<{ actor: string }> };
    const adminId = /^kyso_([0-9a-f]{12})_/.exec(s.keys.admin)![1];
    expect(log.entries.map((e) => e.actor)).toEqual(expect.arrayContaining([`key:${adminId} (admin, IT department)`]));
  });
});

describe("the OpenAPI document", () => {
  it("names the session cookie as a second way into every secured route", async () => {
    const doc = (await (await s.as("viewer", "/api/v1/openapi.json")).json()) as {
      components: { securitySchemes: Record<string, unknown> };
      paths: Record<string, Record<string, { security?: unknown[] }>>;
    };
    expect(doc.components.securitySchemes.session).toMatchObject({ type: "apiKey", in: "cookie", name: "kyso_session" });
    expect(doc.paths["/api/v1/stats/summary"]!.get!.security).toEqual([{ apiKey: [] }, { session: [] }]);
  });
});

describe("the cookie over TLS", () => {
  const app = (publicUrl: string | null) =>
    createApp({
      db: s.server.db,
      blobs: new BlobStore(mkdtempSync(join(tmpdir(), "kyso-blobs-"))),
      policy: DEFAULT_POLICY,
      onQueued: () => {},
      trust: () => loadTrustStore([]),
      signIn: { sessionTtlMs: 2 * 3600_000, publicUrl, oidc: null },
    });
  const post = (a: ReturnType<typeof app>, at: string) =>
    a.request(`${at}/sign-in`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", origin: new URL(at).origin, host: new URL(at).host },
      body: new URLSearchParams({ key: s.keys.viewer }).toString(),
    });

  it("is Secure when the request came over https, or when people reach kyso at an https address; its age is the setting's", async () => {
    const tls = sessionCookie(await post(app(null), "https://kyso.example"))!;
    expect(tls).toMatch(/; Secure/);
    expect(tls).toMatch(/Max-Age=7200/);
    expect(sessionCookie(await post(app("https://kyso.tayninh.gov.vn"), "http://10.0.0.5:8080"))).toMatch(/; Secure/);
    expect(sessionCookie(await post(app(null), "http://10.0.0.5:8080"))).not.toMatch(/Secure/);
  });
});

describe("the sign-in page", () => {
  it("has the key form, the header with who is signed in and how recent the data is, and no script", async () => {
    const anonymous = await fetch(url("/sign-in?lang=en"));
    expect(anonymous.status).toBe(200);
    expect(anonymous.headers.get("content-security-policy")).toMatch(/^default-src 'none';.*form-action 'self'/);
    const page = await anonymous.text();
    expect(page).not.toMatch(/<script/);
    // the answer to the form (an error, say) is in the page's language
    expect(page).toMatch(/<form method="post" action="\/sign-in\?lang=en"/);
    expect(page).toContain("Not signed in");
    // with no identity provider configured, no button for one
    expect(page).not.toContain('id="oidc"');
    const asOf = dataAsOf(s.server.db)!;
    expect(page).toContain(`Data as of: <time datetime="${asOf}">${vietnamTimeText(asOf)}</time>`);
    const token = tokenOf(await signIn(s.keys.auditor))!;
    const signedIn = await (await fetch(url("/sign-in"), withCookie(token))).text();
    expect(signedIn).toMatch(/Đang đăng nhập: <strong>inspectorate<\/strong> \(auditor\)/);
    expect(signedIn).toMatch(/<form method="post" action="\/sign-out"/);
  });
});

describe("the pages' header", () => {
  const pages = [
    ["/dashboard", "Bảng điều hành", "Dashboard"],
    ["/auditor", "Trang kiểm toán", "Auditors' page"],
    ["/check", "Kiểm tra một văn bản", "Check a document"],
  ] as const;

  it("on each page, in each language: the links between the pages, the language switch, who is signed in with sign-out, and data as of", async () => {
    const token = tokenOf(await signIn(s.keys.auditor))!;
    const asOf = dataAsOf(s.server.db)!;
    for (const [path] of pages) {
      for (const en of [false, true]) {
        const at = `${path}?${en ? "lang=en&" : ""}period=2024`;
        const res = await fetch(url(at), withCookie(token));
        expect(res.headers.get("cache-control"), at).toBe("no-store");
        const html = await res.text();
        const header = /<header class="kyso-top">[\s\S]*?<\/header>/.exec(html)?.[0] ?? "";
        expect(header, at).not.toBe("");
        // first in the body, so it comes before the page's own content
        expect(html.indexOf(header), at).toBeLessThan(html.indexOf('id="h"'));
        const links = [...header.matchAll(/<a href="([^"]+)"( aria-current="page")?>([^<]+)<\/a>/g)].map((m) => [m[1], !!m[2], m[3]]);
        expect(links, at).toEqual(pages.map(([p, vi, english]) => [p + (en ? "?lang=en" : ""), p === path, escapeHtml(en ? english : vi)]));
        // the switch keeps the page and its query, in the other language
        expect(header, at).toContain(
          en
            ? `href="${path}?period=2024" hreflang="vi" lang="vi" id="kyso-lang">Tiếng Việt</a>`
            : `href="${path}?period=2024&#38;lang=en" hreflang="en" lang="en" id="kyso-lang">English</a>`,
        );
        expect(header, at).toContain(`${en ? "Signed in" : "Đang đăng nhập"}: <strong>inspectorate</strong> (auditor)`);
        expect(header, at).toMatch(
          /<form method="post" action="\/sign-out(\?lang=en)?" class="kyso-signout"><button type="submit">(Sign out|Đăng xuất)<\/button><\/form>/,
        );
        expect(header, at).toContain(`${en ? "Data as of" : "Dữ liệu đến"}: <time datetime="${asOf}">${vietnamTimeText(asOf)}</time>`);
      }
      // no session: the way to sign in, back to this page after
      const anonymous = await (await fetch(url(`${path}?lang=en`))).text();
      expect(anonymous).toContain(
        `<span id="kyso-who">Not signed in</span> <a href="/sign-in?next=${encodeURIComponent(`${path}?lang=en`)}&#38;lang=en">Sign in</a>`,
      );
    }
  });

  it("says data as of the newest analysis or document, in Vietnam time, and escapes what it shows", () => {
    expect(vietnamTimeText("2024-11-26T02:00:00.000Z")).toBe("26/11/2024 09:00");
    const html = renderPageHeader({
      page: "check",
      lang: "vi",
      url: new URL("http://kyso/check"),
      who: { id: "x", role: "viewer", label: '<img src=x onerror="alert(1)">', createdAt: "", revokedAt: null, senders: null, via: "session" },
      dataAsOf: null,
    });
    expect(html).not.toContain("<img");
    expect(html).toContain("&#60;img src=x onerror=&#34;alert(1)&#34;&#62;");
    expect(html).toContain("Dữ liệu đến: chưa có dữ liệu");
  });

  it("moves data as of when a document arrives that needs no analysis (a paper row)", async () => {
    const before = dataAsOf(s.server.db)!;
    await new Promise((r) => setTimeout(r, 20));
    const { sha256: _none, ...meta } = { ...s.items[0]!.meta, sha256: undefined };
    const row = await s.as("ingest", "/api/v1/exchanges", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify([{ ...meta, channel: "paper", number: "99/DATA-AS-OF" }]),
    });
    expect(row.status).toBe(201);
    const after = dataAsOf(s.server.db)!;
    expect(Date.parse(after)).toBeGreaterThan(Date.parse(before));
    const page = await (await fetch(url("/dashboard"))).text();
    expect(page).toContain(`<time datetime="${after}">`);
  });
});
