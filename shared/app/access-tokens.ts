// Issues short-lived ES256 access tokens. Only the local dev login uses it until the accounts issue
// brings real sign-in; the verifier (shared/http/auth.ts) is the one every route already uses.
import { importJWK, type JWK, SignJWT } from 'jose';

export interface TokenIssuerConfig {
  /** Private JWK as JSON, with `kid`. */
  readonly privateJwk: string;
  readonly issuer: string;
  readonly audience: string;
  readonly ttlSeconds: number;
}

export async function issueAccessToken(
  config: TokenIssuerConfig,
  userId: string,
  now: Date,
): Promise<string> {
  const jwk = JSON.parse(config.privateJwk) as JWK;
  if (!jwk.kid) throw new Error('the signing key has no kid');
  const key = await importJWK(jwk, 'ES256');
  const issuedAt = Math.floor(now.getTime() / 1000);
  return new SignJWT({})
    .setProtectedHeader({ alg: 'ES256', kid: jwk.kid, typ: 'JWT' })
    .setSubject(userId)
    .setIssuer(config.issuer)
    .setAudience(config.audience)
    .setIssuedAt(issuedAt)
    .setExpirationTime(issuedAt + config.ttlSeconds)
    .sign(key);
}
