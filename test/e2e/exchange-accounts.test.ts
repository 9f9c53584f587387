// Exchange accounts through the whole local stack over HTTP, with Binance's calls sent to the fake
// Binance: add (201, masked key, egress IPs), a withdrawal-enabled key refused (422 with reasons),
// list (masked), BOLA (Bob gets 404 for Alice's account), delete, the per-user add limit (429), bad
// input (400); and the API key and secret in no response body and no log line of the whole run.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalStack, startLocalStack } from '../../local/stack.js';
import { type BinanceFake, startBinanceFake } from '../support/fake-exchanges/binance-fake.js';
import { callStack } from '../support/stack-http.js';

let stack: LocalStack;
let binance: BinanceFake;
const tokens: Record<'alice' | 'bob' | 'carol', string> = { alice: '', bob: '', carol: '' };
const logged: string[] = [];
const bodies: string[] = [];
const WRONG_SECRET = 'e2e-wrong-secret-e2e-wrong-secret';
const originalWrites = {
  out: process.stdout.write.bind(process.stdout),
  err: process.stderr.write.bind(process.stderr),
};

beforeAll(async () => {
  binance = await startBinanceFake({
    apiKey: 'e2eKEYa1b2c3d4e5f6g7h8i9j0k1l2m3n4o5p6',
    secret: 'e2eSECRETz9y8x7w6v5u4t3s2r1q0p9o8n7m6',
  });
  const capture = (chunk: unknown) => {
    logged.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8'));
    return true;
  };
  process.stdout.write = capture as typeof process.stdout.write;
  process.stderr.write = capture as typeof process.stderr.write;
  stack = await startLocalStack({
    port: 0,
    dataDir: null,
    scheduler: false,
    seed: true,
    quiet: false,
    exchangeBaseUrls: JSON.stringify({ binance: binance.baseUrl }),
  });
  for (const name of ['alice', 'bob', 'carol'] as const) {
    const login = await call('POST', '/api/dev/login', { email: `${name}@demo.verzek.local` });
    tokens[name] = login.body.accessToken as string;
  }
}, 90_000);

afterAll(async () => {
  await stack?.stop();
  await binance?.close();
  process.stdout.write = originalWrites.out;
  process.stderr.write = originalWrites.err;
});

async function call(method: string, path: string, body?: unknown, bearer?: string) {
  const answer = await callStack(stack.url, method, path, { body, bearer });
  bodies.push(answer.text);
  return answer;
}

const addAccount = (who: keyof typeof tokens, overrides: Record<string, unknown> = {}) =>
  call(
    'POST',
    '/api/exchange-accounts',
    {
      exchange: 'binance',
      mode: 'live',
      label: 'Binance main',
      apiKey: binance.apiKey,
      secret: binance.secret,
      ...overrides,
    },
    tokens[who],
  );

let aliceAccountId = '';

