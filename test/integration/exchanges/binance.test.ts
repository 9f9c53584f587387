// The Binance gateway (generic ccxt gateway + binance profile) against the fake Binance: signed
// spot and futures orders, the failures that recur in the field (lost replies, 429/418 with
// Retry-After, insufficient balance, clock drift, 5xx and "execution status unknown", duplicate
// client ids), the key check, and where live and demo clients send their requests.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { binanceProfile } from '../../../shared/adapters/exchanges/binance-profile.js';
import { overrideBaseUrl } from '../../../shared/adapters/exchanges/url-override.js';
import { assessKeyPermissions } from '../../../shared/app/key-check.js';
import type { ExchangeGateway } from '../../../shared/ports/exchange-gateway.js';
import { type FakeGatewayOptions, failureOf, fakeGateway } from '../../support/exchange-test-kit.js';
import { type BinanceFake, startBinanceFake } from '../../support/fake-exchanges/binance-fake.js';
import type { FakeRequest } from '../../support/fake-exchanges/fake-server.js';
import { contractClientId } from '../../support/gateway-contract.js';

const SPOT = 'BTC/USDT';
const SWAP = 'ETH/USDT:USDT';

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

let fake: BinanceFake;

beforeEach(async () => {
  fake = await startBinanceFake();
});
afterEach(async () => {
  await fake.close();
});

const gatewayFor = (options: FakeGatewayOptions = {}): ExchangeGateway =>
  fakeGateway('binance', fake, options);

const paramsOf = (r: FakeRequest) => new URLSearchParams(r.method === 'POST' ? r.body : r.rawQuery);
const signedRequests = () => fake.server.requests.filter((r) => paramsOf(r).has('signature'));
const indexOf = (request: FakeRequest | undefined) => (request ? fake.server.requests.indexOf(request) : -1);

