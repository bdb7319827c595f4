// A real OpenID Connect provider in this process (oidc-provider), for the sign-in tests: one confidential
// test client whose redirect URI is kyso's callback, test accounts with a name, kyso roles and groups, and
// the provider's own development login form (any password). Consent is granted for the test client, as a
// province's provider grants it for its own applications, so one form stands between a person and kyso.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import Provider from "oidc-provider";

export interface TestAccount {
  name: string;
  /** the claim kyso_roles (kyso's role names, or anything) */
  kysoRoles?: string[];
  /** the claim groups (mapped to roles by a local file) */
  groups?: string[];
}

export interface TestProvider {
  issuer: string;
  clientId: string;
  clientSecret: string;
  close(): Promise<void>;
}

/** A free local port (listened on and let go), for a server whose address must be known before it starts. */
export async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, "127.0.0.1", () => r()));
  const { port } = s.address() as AddressInfo;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

export async function startTestProvider(redirectUris: string[], accounts: Record<string, TestAccount>): Promise<TestProvider> {
  let handler: Parameters<typeof createServer>[1] = (_req, res) => res.end();
  const server: Server = createServer((req, res) => handler!(req, res));
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const clientId = "kyso-test";
  const clientSecret = "a-test-secret-of-the-kyso-client-0123456789";
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: clientId,
        client_secret: clientSecret,
        redirect_uris: redirectUris,
        grant_types: ["authorization_code"],
        response_types: ["code"],
        token_endpoint_auth_method: "client_secret_basic",
      },
    ],
    claims: { openid: ["sub"], profile: ["name"], kyso: ["kyso_roles", "groups"] },
    features: { devInteractions: { enabled: true } },
    pkce: { required: () => true },
    cookies: { keys: ["kyso-test-cookie-key"] },
    ttl: { Interaction: 600, Grant: 3600, Session: 3600, AccessToken: 600, IdToken: 600, AuthorizationCode: 60 },
    async findAccount(_ctx, id) {
      const a = accounts[id];
      if (!a) return undefined;
      return {
        accountId: id,
        claims: async () => ({ sub: id, name: a.name, ...(a.kysoRoles ? { kyso_roles: a.kysoRoles } : {}), ...(a.groups ? { groups: a.groups } : {}) }),
      };
    },
    async loadExistingGrant(ctx) {
      const oidc = ctx.oidc;
      const grantId = oidc.result?.consent?.grantId ?? oidc.session!.grantIdFor(oidc.client!.clientId);
      if (grantId) return oidc.provider.Grant.find(grantId);
      const grant = new oidc.provider.Grant({ clientId: oidc.client!.clientId, accountId: oidc.session!.accountId! });
      grant.addOIDCScope("openid profile kyso");
      await grant.save();
      return grant;
    },
  });
  handler = provider.callback();
  return {
    issuer,
    clientId,
    clientSecret,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

/**
 * A browser's part of the flow without a browser: follows redirects from `url` keeping each host's cookies
 * (the provider's and kyso's), submits the provider's login form as `login`, and stops at the first answer
 * that is not a redirect or that form (or before any address starting with `stopAt`). Returns that answer,
 * every host's cookies and the addresses visited.
 */
export async function signInAs(
  start: string,
  login: string,
  jar = new Map<string, Map<string, string>>(),
  o: { stopAt?: string } = {},
): Promise<{ res: Response; body: string; jar: Map<string, Map<string, string>>; visited: string[] }> {
  const visited: string[] = [];
  let url = start;
  let init: RequestInit = {};
  for (let hop = 0; hop < 20; hop++) {
    visited.push(url);
    if (o.stopAt && url.startsWith(o.stopAt)) return { res: new Response(null, { status: 204 }), body: "", jar, visited };
    const host = new URL(url).host;
    const cookies = jar.get(host) ?? new Map<string, string>();
    jar.set(host, cookies);
    const res = await fetch(url, {
      ...init,
      redirect: "manual",
      headers: { ...(init.headers as Record<string, string>), cookie: [...cookies].map(([k, v]) => `${k}=${v}`).join("; ") },
    });
    for (const sc of res.headers.getSetCookie()) {
      const [pair] = sc.split(";");
      const i = pair!.indexOf("=");
      const name = pair!.slice(0, i).trim();
      const value = pair!.slice(i + 1);
      if (!value || /max-age=0|expires=Thu, 01 Jan 1970/i.test(sc)) cookies.delete(name);
      else cookies.set(name, value);
    }
    const location = res.headers.get("location");
    if (res.status >= 300 && res.status < 400 && location) {
      url = new URL(location, url).href;
      init = {};
      continue;
    }
    const body = await res.text();
    const form = /<form[^>]*action="([^"]+)"[^>]*method="post"[^>]*>[\s\S]*?name="prompt" value="login"/i.exec(body);
    if (form) {
      url = new URL(form[1]!, url).href;
      init = {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded", origin: new URL(url).origin },
        body: new URLSearchParams({ prompt: "login", login, password: "any" }).toString(),
      };
      continue;
    }
    return { res, body, jar, visited };
  }
  throw new Error(`too many redirects: ${visited.join(" → ")}`);
}
