// The Bybit gateway against the fake Bybit v5 unified account: signed requests, idempotent order
// placement through lost replies, 5xx, duplicates, rate limits and clock drift, the lookup that
// falls back to order history, leverage and margin mode, key intake, and demo vs live hosts.
import { createHmac } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { bybitProfile } from '../../../shared/adapters/exchanges/bybit-profile.js';
import { ccxtErrors } from '../../../shared/adapters/exchanges/ccxt.js';
import { assessKeyPermissions } from '../../../shared/app/key-check.js';
import type { ExchangeGateway } from '../../../shared/ports/exchange-gateway.js';
import { type FakeGatewayOptions, failureOf, fakeGateway } from '../../support/exchange-test-kit.js';
import { type BybitFake, startBybitFake, TRADE_ONLY_KEY } from '../../support/fake-exchanges/bybit-fake.js';
import type { FakeRequest } from '../../support/fake-exchanges/fake-server.js';

const SPOT = 'BTC/USDT';
const PERP = 'BTC/USDT:USDT';
const CREATE = '/v5/order/create';

let fake: BybitFake;
let sequence = 0;
const clientId = (step: string) => `bb-${Date.now().toString(36)}-${++sequence}-${step}`;

beforeEach(async () => {
  fake = await startBybitFake();
});
afterEach(async () => {
  await fake.close();
});

const gatewayFor = (options: FakeGatewayOptions = {}): ExchangeGateway => fakeGateway('bybit', fake, options);

/** Bybit's v5 signature, computed here independently of the fake's own check. */
function expectedSignature(request: FakeRequest, secret: string): string {
  const h = request.headers;
  const payload = request.method === 'GET' ? request.rawQuery : request.body;
  return createHmac('sha256', secret)
    .update(`${h['x-bapi-timestamp']}${h['x-bapi-api-key']}${h['x-bapi-recv-window']}${payload}`)
    .digest('hex');
}

const ordersWith = (id: string) => fake.ledger.orders.filter((o) => o.clientOrderId === id);

