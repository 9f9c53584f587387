import { decodeProtectedHeader, exportJWK, generateKeyPair } from 'jose';
import { describe, expect, it } from 'vitest';
import { accessTokenIssuer } from '../../../../shared/app/access-tokens.js';
import { loginRequestSchema, registerRequestSchema } from '../../../../shared/app/auth/auth-requests.js';
import { newOpaqueToken } from '../../../../shared/app/auth/opaque-tokens.js';
import { formatRefreshToken, parseRefreshToken } from '../../../../shared/app/auth/session-tokens.js';
import { createAccessTokenVerifier } from '../../../../shared/http/auth.js';

describe('session access tokens', () => {
  it('are ES256 with the kid in the header, the session id as sid, and pass the shared verifier', async () => {
    const pair = await generateKeyPair('ES256', { extractable: true });
    const privateJwk = { ...(await exportJWK(pair.privateKey)), kid: 'k-2026', alg: 'ES256' };
    const publicJwk = { ...(await exportJWK(pair.publicKey)), kid: 'k-2026', alg: 'ES256', use: 'sig' };
    const issuer = accessTokenIssuer({
      privateJwk: async () => JSON.stringify(privateJwk),
      issuer: 'verzek-test',
      audience: 'verzek-api',
      ttlSeconds: 900,
    });
    const token = await issuer.issue('usr_1', 'family-1', new Date());
    expect(decodeProtectedHeader(token)).toMatchObject({ alg: 'ES256', kid: 'k-2026' });
    const payload = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8'));
    expect(payload).toMatchObject({ sub: 'usr_1', sid: 'family-1', iss: 'verzek-test', aud: 'verzek-api' });
    expect(payload.exp - payload.iat).toBe(900);
    const verifier = createAccessTokenVerifier({
      jwks: { keys: [publicJwk] },
      issuer: 'verzek-test',
      audience: 'verzek-api',
    });
    expect(await verifier.verify(token)).toBe('usr_1');
  });
});

describe('refresh token format', () => {
  it('round-trips user, family and secret', () => {
    const parts = { userId: 'usr_abc-1', familyId: 'Fam_2', secret: newOpaqueToken() };
    expect(parseRefreshToken(formatRefreshToken(parts))).toEqual(parts);
  });

  it.each([
    '',
    'a.b',
    `a.b.${newOpaqueToken()}.d`,
    'usr.fam.short',
    `us r.fam.${newOpaqueToken()}`,
    `usr#1.fam.${newOpaqueToken()}`,
    `${'u'.repeat(65)}.fam.${newOpaqueToken()}`,
  ])('refuses %j before any lookup', (token) => {
    expect(parseRefreshToken(token)).toBeNull();
  });
});

describe('request schemas', () => {
  it('normalise the email (trimmed, lower-case) and refuse what is not one', () => {
    const parsed = loginRequestSchema.parse({ email: '  Me@Example.COM ', password: 'x', captcha: 'c' });
    expect(parsed.email).toBe('me@example.com');
    expect(loginRequestSchema.safeParse({ email: 'not-an-email', password: 'x', captcha: 'c' }).success).toBe(
      false,
    );
  });

  it('refuse unknown fields and odd referral codes', () => {
    const base = { email: 'me@example.com', password: 'Violet-Harbor-Lantern-42', captcha: 'c' };
    expect(registerRequestSchema.safeParse({ ...base, role: 'admin' }).success).toBe(false);
    expect(registerRequestSchema.safeParse({ ...base, referralCode: 'a b' }).success).toBe(false);
    expect(registerRequestSchema.safeParse({ ...base, referralCode: 'FRIEND_1' }).success).toBe(true);
  });
});