describe('Binance gateway against the fake exchange', () => {
  it('loads spot and USD-M markets from exchangeInfo alone: no currency, margin or private call', async () => {
    const markets = await gatewayFor().loadMarkets();
    expect(fake.server.requests.map((r) => `${r.method} ${r.path}`).sort()).toEqual([
      'GET /api/v3/exchangeInfo',
      'GET /fapi/v1/exchangeInfo',
    ]);
    const spot = markets.find((m) => m.symbol === SPOT);
    const swap = markets.find((m) => m.symbol === 'BTC/USDT:USDT');
    expect(spot).toMatchObject({ kind: 'spot', amountStep: '0.00001', priceStep: '0.01', minNotional: '5' });
    expect(swap).toMatchObject({ kind: 'swap', amountStep: '0.001', priceStep: '0.1', minNotional: '100' });
    expect(swap?.takerFeeRate).toBe('0.0005');
  });

  it('places, finds and cancels spot and futures orders over signed requests', async () => {
    const gateway = gatewayFor();
    const spotId = contractClientId('sl');
    const spot = await gateway.createOrder({
      symbol: SPOT,
      side: 'buy',
      type: 'limit',
      clientOrderId: spotId,
      amount: '0.001',
      price: '50000',
    });
    expect(spot).toMatchObject({ clientOrderId: spotId, status: 'open', amount: '0.001', price: '50000' });
    expect((await gateway.fetchOrder(SPOT, { orderId: spot.orderId }))?.clientOrderId).toBe(spotId);
    expect((await gateway.cancelOrder(SPOT, { orderId: spot.orderId }))?.status).toBe('cancelled');

    const swapId = contractClientId('fl');
    const swap = await gateway.createOrder({
      symbol: SWAP,
      side: 'buy',
      type: 'limit',
      clientOrderId: swapId,
      amount: '0.05',
      price: '2900',
    });
    expect(swap).toMatchObject({ clientOrderId: swapId, status: 'open', symbol: SWAP });
    expect((await gateway.fetchOrderByClientId(SWAP, swapId))?.orderId).toBe(swap.orderId);
    expect((await gateway.cancelOrder(SWAP, { clientOrderId: swapId }))?.status).toBe('cancelled');

    // Spot went to /api/v3, futures to /fapi/v1, each once, carrying our client id.
    const [spotCreate] = fake.server.requestsTo('POST', '/api/v3/order');
    const [swapCreate] = fake.server.requestsTo('POST', '/fapi/v1/order');
    expect(fake.server.requestsTo('POST', '/api/v3/order')).toHaveLength(1);
    expect(fake.server.requestsTo('POST', '/fapi/v1/order')).toHaveLength(1);
    expect(spotCreate && paramsOf(spotCreate).get('newClientOrderId')).toBe(spotId);
    expect(swapCreate && paramsOf(swapCreate).get('newClientOrderId')).toBe(swapId);
    expect(fake.server.requestsTo('DELETE', '/api/v3/order')).toHaveLength(1);
    expect(fake.server.requestsTo('DELETE', '/fapi/v1/order')).toHaveLength(1);
    // Every private call was signed with the key (the fake refuses a bad signature with -1022).
    for (const r of signedRequests()) expect(r.headers['x-mbx-apikey']).toBe(fake.apiKey);
    expect(fake.ledger.orders.map((o) => o.status)).toEqual(['cancelled']);
    expect(fake.futuresLedger.orders.map((o) => o.status)).toEqual(['cancelled']);
  });

  it('refuses a wrong secret (-1022) and an unknown key (-2015) as auth errors', async () => {
    const badSecret = await failureOf(
      gatewayFor({ secret: 'not-the-secret' }).createOrder({
        symbol: SPOT,
        side: 'buy',
        type: 'market',
        clientOrderId: contractClientId('bs'),
        amount: '0.001',
      }),
    );
    expect(badSecret.kind).toBe('auth');
    expect(badSecret.message).toContain('-1022');
    const badKey = await failureOf(gatewayFor({ apiKey: 'someone-else' }).fetchBalances());
    expect(badKey.kind).toBe('auth');
    expect(badKey.message).toContain('-2015');
    expect(fake.orderCount()).toBe(0);
  });

  for (const [venue, symbol, path] of [
    ['spot', SPOT, '/api/v3/order'],
    ['futures', SWAP, '/fapi/v1/order'],
  ] as const) {
    it(`leaves exactly one ${venue} order when the reply to an accepted order is lost`, async () => {
      fake.server.inject({ fault: { kind: 'lose-reply' }, method: 'POST', path });
      const clientOrderId = contractClientId('lr');
      const order = await gatewayFor().createOrder({
        symbol,
        side: 'buy',
        type: 'market',
        clientOrderId,
        amount: venue === 'spot' ? '0.001' : '0.01',
      });
      // A spot market order frees its client id once filled: only the lookup keeps a resend from doubling it.
      expect(fake.orderCount()).toBe(1);
      expect(fake.server.requestsTo('POST', path)).toHaveLength(1);
      expect(order).toMatchObject({ clientOrderId, status: 'filled' });
    });
  }

  it('waits out a 429 Retry-After before placing the order again', async () => {
    fake.server.inject({
      fault: { kind: 'rate-limit', retryAfterSeconds: 1 },
      method: 'POST',
      path: '/fapi/v1/order',
    });
    const order = await gatewayFor({ runtime: { sleep: realSleep } }).createOrder({
      symbol: SWAP,
      side: 'buy',
      type: 'market',
      clientOrderId: contractClientId('rl'),
      amount: '0.01',
    });
    const [first, second, ...more] = fake.server.requestsTo('POST', '/fapi/v1/order');
    expect(more).toHaveLength(0);
    expect((second?.receivedAt ?? 0) - (first?.receivedAt ?? 0)).toBeGreaterThanOrEqual(1000);
    expect(order.status).toBe('filled');
    expect(fake.orderCount()).toBe(1);
  });

  it('waits out a 418 IP ban the same way', async () => {
    const gateway = gatewayFor({ runtime: { sleep: realSleep } });
    await gateway.loadMarkets();
    fake.banIp(1);
    const ticker = await gateway.fetchTicker(SPOT);
    expect(ticker.last).toBe('60000');
    const [banned, retried] = fake.server.requestsTo('GET', '/api/v3/ticker/24hr');
    expect((retried?.receivedAt ?? 0) - (banned?.receivedAt ?? 0)).toBeGreaterThanOrEqual(1000);
  });

  it('does not retry insufficient balance, spot (-2010) or futures (-2019)', async () => {
    const gateway = gatewayFor();
    const spot = await failureOf(
      gateway.createOrder({
        symbol: SPOT,
        side: 'buy',
        type: 'limit',
        clientOrderId: contractClientId('if'),
        amount: '1000',
        price: '50000',
      }),
    );
    expect(spot.kind).toBe('insufficient-funds');
    const swap = await failureOf(
      gateway.createOrder({
        symbol: SWAP,
        side: 'buy',
        type: 'limit',
        clientOrderId: contractClientId('if'),
        amount: '5000',
        price: '2900',
      }),
    );
    expect(swap.kind).toBe('insufficient-funds');
    expect(swap.message).toContain('-2019');
    expect(fake.server.requestsTo('POST', '/api/v3/order')).toHaveLength(1);
    expect(fake.server.requestsTo('POST', '/fapi/v1/order')).toHaveLength(1);
    expect(fake.orderCount()).toBe(0);
  });

  it('syncs its clock with GET /api/v3/time when Binance says the timestamp is outside recvWindow', async () => {
    const gateway = gatewayFor();
    await gateway.loadMarkets();
    fake.setClockSkew(30_000); // the exchange runs 30 s ahead: every signed request is stale
    const order = await gateway.createOrder({
      symbol: SPOT,
      side: 'buy',
      type: 'market',
      clientOrderId: contractClientId('ts'),
      amount: '0.001',
    });
    expect(order.status).toBe('filled');
    const firstSigned = signedRequests()[0];
    const [sync, ...moreSyncs] = fake.server.requestsTo('GET', '/api/v3/time');
    const [create] = fake.server.requestsTo('POST', '/api/v3/order');
    expect(moreSyncs).toHaveLength(0);
    expect(indexOf(firstSigned)).toBeLessThan(indexOf(sync));
    expect(indexOf(sync)).toBeLessThan(indexOf(create));
    // After the sync the signed timestamps follow the exchange's clock.
    const timestamp = Number(create && paramsOf(create).get('timestamp'));
    expect(Math.abs(timestamp - (create?.receivedAt ?? 0) - 30_000)).toBeLessThan(2_000);
  });

  it('resyncs and places the order once after a -1021 reply to the create itself', async () => {
    fake.server.inject({ fault: { kind: 'timestamp' }, method: 'POST', path: '/api/v3/order' });
    await gatewayFor().createOrder({
      symbol: SPOT,
      side: 'buy',
      type: 'market',
      clientOrderId: contractClientId('t2'),
      amount: '0.001',
    });
    const [refused, accepted] = fake.server.requestsTo('POST', '/api/v3/order');
    const [sync] = fake.server.requestsTo('GET', '/api/v3/time');
    expect(indexOf(refused)).toBeLessThan(indexOf(sync));
    expect(indexOf(sync)).toBeLessThan(indexOf(accepted));
    expect(fake.orderCount()).toBe(1);
  });

  it('treats a 5xx on create as status unknown: looks the order up, never resends in that call; the redelivery places it once', async () => {
    fake.server.inject({
      fault: { kind: 'server-error', status: 503 },
      method: 'POST',
      path: '/api/v3/order',
    });
    const clientOrderId = contractClientId('5x');
    const request = { symbol: SPOT, side: 'buy', type: 'market', clientOrderId, amount: '0.001' } as const;
    const first = await failureOf(gatewayFor().createOrder(request));
    expect(first.kind).toBe('network-timeout');
    expect(first.message).toMatch(/not resent/);
    const [failed] = fake.server.requestsTo('POST', '/api/v3/order');
    expect(fake.server.requestsTo('POST', '/api/v3/order')).toHaveLength(1);
    const lookups = () =>
      fake.server
        .requestsTo('GET', '/api/v3/order')
        .filter((r) => paramsOf(r).get('origClientOrderId') === clientOrderId);
    expect(lookups().some((l) => indexOf(l) > indexOf(failed))).toBe(true);
    expect(fake.orderCount()).toBe(0);

    // The redelivered command, in a new gateway: looks up first, then places it once.
    await gatewayFor().createOrder(request);
    const [, placed] = fake.server.requestsTo('POST', '/api/v3/order');
    expect(lookups().some((l) => indexOf(l) > indexOf(failed) && indexOf(l) < indexOf(placed))).toBe(true);
    expect(fake.orderCount()).toBe(1);
  });

  it('finds the order after -1007 "execution status unknown" instead of placing it again', async () => {
    fake.answerNextCreateStatusUnknown(-1007, true);
    const order = await gatewayFor().createOrder({
      symbol: SPOT,
      side: 'buy',
      type: 'market',
      clientOrderId: contractClientId('su'),
      amount: '0.001',
    });
    expect(fake.server.requestsTo('POST', '/api/v3/order')).toHaveLength(1);
    expect(fake.orderCount()).toBe(1);
    expect(order.orderId).toBe(fake.ledger.orders[0]?.orderId);
  });

  it('after -1006 "execution status unknown" for an order never taken, looks it up, does not resend; the redelivery places it once', async () => {
    fake.answerNextCreateStatusUnknown(-1006, false);
    const request = {
      symbol: SWAP,
      side: 'buy',
      type: 'market',
      clientOrderId: contractClientId('s6'),
      amount: '0.01',
    } as const;
    const first = await failureOf(gatewayFor().createOrder(request));
    expect(first.kind).toBe('network-timeout');
    expect(fake.server.requestsTo('POST', '/fapi/v1/order')).toHaveLength(1);
    await gatewayFor().createOrder(request);
    const [unknown, placed] = fake.server.requestsTo('POST', '/fapi/v1/order');
    const lookup = fake.server.requestsTo('GET', '/fapi/v1/order').find((r) => indexOf(r) > indexOf(unknown));
    expect(indexOf(lookup)).toBeLessThan(indexOf(placed));
    expect(fake.orderCount()).toBe(1);
  });

  for (const [venue, symbol, code] of [
    ['futures', SWAP, '-4116'],
    ['spot', SPOT, '-2010'],
  ] as const) {
    it(`treats a ${venue} duplicate client id reply (${code}) as already placed`, async () => {
      const clientOrderId = contractClientId('du');
      const ledger = venue === 'spot' ? fake.ledger : fake.futuresLedger;
      const amount = venue === 'spot' ? '0.001' : '0.01';
      const price = venue === 'spot' ? '50000' : '2900';
      // Another worker places the same order between our lookup and our create.
      fake.beforeNextCreate(() => {
        ledger.place({
          symbol: symbol.includes(':') ? 'ETHUSDT' : 'BTCUSDT',
          side: 'buy',
          type: 'limit',
          amount,
          price,
          clientOrderId,
        });
      });
      const order = await gatewayFor().createOrder({
        symbol,
        side: 'buy',
        type: 'limit',
        clientOrderId,
        amount,
        price,
      });
      expect(fake.orderCount()).toBe(1);
      expect(order.orderId).toBe(ledger.orders[0]?.orderId);
      expect(order.status).toBe('open');
    });
  }

  it('sets margin type and leverage; "No need to change margin type." (-4046) counts as done', async () => {
    const gateway = gatewayFor();
    await gateway.setLeverage(SWAP, 5, 'cross'); // already cross: -4046
    expect(fake.futuresLedger.leverage.get('ETHUSDT')).toEqual({ leverage: 5, marginMode: 'cross' });
    await gateway.setLeverage(SWAP, 3, 'isolated');
    expect(fake.futuresLedger.leverage.get('ETHUSDT')).toEqual({ leverage: 3, marginMode: 'isolated' });
    expect(fake.server.requestsTo('POST', '/fapi/v1/marginType')).toHaveLength(2);
    expect(fake.server.requestsTo('POST', '/fapi/v1/leverage')).toHaveLength(2);
  });

  it('reads the spot and the futures wallet apart', async () => {
    const balances = await gatewayFor().fetchBalances();
    expect(balances.filter((b) => b.currency === 'USDT')).toEqual([
      { wallet: 'spot', currency: 'USDT', free: '100000', used: '0' },
      { wallet: 'swap', currency: 'USDT', free: '100000', used: '0' },
    ]);
    expect(fake.server.requestsTo('GET', '/api/v3/account')).toHaveLength(1);
    expect(fake.server.requestsTo('GET', '/fapi/v3/account')).toHaveLength(1);
  });
});

