// Signing in through the province's identity provider (issue 25): OpenID Connect's authorization code flow
// with PKCE (S256), state and nonce, through openid-client. The provider's metadata is discovered at the
// first sign-in (and again after a failure). A flow in progress is kept here, in memory, for ten minutes,
// under a random id that only the browser that started it holds (its cookie): a callback from another
// browser, or replayed, finds nothing. The ID token's claims, with the userinfo endpoint's when the role
// claim is not among them, give the person's name and kyso role (oidc-roles.ts).
import * as client from "openid-client";
import { randomBytes } from "node:crypto";
import type { Role } from "../store/keys.js";
import { nameOf, roleOf } from "./oidc-roles.js";
import type { OidcSettings } from "./sign-in-settings.js";

const FLOW_TTL_MS = 10 * 60_000;
const MAX_FLOWS = 10_000;

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
  private readonly flows = new Map<string, Flow>();

  constructor(readonly settings: OidcSettings) {}

  private configuration(): Promise<client.Configuration> {
    if (!this.config) {
      const s = this.settings;
      const issuer = new URL(s.issuer);
      const auth = s.clientSecret ? client.ClientSecretBasic(s.clientSecret) : client.None();
      this.config = client.discovery(issuer, s.clientId, s.clientSecret ?? undefined, auth, issuer.protocol === "http:" && loopback(issuer) ? { execute: [client.allowInsecureRequests] } : {});
      // a provider that did not answer is asked again at the next sign-in
      this.config.catch(() => (this.config = null));
    }
    return this.config;
  }

  /** Starts a flow: the provider's authorization URL, and the flow's id for the browser's cookie. */
  async start(next: string): Promise<{ url: string; flowId: string }> {
    const config = await this.configuration();
    this.prune();
    const verifier = client.randomPKCECodeVerifier();
    const flow: Flow = { verifier, state: client.randomState(), nonce: client.randomNonce(), next, startedAt: Date.now() };
    const flowId = randomBytes(24).toString("base64url");
    this.flows.set(flowId, flow);
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
    const flow = flowId ? this.flows.get(flowId) : undefined;
    if (flowId) this.flows.delete(flowId);
    if (!flow || Date.now() - flow.startedAt > FLOW_TTL_MS) throw new OidcFlowError("no sign-in was started in this browser, or it took longer than ten minutes");
    const config = await this.configuration();
    // the URL the provider redirected to, as registered (kyso may sit behind a proxy that changes its own)
    const current = new URL(this.settings.redirectUrl);
    current.search = query;
    const tokens = await client.authorizationCodeGrant(config, current, { pkceCodeVerifier: flow.verifier, expectedState: flow.state, expectedNonce: flow.nonce, idTokenExpected: true });
    let claims: Record<string, unknown> = { ...tokens.claims()! };
    const subject = claims.sub as string;
    const wanted = this.settings.roleClaim;
    if (wanted && !(wanted in claims) && config.serverMetadata().userinfo_endpoint) {
      claims = { ...(await client.fetchUserInfo(config, tokens.access_token, subject)), ...claims };
    }
    return { subject, name: nameOf(claims), role: roleOf(claims, this.settings), next: flow.next };
  }

  private prune(): void {
    const now = Date.now();
    for (const [id, f] of this.flows) if (now - f.startedAt > FLOW_TTL_MS) this.flows.delete(id);
    // a flood of started flows cannot grow memory: the oldest go first
    while (this.flows.size >= MAX_FLOWS) this.flows.delete(this.flows.keys().next().value!);
  }
}

/** A callback that belongs to no flow of this browser. */
export class OidcFlowError extends Error {
  override name = "OidcFlowError";
}
