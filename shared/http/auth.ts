// Bearer credentials: user access tokens (ES256 JWTs checked against a JWKS) and the house engine's
// shared token. jose's jwtVerify does not require `exp` unless asked: it is required here, the
// algorithm is pinned, and issuer and audience are checked.
import { createHash, timingSafeEqual } from 'node:crypto';
import { createLocalJWKSet, type JSONWebKeySet, jwtVerify } from 'jose';
import { Unauthorized } from './errors.js';

export function bearerToken(headers: Readonly<Record<string, string | undefined>>): string | null {
  const value = headers.authorization ?? headers.Authorization;
  if (!value) return null;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(value);
  return match?.[1] ?? null;
}

export interface AccessTokenVerifier {
  /** Returns the user id (`sub`) of a valid token; throws Unauthorized otherwise. */
  verify(token: string): Promise<string>;
}

export function createAccessTokenVerifier(options: {
  readonly jwks: JSONWebKeySet;
  readonly issuer: string;
  readonly audience: string;
}): AccessTokenVerifier {
  const keySet = createLocalJWKSet(options.jwks);
  return {
    async verify(token) {
      try {
        const { payload } = await jwtVerify(token, keySet, {
          algorithms: ['ES256'],
          issuer: options.issuer,
          audience: options.audience,
          requiredClaims: ['exp', 'sub', 'iat'],
          clockTolerance: 5,
        });
        if (typeof payload.sub !== 'string' || payload.sub === '') throw new Error('no subject');
        return payload.sub;
      } catch {
        // One answer for every failure: the caller learns nothing about why.
        throw new Unauthorized('AUTH.INVALID_TOKEN', 'The access token is missing, expired or invalid');
      }
    },
  };
}

/** Constant-time comparison of a presented secret with the expected one. */
export function secretsMatch(presented: string, expected: string): boolean {
  const a = createHash('sha256').update(presented).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}
