// Many tenants, one egress IP: a Retry-After that one account's call receives holds every account's
// calls to that exchange; and an order whose fate was unknown when its Lambda gave up is found (not
// placed again) by the next attempt, in a new gateway, as after a restart.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { GatewayRuntime } from '../../../shared/adapters/exchanges/ccxt-gateway.js';
import { EgressGate } from '../../../shared/adapters/exchanges/egress-gate.js';
import { createExchangeGateway } from '../../../shared/adapters/exchanges/gateway-factory.js';
import { MarketCache } from '../../../shared/adapters/exchanges/market-cache.js';
import type { ExchangeGateway } from '../../../shared/ports/exchange-gateway.js';
import { failureOf, fakeAccount } from '../../support/exchange-test-kit.js';
import { type BinanceFake, startBinanceFake } from '../../support/fake-exchanges/binance-fake.js';
import { contractClientId } from '../../support/gateway-contract.js';

let fake: BinanceFake;
beforeEach(async () => {
  fake = await startBinanceFake();
});
afterEach(async () => {
  await fake.close();
});

function tenant(runtime: GatewayRuntime): ExchangeGateway {
  return createExchangeGateway(fakeAccount('binance', fake), {
    timeoutMs: 1_500,
    random: () => 0.5,
    ...runtime,
  });
}

describe('shared egress', () => {
  it("holds every tenant's calls for the Retry-After one tenant was given", async () => {
    const shared = { egressGate: new EgressGate(), marketCache: new MarketCache() };
    const alice = tenant(shared);
    const bob = tenant(shared);
    await Promise.all([alice.loadMarkets(), bob.loadMarkets()]);
    fake.server.inject({ fault: { kind: 'rate-limit', retryAfterSeconds: 1 }, path: /ticker/ });

    const aliceTicker = alice.fetchTicker('BTC/USDT');
    await new Promise((resolve) => setTimeout(resolve, 200));
    const bobBalances = bob.fetchBalances();
    await Promise.all([aliceTicker, bobBalances]);

    const limited = fake.server.requests.find((r) => /ticker/.test(r.path));
    const bobsCall = fake.server.requests.find((r) => r.path === '/api/v3/account');
    expect(limited && bobsCall).toBeTruthy();
    // Bob's call was held until Alice's Retry-After had passed (timer slack allowed).
    expect((bobsCall?.receivedAt ?? 0) - (limited?.receivedAt ?? 0)).toBeGreaterThanOrEqual(950);
  });

  it('fails fast instead of waiting when the exchange asks the IP to wait longer than a retry may', async () => {
    const gate = new EgressGate();
    const alice = tenant({
      egressGate: gate,
      marketCache: new MarketCache(),
      retry: { maxRetryAfterMs: 2_000 },
    });
    await alice.loadMarkets();
    fake.banIp(120);
    const error = await failureOf(alice.fetchTicker('BTC/USDT'));
    expect(error.kind).toBe('rate-limited');
    expect(error.retryAfterMs).toBe(120_000);
    // Another tenant behind the same IP does not even try while the ban lasts.
    const before = fake.server.requests.length;
    const bob = tenant({
      egressGate: gate,
      marketCache: new MarketCache(),
      retry: { maxRetryAfterMs: 2_000 },
    });
    await expect(bob.fetchBalances()).rejects.toMatchObject({ kind: 'rate-limited' });
    expect(fake.server.requests.slice(before).filter((r) => r.path === '/api/v3/account')).toHaveLength(0);
  });

  it('after a lost reply and a failed lookup it does not resend; the next attempt, in a new gateway, finds the order', async () => {
    const runtime = { sleep: async () => {}, marketCache: new MarketCache(), egressGate: new EgressGate() };
    const first = tenant(runtime);
    await first.loadMarkets();
    const clientOrderId = contractClientId('restart');
    const request = {
      symbol: 'BTC/USDT',
      side: 'buy',
      type: 'market',
      clientOrderId,
      amount: '0.01',
    } as const;
    fake.server.inject({ fault: { kind: 'lose-reply' }, method: 'POST', path: '/api/v3/order' });
    // Once the order is in, every lookup fails for a while: the gateway cannot learn its fate.
    fake.beforeNextCreate(() =>
      fake.server.inject({
        fault: { kind: 'server-error', status: 503 },
        method: 'GET',
        path: '/api/v3/order',
        times: 20,
      }),
    );
    const error = await failureOf(first.createOrder(request));
    expect(error.message).toMatch(/not resent/);
    expect(fake.orderCount()).toBe(1);

    fake.server.clearFaults();
    const second = tenant({ ...runtime, egressGate: new EgressGate() });
    const order = await second.createOrder(request);
    expect(order.clientOrderId).toBe(clientOrderId);
    expect(order.status).toBe('filled');
    expect(fake.orderCount()).toBe(1);
    expect(fake.server.requestsTo('POST', '/api/v3/order')).toHaveLength(1);
  });
});