describe('Bybit gateway on the fake Bybit v5', () => {
  it('places, finds and cancels spot and perpetual orders with correctly signed requests', async () => {
    const gateway = gatewayFor();
    for (const symbol of [SPOT, PERP]) {
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
        status: 'open',
        amount: '0.01',
        price: '50000',
      });
      expect((await gateway.fetchOrder(symbol, { orderId: placed.orderId }))?.clientOrderId).toBe(id);
      const cancelled = await gateway.cancelOrder(symbol, { clientOrderId: id });
      expect(cancelled?.status).toBe('cancelled');
    }
    const creates = fake.server.requestsTo('POST', CREATE);
    expect(creates.map((r) => JSON.parse(r.body).category)).toEqual(['spot', 'linear']);
    expect(JSON.parse(creates[0]?.body ?? '{}')).toMatchObject({
      symbol: 'BTCUSDT',
      orderType: 'Limit',
      qty: '0.01',
    });
    expect(fake.server.requestsTo('POST', '/v5/order/cancel')).toHaveLength(2);
    const signed = fake.server.requests.filter((r) =>
      /^\/v5\/(order|account|position|execution|user)\//.test(r.path),
    );
    expect(signed.length).toBeGreaterThan(6);
    for (const request of signed) {
      expect(request.headers['x-bapi-recv-window']).toBe('5000');
      expect(request.headers['x-bapi-sign']).toBe(expectedSignature(request, fake.secret));
    }
  });

  it('fills a spot market buy in base units, with the fee taken in the coin bought', async () => {
    const gateway = gatewayFor();
    const id = clientId('mkt');
    const order = await gateway.createOrder({
      symbol: SPOT,
      side: 'buy',
      type: 'market',
      clientOrderId: id,
      amount: '0.01',
    });
    expect(order).toMatchObject({ status: 'filled', amount: '0.01', filled: '0.01' });
    expect(JSON.parse(fake.server.requestsTo('POST', CREATE)[0]?.body ?? '{}')).toMatchObject({
      marketUnit: 'baseCoin',
    });
    const fills = await gateway.fetchFillsSince(SPOT, Date.now() - 60_000);
    expect(fills).toHaveLength(1);
    expect(fills[0]).toMatchObject({ clientOrderId: id, amount: '0.01', fee: '0.00001', feeCurrency: 'BTC' });
    const btc = (await gateway.fetchBalances()).find((b) => b.currency === 'BTC');
    expect(btc?.free).toBe('0.00999');
  });

  it('refuses a wrong secret as an auth error and sends no order', async () => {
    const gateway = gatewayFor({ secret: 'not-the-secret' });
    expect((await failureOf(gateway.fetchBalances())).kind).toBe('auth');
    const error = await failureOf(
      gateway.createOrder({
        symbol: SPOT,
        side: 'buy',
        type: 'market',
        clientOrderId: clientId('bad'),
        amount: '0.01',
      }),
    );
    expect(error.kind).toBe('auth');
    expect(error.message).toContain('10004');
    expect(fake.server.requestsTo('POST', CREATE)).toHaveLength(0);
    expect(fake.server.requestsTo('GET', '/v5/account/wallet-balance')).toHaveLength(1);
  });

  it('places exactly one order when the reply to an accepted create is lost', async () => {
    const gateway = gatewayFor();
    fake.server.inject({ fault: { kind: 'lose-reply' }, method: 'POST', path: CREATE });
    const id = clientId('lost');
    const order = await gateway.createOrder({
      symbol: PERP,
      side: 'buy',
      type: 'market',
      clientOrderId: id,
      amount: '0.01',
    });
    expect(order).toMatchObject({ clientOrderId: id, status: 'filled' });
    expect(fake.server.requestsTo('POST', CREATE)).toHaveLength(1);
    expect(ordersWith(id)).toHaveLength(1);
    expect(fake.ledger.orders).toHaveLength(1);
  });

  it('treats a 5xx on create as status unknown: looks the order up, never resends in that call; the redelivery places it once', async () => {
    const gateway = gatewayFor();
    fake.server.inject({ fault: { kind: 'server-error', status: 502 }, method: 'POST', path: CREATE });
    const id = clientId('5xx');
    const request = { symbol: SPOT, side: 'buy', type: 'market', clientOrderId: id, amount: '0.01' } as const;
    const refused = await gateway.createOrder(request).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(refused).toMatchObject({ kind: 'network-timeout', message: expect.stringMatching(/not resent/) });
    expect(fake.server.requestsTo('POST', CREATE)).toHaveLength(1);
    const order = await gateway.createOrder(request);
    expect(order.status).toBe('filled');
    const [first, second] = fake.server.requestsTo('POST', CREATE);
    const lookupBetween = fake.server
      .requestsTo('GET', '/v5/order/realtime')
      .some(
        (r) =>
          r.query.get('orderLinkId') === id &&
          first &&
          second &&
          r.receivedAt >= first.receivedAt &&
          r.receivedAt <= second.receivedAt,
      );
    expect(lookupBetween).toBe(true);
    expect(fake.server.requestsTo('POST', CREATE)).toHaveLength(2);
    expect(ordersWith(id)).toHaveLength(1);
  });

  it('retries a 429 only after its Retry-After', async () => {
    const gateway = gatewayFor({
      runtime: { sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)) },
    });
    await gateway.loadMarkets();
    fake.server.inject({ fault: { kind: 'rate-limit', retryAfterSeconds: 1 }, method: 'POST', path: CREATE });
    const id = clientId('429');
    await gateway.createOrder({
      symbol: PERP,
      side: 'buy',
      type: 'market',
      clientOrderId: id,
      amount: '0.01',
    });
    const [limited, retried] = fake.server.requestsTo('POST', CREATE);
    expect(retried).toBeDefined();
    expect((retried?.receivedAt ?? 0) - (limited?.receivedAt ?? 0)).toBeGreaterThanOrEqual(1000);
    expect(ordersWith(id)).toHaveLength(1);
  });

  it('does not retry an order the balance cannot pay for', async () => {
    const gateway = gatewayFor();
    const error = await failureOf(
      gateway.createOrder({
        symbol: PERP,
        side: 'buy',
        type: 'limit',
        clientOrderId: clientId('poor'),
        amount: '100',
        price: '50000',
      }),
    );
    expect(error.kind).toBe('insufficient-funds');
    expect(error.message).toContain('110007');
    expect(fake.server.requestsTo('POST', CREATE)).toHaveLength(1);
    expect(fake.ledger.orders).toHaveLength(0);
  });

  it('resyncs its clock with /v5/market/time after a timestamp error, then succeeds', async () => {
    const gateway = gatewayFor();
    await gateway.loadMarkets();
    // Bybit's clock runs 20 s ahead: every signed request is outside the 5 s receive window.
    fake.setClockSkew(20_000);
    const id = clientId('clk');
    const order = await gateway.createOrder({
      symbol: SPOT,
      side: 'buy',
      type: 'market',
      clientOrderId: id,
      amount: '0.01',
    });
    expect(order.status).toBe('filled');
    expect(fake.server.requestsTo('GET', '/v5/market/time').length).toBeGreaterThanOrEqual(1);
    expect(ordersWith(id)).toHaveLength(1);
  });

  it('resyncs after a timestamp refusal of the create itself and places the order once', async () => {
    const gateway = gatewayFor();
    fake.server.inject({ fault: { kind: 'timestamp' }, method: 'POST', path: CREATE });
    const id = clientId('ts');
    const order = await gateway.createOrder({
      symbol: PERP,
      side: 'buy',
      type: 'market',
      clientOrderId: id,
      amount: '0.01',
    });
    expect(order.status).toBe('filled');
    const [refused] = fake.server.requestsTo('POST', CREATE);
    const synced = fake.server
      .requestsTo('GET', '/v5/market/time')
      .filter((r) => r.receivedAt >= (refused?.receivedAt ?? 0));
    expect(synced).toHaveLength(1);
    expect(fake.server.requestsTo('POST', CREATE)).toHaveLength(2);
    expect(ordersWith(id)).toHaveLength(1);
  });

  it('takes a duplicate orderLinkId reply (110072) as already placed', async () => {
    const gateway = gatewayFor();
    await gateway.loadMarkets();
    const id = clientId('dup');
    // Another worker places the same order between this one's lookup and its create.
    fake.server.inject({ fault: { kind: 'latency', ms: 300 }, method: 'POST', path: CREATE });
    const creating = gateway.createOrder({
      symbol: PERP,
      side: 'buy',
      type: 'market',
      clientOrderId: id,
      amount: '0.01',
    });
    while (fake.server.requestsTo('POST', CREATE).length === 0) await new Promise((r) => setTimeout(r, 5));
    const other = fake.ledger.place({
      symbol: 'linear:BTCUSDT',
      side: 'buy',
      type: 'market',
      amount: '0.01',
      clientOrderId: id,
    });
    const order = await creating;
    expect(other.ok && order.orderId === other.order.orderId).toBe(true);
    expect(ordersWith(id)).toHaveLength(1);
  });

  it('finds an order through /v5/order/history once realtime has forgotten it, and never resends it', async () => {
    const gateway = gatewayFor();
    const id = clientId('hist');
    const placed = await gateway.createOrder({
      symbol: SPOT,
      side: 'buy',
      type: 'market',
      clientOrderId: id,
      amount: '0.01',
    });
    fake.forgetRecentClosedOrders();
    const found = await gateway.fetchOrderByClientId(SPOT, id);
    expect(found).toMatchObject({ orderId: placed.orderId, status: 'filled', filled: '0.01' });
    expect(
      fake.server.requestsTo('GET', '/v5/order/history').some((r) => r.query.get('orderLinkId') === id),
    ).toBe(true);
    const again = await gateway.createOrder({
      symbol: SPOT,
      side: 'buy',
      type: 'market',
      clientOrderId: id,
      amount: '0.01',
    });
    expect(again.orderId).toBe(placed.orderId);
    expect(fake.server.requestsTo('POST', CREATE)).toHaveLength(1);
  });

  it('says null for an unknown order and for cancelling one', async () => {
    const gateway = gatewayFor();
    expect(await gateway.fetchOrder(PERP, { orderId: '999999' })).toBeNull();
    expect(await gateway.cancelOrder(PERP, { clientOrderId: clientId('none') })).toBeNull();
  });

  it('switches the account margin mode only when it differs and takes "leverage not modified" as done', async () => {
    const gateway = gatewayFor();
    await gateway.setLeverage(PERP, 5, 'isolated');
    await gateway.setLeverage(PERP, 5, 'isolated');
    expect(fake.marginMode()).toBe('ISOLATED_MARGIN');
    expect(fake.ledger.leverage.get('linear:BTCUSDT')).toEqual({ leverage: 5, marginMode: 'isolated' });
    expect(fake.server.requestsTo('POST', '/v5/account/set-margin-mode')).toHaveLength(1);
    expect(fake.server.requestsTo('POST', '/v5/position/set-leverage')).toHaveLength(2);
    await gateway.setLeverage(PERP, 5, 'cross');
    expect(fake.marginMode()).toBe('REGULAR_MARGIN');
  });

  describe('key intake', () => {
    it('accepts a trade-only key bound to an IP', async () => {
      const permissions = await gatewayFor().keyPermissions();
      expect(permissions).toEqual({
        canRead: true,
        canTrade: true,
        canWithdraw: false,
        canTransfer: false,
        ipRestricted: true,
        ips: TRADE_ONLY_KEY.ips,
      });
      expect(assessKeyPermissions('bybit', permissions).accepted).toBe(true);
    });

    it('refuses a key with withdrawal permission', async () => {
      fake.setKeyPermissions({
        permissions: { ...TRADE_ONLY_KEY.permissions, Wallet: ['AccountTransfer', 'Withdraw'] },
      });
      const permissions = await gatewayFor().keyPermissions();
      expect(permissions).toMatchObject({ canWithdraw: true, canTransfer: true });
      const assessment = assessKeyPermissions('bybit', permissions);
      expect(assessment.accepted).toBe(false);
      expect(assessment.reasons.join(' ')).toContain('withdrawal');
    });

    it('refuses a key open to every IP, and a read-only key', async () => {
      for (const ips of [[], ['*']]) {
        fake.setKeyPermissions({ ips });
        const permissions = await gatewayFor().keyPermissions();
        expect(permissions.ipRestricted).toBe(false);
        expect(assessKeyPermissions('bybit', permissions).accepted).toBe(false);
      }
      fake.setKeyPermissions({ ips: ['203.0.113.7'], readOnly: 1 });
      const readOnly = await gatewayFor().keyPermissions();
      expect(readOnly.canTrade).toBe(false);
      expect(assessKeyPermissions('bybit', readOnly).accepted).toBe(false);
    });
  });
});

