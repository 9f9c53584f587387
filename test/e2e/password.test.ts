// Password change and reset through the local stack, over HTTP: register → verify → login on two
// devices → change the password (wrong current one first) → both sessions are gone, the old password
// no longer logs in, the new one does → a reset requested for a known and an unknown address gets
// the same 202, only the known one is mailed (dev outbox) → the reset link sets a third password,
// revokes the sessions again, and works only once. Every log line is captured and scanned: no
// password, access or refresh token, reset or verification token ever appears in one.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalStack, startLocalStack } from '../../local/stack.js';
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

const EMAIL = 'changing.trader@example.com';
const UNKNOWN_EMAIL = 'nobody.here@example.com';
const FIRST_PASSWORD = 'Violet-Harbor-Lantern-42';
const SECOND_PASSWORD = 'Copper-Willow-Station-58';
const THIRD_PASSWORD = 'Amber-Glacier-Trumpet-19';
for (const password of [FIRST_PASSWORD, SECOND_PASSWORD, THIRD_PASSWORD]) secrets.add(password);

beforeAll(async () => {
  const capture = (chunk: unknown) => {
    logged.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8'));
    return true;
  };
  process.stdout.write = capture as typeof process.stdout.write;
  process.stderr.write = capture as typeof process.stderr.write;
  stack = await startLocalStack({ port: 0, dataDir: null, scheduler: false, seed: false, quiet: false });
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

const loginAs = async (password: string) =>
  call('POST', '/api/auth/login', { email: EMAIL, password, captcha: await captcha() });

const refresh = (refreshToken: string) => call('POST', '/api/auth/refresh', { refreshToken });

interface OutboxMail {
  readonly to: string;
  readonly text: string;
  readonly purpose: string;
}

async function outbox(to: string, purpose: string): Promise<OutboxMail[]> {
  const { status, body } = await call('GET', '/api/dev/outbox');
  expect(status).toBe(200);
  return (body.items as OutboxMail[]).filter((m) => m.to === to && m.purpose === purpose);
}

/** The token of the link to `page` in the mail, remembered as a secret. */
function linkToken(mail: OutboxMail | undefined, page: string): string {
  const token = mail ? new RegExp(`/${page}\\?token=([A-Za-z0-9_-]+)`).exec(mail.text)?.[1] : undefined;
  if (!token) throw new Error(`no ${page} link in the mail`);
  secrets.add(token);
  return token;
}

function signedIn(answer: StackAnswer): { accessToken: string; refreshToken: string } {
  expect(answer.status).toBe(200);
  const accessToken = answer.body.accessToken as string;
  const refreshToken = answer.body.refreshToken as string;
  secrets.add(accessToken);
  secrets.add(refreshToken);
  secrets.add(refreshToken.split('.').at(-1) ?? refreshToken);
  return { accessToken, refreshToken };
}

describe('password change and reset through the local stack', () => {
  let laptop: { accessToken: string; refreshToken: string };
  let phone: { accessToken: string; refreshToken: string };

  it('registers, verifies and logs in on two devices', async () => {
    const registered = await call('POST', '/api/auth/register', {
      email: EMAIL,
      password: FIRST_PASSWORD,
      captcha: await captcha(),
    });
    expect(registered.status).toBe(202);
    const token = linkToken((await outbox(EMAIL, 'verify-email'))[0], 'verify-email');
    expect((await call('POST', '/api/auth/verify-email', { token })).status).toBe(200);
    laptop = signedIn(await loginAs(FIRST_PASSWORD));
    phone = signedIn(await loginAs(FIRST_PASSWORD));
  });

  it('refuses a change without a token, or with a wrong current password (401), changing nothing', async () => {
    const body = { currentPassword: FIRST_PASSWORD, newPassword: SECOND_PASSWORD };
    expect(await call('POST', '/api/auth/password', body)).toMatchObject({ status: 401 });
    const wrong = await call(
      'POST',
      '/api/auth/password',
      { currentPassword: 'Not-The-Password-00', newPassword: SECOND_PASSWORD },
      laptop.accessToken,
    );
    expect(wrong).toMatchObject({ status: 401, body: { code: 'AUTH.INVALID_PASSWORD' } });
    const weak = await call(
      'POST',
      '/api/auth/password',
      { currentPassword: FIRST_PASSWORD, newPassword: 'password1234' },
      laptop.accessToken,
    );
    expect(weak).toMatchObject({ status: 400, body: { code: 'PASSWORD.TOO_WEAK' } });
    expect((await refresh(phone.refreshToken)).status).toBe(200); // still signed in
  });

  it('changes the password: 204, every session revoked, only the new password logs in', async () => {
    // The phone's token was rotated by the refresh above: sign it in again for a live session.
    phone = signedIn(await loginAs(FIRST_PASSWORD));
    const changed = await call(
      'POST',
      '/api/auth/password',
      { currentPassword: FIRST_PASSWORD, newPassword: SECOND_PASSWORD },
      laptop.accessToken,
    );
    expect(changed.status).toBe(204);

    for (const session of [laptop, phone]) {
      expect(await refresh(session.refreshToken)).toMatchObject({
        status: 401,
        body: { code: 'AUTH.INVALID_REFRESH_TOKEN' },
      });
    }
    expect(await loginAs(FIRST_PASSWORD)).toMatchObject({
      status: 401,
      body: { code: 'AUTH.INVALID_CREDENTIALS' },
    });
    laptop = signedIn(await loginAs(SECOND_PASSWORD));
  });

  it('answers a reset request for a known and an unknown address identically; only the known one is mailed', async () => {
    const known = await call('POST', '/api/auth/password-reset/request', {
      email: EMAIL,
      captcha: await captcha(),
    });
    const unknown = await call('POST', '/api/auth/password-reset/request', {
      email: UNKNOWN_EMAIL,
      captcha: await captcha(),
    });
    expect(known.status).toBe(202);
    expect(unknown.status).toBe(202);
    expect(unknown.body).toEqual(known.body);

    const mails = await outbox(EMAIL, 'password-reset');
    expect(mails).toHaveLength(1);
    // The web app's page (APP_BASE_URL, by default the local app's address).
    const appBaseUrl = stack.env.APP_BASE_URL ?? 'http://127.0.0.1:3000';
    expect(mails[0]?.text).toContain(`${appBaseUrl}/reset-password?token=`);
    expect((await call('GET', '/api/dev/outbox')).body.items).not.toContainEqual(
      expect.objectContaining({ to: UNKNOWN_EMAIL }),
    );
  });

  it('resets with the link: sessions revoked, the new password logs in, the link works once', async () => {
    const token = linkToken((await outbox(EMAIL, 'password-reset'))[0], 'reset-password');
    const reset = await call('POST', '/api/auth/password-reset/confirm', {
      token,
      newPassword: THIRD_PASSWORD,
    });
    expect(reset).toMatchObject({ status: 200, body: { reset: true } });

    expect(await refresh(laptop.refreshToken)).toMatchObject({ status: 401 });
    expect((await loginAs(SECOND_PASSWORD)).status).toBe(401);
    signedIn(await loginAs(THIRD_PASSWORD));

    const again = await call('POST', '/api/auth/password-reset/confirm', {
      token,
      newPassword: 'Another-Fresh-Passphrase-33',
    });
    expect(again).toMatchObject({ status: 400, body: { code: 'TOKEN.INVALID' } });
  });

  it('never logs a password, a token or a link', () => {
    const everything = logged.join('');
    // The password functions' own structured logs were captured (refusals are logged at INFO).
    expect(everything).toContain('"service":"ChangePassword"');
    expect(everything).toContain('"service":"ResetPassword"');
    expect(secrets.size).toBeGreaterThan(10);
    for (const secret of secrets) expect(everything).not.toContain(secret);
    expect(everything).not.toContain('reset-password?token=');
    expect(everything).not.toContain('verify-email?token=');
  });
});
