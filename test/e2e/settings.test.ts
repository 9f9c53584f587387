// GET/PUT /api/settings over HTTP: defaults at version 0, a save makes version 1, a save based on a
// stale version is 409 with the current version, an invalid document is 400 with the field named.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalStack, startLocalStack } from '../../local/stack.js';
import { DEFAULT_SETTINGS } from '../../shared/app/settings/user-settings.js';

let stack: LocalStack;
let token = '';

async function call(method: string, path: string, body?: unknown) {
  const res = await fetch(`${stack.url}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
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
