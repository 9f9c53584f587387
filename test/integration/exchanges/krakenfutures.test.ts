// Kraken Futures through the generic gateway and its profile, against the fake: signed requests,
// idempotent placement through lost replies, 429s, 5xxs, nonce complaints and duplicate client ids,
// reconciliation from fills once orders/status has forgotten an order, leverage as margin mode,
// the key check, and the demo environment's hosts.
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { GatewayRuntime } from '../../../shared/adapters/exchanges/ccxt-gateway.js';
import { createExchangeGateway } from '../../../shared/adapters/exchanges/gateway-factory.js';
import { krakenFuturesProfile } from '../../../shared/adapters/exchanges/krakenfutures-profile.js';
import { MarketCache } from '../../../shared/adapters/exchanges/market-cache.js';
import { assessKeyPermissions } from '../../../shared/app/key-check.js';
import { ExchangeError, type ExchangeGateway } from '../../../shared/ports/exchange-gateway.js';
import { fakeAccount, fakeGateway } from '../../support/exchange-test-kit.js';
import {
  type KrakenFuturesFake,
  type KrakenFuturesFakeOptions,
  krakenAuthent,
  startKrakenFuturesFake,
} from '../../support/fake-exchanges/krakenfutures-fake.js';

const BTC = 'BTC/USD:USD';
const SEND = '/derivatives/api/v3/sendorder';
const STATUS = '/derivatives/api/v3/orders/status';
const FILLS = '/derivatives/api/v3/fills';

let fakes: KrakenFuturesFake[] = [];
let sequence = 0;
const clientId = (step: string) => `kf-${Date.now().toString(36)}-${++sequence}-${step}`;

async function fake(options: KrakenFuturesFakeOptions = {}): Promise<KrakenFuturesFake> {
  const started = await startKrakenFuturesFake(options);
  fakes.push(started);
  return started;
}

/** Retries sleep for nothing unless a test needs real waiting (Retry-After). */
const gatewayFor = (f: KrakenFuturesFake, runtime: GatewayRuntime = {}, secret = f.secret): ExchangeGateway =>
  fakeGateway('krakenfutures', f, { runtime, secret });

const marketBuy = (id: string, amount = '0.01') =>
  ({ symbol: BTC, side: 'buy', type: 'market', clientOrderId: id, amount }) as const;

afterEach(async () => {
  vi.restoreAllMocks();
  await Promise.all(fakes.map((f) => f.close()));
  fakes = [];
});

