// Composition helpers for the sign-up and session functions: what each builds once, at module scope,
// from its parsed env. Secrets (the ALTCHA key, the JWT signing key) are read at first use, as every
// function reads its secrets, so a cold start does not wait on Secrets Manager.
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { type AccessTokenIssuer, accessTokenIssuer } from '../app/access-tokens.js';
import { ACCESS_TOKEN_TTL_SECONDS } from '../app/auth/session-tokens.js';
import type { Env } from '../config/env.js';
import { loadSecret } from '../config/secrets.js';
import type { CaptchaVerifier } from '../ports/security.js';
import { AltchaCaptcha } from './security/altcha-captcha.js';

/** Checks ALTCHA solutions (and records each as used) with the stage's signing key. */
export function captchaVerifierFor(db: DynamoDBDocumentClient, tableName: string): CaptchaVerifier {
  let verifier: Promise<AltchaCaptcha> | undefined;
  const load = () => {
    verifier ??= loadSecret('ALTCHA_HMAC_KEY').then(
      (hmacKey) => new AltchaCaptcha({ hmacKey, db, tableName }),
    );
    verifier.catch(() => {
      verifier = undefined; // retried on the next request rather than failing for the container's life
    });
    return verifier;
  };
  return {
    challenge: async (now) => (await load()).challenge(now),
    verify: async (payload, now) => (await load()).verify(payload, now),
  };
}

/** ES256 access tokens for sessions: 15 minutes, the stage's issuer and audience. */
export function sessionAccessTokensFor(env: Pick<Env, 'JWT_ISSUER' | 'JWT_AUDIENCE'>): AccessTokenIssuer {
  return accessTokenIssuer({
    privateJwk: () => loadSecret('JWT_PRIVATE_KEY'),
    issuer: env.JWT_ISSUER,
    audience: env.JWT_AUDIENCE,
    ttlSeconds: ACCESS_TOKEN_TTL_SECONDS,
  });
}
