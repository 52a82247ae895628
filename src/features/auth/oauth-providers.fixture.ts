// Test support for oauth.test.ts: the provider side of the OAuth flows, all on 127.0.0.1 — an
// oauth2-mock-server for authorize/token/userinfo (Google, Microsoft, GitHub's OAuth endpoints), a
// stand-in for GitHub's REST API, and a token endpoint that always fails.
import { randomUUID } from "node:crypto";
import { Events, OAuth2Server, type MutableResponse, type MutableToken, type TokenRequestIncomingMessage } from "oauth2-mock-server";

export interface OidcClaims {
  sub: string;
  email?: string;
  email_verified?: boolean;
  name?: string;
}
export interface GithubAccount {
  id: number;
  login: string;
  name: string | null;
  emails: { email: string; primary: boolean; verified: boolean }[];
}
export type Identity = { kind: "oidc"; claims: OidcClaims } | { kind: "github"; account: GithubAccount };

/** What the token endpoint saw for one code exchange. */
export interface TokenExchange {
  body: Record<string, unknown>;
  authorization: string | undefined;
  accessToken: string | null;
}

export const google = (claims: OidcClaims): Identity => ({ kind: "oidc", claims });
export const microsoft = google;
export const github = (account: GithubAccount): Identity => ({ kind: "github", account });

const bearer = (header: string | null | undefined) => (header?.startsWith("Bearer ") ? header.slice(7) : null);

export type ProviderServers = Awaited<ReturnType<typeof startProviderServers>>;

export async function startProviderServers() {
  const oauth = new OAuth2Server();
  await oauth.issuer.keys.generate("RS256");
  await oauth.start(0, "127.0.0.1");
  // The mock names itself "localhost"; every URL here says 127.0.0.1, so traffic stays on loopback IPv4.
  const issuer = `http://127.0.0.1:${oauth.address().port}`;
  oauth.issuer.url = issuer;
  /** Access token → the identity the provider issued it for. Userinfo and the GitHub API answer only these. */
  const issued = new Map<string, Identity>();

  const servers = {
    oauth,
    issuer,
    /** How many tokens the provider has signed so far. */
    tokensSigned: 0,
    /** What GitHub's /user/emails answers; reset to 200 after every test. */
    githubEmailsStatus: 200,
    githubApiUrl: "",
    failingTokenUrl: "",

    /** The next code exchange issues its access token for this identity; returns what the token endpoint saw. */
    issueNextTokenFor(identity: Identity): TokenExchange {
      const seen: TokenExchange = { body: {}, authorization: undefined, accessToken: null };
      oauth.service.once(Events.BeforeResponse, (response: MutableResponse, req: TokenRequestIncomingMessage) => {
        seen.body = { ...req.body };
        seen.authorization = req.headers.authorization;
        if (response.statusCode === 200 && response.body !== "" && typeof response.body.access_token === "string") {
          seen.accessToken = response.body.access_token;
          issued.set(response.body.access_token, identity);
        }
      });
      return seen;
    },

    /** The app's env with every provider pointed at these servers. */
    env(overrides: Record<string, string> = {}): Record<string, string> {
      return {
        GOOGLE_CLIENT_ID: "google-client",
        GOOGLE_CLIENT_SECRET: "google-secret",
        GOOGLE_AUTHORIZE_URL: `${issuer}/authorize`,
        GOOGLE_TOKEN_URL: `${issuer}/token`,
        GOOGLE_USERINFO_URL: `${issuer}/userinfo`,
        MICROSOFT_CLIENT_ID: "microsoft-client",
        MICROSOFT_CLIENT_SECRET: "microsoft-secret",
        MICROSOFT_AUTHORIZE_URL: `${issuer}/authorize`,
        MICROSOFT_TOKEN_URL: `${issuer}/token`,
        MICROSOFT_USERINFO_URL: `${issuer}/userinfo`,
        GITHUB_CLIENT_ID: "github-client",
        GITHUB_CLIENT_SECRET: "github-secret",
        GITHUB_AUTHORIZE_URL: `${issuer}/authorize`,
        GITHUB_TOKEN_URL: `${issuer}/token`,
        GITHUB_API_URL: servers.githubApiUrl,
        ...overrides,
      };
    },

    /** After each test: drop a one-shot hook a failed flow left behind, and heal GitHub's emails. */
    reset() {
      oauth.service.removeAllListeners(Events.BeforeResponse);
      servers.githubEmailsStatus = 200;
    },

    async stop() {
      if (oauth.listening) await oauth.stop();
      githubApi.stop(true);
      failingTokenEndpoint.stop(true);
    },
  };

  // Every token gets a unique id, so two tokens signed within one second never collide.
  oauth.service.on(Events.BeforeTokenSigning, (token: MutableToken) => {
    token.payload.jti = randomUUID();
    servers.tokensSigned++;
  });
  // Userinfo answers only for an access token this server issued, with that identity's claims.
  oauth.service.on(Events.BeforeUserinfo, (response: MutableResponse, req: TokenRequestIncomingMessage) => {
    const identity = issued.get(bearer(req.headers.authorization) ?? "");
    if (!identity || identity.kind !== "oidc") {
      response.statusCode = 401;
      response.body = { error: "invalid_token" };
      return;
    }
    response.body = { ...identity.claims };
  });

  const githubApi = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    fetch(request) {
      const identity = issued.get(bearer(request.headers.get("authorization")) ?? "");
      if (!identity || identity.kind !== "github") return Response.json({ message: "Bad credentials" }, { status: 401 });
      const { pathname } = new URL(request.url);
      const { account } = identity;
      if (pathname === "/user") return Response.json({ id: account.id, login: account.login, name: account.name });
      if (pathname === "/user/emails") {
        const status = servers.githubEmailsStatus;
        return status === 200 ? Response.json(account.emails) : Response.json({ message: "boom" }, { status });
      }
      return Response.json({ message: "Not Found" }, { status: 404 });
    },
  });
  const failingTokenEndpoint = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: () => new Response("upstream exploded", { status: 500 }) });
  servers.githubApiUrl = `http://127.0.0.1:${githubApi.port}`;
  servers.failingTokenUrl = `http://127.0.0.1:${failingTokenEndpoint.port}/token`;
  return servers;
}