describe('Kraken Futures gateway: orders and signatures', () => {
  it('places, reads and cancels a perpetual order with requests signed the Kraken way', async () => {
    const f = await fake();
    const gateway = gatewayFor(f);
    const id = clientId('lim');
    const placed = await gateway.createOrder({
      symbol: BTC,
      side: 'buy',
      type: 'limit',
      clientOrderId: id,
      amount: '0.05',
      price: '50000',
    });
    expect(placed).toMatchObject({ clientOrderId: id, status: 'open', amount: '0.05', price: '50000' });

    // The fake recomputes Authent itself: SHA-256 of postData + nonce + path after /derivatives,
    // HMAC-SHA512 with the base64-decoded secret. ccxt sends no Nonce and puts the params in the query.
    const send = f.server.requestsTo('POST', SEND)[0];
    expect(send?.headers.apikey).toBe(f.apiKey);
    expect(send?.headers.nonce).toBeUndefined();
    expect(send?.rawQuery).toContain(`cliOrdId=${id}`);
    expect(send?.headers.authent).toBe(
      krakenAuthent(f.secret, send?.rawQuery ?? '', '', '/api/v3/sendorder'),
    );

    expect(await gateway.fetchOrder(BTC, { orderId: placed.orderId })).toMatchObject({
      clientOrderId: id,
      status: 'open',
      type: 'limit',
      price: '50000',
    });
    expect((await gateway.fetchOpenOrders(BTC)).map((o) => o.orderId)).toEqual([placed.orderId]);
    const cancelled = await gateway.cancelOrder(BTC, { orderId: placed.orderId });
    expect(cancelled?.status).toBe('cancelled');
    expect(f.ledger.byOrderId(placed.orderId)?.status).toBe('cancelled');
  });

  it('fills a market order and reports its price, fee and client id from the fills', async () => {
    const f = await fake();
    const gateway = gatewayFor(f);
    const id = clientId('mkt');
    const since = Date.now() - 1000;
    const order = await gateway.createOrder(marketBuy(id));
    expect(order).toMatchObject({ status: 'filled', filled: '0.01', price: '60000' });
    expect(order.trades).toHaveLength(1);
    expect(order.trades[0]).toMatchObject({ price: '60000', amount: '0.01', feeCurrency: 'USD' });
    const fills = await gateway.fetchFillsSince(BTC, since);
    expect(fills).toEqual([
      expect.objectContaining({ orderId: order.orderId, clientOrderId: id, side: 'buy' }),
    ]);
  });

  it("spends Kraken's cost budget: the call after an order (10 units of 500 per 10 s) waits 200 ms", async () => {
    const f = await fake();
    await gatewayFor(f).createOrder(marketBuy(clientId('pace')));
    const sendIndex = f.server.requests.findIndex((r) => r.path === SEND);
    const [send, next] = [f.server.requests[sendIndex], f.server.requests[sendIndex + 1]];
    expect(next).toBeDefined();
    expect((next?.receivedAt ?? 0) - (send?.receivedAt ?? 0)).toBeGreaterThanOrEqual(190);
  });

  it("the fake holds a sent Nonce to Kraken's rule: it must grow", async () => {
    const f = await fake();
    const path = '/api/v3/accounts';
    const call = (nonce: string) =>
      fetch(`${f.baseUrl}/derivatives${path}`, {
        headers: { APIKey: f.apiKey, Nonce: nonce, Authent: krakenAuthent(f.secret, '', nonce, path) },
      }).then((r) => r.json() as Promise<{ result: string; error?: string }>);
    expect((await call('1700000000002')).result).toBe('success');
    expect(await call('1700000000001')).toMatchObject({ result: 'error', error: 'nonceBelowThreshold' });
    expect(await call('1700000000002')).toMatchObject({ result: 'error', error: 'nonceDuplicate' });
  });

  it('refuses a wrong secret as an auth error before any order is sent', async () => {
    const f = await fake();
    const gateway = gatewayFor(f, {}, Buffer.from('not the secret').toString('base64'));
    const error = await gateway.createOrder(marketBuy(clientId('bad'))).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ExchangeError);
    expect((error as ExchangeError).kind).toBe('auth');
    expect(f.server.requestsTo('POST', SEND)).toHaveLength(0);
    expect(f.ledger.orders).toHaveLength(0);
  });

  it('lists only the linear perpetuals, with Kraken steps, and the USD flex balance', async () => {
    const f = await fake();
    const gateway = gatewayFor(f);
    const markets = await gateway.loadMarkets();
    expect(markets.map((m) => m.symbol).sort()).toEqual(['BTC/USD:USD', 'ETH/USD:USD']);
    expect(markets.find((m) => m.symbol === BTC)).toMatchObject({
      amountStep: '0.0001',
      priceStep: '1',
      quote: 'USD',
    });
    expect(await gateway.fetchBalances()).toContainEqual({
      wallet: 'swap',
      currency: 'USD',
      free: '100000',
      used: '0',
    });
    const bars = await gateway.fetchOhlcv(BTC, '1h', undefined, 3);
    expect(bars.length).toBeGreaterThan(0);
    expect(bars.at(-1)?.close).toBe('60000');
  });
});