describe('Bybit clients by account mode', () => {
  const options = { apiKey: 'k', secret: 's', timeout: 1000, enableRateLimit: true };
  const urlOf = (mode: 'live' | 'demo', api: 'public' | 'private') =>
    String(bybitProfile.createClient(mode, options).sign('v5/order/realtime', api, 'GET', {}).url);

  it('sends demo accounts to api-demo.bybit.com and live ones to api.bybit.com', () => {
    expect(urlOf('demo', 'private')).toMatch(/^https:\/\/api-demo\.bybit\.com\/v5\/order\/realtime/);
    expect(urlOf('demo', 'public')).toMatch(/^https:\/\/api-demo\.bybit\.com\//);
    expect(urlOf('live', 'private')).toMatch(/^https:\/\/api\.bybit\.com\/v5\/order\/realtime/);
  });

  it('reads the Bybit codes ccxt does not tell apart: duplicate, timestamp, status unknown', () => {
    const reply = (code: number, msg: string) => `bybit {"retCode":${code},"retMsg":"${msg}","result":{}}`;
    const classify = (error: unknown) => bybitProfile.classify(error);
    expect(classify(new ccxtErrors.InvalidOrder(reply(110072, 'OrderLinkedID is duplicate')))).toBe(
      'duplicate-client-id',
    );
    expect(classify(new ccxtErrors.InvalidNonce(reply(10002, 'invalid request')))).toBe('timestamp');
    expect(classify(new ccxtErrors.ExchangeError(reply(10016, 'Internal system error.')))).toBe(
      'status-unknown',
    );
    expect(
      classify(new ccxtErrors.InsufficientFunds(reply(110007, 'ab not enough for new order'))),
    ).toBeUndefined();
    expect(classify(new Error(reply(110072, 'not from ccxt')))).toBeUndefined();
  });

  it('loads only spot and linear markets, without the private coin list', () => {
    const client = bybitProfile.createClient('live', options);
    expect(client.has.fetchCurrencies).toBe(false);
    expect(client.options.fetchMarkets).toMatchObject({ types: ['spot', 'linear'] });
  });
});
