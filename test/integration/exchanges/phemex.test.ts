// The Phemex gateway against the fake Phemex: signed requests on spot and the USDT perpetuals,
// idempotent placement through lost replies, 5xx (status unknown), duplicates, rate limits and an
// expired request after clock drift; fills that name their order, leverage and margin mode, the
// user-attested key check, and testnet vs live hosts.
import { createHmac } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ccxtErrors } from '../../../shared/adapters/exchanges/ccxt.js';
import { EgressGate } from '../../../shared/adapters/exchanges/egress-gate.js';
import { createExchangeGateway } from '../../../shared/adapters/exchanges/gateway-factory.js';
import { MarketCache } from '../../../shared/adapters/exchanges/market-cache.js';
import { phemexProfile } from '../../../shared/adapters/exchanges/phemex-profile.js';
import { assessKeyPermissions } from '../../../shared/app/key-check.js';
import type { ExchangeGateway } from '../../../shared/ports/exchange-gateway.js';
import {
  type FakeGatewayOptions,
  failureOf,
  fakeAccount,
  fakeGateway,
} from '../../support/exchange-test-kit.js';
import type { FakeRequest } from '../../support/fake-exchanges/fake-server.js';
import { type PhemexFake, startPhemexFake } from '../../support/fake-exchanges/phemex-fake.js';

const SPOT = 'BTC/USDT';
const PERP = 'BTC/USDT:USDT';
const CREATE = { [SPOT]: '/spot/orders', [PERP]: '/g-orders' } as const;
const LOOKUPS = [
  '/spot/orders/active',
  '/api-data/spots/orders/by-order-id',
  '/api-data/g-futures/orders/by-order-id',
  '/g-orders/activeList',
];

let fake: PhemexFake;
let sequence = 0;
const clientId = (step: string) => `ph-${Date.now().toString(36)}-${++sequence}-${step}`;

beforeEach(async () => {
  fake = await startPhemexFake();
});
afterEach(async () => {
  await fake.close();
});

const gatewayFor = (options: FakeGatewayOptions = {}): ExchangeGateway =>
  fakeGateway('phemex', fake, options);

/** Phemex's signature, computed here independently of the fake's own check. */
function expectedSignature(request: FakeRequest, secret: string): string {
  const expiry = request.headers['x-phemex-request-expiry'] ?? '';
  return createHmac('sha256', secret)
    .update(`${request.path}${request.rawQuery}${expiry}${request.body}`)
    .digest('hex');
}

const ordersWith = (id: string) => fake.ledger.orders.filter((o) => o.clientOrderId === id);
const creates = (symbol: keyof typeof CREATE) => fake.server.requestsTo('POST', CREATE[symbol]);
const isLookup = (r: FakeRequest) => r.method === 'GET' && LOOKUPS.includes(r.path);