describe('Binance key check (GET /sapi/v1/account/apiRestrictions)', () => {
  it('accepts a trading-only key bound to IPs', async () => {
    const permissions = await gatewayFor().keyPermissions();
    expect(permissions).toEqual({
      canRead: true,
      canTrade: true,
      canWithdraw: false,
      canTransfer: false,
      ipRestricted: true,
      ips: [],
    });
    expect(assessKeyPermissions('binance', permissions)).toMatchObject({ accepted: true, warnings: [] });
    expect(fake.server.requestsTo('GET', '/sapi/v1/account/apiRestrictions')).toHaveLength(1);
  });

  it('refuses a key with withdrawals enabled', async () => {
    fake.setKeyPermissions({ enableWithdrawals: true });
    const assessment = assessKeyPermissions('binance', await gatewayFor().keyPermissions());
    expect(assessment.accepted).toBe(false);
    expect(assessment.reasons.join(' ')).toMatch(/withdraw/i);
  });

  it('refuses a key that may transfer funds, one without IP restriction, one without trading', async () => {
    for (const [permissions, reason] of [
      [{ permitsUniversalTransfer: true }, /transfer/i],
      [{ enableInternalTransfer: true }, /transfer/i],
      [{ ipRestrict: false }, /IP/],
      [{ enableSpotAndMarginTrading: false, enableFutures: false }, /trading/i],
    ] as const) {
      fake.setKeyPermissions({ ...permissions });
      const assessment = assessKeyPermissions('binance', await gatewayFor().keyPermissions());
      expect(assessment.accepted, JSON.stringify(permissions)).toBe(false);
      expect(assessment.reasons.join(' ')).toMatch(reason);
      fake.setKeyPermissions({
        permitsUniversalTransfer: false,
        enableInternalTransfer: false,
        ipRestrict: true,
        enableSpotAndMarginTrading: true,
        enableFutures: true,
      });
    }
  });

  it('on the demo hosts (no /sapi there) checks the key through the spot account instead', async () => {
    const permissions = await gatewayFor({ mode: 'demo' }).keyPermissions();
    expect(permissions).toMatchObject({
      canRead: true,
      canTrade: true,
      canWithdraw: false,
      canTransfer: false,
    });
    expect(fake.server.requests.some((r) => r.path.startsWith('/sapi/'))).toBe(false);
    const assessment = assessKeyPermissions('binance', permissions);
    expect(assessment.accepted).toBe(true);
    expect(assessment.warnings).toHaveLength(1);
  });
});

