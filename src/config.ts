import { z } from "zod";
import { findCountry } from "./lib/countries";
import { parseSecretKeys, type SecretKey } from "./lib/secret-box";

const flag = z.enum(["on", "off"]);
const optionalText = z.string().trim().min(1).optional();
const optionalUrl = z.url().optional();

const configSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  DATABASE_URL: z.string().trim().min(1).default("file:data/app.db"),
  DATABASE_AUTH_TOKEN: optionalText,
  /** Where the Bun entry keeps uploaded files (business logos); Workers use the UPLOADS R2 bucket. */
  STORAGE_DIR: z.string().trim().min(1).default("data/uploads"),
  PUBLIC_URL: optionalUrl,
  TRUST_PROXY: z.enum(["true", "false"]).default("false").transform((v) => v === "true"),
  /** How many proxies of ours stand in front of the app, each appending to X-Forwarded-For. */
  TRUST_PROXY_HOPS: z.coerce.number().int().min(1).max(10).default(1),
  LOG_LEVEL: z.enum(["info", "silent"]).default("info"),
  SESSION_IDLE_TIMEOUT_SECONDS: z.coerce.number().int().min(60).default(7 * 24 * 3600),
  SESSION_MAX_AGE_SECONDS: z.coerce.number().int().min(60).default(30 * 24 * 3600),
  RATE_LIMIT: flag.default("on"),
  /** on: calendar subscriptions may read private, loopback and link-local addresses — for tests against local servers only. */
  OUTSIDE_FETCH_PRIVATE: flag.default("off"),
  /** on: module manifests may name http://localhost and private addresses even in production — for tests with a local module server only (outside production they always may). */
  MODULES_LOCAL_URLS: flag.default("off"),
  /** Stripe (features/billing): without the secret key there is no billing and every space has its free plan. */
  STRIPE_SECRET_KEY: optionalText,
  STRIPE_WEBHOOK_SECRET: optionalText,
  /** Where the Stripe SDK sends its calls; unset = Stripe itself. Tests and `npm run dev:billing` point it at a fake. */
  STRIPE_API_URL: optionalUrl,
  LOGIN_MAX_FAILURES_PER_ACCOUNT: z.coerce.number().int().min(1).default(5),
  LOGIN_MAX_FAILURES_PER_CLIENT: z.coerce.number().int().min(1).default(20),
  LOGIN_FAILURE_WINDOW_SECONDS: z.coerce.number().int().min(1).default(15 * 60),
  REGISTER_MAX_PER_CLIENT: z.coerce.number().int().min(1).default(20),
  GITHUB_CLIENT_ID: optionalText,
  GITHUB_CLIENT_SECRET: optionalText,
  GITHUB_AUTHORIZE_URL: z.url().default("https://github.com/login/oauth/authorize"),
  GITHUB_TOKEN_URL: z.url().default("https://github.com/login/oauth/access_token"),
  GITHUB_API_URL: z.url().default("https://api.github.com"),
  GOOGLE_CLIENT_ID: optionalText,
  GOOGLE_CLIENT_SECRET: optionalText,
  GOOGLE_AUTHORIZE_URL: z.url().default("https://accounts.google.com/o/oauth2/v2/auth"),
  GOOGLE_TOKEN_URL: z.url().default("https://oauth2.googleapis.com/token"),
  GOOGLE_USERINFO_URL: z.url().default("https://openidconnect.googleapis.com/v1/userinfo"),
  MICROSOFT_CLIENT_ID: optionalText,
  MICROSOFT_CLIENT_SECRET: optionalText,
  MICROSOFT_TENANT: z.string().trim().min(1).default("common"),
  MICROSOFT_AUTHORIZE_URL: optionalUrl,
  MICROSOFT_TOKEN_URL: optionalUrl,
  MICROSOFT_USERINFO_URL: z.url().default("https://graph.microsoft.com/oidc/userinfo"),
  /** smtp:// or smtps:// (user:pass@host:port); unset, mail stays in the in-app outbox. */
  SMTP_URL: z.url({ protocol: /^smtps?$/, error: "must be an smtp:// or smtps:// URL" }).optional(),
  MAIL_FROM: optionalText,
  /** ISO 3166-1 alpha-2: where a new account belongs when neither the user nor the edge says. */
  DEFAULT_COUNTRY: z
    .string()
    .trim()
    .toUpperCase()
    .refine((code) => findCountry(code) !== undefined, "must be an ISO 3166-1 alpha-2 country code, like GB")
    .default("GB"),
  /** Optional IP geolocation service for sign-ups, `{ip}` replaced by the client's address. */
  GEOLOCATION_URL: z.url().refine((url) => url.includes("{ip}"), "must contain {ip}").optional(),
  GEOLOCATION_TIMEOUT_MS: z.coerce.number().int().min(50).max(5000).default(300),
  /**
   * The address of the platform admin: the account with it becomes admin once the address is
   * verified. In production the only way besides `npm run admin:create`.
   */
  ADMIN_EMAIL: z.string().trim().toLowerCase().pipe(z.email()).optional(),
  /** `Authorization: Bearer <this>` reads /health's details (which part failed, and why); unset, only platform admins do. */
  HEALTH_TOKEN: z.string().trim().min(24, "use at least 24 characters").optional(),
  /**
   * Keys for the secrets the platform keeps (TOTP seeds) and signs (known-device cookies):
   * `<id>:<base64 of 32 bytes>`, comma-separated, the first current. Required in production.
   */
  SECRET_KEYS: optionalText,
  /** A Pwned Passwords range API (`<url>/range/<5 hex>`); unset, new passwords are not checked against breaches. */
  PWNED_PASSWORDS_URL: optionalUrl,
  /** Invitations one person may send in an hour, across every place. */
  INVITES_PER_USER_PER_HOUR: z.coerce.number().int().min(1).default(200),
  /** Invitations one business or household may send in an hour, whoever sends them. */
  INVITES_PER_PLACE_PER_HOUR: z.coerce.number().int().min(1).default(300),
  /** New addresses one business or household may mail in a day (a cap on what a stolen admin account can spam). */
  INVITE_NEW_ADDRESSES_PER_DAY: z.coerce.number().int().min(1).default(500),
  INVITATION_TTL_HOURS: z.coerce.number().int().min(1).max(90 * 24).default(7 * 24),
  /** How long the event log keeps rows; a client away longer reloads its live regions instead of replaying. */
  EVENTS_RETENTION_HOURS: z.coerce.number().int().min(24).max(30 * 24).default(48),
  /** Days between a deletion request (the account disabled at once) and its erasure; 0 erases at the job's next run. */
  ERASURE_GRACE_DAYS: z.coerce.number().int().min(0).max(365).default(14),
  /**
   * How long one live stream lasts before it ends itself with a `retry:` hint and the client
   * reconnects after its last id. Unset: the runtime's default (5 minutes on Bun, 40 s on Workers,
   * where each second of a stream costs one subrequest).
   */
  EVENTS_STREAM_SECONDS: z.coerce.number().int().min(2).max(3600).optional(),
  /** Live streams one user may hold open on one instance (tabs, devices, scripts). */
  EVENT_STREAMS_PER_USER: z.coerce.number().int().min(1).max(1000).default(30),
  /** Chat messages one person may post in a minute (RATE_LIMIT=off lifts it). */
  CHAT_MESSAGES_PER_MINUTE: z.coerce.number().int().min(1).default(60),
  /** The largest file one chat attachment may be, in bytes. */
  CHAT_ATTACHMENT_MAX_BYTES: z.coerce.number().int().min(1024).max(100 * 1024 * 1024).default(10 * 1024 * 1024),
  /** Notifications a user has not seen for this many minutes are mailed (for kinds set to email), batched into one digest. */
  NOTIFY_EMAIL_AFTER_MINUTES: z.coerce.number().int().min(1).max(7 * 24 * 60).default(15),
  /** How long a live connection counts without being refreshed: the longest a crashed instance keeps anyone online. */
  PRESENCE_TTL_SECONDS: z.coerce.number().int().min(15).max(3600).default(60),
  /** Retention (src/jobs.ts): audit events older than this many days are deleted. */
  RETENTION_AUDIT_DAYS: z.coerce.number().int().min(1).max(3650).default(400),
  /** Retention: outbox messages (sent, failed or kept for the in-app outbox) older than this many days are deleted. */
  RETENTION_MAIL_DAYS: z.coerce.number().int().min(1).max(3650).default(30),
  /** Retention: sessions are deleted this many days after they expired or went idle (0: at the next run). */
  RETENTION_SESSION_DAYS: z.coerce.number().int().min(0).max(365).default(0),
  /** How long a ready data export can be downloaded (by its owner only) before it is deleted. */
  EXPORT_TTL_DAYS: z.coerce.number().int().min(1).max(30).default(7),
  /** How long an export's builder holds its claim without renewing it; a killed builder's export is taken over after this. */
  EXPORT_LEASE_SECONDS: z.coerce.number().int().min(5).max(3600).default(120),
  /** How often Bun runs the scheduled job (src/jobs.ts) in the process; Workers follow wrangler.toml's cron. */
  JOBS_INTERVAL_SECONDS: z.coerce.number().int().min(1).max(3600).default(60),
  /** How often the Bun process looks for due reminders (Workers: each minute, from the cron). */
  REMINDERS_INTERVAL_SECONDS: z.coerce.number().int().min(1).max(300).default(15),
  /** A user with open streams but no request for this long shows as away. */
  PRESENCE_AWAY_MINUTES: z.coerce.number().int().min(1).max(24 * 60).default(10),
  /**
   * The versions of the terms of service and the privacy notice in force (views/privacy/legal-text.tsx
   * holds their text). Change one when its text changes: every account is asked once to accept it.
   */
  TERMS_VERSION: z.string().trim().regex(/^[\w.-]{1,40}$/, "use letters, digits, dots and dashes, like 2026-12-05").default("2026-12-05"),
  PRIVACY_VERSION: z.string().trim().regex(/^[\w.-]{1,40}$/, "use letters, digits, dots and dashes, like 2026-12-05").default("2026-12-05"),
});