describe('exchange accounts over HTTP', () => {
  it('loads every exchange-account function', () => {
    for (const id of ['AddExchangeAccount', 'ListExchangeAccounts', 'RemoveExchangeAccount']) {
      expect(stack.brokenFunctions).not.toContain(id);
    }
  });

  it('adds a Binance account with a trading-only key: 201, masked key, egress IPs, auto-trade off', async () => {
    const { status, body } = await addAccount('alice');
    expect(status).toBe(201);
    expect(body).toMatchObject({
      exchange: 'binance',
      mode: 'live',
      label: 'Binance main',
      autoTrade: false,
      maskedKey: 'e2eK…o5p6',
      egressIps: [],
      warnings: [],
    });
    expect(body.accountId).toMatch(/^acc_/);
    aliceAccountId = body.accountId as string;
  });

  it('refuses a withdrawal-enabled key with 422 and the reasons', async () => {
    binance.setKeyPermissions({ enableWithdrawals: true });
    try {
      const { status, body } = await addAccount('alice', { label: 'Withdrawals' });
      expect(status).toBe(422);
      expect(body.code).toBe('EXCHANGE_KEY.REFUSED');
      const details = body.details as { reasons: string[] };
      expect(details.reasons.join(' ')).toMatch(/withdrawal/);
    } finally {
      binance.setKeyPermissions({ enableWithdrawals: false });
    }
  });

  it('answers 422 when the exchange refuses the key itself', async () => {
    const { status, body } = await addAccount('carol', { secret: WRONG_SECRET });
    expect(status).toBe(422);
    expect(body.code).toBe('EXCHANGE_KEY.REFUSED');
  });

  it('lists the caller’s accounts with masked keys and the egress IPs, and nothing sealed', async () => {
    const { status, body } = await call('GET', '/api/exchange-accounts', undefined, tokens.alice);
    expect(status).toBe(200);
    expect(body.egressIps).toEqual([]);
    const items = body.items as Record<string, unknown>[];
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({
      accountId: aliceAccountId,
      maskedKey: 'e2eK…o5p6',
      exchange: 'binance',
    });
    expect(Object.keys(items[0] ?? {}).sort()).toEqual(
      ['accountId', 'autoTrade', 'createdAt', 'exchange', 'label', 'maskedKey', 'mode'].sort(),
    );
  });

  it("BOLA: Bob sees none of Alice's accounts and gets 404 deleting hers", async () => {
    const list = await call('GET', '/api/exchange-accounts', undefined, tokens.bob);
    expect(list.status).toBe(200);
    expect(list.body.items).toEqual([]);
    const del = await call('DELETE', `/api/exchange-accounts/${aliceAccountId}`, undefined, tokens.bob);
    expect(del.status).toBe(404);
    expect(del.body.code).toBe('EXCHANGE_ACCOUNT.NOT_FOUND');
    const stillThere = await call('GET', '/api/exchange-accounts', undefined, tokens.alice);
    expect((stillThere.body.items as unknown[]).length).toBe(1);
  });

  it('refuses bad input with 400 and a missing token with 401', async () => {
    expect((await addAccount('alice', { exchange: 'ftx' })).status).toBe(400);
    expect((await addAccount('alice', { withdraw: true })).status).toBe(400);
    expect((await addAccount('alice', { label: '' })).status).toBe(400);
    expect((await addAccount('alice', { apiKey: 'short' })).status).toBe(400);
    expect((await call('DELETE', '/api/exchange-accounts/bad%20id!', undefined, tokens.alice)).status).toBe(
      400,
    );
    expect((await call('GET', '/api/exchange-accounts')).status).toBe(401);
    expect((await call('POST', '/api/exchange-accounts', { exchange: 'binance' })).status).toBe(401);
    expect((await call('DELETE', `/api/exchange-accounts/${aliceAccountId}`)).status).toBe(401);
  });

  it('deletes the account; a second delete is 404 and the list is empty', async () => {
    const del = await call('DELETE', `/api/exchange-accounts/${aliceAccountId}`, undefined, tokens.alice);
    expect(del.status).toBe(200);
    expect(del.body).toEqual({ accountId: aliceAccountId, removed: true });
    expect(
      (await call('DELETE', `/api/exchange-accounts/${aliceAccountId}`, undefined, tokens.alice)).status,
    ).toBe(404);
    const list = await call('GET', '/api/exchange-accounts', undefined, tokens.alice);
    expect(list.body.items).toEqual([]);
  });

  it('limits adds per user: the 11th attempt in an hour is 429 with Retry-After', async () => {
    // Carol has made one attempt already; wrong secrets keep her from storing accounts meanwhile.
    const statuses: number[] = [];
    for (let i = 0; i < 10; i++) statuses.push((await addAccount('carol', { secret: WRONG_SECRET })).status);
    expect(statuses.slice(0, 9)).toEqual(Array(9).fill(422));
    expect(statuses[9]).toBe(429);
    const last = await addAccount('carol', { secret: WRONG_SECRET });
    expect(last.status).toBe(429);
    expect(Number(last.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('never shows the API key or the secret in a response body or a log line', () => {
    // The handlers' own structured logs are among what is scanned.
    const logText = logged.join('');
    expect(logText).toContain('exchange account added');
    expect(logText).toContain('exchange key refused');
    const everything = [...bodies, ...logged].join('\n');
    for (const secret of [binance.apiKey, binance.secret, WRONG_SECRET]) {
      expect(everything).not.toContain(secret);
    }
  });
});