describe('Phemex gateway on the fake Phemex', () => {
  it('places, finds and cancels spot and perpetual orders with correctly signed requests', async () => {
    const gateway = gatewayFor();
    for (const symbol of [SPOT, PERP] as const) {
      const id = clientId('lim');
      const placed = await gateway.createOrder({
        symbol,
        side: 'buy',
        type: 'limit',
        clientOrderId: id,
        amount: '0.01',
        price: '50000',
      });
      expect(placed).toMatchObject({
        clientOrderId: id,
        symbol,
        type: 'limit',
        status: 'open',
        price: '50000',
      });
      expect(await gateway.fetchOrder(symbol, { orderId: placed.orderId })).toMatchObject({
        clientOrderId: id,
      });
      const cancelled = await gateway.cancelOrder(symbol, { clientOrderId: id });
      expect(cancelled?.status).toBe('cancelled');
      expect(ordersWith(id).map((o) => o.status)).toEqual(['cancelled']);
    }
    // Spot speaks scaled integers, the perpetuals real-number strings.
    const [spotBody] = creates(SPOT).map((r) => JSON.parse(r.body) as Record<string, unknown>);
    expect(spotBody).toMatchObject({
      symbol: 'sBTCUSDT',
      ordType: 'Limit',
      baseQtyEv: 1000000,
      priceEp: 5000000000000,
    });
    const [perpBody] = creates(PERP).map((r) => JSON.parse(r.body) as Record<string, unknown>);
    expect(perpBody).toMatchObject({
      symbol: 'BTCUSDT',
      posSide: 'Merged',
      orderQtyRq: '0.01',
      priceRp: '50000',
    });

    const signed = fake.server.requests.filter((r) => r.headers['x-phemex-access-token'] !== undefined);
    expect(signed.length).toBeGreaterThan(8);
    for (const request of signed) {
      expect(request.headers['x-phemex-access-token']).toBe(fake.apiKey);
      expect(request.headers['x-phemex-request-signature']).toBe(expectedSignature(request, fake.secret));
      // ccxt's expiry: now + 60 s.
      const expiry = Number(request.headers['x-phemex-request-expiry']) * 1000;
      expect(expiry - request.receivedAt).toBeGreaterThan(55_000);
      expect(expiry - request.receivedAt).toBeLessThanOrEqual(61_000);
    }
  });

  it("refuses a wrong secret as 'auth' and places nothing", async () => {
    const gateway = gatewayFor({ secret: 'not-the-secret' });
    expect((await failureOf(gateway.fetchBalances())).kind).toBe('auth');
    const error = await failureOf(
      gateway.createOrder({
        symbol: SPOT,
        side: 'buy',
        type: 'market',
        clientOrderId: clientId('bad'),
        amount: '0.001',
      }),
    );
    expect(error.kind).toBe('auth');
    expect(fake.ledger.orders).toHaveLength(0);
  });

  it('after a reply lost once the order was taken, finds it and leaves exactly one order', async () => {
    const gateway = gatewayFor();
    for (const symbol of [SPOT, PERP] as const) {
      fake.server.inject({ fault: { kind: 'lose-reply' }, method: 'POST', path: CREATE[symbol] });
      const id = clientId('lost');
      const order = await gateway.createOrder({
        symbol,
        side: 'buy',
        type: 'market',
        clientOrderId: id,
        amount: '0.01',
      });
      expect(order).toMatchObject({ clientOrderId: id, status: 'filled', filled: '0.01' });
      expect(ordersWith(id)).toHaveLength(1);
      expect(creates(symbol)).toHaveLength(1);
    }
  });

  it.each([
    ['with a standard Retry-After', true],
    ["with only Phemex's x-ratelimit-retry-after-SPOTORDER", false],
  ])('waits out a 429 %s for the delay it names before trying again', async (_, standardRetryAfter) => {
    await fake.close();
    fake = await startPhemexFake({ standardRetryAfter });
    const gateway = gatewayFor({
      runtime: { sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)) },
    });
    fake.server.inject({
      fault: { kind: 'rate-limit', retryAfterSeconds: 1 },
      method: 'POST',
      path: CREATE[SPOT],
    });
    const id = clientId('rl');
    await gateway.createOrder({
      symbol: SPOT,
      side: 'buy',
      type: 'market',
      clientOrderId: id,
      amount: '0.001',
    });
    const [limited, retried] = creates(SPOT);
    expect(limited && retried).toBeTruthy();
    // setTimeout may fire a millisecond early; the gateway's own backoff would be ~190 ms here.
    expect((retried?.receivedAt ?? 0) - (limited?.receivedAt ?? 0)).toBeGreaterThanOrEqual(995);
    expect(ordersWith(id)).toHaveLength(1);
  });

  it('does not retry an order the balance cannot pay for', async () => {
    const gateway = gatewayFor();
    for (const symbol of [SPOT, PERP] as const) {
      const error = await failureOf(
        gateway.createOrder({
          symbol,
          side: 'buy',
          type: 'limit',
          clientOrderId: clientId('poor'),
          amount: '500',
          price: '50000',
        }),
      );
      expect(error.kind).toBe('insufficient-funds');
      // 11106 TE_PLACE_ORDER_INSUFFICIENT_QUOTE_BALANCE on spot, 11001 on the perpetual.
      expect(error.message).toMatch(symbol === SPOT ? /11106/ : /11001/);
      expect(creates(symbol)).toHaveLength(1);
    }
    expect(fake.ledger.orders).toHaveLength(0);
  });

  it('resyncs its clock after an expired request, whichever way the clock drifted, then succeeds', async () => {
    for (const skew of [5 * 60_000, -5 * 60_000]) {
      fake.setClockSkew(skew);
      const gateway = gatewayFor();
      const before = fake.server.requestsTo('GET', '/public/time').length;
      const id = clientId('clk');
      const order = await gateway.createOrder({
        symbol: SPOT,
        side: 'buy',
        type: 'market',
        clientOrderId: id,
        amount: '0.001',
      });
      expect(order.status).toBe('filled');
      expect(fake.server.requestsTo('GET', '/public/time').length - before).toBe(1);
      expect(ordersWith(id)).toHaveLength(1);
      // Synced once, the client signs expiries the exchange accepts.
      expect((await gateway.fetchBalances()).length).toBeGreaterThan(0);
      expect(fake.server.requestsTo('GET', '/public/time').length - before).toBe(1);
    }
  });

  it("reads an 'expired' reply on the create itself as a clock problem: sync, then one order", async () => {
    const gateway = gatewayFor();
    fake.server.inject({ fault: { kind: 'timestamp' }, method: 'POST', path: CREATE[PERP] });
    const id = clientId('exp');
    await gateway.createOrder({
      symbol: PERP,
      side: 'buy',
      type: 'market',
      clientOrderId: id,
      amount: '0.01',
    });
    expect(fake.server.requestsTo('GET', '/public/time')).toHaveLength(1);
    expect(creates(PERP)).toHaveLength(2);
    expect(ordersWith(id)).toHaveLength(1);
  });

  it('treats a 5xx on create as status unknown: looks the order up, does not resend in that call; the next call places it once', async () => {
    const gateway = gatewayFor();
    for (const symbol of [SPOT, PERP] as const) {
      fake.server.inject({
        fault: { kind: 'server-error', status: 503 },
        method: 'POST',
        path: CREATE[symbol],
      });
      const id = clientId('5xx');
      const request = { symbol, side: 'buy', type: 'market', clientOrderId: id, amount: '0.01' } as const;
      const first = await gateway.createOrder(request).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(first).toMatchObject({ kind: 'network-timeout', message: expect.stringMatching(/not resent/) });
      const [failed] = creates(symbol);
      expect(creates(symbol)).toHaveLength(1);
      expect(fake.server.requests.some((r) => r.receivedAt >= (failed?.receivedAt ?? 0) && isLookup(r))).toBe(
        true,
      );
      // The redelivery: looks up first, finds nothing, places it once.
      const order = await gateway.createOrder(request);
      expect(order.status).toBe('filled');
      expect(ordersWith(id)).toHaveLength(1);
    }
    const unknown = new ccxtErrors.ExchangeNotAvailable(
      'phemex POST https://api.phemex.com/spot/orders 503 Service Temporarily Unavailable <html></html>',
    );
    expect(phemexProfile.classify(unknown)).toBe('status-unknown');
  });

  it('takes a duplicate clOrdID reply (11085) as already placed and returns that order', async () => {
    const gateway = gatewayFor();
    const id = clientId('dup');
    // An earlier attempt placed it; Phemex's order history has not caught up with it yet.
    const earlier = fake.ledger.place({
      symbol: 'sBTCUSDT',
      side: 'buy',
      type: 'market',
      amount: '0.001',
      clientOrderId: id,
    });
    expect(earlier.ok).toBe(true);
    fake.staleLookups(2);
    const order = await gateway.createOrder({
      symbol: SPOT,
      side: 'buy',
      type: 'market',
      clientOrderId: id,
      amount: '0.001',
    });
    expect(order).toMatchObject({
      orderId: earlier.ok ? earlier.order.orderId : '',
      clientOrderId: id,
      status: 'filled',
    });
    expect(creates(SPOT)).toHaveLength(1);
    expect(ordersWith(id)).toHaveLength(1);
  });

  it('reports perpetual fills with the order they belong to, from the history that names it', async () => {
    const gateway = gatewayFor();
    const since = Date.now() - 1_000;
    const id = clientId('fill');
    const order = await gateway.createOrder({
      symbol: PERP,
      side: 'sell',
      type: 'market',
      clientOrderId: id,
      amount: '0.02',
    });
    const fills = await gateway.fetchFillsSince(PERP, since);
    expect(fills).toEqual([
      expect.objectContaining({
        orderId: order.orderId,
        clientOrderId: id,
        side: 'sell',
        amount: '0.02',
        price: '60000',
      }),
    ]);
    // 0.06 % taker on 1200 USDT.
    expect(fills[0]).toMatchObject({ fee: '0.72', feeCurrency: 'USDT' });
    expect(fake.server.requestsTo('GET', '/api-data/g-futures/trades').length).toBeGreaterThan(0);
    expect(fake.server.requestsTo('GET', '/exchange/order/v2/tradingList')).toHaveLength(0);
  });

  it('knows the perpetuals’ minimum order value and fees, and refuses less without sending', async () => {
    const gateway = gatewayFor();
    const perp = (await gateway.loadMarkets()).find((m) => m.symbol === PERP);
    expect(perp).toMatchObject({
      amountStep: '0.001',
      priceStep: '0.1',
      minNotional: '1',
      takerFeeRate: '0.0006',
    });
    const error = await failureOf(
      gateway.createOrder({
        symbol: PERP,
        side: 'buy',
        type: 'limit',
        clientOrderId: clientId('tiny'),
        amount: '0.001',
        price: '500',
      }),
    );
    expect(error.kind).toBe('min-notional');
    expect(creates(PERP)).toHaveLength(0);
  });

  it('sets leverage and margin mode in one call: positive leverageRr isolated, negative cross', async () => {
    const gateway = gatewayFor();
    await gateway.setLeverage(PERP, 3, 'isolated');
    expect(fake.ledger.leverage.get('BTCUSDT')).toEqual({ leverage: 3, marginMode: 'isolated' });
    await gateway.setLeverage(PERP, 5, 'cross');
    expect(fake.ledger.leverage.get('BTCUSDT')).toEqual({ leverage: 5, marginMode: 'cross' });
    const puts = fake.server.requestsTo('PUT', '/g-positions/leverage').map((r) => r.query.get('leverageRr'));
    expect(puts).toEqual(['3', '-5']);
    expect((await failureOf(gateway.setLeverage(SPOT, 3, 'cross'))).kind).toBe('invalid-order');
  });

  it('accepts a working key as user-attested (Phemex reports no permissions) with a warning', async () => {
    const permissions = await gatewayFor().keyPermissions();
    expect(permissions).toEqual({
      canRead: true,
      canTrade: 'unknown',
      canWithdraw: 'unknown',
      canTransfer: 'unknown',
      ipRestricted: 'unknown',
      ips: [],
    });
    expect(fake.server.requestsTo('GET', '/spot/wallets')).toHaveLength(1);
    const assessment = assessKeyPermissions('phemex', permissions);
    expect(assessment.accepted).toBe(true);
    expect(assessment.reasons).toEqual([]);
    expect(assessment.warnings).toEqual([expect.stringMatching(/phemex does not report .*you confirm/)]);
    // The key check cannot see a read-only key: the first order finds out, as a permission error.
    fake.setKeyPermissions({ trade: false });
    const error = await failureOf(
      gatewayFor().createOrder({
        symbol: SPOT,
        side: 'buy',
        type: 'market',
        clientOrderId: clientId('ro'),
        amount: '0.001',
      }),
    );
    expect(error.kind).toBe('permission');
    expect(error.message).toMatch(/Insufficient privilege/);
    expect(fake.ledger.orders).toHaveLength(0);
  });

  it('refuses a key Phemex does not know as auth at key check', async () => {
    const gateway = createExchangeGateway(fakeAccount('phemex', fake, { apiKey: 'unknown-key' }), {
      timeoutMs: 1500,
      sleep: async () => {},
      marketCache: new MarketCache(),
      egressGate: new EgressGate(),
    });
    expect((await failureOf(gateway.keyPermissions())).kind).toBe('auth');
  });

  it('points a demo account at the testnet and a live one at api.phemex.com', async () => {
    const credentials = { apiKey: 'k', secret: 's', timeout: 1000, enableRateLimit: true };
    const demo = phemexProfile.createClient('demo', credentials);
    const live = phemexProfile.createClient('live', credentials);
    const api = (client: typeof demo, name: string) => {
      const url = (client.urls.api as Record<string, unknown>)[name];
      return client.implodeHostname(String(url));
    };
    expect(api(demo, 'private')).toBe('https://testnet-api.phemex.com');
    expect(api(demo, 'v1')).toBe('https://testnet-api.phemex.com/v1');
    expect(api(live, 'private')).toBe('https://api.phemex.com');
    expect(api(live, 'public')).toBe('https://api.phemex.com/exchange/public');
    // Same paths on both hosts: a demo gateway works against the fake once its host is overridden.
    expect((await gatewayFor({ mode: 'demo' }).fetchBalances()).map((b) => b.wallet)).toEqual([
      'spot',
      'swap',
    ]);
  });
});
