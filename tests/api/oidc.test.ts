// Signing in through the province's identity provider (issue 25, point 1 a): a real OpenID Connect
// provider (oidc-provider) runs in this process; kyso's sign-in is driven over HTTP from the button to the
// provider's login form and back to kyso's callback (authorization code with PKCE through openid-client),
// which gives the same session cookie as a key's sign-in. Roles come from a claim (kyso_roles) or from a
// local map (groups and subjects); a person with no role, a callback another browser started and a
// replayed callback are refused.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_POLICY } from "../../src/compliance/index.js";
import { readRoleMap, type OidcSettings } from "../../src/api/sign-in-settings.js";
import { startServer, type RunningServer } from "../../src/server.js";
import { freePort, signInAs, startTestProvider, type TestProvider } from "../helpers/oidc-provider.js";

const ACCOUNTS = {
  "auditor-by-claim": { name: "Trần Thị Kiểm", kysoRoles: ["auditor"] },
  "both-by-claim": { name: "Lê Văn Hai", kysoRoles: ["viewer", "admin"] },
  "leader-by-group": { name: "Nguyễn Văn Lãnh", groups: ["lanh-dao-ubnd"] },
  "admin-by-subject": { name: "Phạm Quản Trị", groups: ["lanh-dao-ubnd"] },
  "no-role": { name: "Người Ngoài", kysoRoles: ["reader"], groups: ["van-thu"] },
};

let provider: TestProvider;
const servers: RunningServer[] = [];
let byClaim: RunningServer;
let byMap: RunningServer;

/** A kyso on `port` whose identity provider is the test provider, with these role settings. */
async function startKyso(port: number, redirect: string, roles: Pick<OidcSettings, "scope" | "roleClaim" | "roleMap">): Promise<RunningServer> {
  const root = mkdtempSync(join(tmpdir(), "kyso-oidc-"));
  const s = await startServer({
    dataDir: join(root, "data"),
    port,
    host: "127.0.0.1",
    trustDirs: [],
    concurrency: 1,
    timeoutMs: 10_000,
    policy: DEFAULT_POLICY,
    maxBodyBytes: 1 << 20,
    publishHeads: null,
    signIn: {
      sessionTtlMs: 3600_000,
      publicUrl: null,
      oidc: { issuer: provider.issuer, clientId: provider.clientId, clientSecret: provider.clientSecret, redirectUrl: redirect, ...roles },
    },
  });
  servers.push(s);
  return s;
}

beforeAll(async () => {
  // two kyso servers, one provider: its client lists both callbacks
  const claimPort = await freePort();
  const mapPort = await freePort();
  const claimRedirect = `http://127.0.0.1:${claimPort}/sign-in/oidc/callback`;
  const mapRedirect = `http://127.0.0.1:${mapPort}/sign-in/oidc/callback`;
  provider = await startTestProvider([claimRedirect, mapRedirect], ACCOUNTS);
  byClaim = await startKyso(claimPort, claimRedirect, { scope: "openid profile kyso", roleClaim: "kyso_roles", roleMap: null });
  const mapFile = join(mkdtempSync(join(tmpdir(), "kyso-roles-")), "roles.json");
  writeFileSync(mapFile, JSON.stringify({ values: { "lanh-dao-ubnd": "viewer", "thanh-tra": "auditor" }, subjects: { "admin-by-subject": "admin" } }));
  byMap = await startKyso(mapPort, mapRedirect, { scope: "openid profile kyso", roleClaim: "groups", roleMap: readRoleMap(mapFile) });
}, 60_000);
afterAll(async () => {
  for (const s of servers) await s.close();
  await provider?.close();
});

const sessionOf = (jar: Map<string, Map<string, string>>, server: RunningServer) => jar.get(new URL(server.url).host)?.get("kyso_session") ?? null;
const withCookie = (token: string) => ({ headers: { cookie: `kyso_session=${token}` } });

/** Signs in from kyso's button as `login`; returns kyso's session token and the page the flow ended on. */
async function signIn(server: RunningServer, login: string, next = "/auditor?lang=en") {
  const flow = await signInAs(`${server.url}/sign-in/oidc?next=${encodeURIComponent(next)}`, login);
  return { token: sessionOf(flow.jar, server), ...flow };
}

