// Signing in through the province's identity provider (issue 25): OpenID Connect's authorization code flow
// with PKCE (S256), state and nonce, through openid-client. The provider's metadata is discovered at the
// first sign-in (and again after a failure). A flow in progress travels in the cookie of the browser that
// started it, sealed with this process's key (an HMAC): nothing is kept per started flow, so a flood of
// started sign-ins cannot push out anyone's; a callback from another browser has no cookie that opens, one
// older than ten minutes is refused, and a replayed one finds its state already used. The ID token's claims, with the userinfo endpoint's when the role
// claim is not among them, give the person's name and kyso role (oidc-roles.ts).
import * as client from "openid-client";
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import type { Role } from "../store/sqlite/keys.js";
import { nameOf, roleOf } from "./oidc-roles.js";
import type { OidcSettings } from "./sign-in-settings.js";

const FLOW_TTL_MS = 10 * 60_000;
/** States of finished flows, kept for the flows' lifetime (a sealed cookie replayed within it is refused). */
const MAX_USED = 100_000;

interface Flow {
  verifier: string;
  state: string;
  nonce: string;
  /** the page to open after the sign-in */
  next: string;
  startedAt: number;
}

/** What a finished sign-in gives: the person, and their role (null: the provider knows them, kyso gives them no role). */
export interface OidcPerson {
  subject: string;
  name: string;
  role: Role | null;
  next: string;
}

/** An http issuer is accepted only on this machine (a test or a provider beside kyso); anywhere else https. */
const loopback = (u: URL) => ["localhost", "127.0.0.1", "[::1]"].includes(u.hostname);

export class OidcSignIn {
  private config: Promise<client.Configuration> | null = null;
  /** the key sealing flows into cookies: a restart ends the sign-ins under way, as a memory table would */
  private readonly key = randomBytes(32);
  private readonly used = new Map<string, number>();

  constructor(readonly settings: OidcSettings) {}

  private configuration(): Promise<client.Configuration> {
    if (!this.config) {
      const s = this.settings;
      const issuer = new URL(s.issuer);
      const auth = s.clientSecret ? client.ClientSecretBasic(s.clientSecret) : client.None();
      this.config = client.discovery(
        issuer,
        s.clientId,
        s.clientSecret ?? undefined,
        auth,
        issuer.protocol === "http:" && loopback(issuer) ? { execute: [client.allowInsecureRequests] } : {},
      );
      // a provider that did not answer is asked again at the next sign-in
      this.config.catch(() => (this.config = null));
    }
    return this.config;
  }

  /** Starts a flow: the provider's authorization URL, and the sealed flow for the browser's cookie. */
  async start(next: string): Promise<{ url: string; flowId: string }> {
    const config = await this.configuration();
    const verifier = client.randomPKCECodeVerifier();
    const flow: Flow = { verifier, state: client.randomState(), nonce: client.randomNonce(), next, startedAt: Date.now() };
    const flowId = this.seal(flow);
    const url = client.buildAuthorizationUrl(config, {
      redirect_uri: this.settings.redirectUrl,
      scope: this.settings.scope,
      code_challenge: await client.calculatePKCECodeChallenge(verifier),
      code_challenge_method: "S256",
      state: flow.state,
      nonce: flow.nonce,
    });
    return { url: url.href, flowId };
  }

  /** Finishes the flow the cookie names with the provider's answer (the callback's query); throws when it does not hold. */
  async finish(flowId: string | null, query: string): Promise<OidcPerson> {
    const flow = flowId ? this.open(flowId) : null;
    if (!flow || Date.now() - flow.startedAt > FLOW_TTL_MS)
      throw new OidcFlowError("no sign-in was started in this browser, or it took longer than ten minutes");
    this.prune();
    if (this.used.has(flow.state)) throw new OidcFlowError("this sign-in was already finished (a callback replayed)");
    this.used.set(flow.state, flow.startedAt);
    const config = await this.configuration();
    // the URL the provider redirected to, as registered (kyso may sit behind a proxy that changes its own)
    const current = new URL(this.settings.redirectUrl);
    current.search = query;
    const tokens = await client.authorizationCodeGrant(config, current, {
      pkceCodeVerifier: flow.verifier,
      expectedState: flow.state,
      expectedNonce: flow.nonce,
      idTokenExpected: true,
    });
    let claims: Record<string, unknown> = { ...tokens.claims()! };
    const subject = claims.sub as string;
    const wanted = this.settings.roleClaim;
    if (wanted && !(wanted in claims) && config.serverMetadata().userinfo_endpoint) {
      claims = { ...(await client.fetchUserInfo(config, tokens.access_token, subject)), ...claims };
    }
    return { subject, name: nameOf(claims), role: roleOf(claims, this.settings), next: flow.next };
  }

  private seal(flow: Flow): string {
    const body = Buffer.from(JSON.stringify(flow)).toString("base64url");
    return `${body}.${createHmac("sha256", this.key).update(body).digest("base64url")}`;
  }

  /** The flow a cookie carries, or null when this process did not seal it (or it was altered). */
  private open(sealed: string): Flow | null {
    const [body, mac] = sealed.split(".");
    if (!body || !mac) return null;
    const want = createHmac("sha256", this.key).update(body).digest();
    const got = Buffer.from(mac, "base64url");
    if (got.length !== want.length || !timingSafeEqual(got, want)) return null;
    try {
      const f = JSON.parse(Buffer.from(body, "base64url").toString()) as Flow;
      return typeof f.verifier === "string" &&
        typeof f.state === "string" &&
        typeof f.nonce === "string" &&
        typeof f.next === "string" &&
        typeof f.startedAt === "number"
        ? f
        : null;
    } catch {
      return null;
    }
  }

  private prune(): void {
    const now = Date.now();
    for (const [state, at] of this.used) if (now - at > FLOW_TTL_MS) this.used.delete(state);
    // each entry is a finished sign-in at the provider; past this many the oldest go first
    while (this.used.size >= MAX_USED) this.used.delete(this.used.keys().next().value!);
  }
}

/** A callback that belongs to no flow of this browser. */
export class OidcFlowError extends Error {
  override name = "OidcFlowError";
}
