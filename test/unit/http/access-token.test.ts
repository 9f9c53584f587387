import { exportJWK, generateKeyPair, type JWK, SignJWT } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { issueAccessToken } from '../../../shared/app/access-tokens.js';
import { type AccessTokenVerifier, createAccessTokenVerifier } from '../../../shared/http/auth.js';

const issuer = 'verzek-test';
const audience = 'verzek-api';
let privateJwk: JWK;
let otherPrivateJwk: JWK;
let verifier: AccessTokenVerifier;

beforeAll(async () => {
  const pair = await generateKeyPair('ES256', { extractable: true });
  const other = await generateKeyPair('ES256', { extractable: true });
  privateJwk = { ...(await exportJWK(pair.privateKey)), kid: 'k1', alg: 'ES256' };
  otherPrivateJwk = { ...(await exportJWK(other.privateKey)), kid: 'k1', alg: 'ES256' };
  const publicJwk = { ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'ES256', use: 'sig' };
  verifier = createAccessTokenVerifier({ jwks: { keys: [publicJwk] }, issuer, audience });
});

const issue = (
  jwk: JWK,
  overrides: Partial<{ issuer: string; audience: string; ttlSeconds: number }> = {},
  now = new Date(),
) =>
  issueAccessToken(
    { privateJwk: JSON.stringify(jwk), issuer, audience, ttlSeconds: 300, ...overrides },
    'user-1',
    now,
  );

function b64(value: object): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

describe('access tokens', () => {
  it('accepts a fresh token and returns its subject', async () => {
    expect(await verifier.verify(await issue(privateJwk))).toBe('user-1');
  });

  it('refuses an expired token', async () => {
    const token = await issue(privateJwk, { ttlSeconds: 60 }, new Date(Date.now() - 3600_000));
    await expect(verifier.verify(token)).rejects.toMatchObject({ status: 401 });
  });

  it('refuses a token with a tampered payload', async () => {
    const [header, , signature] = (await issue(privateJwk)).split('.');
    const forged = `${header}.${b64({ sub: 'admin', iss: issuer, aud: audience, iat: 1, exp: 9999999999 })}.${signature}`;
    await expect(verifier.verify(forged)).rejects.toMatchObject({ status: 401 });
  });

  it('refuses alg "none"', async () => {
    const now = Math.floor(Date.now() / 1000);
    const token = `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ sub: 'user-1', iss: issuer, aud: audience, iat: now, exp: now + 60 })}.`;
    await expect(verifier.verify(token)).rejects.toMatchObject({ status: 401 });
  });

  it('refuses a token signed by another key under the same kid', async () => {
    await expect(verifier.verify(await issue(otherPrivateJwk))).rejects.toMatchObject({ status: 401 });
  });

  it('refuses an unknown kid', async () => {
    await expect(verifier.verify(await issue({ ...privateJwk, kid: 'k9' }))).rejects.toMatchObject({
      status: 401,
    });
  });

  it('refuses the wrong audience and the wrong issuer', async () => {
    await expect(verifier.verify(await issue(privateJwk, { audience: 'other' }))).rejects.toMatchObject({
      status: 401,
    });
    await expect(verifier.verify(await issue(privateJwk, { issuer: 'other' }))).rejects.toMatchObject({
      status: 401,
    });
  });

  it('refuses a token without exp', async () => {
    const { importJWK } = await import('jose');
    const key = await importJWK(privateJwk, 'ES256');
    const token = await new SignJWT({})
      .setProtectedHeader({ alg: 'ES256', kid: 'k1' })
      .setSubject('user-1')
      .setIssuer(issuer)
      .setAudience(audience)
      .setIssuedAt()
      .sign(key);
    await expect(verifier.verify(token)).rejects.toMatchObject({ status: 401 });
  });
});
