import { describe, expect, it } from 'vitest';
import { type CcxtExchange, ccxtClasses, ccxtErrors } from '../../../../shared/adapters/exchanges/ccxt.js';
import { decimal, stepOf } from '../../../../shared/adapters/exchanges/ccxt-mapping.js';
import {
  classifyFailure,
  describeFailure,
  kindOf,
} from '../../../../shared/adapters/exchanges/error-mapping.js';
import { MarketCache } from '../../../../shared/adapters/exchanges/market-cache.js';
import {
  backoffDelayMs,
  DEFAULT_RETRY_POLICY,
  retryAfterMs,
} from '../../../../shared/adapters/exchanges/retry-policy.js';
import { overrideBaseUrl } from '../../../../shared/adapters/exchanges/url-override.js';

describe('retry policy', () => {
  it('backs off exponentially within [cap/2, cap] and never beyond the maximum', () => {
    const policy = { ...DEFAULT_RETRY_POLICY, baseDelayMs: 100, maxDelayMs: 1_000 };
    expect(backoffDelayMs(policy, 1, () => 0)).toBe(50);
    expect(backoffDelayMs(policy, 1, () => 1)).toBe(100);
    expect(backoffDelayMs(policy, 3, () => 0.5)).toBe(300);
    expect(backoffDelayMs(policy, 10, () => 1)).toBe(1_000);
  });

  it('reads Retry-After in seconds or as an HTTP date, whatever the header case', () => {
    expect(retryAfterMs({ 'Retry-After': '2' }, 0)).toBe(2_000);
    expect(retryAfterMs({ 'retry-after': '0.5' }, 0)).toBe(500);
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(retryAfterMs({ 'Retry-After': 'Thu, 01 Jan 2026 00:00:03 GMT' }, now)).toBe(3_000);
    expect(retryAfterMs({ 'Content-Type': 'application/json' }, 0)).toBeUndefined();
    expect(retryAfterMs(undefined, 0)).toBeUndefined();
  });
});

describe('error mapping', () => {
  it.each([
    [new ccxtErrors.OrderNotFound('x'), 'not-found'],
    [new ccxtErrors.DuplicateOrderId('x'), 'duplicate-client-id'],
    [new ccxtErrors.InsufficientFunds('x'), 'insufficient-funds'],
    [new ccxtErrors.InvalidNonce('x'), 'timestamp'],
    [new ccxtErrors.AuthenticationError('x'), 'auth'],
    [new ccxtErrors.PermissionDenied('x'), 'permission'],
    [new ccxtErrors.DDoSProtection('x'), 'rate-limited'],
    [new ccxtErrors.RateLimitExceeded('x'), 'rate-limited'],
    [new ccxtErrors.RequestTimeout('x'), 'network-timeout'],
    [new ccxtErrors.ExchangeNotAvailable('x'), 'exchange-unavailable'],
    [new ccxtErrors.NetworkError('x'), 'network-timeout'],
    [new ccxtErrors.InvalidOrder('x'), 'invalid-order'],
    [new Error('something else'), 'unknown'],
  ] as const)('maps %s to %s (subclasses before their parents)', (error, expected) => {
    expect(classifyFailure(error, undefined)).toBe(expected);
  });

  it("lets the exchange's own reading win over ccxt's class", () => {
    expect(
      classifyFailure(new ccxtErrors.InvalidOrder('-2010 Duplicate order sent.'), 'duplicate-client-id'),
    ).toBe('duplicate-client-id');
  });

  it('reports the order-specific readings as taxonomy kinds', () => {
    expect(kindOf('status-unknown')).toBe('network-timeout');
    expect(kindOf('timestamp')).toBe('auth');
    expect(kindOf('insufficient-funds')).toBe('insufficient-funds');
  });
});

describe('mapping', () => {
  it('turns floats into decimal strings without float noise', () => {
    expect(decimal(0.1 + 0.2)).toBe('0.3');
    expect(decimal(1e-8)).toBe('0.00000001');
    expect(decimal(undefined)).toBe('0');
  });

  it('reads a precision as a step in either counting mode', () => {
    expect(stepOf(0.001, 4)).toBe('0.001');
    expect(stepOf(3, 2)).toBe('0.001');
  });
});

describe('base URL override', () => {
  it('replaces every API host, templates included, and keeps the paths', () => {
    const binance = new ccxtClasses.binance({});
    overrideBaseUrl(binance, 'http://127.0.0.1:4100');
    const api = binance.urls.api as Record<string, string>;
    expect(api.public).toBe('http://127.0.0.1:4100/api/v3');
    expect(api.fapiPrivate).toBe('http://127.0.0.1:4100/fapi/v1');
    expect(api.sapi).toBe('http://127.0.0.1:4100/sapi/v1');
    expect(JSON.stringify(api)).not.toMatch(/binance\.com/);

    const bybit = new ccxtClasses.bybit({});
    overrideBaseUrl(bybit, 'http://127.0.0.1:4200/');
    expect(JSON.stringify(bybit.urls.api)).not.toMatch(/hostname|bybit\.com/);
  });
});

describe('market cache', () => {
  function fakeClient() {
    let loads = 0;
    const client = {
      markets: undefined as unknown,
      async loadMarkets() {
        loads += 1;
        return { 'BTC/USDT': { symbol: 'BTC/USDT', load: loads } };
      },
      setMarkets(markets: unknown) {
        client.markets = markets;
      },
    };
    return { client, loads: () => loads };
  }

  it('loads once per key within the TTL, across clients and concurrent callers, and again after it', async () => {
    let now = 0;
    const cache = new MarketCache(1_000, () => now);
    const a = fakeClient();
    const b = fakeClient();
    await Promise.all([
      cache.attach('binance|live|', a.client as unknown as CcxtExchange),
      cache.attach('binance|live|', b.client as unknown as CcxtExchange),
    ]);
    expect(a.loads() + b.loads()).toBe(1);
    expect(b.client.markets).toEqual(a.client.markets);
    now = 1_500;
    await cache.attach('binance|live|', b.client as unknown as CcxtExchange);
    expect(a.loads() + b.loads()).toBe(2);
  });
});

describe('exchange-specific wait headers', () => {
  it("reads Bybit's reset timestamp and Phemex's per-group retry-after, taking the longest", () => {
    expect(retryAfterMs({ 'X-Bapi-Limit-Reset-Timestamp': '10500' }, 10_000)).toBe(500);
    expect(retryAfterMs({ 'x-ratelimit-retry-after-contract': '3' }, 0)).toBe(3_000);
    expect(retryAfterMs({ 'Retry-After': '1', 'X-Bapi-Limit-Reset-Timestamp': '4000' }, 0)).toBe(4_000);
  });
});

describe('describeFailure', () => {
  it('drops query strings (signatures, timestamps) and every credential named', () => {
    const error = new Error(
      'binance GET https://api.binance.com/api/v3/order?symbol=BTCUSDT&timestamp=1&signature=abcdef0123 503 key=MYKEY1234',
    );
    const text = describeFailure(error, ['MYKEY1234', 'SECRET999']);
    expect(text).toBe('binance GET https://api.binance.com/api/v3/order?… 503 key=[redacted]');
  });
});