describe("the identity provider's sign-in", () => {
  it("runs the authorization code flow with PKCE and ends on a page of kyso that opens the page asked for, with the session cookie", async () => {
    const flow = await signIn(byClaim, "auditor-by-claim");
    // kyso sent the browser to the provider with a PKCE challenge (S256), state and nonce
    const authorize = new URL(flow.visited[1]!);
    expect(authorize.origin).toBe(provider.issuer);
    expect(Object.fromEntries(["response_type", "code_challenge_method", "client_id", "redirect_uri"].map((k) => [k, authorize.searchParams.get(k)]))).toEqual({
      response_type: "code",
      code_challenge_method: "S256",
      client_id: provider.clientId,
      redirect_uri: `${byClaim.url}/sign-in/oidc/callback`,
    });
    for (const k of ["code_challenge", "state", "nonce"]) expect(authorize.searchParams.get(k), k).toMatch(/^[A-Za-z0-9_-]{20,}$/);
    expect(flow.visited.at(-1)).toMatch(/\/sign-in\/oidc\/callback\?code=/);
    expect(flow.res.status).toBe(200);
    expect(flow.body).toContain('<meta http-equiv="refresh" content="0;url=/auditor?lang=en">');
    expect(flow.token).toMatch(/^kyso_s_/);
    // the session is the person's, with the claim's role: an auditor reads the log, and is named by the page header
    expect((await fetch(`${byClaim.url}/api/v1/audit?limit=1`, withCookie(flow.token!))).status).toBe(200);
    const page = await (await fetch(`${byClaim.url}/sign-in?lang=en`, withCookie(flow.token!))).text();
    expect(page).toMatch(/Signed in: <strong>Trần Thị Kiểm<\/strong> \(auditor\)/);
  });

  it("sets the session cookie with the same attributes as a key's sign-in, and the flow's own cookie only for the flow", async () => {
    const start = await fetch(`${byClaim.url}/sign-in/oidc`, { redirect: "manual" });
    expect(start.status).toBe(302);
    const flowCookie = start.headers.getSetCookie().find((c) => c.startsWith("kyso_oidc_flow="))!;
    expect(flowCookie).toMatch(/Path=\/sign-in\/oidc/);
    expect(flowCookie).toMatch(/HttpOnly/);
    // the provider's redirect back is a navigation from its site: a Strict cookie would not come back
    expect(flowCookie).toMatch(/SameSite=Lax/);
  });

  it("takes the widest role a claim gives", async () => {
    const { token } = await signIn(byClaim, "both-by-claim");
    expect(
      (await fetch(`${byClaim.url}/api/v1/admin/reverify`, { method: "POST", headers: { cookie: `kyso_session=${token}`, origin: byClaim.url } })).status,
    ).toBe(202);
  });

  it("takes roles from the local map: a group's, and a subject's over its groups", async () => {
    const leader = await signIn(byMap, "leader-by-group");
    expect((await fetch(`${byMap.url}/api/v1/stats/periods`, withCookie(leader.token!))).status).toBe(200);
    expect((await fetch(`${byMap.url}/api/v1/audit?limit=1`, withCookie(leader.token!))).status).toBe(403);
    const admin = await signIn(byMap, "admin-by-subject");
    expect((await fetch(`${byMap.url}/api/v1/audit?limit=1`, withCookie(admin.token!))).status).toBe(200);
    // the log names the person, not a key
    await fetch(`${byMap.url}/api/v1/admin/reverify`, { method: "POST", headers: { cookie: `kyso_session=${admin.token}`, origin: byMap.url } });
    const log = (await (await fetch(`${byMap.url}/api/v1/audit?action=reverify&limit=1`, withCookie(admin.token!))).json()) as {
      entries: Array<{ actor: string }>;
    };
    expect(log.entries[0]!.actor).toBe("oidc:admin-by-subject (admin, Phạm Quản Trị)");
  });

  it("refuses a person to whom neither the claim nor the map gives a role: no session", async () => {
    for (const server of [byClaim, byMap]) {
      const flow = await signIn(server, "no-role");
      expect(flow.res.status).toBe(403);
      expect(flow.body).toContain("chưa được cấp vai trò");
      expect(flow.token).toBeNull();
    }
  });

  it("refuses a callback this browser did not start, and the same callback again", async () => {
    // the browser that starts stops before the callback; another browser (no flow cookie) presents it
    const start = await fetch(`${byClaim.url}/sign-in/oidc`, { redirect: "manual" });
    const flowCookie = /^kyso_oidc_flow=([^;]+)/.exec(start.headers.getSetCookie().find((c) => c.startsWith("kyso_oidc_flow="))!)![1]!;
    const atProvider = await signInAs(start.headers.get("location")!, "auditor-by-claim", new Map(), { stopAt: `${byClaim.url}/sign-in/oidc/callback` });
    const callback = atProvider.visited.at(-1)!;
    expect(callback).toMatch(/\/sign-in\/oidc\/callback\?code=/);
    const stranger = await fetch(callback, { redirect: "manual" });
    expect(stranger.status).toBe(403);
    expect(stranger.headers.getSetCookie().some((c) => /^kyso_session=kyso_s_/.test(c))).toBe(false);
    // the starting browser's flow was consumed by nothing yet: with its cookie, the callback holds once
    const own = await fetch(callback, { redirect: "manual", headers: { cookie: `kyso_oidc_flow=${flowCookie}` } });
    expect(own.status).toBe(200);
    expect(own.headers.getSetCookie().some((c) => /^kyso_session=kyso_s_/.test(c))).toBe(true);
    const again = await fetch(callback, { redirect: "manual", headers: { cookie: `kyso_oidc_flow=${flowCookie}` } });
    expect(again.status).toBe(403);
  });

  it("ends at sign-out like a key's session", async () => {
    const { token } = await signIn(byClaim, "auditor-by-claim");
    await fetch(`${byClaim.url}/sign-out`, { method: "POST", redirect: "manual", headers: { cookie: `kyso_session=${token}`, origin: byClaim.url } });
    expect((await fetch(`${byClaim.url}/api/v1/audit?limit=1`, withCookie(token!))).status).toBe(401);
  });
});