describe('Kraken Futures gateway: failures around placing an order', () => {
  it('places exactly one order when the reply to an accepted order is lost', async () => {
    const f = await fake();
    const gateway = gatewayFor(f);
    f.server.inject({ fault: { kind: 'lose-reply' }, method: 'POST', path: SEND });
    const id = clientId('lost');
    const order = await gateway.createOrder(marketBuy(id));
    expect(order).toMatchObject({ clientOrderId: id, status: 'filled' });
    expect(f.ledger.orders.filter((o) => o.clientOrderId === id)).toHaveLength(1);
    expect(f.server.requestsTo('POST', SEND)).toHaveLength(1);
  });

  it('waits out a 429 Retry-After before sending again', async () => {
    const f = await fake();
    const gateway = gatewayFor(f, { sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)) });
    f.server.inject({ fault: { kind: 'rate-limit', retryAfterSeconds: 1 }, method: 'POST', path: SEND });
    await gateway.createOrder(marketBuy(clientId('429')));
    const [limited, retried] = f.server.requestsTo('POST', SEND);
    expect(retried).toBeDefined();
    expect((retried?.receivedAt ?? 0) - (limited?.receivedAt ?? 0)).toBeGreaterThanOrEqual(1000);
    expect(f.ledger.orders).toHaveLength(1);
  });

  it('does not retry insufficient funds', async () => {
    const f = await fake();
    const gateway = gatewayFor(f);
    f.server.inject({ fault: { kind: 'insufficient-balance' }, method: 'POST', path: SEND });
    const error = await gateway.createOrder(marketBuy(clientId('poor'))).catch((e: unknown) => e);
    expect((error as ExchangeError).kind).toBe('insufficient-funds');
    expect(f.server.requestsTo('POST', SEND)).toHaveLength(1);
    expect(f.ledger.orders).toHaveLength(0);
  });

  it('refuses an order the flex account cannot margin as insufficient funds, sent once', async () => {
    const f = await fake({ usd: '100' });
    const gateway = gatewayFor(f);
    const error = await gateway.createOrder(marketBuy(clientId('big'), '1')).catch((e: unknown) => e);
    expect((error as ExchangeError).kind).toBe('insufficient-funds');
    expect(f.server.requestsTo('POST', SEND)).toHaveLength(1);
  });

  it('resyncs after a nonce complaint and then succeeds', async () => {
    const f = await fake();
    const gateway = gatewayFor(f);
    const sync = vi.spyOn(krakenFuturesProfile, 'syncClock');
    f.server.inject({ fault: { kind: 'timestamp' }, method: 'POST', path: SEND });
    const order = await gateway.createOrder(marketBuy(clientId('nonce')));
    expect(order.status).toBe('filled');
    expect(sync).toHaveBeenCalledTimes(1);
    expect(f.server.requestsTo('POST', SEND)).toHaveLength(2);
    expect(f.ledger.orders).toHaveLength(1);
  });

  it('treats a 500 on sendorder as status unknown: looks it up, does not resend, and the next call places it once', async () => {
    const f = await fake();
    const gateway = gatewayFor(f);
    f.server.inject({ fault: { kind: 'server-error', status: 500 }, method: 'POST', path: SEND });
    const id = clientId('5xx');
    const error = await gateway.createOrder(marketBuy(id)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ExchangeError);
    expect(error).toMatchObject({ kind: 'network-timeout', retryable: true });
    expect((error as ExchangeError).message).toMatch(/not resent/);
    const firstSend = f.server.requests.findIndex((r) => r.path === SEND);
    const lookupAfter = f.server.requests.findIndex((r, i) => i > firstSend && r.path === STATUS);
    expect(lookupAfter).toBeGreaterThan(firstSend);
    expect(f.server.requestsTo('POST', SEND)).toHaveLength(1);

    // The redelivery looks the id up first, finds nothing, and sends it.
    const order = await gateway.createOrder(marketBuy(id));
    expect(order.status).toBe('filled');
    expect(f.server.requestsTo('POST', SEND)).toHaveLength(2);
    expect(f.ledger.orders.filter((o) => o.clientOrderId === id)).toHaveLength(1);
  });

  it('takes a clientOrderIdAlreadyExist reply as already placed and returns that order', async () => {
    const f = await fake();
    const gateway = gatewayFor(f);
    const id = clientId('dup');
    // Another worker places the same client id while our sendorder is in flight.
    f.server.inject({ fault: { kind: 'latency', ms: 300 }, method: 'POST', path: SEND });
    const pending = gateway.createOrder(marketBuy(id));
    await vi.waitFor(() => expect(f.server.requestsTo('POST', SEND)).toHaveLength(1), {
      timeout: 5000,
      interval: 10,
    });
    const theirs = f.ledger.place({
      symbol: 'PF_XBTUSD',
      side: 'buy',
      type: 'market',
      amount: '0.01',
      clientOrderId: id,
    });
    const order = await pending;
    expect(theirs.ok && order.orderId === theirs.order.orderId).toBe(true);
    expect(f.ledger.orders.filter((o) => o.clientOrderId === id)).toHaveLength(1);
  });
});