describe('The fake Binance, as the real one', () => {
  it('takes a spot client id again once its order has filled; futures never do (-4116)', async () => {
    // Why the gateway must look an order up before any resend: a blind spot resend doubles the order.
    const client = binanceProfile.createClient('live', {
      apiKey: fake.apiKey,
      secret: fake.secret,
      timeout: 1500,
      enableRateLimit: false,
    });
    overrideBaseUrl(client, fake.baseUrl);
    const params = { newClientOrderId: contractClientId('re') };
    await client.createOrder(SPOT, 'market', 'buy', 0.001, undefined, params);
    await client.createOrder(SPOT, 'market', 'buy', 0.001, undefined, params);
    expect(fake.ledger.orders.map((o) => o.clientOrderId)).toEqual([
      params.newClientOrderId,
      params.newClientOrderId,
    ]);
    await client.createOrder(SWAP, 'market', 'buy', 0.01, undefined, params);
    await expect(client.createOrder(SWAP, 'market', 'buy', 0.01, undefined, params)).rejects.toThrow('-4116');
    expect(fake.futuresLedger.orders).toHaveLength(1);
  });
});

describe('Binance client hosts', () => {
  const options = { apiKey: 'k', secret: 's', timeout: 1000, enableRateLimit: true };

  it('sends a demo account to demo-api.binance.com and demo-fapi.binance.com', () => {
    const api = binanceProfile.createClient('demo', options).urls.api as Record<string, string>;
    expect(api.public).toBe('https://demo-api.binance.com/api/v3');
    expect(api.private).toBe('https://demo-api.binance.com/api/v3');
    expect(api.fapiPublic).toBe('https://demo-fapi.binance.com/fapi/v1');
    expect(api.fapiPrivate).toBe('https://demo-fapi.binance.com/fapi/v1');
    expect(api.fapiPrivateV3).toBe('https://demo-fapi.binance.com/fapi/v3');
    expect(api.sapi).toBeUndefined();
  });

  it('sends a live account to api.binance.com and fapi.binance.com', () => {
    const api = binanceProfile.createClient('live', options).urls.api as Record<string, string>;
    expect(api.public).toBe('https://api.binance.com/api/v3');
    expect(api.private).toBe('https://api.binance.com/api/v3');
    expect(api.fapiPublic).toBe('https://fapi.binance.com/fapi/v1');
    expect(api.fapiPrivate).toBe('https://fapi.binance.com/fapi/v1');
    expect(api.sapi).toBe('https://api.binance.com/sapi/v1');
  });
});
