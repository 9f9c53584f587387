// POST /api/exchange-keys/check through the local stack, with Binance's calls sent to the fake
// Binance: a trading-only key is accepted, a withdrawal-enabled one refused with the reason, a wrong
// secret is the exchange refusing the key, an unreachable exchange a 503, bad input a 400; and the
// key and secret appear in no response and no log line.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalStack, startLocalStack } from '../../local/stack.js';
import { type BinanceFake, startBinanceFake } from '../support/fake-exchanges/binance-fake.js';

let stack: LocalStack;
let binance: BinanceFake;
let token: string;
const logged: string[] = [];
const originalWrites = {
  out: process.stdout.write.bind(process.stdout),
  err: process.stderr.write.bind(process.stderr),
};
const bodies: string[] = [];

beforeAll(async () => {
  binance = await startBinanceFake();
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
    // Phemex points at a closed port: an exchange that cannot be reached.
    exchangeBaseUrls: JSON.stringify({ binance: binance.baseUrl, phemex: 'http://127.0.0.1:9' }),
  });
  const login = await post('/api/dev/login', { email: 'alice@demo.verzek.local' });
  token = login.body.accessToken as string;
}, 90_000);

afterAll(async () => {
  await stack?.stop();
  await binance?.close();
  process.stdout.write = originalWrites.out;
  process.stderr.write = originalWrites.err;
});

async function post(path: string, body: unknown, bearer?: string) {
  const res = await fetch(`${stack.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(bearer ? { authorization: `Bearer ${bearer}` } : {}) },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  bodies.push(text);
  return { status: res.status, body: JSON.parse(text) as Record<string, unknown> };
}

const check = (body: Record<string, unknown>) => post('/api/exchange-keys/check', body, token);

describe('POST /api/exchange-keys/check', () => {
  it('accepts a trading-only, IP-bound key and reports what it may do', async () => {
    const { status, body } = await check({
      exchange: 'binance',
      mode: 'live',
      apiKey: binance.apiKey,
      secret: binance.secret,
    });
    expect(status).toBe(200);
    expect(body).toMatchObject({
      exchange: 'binance',
      mode: 'live',
      accepted: true,
      reasons: [],
      permissions: {
        canRead: true,
        canTrade: true,
        canWithdraw: false,
        canTransfer: false,
        ipRestricted: true,
      },
    });
  });

  it('refuses a key with withdrawal permission and says why', async () => {
    binance.setKeyPermissions({ enableWithdrawals: true });
    const { status, body } = await check({
      exchange: 'binance',
      mode: 'live',
      apiKey: binance.apiKey,
      secret: binance.secret,
    });
    binance.setKeyPermissions({ enableWithdrawals: false });
    expect(status).toBe(200);
    expect(body.accepted).toBe(false);
    expect(String(body.reasons)).toMatch(/withdrawal/);
  });

  it('answers 422 when the exchange refuses the key', async () => {
    const { status, body } = await check({
      exchange: 'binance',
      mode: 'live',
      apiKey: binance.apiKey,
      secret: 'wrong-secret-wrong-secret-wrong-secret',
    });
    expect(status).toBe(422);
    expect(body.code).toBe('EXCHANGE_KEY.REFUSED');
  });

  it('answers 503 when the exchange cannot be reached', async () => {
    const { status, body } = await check({
      exchange: 'phemex',
      mode: 'live',
      apiKey: 'phemex-key-0000',
      secret: 'phemex-secret-0000',
    });
    expect(status).toBe(503);
    expect(body.code).toBe('EXCHANGE.UNAVAILABLE');
  });

  it('refuses bad input with 400 and a missing token with 401', async () => {
    const unknownExchange = await check({
      exchange: 'ftx',
      mode: 'live',
      apiKey: 'k'.repeat(16),
      secret: 's'.repeat(16),
    });
    expect(unknownExchange.status).toBe(400);
    expect(unknownExchange.body.code).toBe('BODY.INVALID');
    const extraField = await check({
      exchange: 'binance',
      mode: 'live',
      apiKey: binance.apiKey,
      secret: binance.secret,
      withdraw: true,
    });
    expect(extraField.status).toBe(400);
    const anonymous = await post('/api/exchange-keys/check', { exchange: 'binance' });
    expect(anonymous.status).toBe(401);
  });

  it('never shows the key or the secret in a response or a log line', () => {
    const everything = [...bodies, ...logged].join('\n');
    expect(logged.join('').length).toBeGreaterThan(0);
    for (const secret of [
      binance.secret,
      binance.apiKey,
      'wrong-secret-wrong-secret-wrong-secret',
      'phemex-secret-0000',
    ]) {
      expect(everything).not.toContain(secret);
    }
  });
});