describe('Kraken Futures gateway: reconciliation after orders/status forgets an order', () => {
  // Kraken reports finished orders in orders/status for 5 s; a window of 0 makes every finished
  // order one that only the fills still show.
  it('finds a filled order by client id and by exchange id from the fills', async () => {
    const f = await fake({ recentOrderWindowMs: 0 });
    const gateway = gatewayFor(f);
    const id = clientId('old');
    const placed = await gateway.createOrder(marketBuy(id, '0.02'));
    const statusCalls = f.server.requestsTo('GET', STATUS).length;
    const byClient = await gateway.fetchOrderByClientId(BTC, id);
    expect(f.server.requestsTo('GET', STATUS).length).toBe(statusCalls + 1);
    expect(byClient).toMatchObject({
      orderId: placed.orderId,
      clientOrderId: id,
      status: 'filled',
      filled: '0.02',
    });
    expect(byClient?.trades[0]?.price).toBe('60000');
    const byId = await gateway.fetchOrder(BTC, { orderId: placed.orderId });
    expect(byId).toMatchObject({ clientOrderId: id, status: 'filled', side: 'buy' });
    expect(f.server.requestsTo('GET', FILLS).length).toBeGreaterThan(0);
  });

  it('does not place again when a lost reply is reconciled from the fills', async () => {
    const f = await fake({ recentOrderWindowMs: 0 });
    const gateway = gatewayFor(f);
    f.server.inject({ fault: { kind: 'lose-reply' }, method: 'POST', path: SEND });
    const id = clientId('lost-old');
    const order = await gateway.createOrder(marketBuy(id));
    expect(order).toMatchObject({ clientOrderId: id, status: 'filled' });
    expect(f.server.requestsTo('POST', SEND)).toHaveLength(1);
    expect(f.ledger.orders).toHaveLength(1);
    // And a second call with the same id returns it without sending.
    expect((await gateway.createOrder(marketBuy(id))).orderId).toBe(order.orderId);
    expect(f.server.requestsTo('POST', SEND)).toHaveLength(1);
  });

  it('still reports a resting order through orders/status however old it is', async () => {
    const f = await fake({ recentOrderWindowMs: 0 });
    const gateway = gatewayFor(f);
    const id = clientId('rest');
    await gateway.createOrder({
      symbol: BTC,
      side: 'buy',
      type: 'limit',
      clientOrderId: id,
      amount: '0.01',
      price: '40000',
    });
    expect((await gateway.fetchOrderByClientId(BTC, id))?.status).toBe('open');
    expect((await gateway.fetchOpenOrders(BTC)).map((o) => o.clientOrderId)).toEqual([id]);
  });
});

