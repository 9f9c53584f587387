// Issues short-lived ES256 access tokens (kid in the header, so keys can rotate). Login and refresh
// use it with the session family id as `sid`; the local dev login without. The verifier
// (shared/http/auth.ts) is the one every route uses.
import { importJWK, type JWK, SignJWT } from 'jose';

export interface TokenIssuerConfig {
  /** Private JWK as JSON, with `kid`. */
  readonly privateJwk: string;
  readonly issuer: string;
  readonly audience: string;
  readonly ttlSeconds: number;
}

/** Claims beyond the registered ones. */
export interface AccessTokenClaims {
  /** The refresh-token family (session) the token was issued for. */
  readonly sid?: string;
}

export async function issueAccessToken(
  config: TokenIssuerConfig,
  userId: string,
  now: Date,
  claims: AccessTokenClaims = {},
): Promise<string> {
  const jwk = JSON.parse(config.privateJwk) as JWK;
  if (!jwk.kid) throw new Error('the signing key has no kid');
  const key = await importJWK(jwk, 'ES256');
  const issuedAt = Math.floor(now.getTime() / 1000);
  return new SignJWT(claims.sid === undefined ? {} : { sid: claims.sid })
    .setProtectedHeader({ alg: 'ES256', kid: jwk.kid, typ: 'JWT' })
    .setSubject(userId)
    .setIssuer(config.issuer)
    .setAudience(config.audience)
    .setIssuedAt(issuedAt)
    .setExpirationTime(issuedAt + config.ttlSeconds)
    .sign(key);
}

/** What the session use cases need: an access token for a user's session, and how long it lives. */
export interface AccessTokenIssuer {
  readonly ttlSeconds: number;
  issue(userId: string, sessionId: string, now: Date): Promise<string>;
}

/** The issuer a function builds once; the private key is read (from Secrets Manager) at first use. */
export function accessTokenIssuer(config: {
  readonly privateJwk: () => Promise<string>;
  readonly issuer: string;
  readonly audience: string;
  readonly ttlSeconds: number;
}): AccessTokenIssuer {
  return {
    ttlSeconds: config.ttlSeconds,
    issue: async (userId, sessionId, now) =>
      issueAccessToken(
        {
          privateJwk: await config.privateJwk(),
          issuer: config.issuer,
          audience: config.audience,
          ttlSeconds: config.ttlSeconds,
        },
        userId,
        now,
        { sid: sessionId },
      ),
  };
}
