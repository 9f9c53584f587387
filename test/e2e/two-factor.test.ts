// TOTP two-factor authentication through the local stack, over HTTP: register → verify → login →
// enroll (otpauth URI and QR code) → confirm with a code computed from the URI's secret, as an
// authenticator app would → logout → login without a code (401 AUTH.TWO_FACTOR_REQUIRED), with a
// code (200), the same code again (refused) → a recovery code works once → changing the password and
// adding an exchange key ask for the second factor → disable (other sessions signed out) → login on
// the password alone. Every log line is captured and scanned: the secret, the URI, the recovery
// codes and the codes never appear in one.
import { URI } from 'otpauth';
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
/** Long secrets that must never be logged. */
const secrets = new Set<string>();
/** Six-digit codes: checked as JSON values (a bare digit run may occur in any timestamp). */
const codes = new Set<string>();

const EMAIL = 'two.factor@example.com';
const PASSWORD = 'Amber-Falcon-Quarry-93';
secrets.add(PASSWORD);

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

const login = async (extra: { totpCode?: string; recoveryCode?: string } = {}) =>
  call('POST', '/api/auth/login', { email: EMAIL, password: PASSWORD, captcha: await captcha(), ...extra });

function tokensOf(answer: StackAnswer): { accessToken: string; refreshToken: string } {
  expect(answer.status).toBe(200);
  const accessToken = answer.body.accessToken as string;
  const refreshToken = answer.body.refreshToken as string;
  secrets.add(accessToken);
  secrets.add(refreshToken);
  return { accessToken, refreshToken };
}

/** What the authenticator app shows `offsetSteps` steps from now. */
function appCode(otpauthUri: string, offsetSteps = 0): string {
  const code = URI.parse(otpauthUri).generate({ timestamp: Date.now() + offsetSteps * 30_000 });
  codes.add(code);
  return code;
}