describe('Kraken Futures gateway: leverage and margin mode', () => {
  it('sets isolated margin with a max leverage and cross margin without one', async () => {
    const f = await fake();
    const gateway = gatewayFor(f);
    await gateway.setLeverage(BTC, 3, 'isolated');
    const [isolated] = f.server.requestsTo('PUT', '/derivatives/api/v3/leveragepreferences');
    expect(new URLSearchParams(isolated?.rawQuery).get('maxLeverage')).toBe('3');
    expect(f.ledger.leverage.get('PF_XBTUSD')).toEqual({ leverage: 3, marginMode: 'isolated' });
    await gateway.setLeverage(BTC, 5, 'cross');
    const cross = f.server.requestsTo('PUT', '/derivatives/api/v3/leveragepreferences')[1];
    expect(new URLSearchParams(cross?.rawQuery).has('maxLeverage')).toBe(false);
    expect(f.ledger.leverage.get('PF_XBTUSD')?.marginMode).toBe('cross');
  });
});

describe('Kraken Futures gateway: API key check', () => {
  it('accepts a full-access key without withdrawals bound to an IP, warning that transfers are not reported', async () => {
    const f = await fake();
    const permissions = await gatewayFor(f).keyPermissions();
    expect(permissions).toEqual({
      canRead: true,
      canTrade: true,
      canWithdraw: false,
      canTransfer: 'unknown',
      ipRestricted: true,
      ips: ['127.0.0.1/32'],
    });
    const assessment = assessKeyPermissions('krakenfutures', permissions);
    expect(assessment.accepted).toBe(true);
    expect(assessment.warnings).toHaveLength(1);
  });

  it('refuses a key with withdrawal permission', async () => {
    const f = await fake();
    f.setKeyPermissions({ withdrawal: 'full-access' });
    const permissions = await gatewayFor(f).keyPermissions();
    expect(permissions.canWithdraw).toBe(true);
    const assessment = assessKeyPermissions('krakenfutures', permissions);
    expect(assessment.accepted).toBe(false);
    expect(assessment.reasons.join(' ')).toMatch(/withdrawal/);
  });

  it('refuses a read-only key and a key open to every address', async () => {
    const f = await fake();
    f.setKeyPermissions({ general: 'read-only', allowedCidrBlocks: ['0.0.0.0/0'] });
    const permissions = await gatewayFor(f).keyPermissions();
    expect(permissions).toMatchObject({ canRead: true, canTrade: false, ipRestricted: false });
    expect(assessKeyPermissions('krakenfutures', permissions).reasons).toHaveLength(2);
  });
});

describe('Kraken Futures demo environment', () => {
  const options = { apiKey: 'k', secret: 'c2VjcmV0', timeout: 1000, enableRateLimit: true };

  it('points a demo client at demo-futures.kraken.com and a live one at futures.kraken.com', () => {
    const demo = krakenFuturesProfile.createClient('demo', options);
    const live = krakenFuturesProfile.createClient('live', options);
    const urls = (client: typeof demo) => Object.values(client.urls.api as Record<string, string>);
    expect(urls(demo).length).toBeGreaterThan(3);
    for (const url of urls(demo)) expect(url).toMatch(/^https:\/\/demo-futures\.kraken\.com(\/|$)/);
    for (const url of urls(live)) expect(url).toMatch(/^https:\/\/futures\.kraken\.com(\/|$)/);
    expect(demo.urls.api.private).toBe('https://demo-futures.kraken.com/derivatives/api/');
    expect(live.urls.api.auth).toBe('https://futures.kraken.com/api/auth/');
  });

  it('trades in demo mode against the base URL that replaces the demo host', async () => {
    const f = await fake();
    const gateway = createExchangeGateway(fakeAccount('krakenfutures', f, { mode: 'demo' }), {
      timeoutMs: 1500,
      sleep: async () => {},
      marketCache: new MarketCache(),
    });
    const order = await gateway.createOrder(marketBuy(clientId('demo')));
    expect(order.status).toBe('filled');
    expect(f.server.requestsTo('POST', SEND)).toHaveLength(1);
  });
});
