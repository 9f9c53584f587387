// Sign-up and sessions through the local stack, over HTTP: CAPTCHA → register → the verification
// mail from the dev outbox → verify → login → an authenticated route → refresh → reuse of the old
// refresh token revokes the family → login again → logout everywhere. Also: an unverified user is
// refused, a taken address answers like a new one, and the account lockout answers 429 with
// Retry-After after the stated number of failures. Every log line is captured and scanned: no
// password, refresh token, access token or verification token ever appears in one.
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalStack, startLocalStack } from '../../local/stack.js';
import { RATE_RULES } from '../../shared/app/auth/rate-rules.js';
import { solveAltcha } from '../support/altcha-solver.js';
import { callStack, type StackAnswer } from '../support/stack-http.js';

let stack: LocalStack;
const logged: string[] = [];
const originalWrites = {
  out: process.stdout.write.bind(process.stdout),
  err: process.stderr.write.bind(process.stderr),
};
/** Everything that must never be logged, collected as the test goes. */
const secrets = new Set<string>();

const EMAIL = 'New.Trader@Example.com';
const NORMALISED = 'new.trader@example.com';
const PASSWORD = 'Violet-Harbor-Lantern-42';
const UNVERIFIED_EMAIL = 'waiting@example.com';
const UNVERIFIED_PASSWORD = 'Quiet-Meadow-Compass-77';
secrets.add(PASSWORD);
secrets.add(UNVERIFIED_PASSWORD);

beforeAll(async () => {
  const capture = (chunk: unknown) => {
    logged.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8'));
    return true;
  };
  process.stdout.write = capture as typeof process.stdout.write;
  process.stderr.write = capture as typeof process.stderr.write;
  stack = await startLocalStack({ port: 0, dataDir: null, scheduler: false, seed: true, quiet: false });
}, 90_000);

afterAll(async () => {
  await stack?.stop();
  process.stdout.write = originalWrites.out;
  process.stderr.write = originalWrites.err;
});

function call(method: 'GET' | 'POST', path: string, body?: unknown, bearer?: string) {
  return callStack(stack.url, method, path, { body, bearer });
}

async function captcha(): Promise<string> {
  const challenge = await call('GET', '/api/auth/captcha');
  expect(challenge.status).toBe(200);
  return solveAltcha(challenge.body);
}

const registerAs = async (email: string, password: string) =>
  call('POST', '/api/auth/register', { email, password, captcha: await captcha() });

const loginAs = async (email: string, password: string) =>
  call('POST', '/api/auth/login', { email, password, captcha: await captcha() });

interface OutboxMail {
  readonly to: string;
  readonly subject: string;
  readonly text: string;
  readonly purpose: string;
}

async function outbox(to: string): Promise<OutboxMail[]> {
  const { status, body } = await call('GET', '/api/dev/outbox');
  expect(status).toBe(200);
  return (body.items as OutboxMail[]).filter((m) => m.to === to);
}

function tokenIn(mail: OutboxMail | undefined): string {
  const token = mail ? /\/verify-email\?token=([A-Za-z0-9_-]+)/.exec(mail.text)?.[1] : undefined;
  if (!token) throw new Error('no verification link in the mail');
  secrets.add(token);
  return token;
}

function tokensOf(answer: StackAnswer): { accessToken: string; refreshToken: string } {
  expect(answer.status).toBe(200);
  const accessToken = answer.body.accessToken as string;
  const refreshToken = answer.body.refreshToken as string;
  secrets.add(accessToken);
  secrets.add(refreshToken);
  // The secret part alone must not leak either.
  secrets.add(refreshToken.split('.').at(-1) ?? refreshToken);
  return { accessToken, refreshToken };
}