describe('TOTP two-factor authentication through the local stack', () => {
  type Tokens = { accessToken: string; refreshToken: string };
  let session: Tokens;
  let withCode: Tokens;
  let withRecoveryCode: Tokens;
  let otpauthUri: string;
  let recoveryCodes: string[];

  it('registers, verifies the address and logs in on the password', async () => {
    const registered = await call('POST', '/api/auth/register', {
      email: EMAIL,
      password: PASSWORD,
      captcha: await captcha(),
    });
    expect(registered.status).toBe(202);
    const outbox = await call('GET', '/api/dev/outbox');
    const mail = (outbox.body.items as { to: string; text: string }[]).find((m) => m.to === EMAIL);
    const token = mail ? /\/verify-email\?token=([A-Za-z0-9_-]+)/.exec(mail.text)?.[1] : undefined;
    expect(token).toBeDefined();
    secrets.add(token ?? '');
    expect((await call('POST', '/api/auth/verify-email', { token })).status).toBe(200);
    session = tokensOf(await login());
  });

  it('enrolls: an otpauth URI for "Verzek AutoTrader" labelled with the email, and a QR code', async () => {
    expect((await call('POST', '/api/auth/2fa/enroll')).status).toBe(401);
    const enrolled = await call('POST', '/api/auth/2fa/enroll', undefined, session.accessToken);
    expect(enrolled.status).toBe(200);
    otpauthUri = enrolled.body.otpauthUri as string;
    const totp = URI.parse(otpauthUri);
    expect(totp).toMatchObject({ issuer: 'Verzek AutoTrader', label: EMAIL });
    expect(totp.secret.bytes).toHaveLength(20);
    secrets.add(otpauthUri);
    secrets.add(totp.secret.base32);
    expect(enrolled.body.qrCode).toMatch(/^data:image\/svg\+xml;base64,/);
    secrets.add(enrolled.body.qrCode as string);
  });

  it('refuses a wrong code at confirmation, then turns 2FA on with the app’s code: ten recovery codes, once', async () => {
    const wrong = appCode(otpauthUri, 10);
    const refused = await call('POST', '/api/auth/2fa/confirm', { code: wrong }, session.accessToken);
    expect(refused).toMatchObject({ status: 400, body: { code: 'TOTP.INVALID_CODE' } });

    const confirmed = await call(
      'POST',
      '/api/auth/2fa/confirm',
      { code: appCode(otpauthUri) },
      session.accessToken,
    );
    expect(confirmed.status).toBe(200);
    expect(confirmed.body.enabled).toBe(true);
    recoveryCodes = confirmed.body.recoveryCodes as string[];
    expect(recoveryCodes).toHaveLength(10);
    for (const code of recoveryCodes) secrets.add(code);

    const again = await call('POST', '/api/auth/2fa/enroll', undefined, session.accessToken);
    expect(again).toMatchObject({ status: 409, body: { code: 'TOTP.ALREADY_ENABLED' } });
  });

  it('logs out, then login needs the second factor: 401 without it, 200 with a fresh code, refused on replay', async () => {
    expect((await call('POST', '/api/auth/logout', { refreshToken: session.refreshToken })).status).toBe(204);

    const bare = await login();
    expect(bare).toMatchObject({ status: 401, body: { code: 'AUTH.TWO_FACTOR_REQUIRED' } });
    expect(bare.body.accessToken).toBeUndefined();

    // The confirming code's step is used; the next step's code is within the ±1 window.
    const code = appCode(otpauthUri, 1);
    withCode = tokensOf(await login({ totpCode: code }));
    const replay = await login({ totpCode: code });
    expect(replay).toMatchObject({ status: 401, body: { code: 'AUTH.INVALID_SECOND_FACTOR' } });
    expect(replay.body.accessToken).toBeUndefined();
  });

  it('lets a recovery code in once', async () => {
    const recoveryCode = recoveryCodes[0] ?? '';
    withRecoveryCode = tokensOf(await login({ recoveryCode }));
    const again = await login({ recoveryCode });
    expect(again).toMatchObject({ status: 401, body: { code: 'AUTH.INVALID_SECOND_FACTOR' } });
  });

  it('guards sensitive actions with the second factor: changing the password, adding an exchange key', async () => {
    const change = (extra: Record<string, string>) =>
      call(
        'POST',
        '/api/auth/password',
        { currentPassword: PASSWORD, newPassword: 'Cobalt-Meadow-Lantern-58', ...extra },
        withRecoveryCode.accessToken,
      );
    expect(await change({})).toMatchObject({ status: 403, body: { code: 'AUTH.TWO_FACTOR_REQUIRED' } });
    const stale = appCode(otpauthUri, -5);
    expect(await change({ totpCode: stale })).toMatchObject({
      status: 403,
      body: { code: 'AUTH.INVALID_SECOND_FACTOR' },
    });

    // Refused before the exchange is ever called (no exchange runs in this test).
    const account = {
      exchange: 'binance',
      mode: 'live',
      label: 'Main',
      apiKey: 'k'.repeat(24),
      secret: 's'.repeat(48),
    };
    const add = await call('POST', '/api/exchange-accounts', account, withRecoveryCode.accessToken);
    expect(add).toMatchObject({ status: 403, body: { code: 'AUTH.TWO_FACTOR_REQUIRED' } });
    const wrongCode = await call(
      'POST',
      '/api/exchange-accounts',
      { ...account, totpCode: stale },
      withRecoveryCode.accessToken,
    );
    expect(wrongCode).toMatchObject({ status: 403, body: { code: 'AUTH.INVALID_SECOND_FACTOR' } });
  });

  it('disables with the password and a recovery code, signing out every other session', async () => {
    const wrong = await call(
      'POST',
      '/api/auth/2fa/disable',
      { password: 'Not-The-Password-11', recoveryCode: recoveryCodes[1] },
      withRecoveryCode.accessToken,
    );
    expect(wrong).toMatchObject({ status: 403, body: { code: 'AUTH.INVALID_PASSWORD' } });

    const disabled = await call(
      'POST',
      '/api/auth/2fa/disable',
      { password: PASSWORD, recoveryCode: recoveryCodes[1] },
      withRecoveryCode.accessToken,
    );
    expect(disabled).toMatchObject({ status: 200, body: { enabled: false, revokedSessions: 1 } });
    // The other session is gone; this one lives on.
    expect((await call('POST', '/api/auth/refresh', { refreshToken: withCode.refreshToken })).status).toBe(
      401,
    );
    tokensOf(await call('POST', '/api/auth/refresh', { refreshToken: withRecoveryCode.refreshToken }));

    tokensOf(await login());
    const off = await call(
      'POST',
      '/api/auth/2fa/disable',
      { password: PASSWORD, recoveryCode: recoveryCodes[2] },
      withRecoveryCode.accessToken,
    );
    expect(off).toMatchObject({ status: 409, body: { code: 'TOTP.NOT_ENABLED' } });
  });

  it('never logs the secret, the URI, a recovery code, a code or a token', () => {
    const everything = logged.join('');
    expect(everything).toContain('"service":"TotpConfirm"');
    expect(everything).toContain('"service":"Login"');
    for (const secret of secrets) expect(everything).not.toContain(secret);
    for (const code of codes) expect(everything).not.toContain(`"${code}"`);
    expect(everything).not.toContain('otpauth://');
    expect(everything).not.toContain('totpCode');
    expect(everything).not.toContain('recoveryCode');
  });
});
