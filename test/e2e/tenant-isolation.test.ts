// Tenant isolation over HTTP, table-driven: Alice creates what each user-owned route can reach, Bob
// calls every route with Alice's ids and sees 404 (never her data, never a 403 that confirms the id
// exists), and every list Bob reads holds nothing of Alice's. A route with a path parameter that has
// no case here fails the coverage test, so a new route cannot skip the check. Admin routes act on
// other users by design: they are listed apart (ADMIN_ONLY), and a plain user gets 403 on each.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalStack, startLocalStack } from '../../local/stack.js';
import { DEFAULT_SETTINGS } from '../../shared/app/settings/user-settings.js';
import { FUNCTIONS } from '../../shared/wiring/manifest.js';
import { type BinanceFake, startBinanceFake } from '../support/fake-exchanges/binance-fake.js';
import { callStack } from '../support/stack-http.js';

let stack: LocalStack;
let binance: BinanceFake;
const tokens = { alice: '', bob: '' };
/** What Alice owns, by path parameter name. */
const aliceIds: Record<string, string> = {};

function call(method: string, path: string, token: string, body?: unknown) {
  return callStack(stack.url, method, path, { body, bearer: token });
}

beforeAll(async () => {
  binance = await startBinanceFake();
  stack = await startLocalStack({
    port: 0,
    dataDir: null,
    scheduler: false,
    seed: true,
    quiet: true,
    exchangeBaseUrls: JSON.stringify({ binance: binance.baseUrl }),
  });
  for (const [who, email] of [
    ['alice', 'alice@demo.verzek.local'],
    ['bob', 'bob@demo.verzek.local'],
  ] as const) {
    const login = await call('POST', '/api/dev/login', '', { email });
    tokens[who] = login.body.accessToken as string;
  }
  const account = await call('POST', '/api/exchange-accounts', tokens.alice, {
    exchange: 'binance',
    mode: 'live',
    label: 'Alice on Binance',
    apiKey: binance.apiKey,
    secret: binance.secret,
  });
  expect(account.status).toBe(201);
  aliceIds.accountId = account.body.accountId as string;
  const settings = await call('PUT', '/api/settings', tokens.alice, {
    expectedVersion: 0,
    settings: { ...DEFAULT_SETTINGS, killSwitch: true, symbols: { whitelist: ['PEPE/USDT'], blacklist: [] } },
  });
  expect(settings.status).toBe(200);
}, 90_000);

afterAll(async () => {
  await stack?.stop();
  await binance?.close();
});

/** Routes that name a user-owned item in their path: Bob gets 404 for Alice's. */
const BY_ID: Readonly<Record<string, { readonly body?: unknown }>> = {
  'DELETE /api/exchange-accounts/{accountId}': {},
};

/** Admin routes (any user's data, by design): a plain user gets 403 AUTH.ADMIN_REQUIRED, nothing else. */
const ADMIN_ONLY: Readonly<Record<string, { readonly body?: unknown }>> = {
  'GET /api/admin/users': {},
  'POST /api/admin/users/{userId}/disable': { body: { totpCode: '123456' } },
  'POST /api/admin/kill-switch': { body: { on: true, totpCode: '123456' } },
};

/** Routes that list or read the caller's own data: nothing of Alice's may appear for Bob. */
const OWN_DATA = ['GET /api/exchange-accounts', 'GET /api/settings', 'GET /api/positions'];

const httpRoutes = FUNCTIONS.flatMap((fn) =>
  fn.trigger.kind === 'http' ? [`${fn.trigger.method} ${fn.trigger.path}`] : [],
);

describe('tenant isolation', () => {
  it('has a case for every route with a path parameter', () => {
    const parametrised = httpRoutes.filter((route) => route.includes('{'));
    const covered = [...Object.keys(BY_ID), ...Object.keys(ADMIN_ONLY).filter((r) => r.includes('{'))];
    expect(parametrised.sort()).toEqual(covered.sort());
  });

  it('lists every admin route as admin-only', () => {
    const adminRoutes = httpRoutes.filter((route) => route.split(' ')[1]?.startsWith('/api/admin/'));
    expect(adminRoutes.sort()).toEqual(Object.keys(ADMIN_ONLY).sort());
  });

  for (const [route, { body }] of Object.entries(ADMIN_ONLY)) {
    it(`${route}: a plain user gets 403 AUTH.ADMIN_REQUIRED, and Alice stays untouched`, async () => {
      const [method, template] = route.split(' ') as [string, string];
      const aliceUserId = stack.seededUsers.find((u) => u.email === 'alice@demo.verzek.local')?.userId;
      const path = template.replace('{userId}', aliceUserId ?? 'missing');
      const bobs = await call(method, path, tokens.bob, body);
      expect(bobs.status).toBe(403);
      expect(bobs.body.code).toBe('AUTH.ADMIN_REQUIRED');
      expect(bobs.text).not.toContain('alice@');
      const alices = await call('GET', '/api/exchange-accounts', tokens.alice);
      expect(alices.status).toBe(200);
      expect(alices.text).toContain(aliceIds.accountId);
    });
  }

  for (const [route, { body }] of Object.entries(BY_ID)) {
    it(`${route}: Bob gets 404 for Alice's id, and Alice's item survives`, async () => {
      const [method, template] = route.split(' ') as [string, string];
      const path = template.replace(/\{([^}]+)\}/g, (_, name: string) => aliceIds[name] ?? 'missing');
      const bobs = await call(method, path, tokens.bob, body);
      expect(bobs.status).toBe(404);
      const alices = await call('GET', '/api/exchange-accounts', tokens.alice);
      expect(alices.text).toContain(aliceIds.accountId);
    });
  }

  for (const route of OWN_DATA) {
    it(`${route}: Bob's answer holds nothing of Alice's`, async () => {
      const [method, path] = route.split(' ') as [string, string];
      const bobs = await call(method, path, tokens.bob);
      expect(bobs.status).toBe(200);
      expect(bobs.text).not.toContain(aliceIds.accountId ?? 'none');
      expect(bobs.text).not.toContain('PEPE/USDT');
      expect(bobs.text).not.toContain('Alice on Binance');
    });
  }
});