describe('sign-up and sessions through the local stack', () => {
  let session: { accessToken: string; refreshToken: string };

  it('registers with a solved CAPTCHA and mails a verification link', async () => {
    const answer = await registerAs(EMAIL, PASSWORD);
    expect(answer.status).toBe(202);
    expect(answer.body.status).toBe('verification-sent');
    const mails = await outbox(NORMALISED);
    expect(mails).toHaveLength(1);
    expect(mails[0]).toMatchObject({ purpose: 'verify-email' });
    expect(mails[0]?.text).toContain(
      `${stack.env.APP_BASE_URL ?? 'http://127.0.0.1:3000'}/verify-email?token=`,
    );
  });

  it('answers a taken address with the same 202 and mails its owner instead', async () => {
    const first = await outbox(NORMALISED);
    const again = await registerAs(NORMALISED, 'Some-Other-Passphrase-55');
    expect(again.status).toBe(202);
    expect(again.body).toEqual({
      status: 'verification-sent',
      message: 'Check your mailbox: we sent a link to confirm the address.',
    });
    // Still unverified: the owner gets a fresh link (the first one stays valid too).
    expect((await outbox(NORMALISED)).length).toBe(first.length + 1);
  });

  it('refuses a registration without a valid CAPTCHA, and a weak password', async () => {
    const noCaptcha = await call('POST', '/api/auth/register', {
      email: 'bot@example.com',
      password: PASSWORD,
      captcha: Buffer.from('{}').toString('base64'),
    });
    expect(noCaptcha).toMatchObject({ status: 400, body: { code: 'CAPTCHA.INVALID' } });
    const weak = await registerAs('weak@example.com', 'password1234');
    expect(weak).toMatchObject({ status: 400, body: { code: 'PASSWORD.TOO_WEAK' } });
  });

  it('verifies the address with the link, once', async () => {
    const [latest] = await outbox(NORMALISED);
    const token = tokenIn(latest);
    expect(await call('POST', '/api/auth/verify-email', { token })).toMatchObject({
      status: 200,
      body: { verified: true },
    });
    expect(await call('POST', '/api/auth/verify-email', { token })).toMatchObject({
      status: 400,
      body: { code: 'TOKEN.INVALID' },
    });
  });

  it('logs in: an ES256 access token with kid, issuer, audience and session id, and a refresh token', async () => {
    session = tokensOf(await loginAs(EMAIL, PASSWORD));
    const header = decodeProtectedHeader(session.accessToken);
    const claims = decodeJwt(session.accessToken);
    expect(header).toMatchObject({ alg: 'ES256', typ: 'JWT' });
    expect(typeof header.kid).toBe('string');
    expect(claims).toMatchObject({ iss: stack.env.JWT_ISSUER, aud: stack.env.JWT_AUDIENCE });
    expect((claims.exp ?? 0) - (claims.iat ?? 0)).toBe(15 * 60);
    expect(claims.sub).toMatch(/^usr_/);
    expect(session.refreshToken.split('.')[1]).toBe(claims.sid);
  });

  it('reaches a user route with the access token', async () => {
    const positions = await call('GET', '/api/positions', undefined, session.accessToken);
    expect(positions).toMatchObject({ status: 200, body: { items: [] } });
  });

  it('rotates on refresh; reusing the old refresh token revokes the family, the new token included', async () => {
    const rotated = tokensOf(await call('POST', '/api/auth/refresh', { refreshToken: session.refreshToken }));
    expect(rotated.refreshToken).not.toBe(session.refreshToken);
    expect((await call('GET', '/api/positions', undefined, rotated.accessToken)).status).toBe(200);

    const reuse = await call('POST', '/api/auth/refresh', { refreshToken: session.refreshToken });
    expect(reuse).toMatchObject({ status: 401, body: { code: 'AUTH.INVALID_REFRESH_TOKEN' } });
    const newest = await call('POST', '/api/auth/refresh', { refreshToken: rotated.refreshToken });
    expect(newest).toMatchObject({ status: 401, body: { code: 'AUTH.INVALID_REFRESH_TOKEN' } });
  });

  it('logs in again, logs out one session, then everywhere', async () => {
    const phone = tokensOf(await loginAs(EMAIL, PASSWORD));
    const laptop = tokensOf(await loginAs(EMAIL, PASSWORD));
    const logout = await call('POST', '/api/auth/logout', { refreshToken: phone.refreshToken });
    expect(logout.status).toBe(204);
    expect((await call('POST', '/api/auth/logout', { refreshToken: phone.refreshToken })).status).toBe(204);
    expect((await call('POST', '/api/auth/refresh', { refreshToken: phone.refreshToken })).status).toBe(401);

    const everywhere = await call('POST', '/api/auth/logout-all', undefined, laptop.accessToken);
    expect(everywhere).toMatchObject({ status: 200, body: { revokedSessions: 1 } });
    expect((await call('POST', '/api/auth/refresh', { refreshToken: laptop.refreshToken })).status).toBe(401);
    expect((await call('POST', '/api/auth/logout-all')).status).toBe(401);
  });

  it('refuses an unverified user only once the password is right', async () => {
    expect((await registerAs(UNVERIFIED_EMAIL, UNVERIFIED_PASSWORD)).status).toBe(202);
    const wrong = await loginAs(UNVERIFIED_EMAIL, 'Not-The-Password-00');
    expect(wrong).toMatchObject({ status: 401, body: { code: 'AUTH.INVALID_CREDENTIALS' } });
    const right = await loginAs(UNVERIFIED_EMAIL, UNVERIFIED_PASSWORD);
    expect(right).toMatchObject({ status: 403, body: { code: 'AUTH.EMAIL_NOT_VERIFIED' } });
    expect(right.body.accessToken).toBeUndefined();
  });

  it('answers an unknown email exactly as a wrong password', async () => {
    const unknown = await loginAs('nobody@example.com', 'Not-The-Password-00');
    const wrong = await loginAs(EMAIL, 'Not-The-Password-00');
    expect(unknown.status).toBe(401);
    expect(unknown.body).toEqual(wrong.body);
    expect(unknown.headers.get('www-authenticate')).toBe(wrong.headers.get('www-authenticate'));
  });

  it(`locks the account after ${RATE_RULES.loginAccount.limit} failures: 429 with Retry-After, even for the right password`, async () => {
    // The previous test already spent one failure on this account.
    for (let i = 1; i < RATE_RULES.loginAccount.limit; i++) {
      expect((await loginAs(EMAIL, `Wrong-Password-${i}`)).status).toBe(401);
    }
    const locked = await loginAs(EMAIL, PASSWORD);
    expect(locked).toMatchObject({ status: 429, body: { code: 'AUTH.LOCKED' } });
    const retryAfter = Number(locked.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(RATE_RULES.loginAccount.windowSeconds);
  });

  it('never logs a password, a token or a verification link', () => {
    const everything = logged.join('');
    // The handlers' own structured logs were captured (refusals are logged at INFO), not just the runner's.
    expect(everything).toContain('"service":"Login"');
    expect(secrets.size).toBeGreaterThan(8);
    for (const secret of secrets) expect(everything).not.toContain(secret);
    expect(everything).not.toContain('verify-email?token=');
  });
});
