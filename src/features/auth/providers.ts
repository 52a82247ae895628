import type { Config } from "../../config";

export type ProviderId = "github" | "google" | "microsoft";

export interface ProviderProfile {
  providerUserId: string;
  email: string | null;
  /** Only a verified email may link to an existing account. */
  emailVerified: boolean;
  name: string;
}

export interface Provider {
  id: ProviderId;
  label: string;
  clientId: string;
  clientSecret: string;
  authorizeUrl: string;
  tokenUrl: string;
  scopes: string[];
  fetchProfile(accessToken: string, fetcher: typeof fetch): Promise<ProviderProfile>;
}

async function getJson(fetcher: typeof fetch, url: string, accessToken: string): Promise<unknown> {
  const response = await fetcher(url, {
    headers: {
      Authorization: `Bearer ${accessToken}`,
      Accept: "application/json",
      "User-Agent": "block-on-block",
    },
    signal: AbortSignal.timeout(10_000),
  });
  if (!response.ok) throw new Error(`${url} answered ${response.status}`);
  return response.json();
}

type Json = Record<string, unknown>;
const text = (value: unknown): string | null => (typeof value === "string" && value.trim() ? value.trim() : null);

/** OpenID Connect userinfo (Google, Microsoft): `sub`, `email`, `email_verified`, `name`. */
function oidcProfile(userinfoUrl: string, trustsVerifiedClaim: boolean) {
  return async (accessToken: string, fetcher: typeof fetch): Promise<ProviderProfile> => {
    const info = (await getJson(fetcher, userinfoUrl, accessToken)) as Json;
    const sub = text(info.sub);
    if (!sub) throw new Error("userinfo has no subject");
    const email = text(info.email)?.toLowerCase() ?? null;
    return {
      providerUserId: sub,
      email,
      emailVerified: trustsVerifiedClaim && info.email_verified === true,
      name: text(info.name) ?? email?.split("@")[0] ?? "New user",
    };
  };
}

/** The providers whose client id and secret are set; the others are hidden everywhere. */
export function configuredProviders(config: Config): Provider[] {
  const providers: Provider[] = [];
  if (config.GITHUB_CLIENT_ID && config.GITHUB_CLIENT_SECRET) {
    const api = config.GITHUB_API_URL.replace(/\/$/, "");
    providers.push({
      id: "github",
      label: "GitHub",
      clientId: config.GITHUB_CLIENT_ID,
      clientSecret: config.GITHUB_CLIENT_SECRET,
      authorizeUrl: config.GITHUB_AUTHORIZE_URL,
      tokenUrl: config.GITHUB_TOKEN_URL,
      scopes: ["read:user", "user:email"],
      async fetchProfile(accessToken, fetcher) {
        const user = (await getJson(fetcher, `${api}/user`, accessToken)) as Json;
        const emails = (await getJson(fetcher, `${api}/user/emails`, accessToken)) as Json[];
        const primary = Array.isArray(emails) ? emails.find((e) => e.primary === true) : undefined;
        const id = typeof user.id === "number" || typeof user.id === "string" ? String(user.id) : null;
        if (!id) throw new Error("GitHub user has no id");
        const email = text(primary?.email)?.toLowerCase() ?? null;
        return {
          providerUserId: id,
          email,
          emailVerified: email !== null && primary?.verified === true,
          name: text(user.name) ?? text(user.login) ?? "New user",
        };
      },
    });
  }
  if (config.GOOGLE_CLIENT_ID && config.GOOGLE_CLIENT_SECRET) {
    providers.push({
      id: "google",
      label: "Google",
      clientId: config.GOOGLE_CLIENT_ID,
      clientSecret: config.GOOGLE_CLIENT_SECRET,
      authorizeUrl: config.GOOGLE_AUTHORIZE_URL,
      tokenUrl: config.GOOGLE_TOKEN_URL,
      scopes: ["openid", "email", "profile"],
      fetchProfile: oidcProfile(config.GOOGLE_USERINFO_URL, true),
    });
  }
  if (config.MICROSOFT_CLIENT_ID && config.MICROSOFT_CLIENT_SECRET) {
    const base = `https://login.microsoftonline.com/${encodeURIComponent(config.MICROSOFT_TENANT)}/oauth2/v2.0`;
    providers.push({
      id: "microsoft",
      label: "Microsoft",
      clientId: config.MICROSOFT_CLIENT_ID,
      clientSecret: config.MICROSOFT_CLIENT_SECRET,
      authorizeUrl: config.MICROSOFT_AUTHORIZE_URL ?? `${base}/authorize`,
      tokenUrl: config.MICROSOFT_TOKEN_URL ?? `${base}/token`,
      scopes: ["openid", "email", "profile"],
      // Microsoft accounts do not vouch for the email claim, so it never links to an existing account.
      fetchProfile: oidcProfile(config.MICROSOFT_USERINFO_URL, false),
    });
  }
  return providers;
}