export type Config = z.infer<typeof configSchema> & { isProduction: boolean; secretKeys: SecretKey[] };

export class ConfigError extends Error {
  override name = "ConfigError";
}

/** Parses the environment once; names every variable that is missing or wrong. */
export function parseConfig(env: Record<string, string | undefined>): Config {
  const present = Object.fromEntries(
    Object.entries(env).filter(([, value]) => value !== undefined && value !== ""),
  );
  const result = configSchema.safeParse(present);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `  ${issue.path.join(".")}: ${issue.message}`);
    throw new ConfigError(`Invalid configuration:\n${problems.join("\n")}`);
  }
  const config = result.data;
  if (config.SESSION_MAX_AGE_SECONDS < config.SESSION_IDLE_TIMEOUT_SECONDS) {
    throw new ConfigError(
      "Invalid configuration:\n  SESSION_MAX_AGE_SECONDS: must be at least SESSION_IDLE_TIMEOUT_SECONDS",
    );
  }
  const isProduction = config.NODE_ENV === "production";
  if (isProduction && !config.PUBLIC_URL) {
    // Links in mail and OAuth redirect URIs would otherwise follow the request's Host header.
    throw new ConfigError("Invalid configuration:\n  PUBLIC_URL: required in production (the https:// address users reach the app at)");
  }
  if (isProduction && !config.SECRET_KEYS) {
    throw new ConfigError("Invalid configuration:\n  SECRET_KEYS: required in production (<id>:<base64 of 32 random bytes>, e.g. k1:$(openssl rand -base64 32))");
  }
  let secretKeys: SecretKey[];
  try {
    secretKeys = parseSecretKeys(config.SECRET_KEYS);
  } catch (error) {
    throw new ConfigError(`Invalid configuration:\n  SECRET_KEYS: ${(error as Error).message}`);
  }
  return { ...config, isProduction, secretKeys };
}

/**
 * An absolute link to a path of the app, for mail and redirect URIs: PUBLIC_URL (required in
 * production), else this machine's own address in development. Never the request's Host header.
 */
export function publicLink(config: Pick<Config, "PUBLIC_URL" | "PORT">, path: string): string {
  const base = (config.PUBLIC_URL ?? `http://localhost:${config.PORT}`).replace(/\/+$/, "");
  return `${base}${path.startsWith("/") ? path : `/${path}`}`;
}
