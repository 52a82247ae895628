// Short-lived tokens for a module acting for a person in one space: HS256 JWTs (hono/jwt) signed with a key derived
// from SECRET_KEYS (its id as the JWT's kid, so keys rotate like every other secret). What the module can read in
// one — its audience (the module's origin), a pseudonymous subject and context, the scopes — says nothing of our
// ids; who the person is travels sealed (`act`, AES-GCM), and the install is looked up again on every use, so an
// uninstall, a suspension or a narrower consent takes effect at once.
import { decode, sign, verify } from "hono/jwt";
import { encodeBase64urlNoPadding } from "@oslojs/encoding";
import type { Deps } from "../../deps";
import { publicLink } from "../../config";
import { newId } from "../../lib/crypto";
import { AppError } from "../../lib/errors";
import { openSecret, sealSecret, type SecretKey } from "../../lib/secret-box";
import type { ModuleContextType } from "./schema";

export const TOKEN_SECONDS = 300;
export const LEEWAY_SECONDS = 10;
const ACTOR_PURPOSE = "module-token-actor";

export interface ModuleClaims {
  iss: string;
  aud: string;
  sub: string;
  ctx: { type: ModuleContextType; id: string };
  scp: string[];
  jti: string;
  iat: number;
  nbf: number;
  exp: number;
  /** The install the token was made for. */
  ins: string;
  /** Who the module acts for, sealed. */
  act: string;
}

type Jwk = { kty: "oct"; k: string; alg: "HS256"; kid: string };
const derived = new WeakMap<SecretKey, Promise<Jwk>>();

/** The signing key for one SECRET_KEYS key: HMAC-SHA256(key, "module-token"), never the key itself. */
function tokenKey(key: SecretKey): Promise<Jwk> {
  let found = derived.get(key);
  if (!found) {
    found = (async () => {
      const hmac = await crypto.subtle.importKey("raw", key.raw, { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
      const raw = new Uint8Array(await crypto.subtle.sign("HMAC", hmac, new TextEncoder().encode("module-token")));
      return { kty: "oct", k: encodeBase64urlNoPadding(raw), alg: "HS256", kid: `mt-${key.id}` } as const;
    })();
    derived.set(key, found);
  }
  return found;
}

export const issuer = (config: Deps["config"]) => new URL(publicLink(config, "/")).origin;

export async function issueToken(
  deps: Pick<Deps, "config" | "now">,
  input: { audience: string; subject: string; context: { type: ModuleContextType; id: string }; scopes: string[]; installId: string; userId: string },
): Promise<{ token: string; expiresAt: number }> {
  const iat = Math.floor(deps.now() / 1000);
  const claims: ModuleClaims = {
    iss: issuer(deps.config),
    aud: input.audience,
    sub: input.subject,
    ctx: input.context,
    scp: input.scopes,
    jti: newId(),
    iat,
    nbf: iat,
    exp: iat + TOKEN_SECONDS,
    ins: input.installId,
    act: await sealSecret(deps.config.secretKeys, ACTOR_PURPOSE, input.userId),
  };
  const token = await sign(claims as unknown as Record<string, unknown>, await tokenKey(deps.config.secretKeys[0]!));
  return { token, expiresAt: claims.exp * 1000 };
}

const refused = (why: string) => new AppError(401, "invalid_token", `The module token was refused: ${why}.`, {}, { "www-authenticate": 'Bearer error="invalid_token"' });

/** The token's claims and who it acts for, if it is ours, unexpired (10 s of leeway) and whole; a 401 otherwise. */
export async function readToken(deps: Pick<Deps, "config" | "now">, token: string): Promise<{ claims: ModuleClaims; userId: string }> {
  let kid: unknown;
  try {
    kid = (decode(token).header as { kid?: unknown }).kid;
  } catch {
    throw refused("it is not a token");
  }
  const keys = await Promise.all(deps.config.secretKeys.map(tokenKey));
  const key = keys.find((k) => k.kid === kid);
  if (!key) throw refused("its key is unknown");
  let claims: ModuleClaims;
  try {
    // Times are checked below on our clock, with leeway; hono/jwt checks the algorithm, issuer and signature.
    claims = (await verify(token, key, { alg: "HS256", iss: issuer(deps.config), exp: false, nbf: false, iat: false })) as unknown as ModuleClaims;
  } catch {
    throw refused("its signature, algorithm or issuer is wrong");
  }
  const now = deps.now() / 1000;
  const numbers = [claims.exp, claims.iat, claims.nbf].every((n) => typeof n === "number" && Number.isFinite(n));
  if (!numbers || claims.exp - claims.iat > TOKEN_SECONDS) throw refused("its lifetime is wrong");
  if (claims.exp + LEEWAY_SECONDS <= now) throw refused("it has expired");
  if (claims.nbf - LEEWAY_SECONDS > now || claims.iat - LEEWAY_SECONDS > now) throw refused("it is not valid yet");
  if (typeof claims.ins !== "string" || typeof claims.act !== "string" || !Array.isArray(claims.scp) || typeof claims.aud !== "string") throw refused("it lacks a claim");
  let userId: string;
  try {
    userId = await openSecret(deps.config.secretKeys, ACTOR_PURPOSE, claims.act);
  } catch {
    throw refused("it was altered");
  }
  return { claims, userId };
}
