// GET/PUT /api/settings over HTTP: defaults at version 0, a save makes version 1, a save based on a
// stale version is 409 with the current version, an invalid document is 400 with the field named.
// With 2FA on (a registered user who enrolls as an authenticator app would), a save that raises risk
// needs a fresh code (403 without, naming the change), while turning the kill switch on never does.
import { URI } from 'otpauth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalStack, startLocalStack } from '../../local/stack.js';
import { DEFAULT_SETTINGS } from '../../shared/app/settings/user-settings.js';
import { solveAltcha } from '../support/altcha-solver.js';
import { callStack } from '../support/stack-http.js';

let stack: LocalStack;
let token = '';

function call(method: string, path: string, body?: unknown, bearer = token) {
  return callStack(stack.url, method, path, { body, bearer });
}

beforeAll(async () => {
  stack = await startLocalStack({ port: 0, dataDir: null, scheduler: false, seed: true, quiet: true });
  const res = await fetch(`${stack.url}/api/dev/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: 'carol@demo.verzek.local' }),
  });
  token = ((await res.json()) as { accessToken: string }).accessToken;
}, 90_000);

afterAll(async () => {
  await stack?.stop();
});

describe('settings over HTTP', () => {
  it('starts at the defaults, version 0', async () => {
    const { status, body } = await call('GET', '/api/settings');
    expect(status).toBe(200);
    expect(body).toMatchObject({
      version: 0,
      settings: { risk: { maxOpenPositions: 50 }, autoTrade: false },
    });
  });

  it('saves version 1, then refuses a save based on version 0 with 409 and the current version', async () => {
    const saved = await call('PUT', '/api/settings', {
      expectedVersion: 0,
      settings: { ...DEFAULT_SETTINGS, takeProfitMode: 'progressive' },
    });
    expect(saved.status).toBe(200);
    expect(saved.body).toMatchObject({ version: 1, settings: { takeProfitMode: 'progressive' } });
    const stale = await call('PUT', '/api/settings', { expectedVersion: 0, settings: DEFAULT_SETTINGS });
    expect(stale.status).toBe(409);
    expect(stale.body).toMatchObject({ code: 'SETTINGS.VERSION_CONFLICT', details: { currentVersion: 1 } });
    expect((await call('GET', '/api/settings')).body).toMatchObject({ version: 1 });
  });

  it('refuses an invalid document with 400 naming the field', async () => {
    const bad = await call('PUT', '/api/settings', {
      expectedVersion: 1,
      settings: { ...DEFAULT_SETTINGS, risk: { maxOpenPositions: 0 } },
    });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body.details)).toContain('settings.risk.maxOpenPositions');
  });
});

describe('settings that raise risk, with 2FA on', () => {
  const EMAIL = 'settings.two.factor@example.com';
  const PASSWORD = 'Granite-Willow-Harbor-71';
  let bearer = '';
  let otpauthUri = '';
  /** What the authenticator app shows `offsetSteps` steps from now. */
  const appCode = (offsetSteps = 0) =>
    URI.parse(otpauthUri).generate({ timestamp: Date.now() + offsetSteps * 30_000 });
  const captcha = async () => solveAltcha((await call('GET', '/api/auth/captcha', undefined, '')).body);
  const put = (body: Record<string, unknown>) => call('PUT', '/api/settings', body, bearer);

  it('registers, verifies, logs in and turns 2FA on', async () => {
    const registered = await call(
      'POST',
      '/api/auth/register',
      { email: EMAIL, password: PASSWORD, captcha: await captcha() },
      '',
    );
    expect(registered.status).toBe(202);
    const outbox = await call('GET', '/api/dev/outbox', undefined, '');
    const mail = (outbox.body.items as { to: string; text: string }[]).find((m) => m.to === EMAIL);
    const verifyToken = mail ? /\/verify-email\?token=([A-Za-z0-9_-]+)/.exec(mail.text)?.[1] : undefined;
    expect((await call('POST', '/api/auth/verify-email', { token: verifyToken }, '')).status).toBe(200);
    const login = await call(
      'POST',
      '/api/auth/login',
      { email: EMAIL, password: PASSWORD, captcha: await captcha() },
      '',
    );
    expect(login.status).toBe(200);
    bearer = login.body.accessToken as string;
    const enrolled = await call('POST', '/api/auth/2fa/enroll', undefined, bearer);
    otpauthUri = enrolled.body.otpauthUri as string;
    const confirmed = await call('POST', '/api/auth/2fa/confirm', { code: appCode() }, bearer);
    expect(confirmed).toMatchObject({ status: 200, body: { enabled: true } });
  });

  it('refuses more open positions without a code (403 naming the change), saves them with one', async () => {
    const more = { ...DEFAULT_SETTINGS, risk: { maxOpenPositions: 80 } };
    const bare = await put({ expectedVersion: 0, settings: more });
    expect(bare).toMatchObject({
      status: 403,
      body: {
        code: 'AUTH.TWO_FACTOR_REQUIRED',
        details: { riskRaisingChanges: [{ field: 'risk.maxOpenPositions', change: 'raised from 50 to 80' }] },
      },
    });
    expect(bare.body.message).toContain('risk.maxOpenPositions raised from 50 to 80');
    const stale = appCode(-5);
    expect(await put({ expectedVersion: 0, settings: more, totpCode: stale })).toMatchObject({
      status: 403,
      body: { code: 'AUTH.INVALID_SECOND_FACTOR' },
    });
    expect(await put({ expectedVersion: 0, settings: more, totpCode: '1', recoveryCode: 'x' })).toMatchObject(
      {
        status: 400,
      },
    );
    expect((await call('GET', '/api/settings', undefined, bearer)).body).toMatchObject({ version: 0 });

    // The confirming code's step is used; the next step's code is within the ±1 window.
    const code = appCode(1);
    const saved = await put({ expectedVersion: 0, settings: more, totpCode: code });
    expect(saved).toMatchObject({
      status: 200,
      body: { version: 1, settings: { risk: { maxOpenPositions: 80 } } },
    });
    const replay = await put({
      expectedVersion: 1,
      settings: { ...more, risk: { maxOpenPositions: 90 } },
      totpCode: code,
    });
    expect(replay).toMatchObject({ status: 403, body: { code: 'AUTH.INVALID_SECOND_FACTOR' } });
  });

  it('turns the kill switch on, and lowers a limit, without a code', async () => {
    const stop = { ...DEFAULT_SETTINGS, risk: { maxOpenPositions: 80 }, killSwitch: true };
    expect(await put({ expectedVersion: 1, settings: stop })).toMatchObject({
      status: 200,
      body: { version: 2, settings: { killSwitch: true } },
    });
    const lower = { ...stop, risk: { maxOpenPositions: 10 } };
    expect(await put({ expectedVersion: 2, settings: lower })).toMatchObject({
      status: 200,
      body: { version: 3 },
    });
    // Turning it back off raises risk again.
    expect(await put({ expectedVersion: 3, settings: { ...lower, killSwitch: false } })).toMatchObject({
      status: 403,
      body: { code: 'AUTH.TWO_FACTOR_REQUIRED', details: { riskRaisingChanges: [{ field: 'killSwitch' }] } },
    });
  });
});
