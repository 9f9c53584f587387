// Rules the generic gateway keeps whatever the exchange (shown on the fake Binance): limit prices
// never worse than asked, the lookup before any sizing, fills attached to a filled order that the
// exchange's lookup returns without them, and a time budget per call.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CcxtOrder } from '../../../shared/adapters/exchanges/ccxt.js';
import type { GatewayRuntime } from '../../../shared/adapters/exchanges/ccxt-gateway.js';
import { toExchangeOrder } from '../../../shared/adapters/exchanges/ccxt-mapping.js';
import { EgressGate } from '../../../shared/adapters/exchanges/egress-gate.js';
import { createExchangeGateway } from '../../../shared/adapters/exchanges/gateway-factory.js';
import { MarketCache } from '../../../shared/adapters/exchanges/market-cache.js';
import type { ExchangeGateway } from '../../../shared/ports/exchange-gateway.js';
import { failureOf, fakeAccount } from '../../support/exchange-test-kit.js';
import { type BinanceFake, startBinanceFake } from '../../support/fake-exchanges/binance-fake.js';
import { paramsOf } from '../../support/fake-exchanges/binance-fake-wire.js';
import { contractClientId } from '../../support/gateway-contract.js';

let fake: BinanceFake;
beforeEach(async () => {
  fake = await startBinanceFake();
  fake.setPrice('BTC/USDT', '60000');
});
afterEach(async () => {
  await fake.close();
});

function gateway(runtime: GatewayRuntime = {}): ExchangeGateway {
  return createExchangeGateway(fakeAccount('binance', fake), {
    timeoutMs: 1_500,
    marketCache: new MarketCache(),
    egressGate: new EgressGate(),
    sleep: async () => {},
    ...runtime,
  });
}

const sentPrices = () => fake.server.requestsTo('POST', '/api/v3/order').map((r) => paramsOf(r).get('price'));

describe('the generic gateway', () => {
  it('rounds a buy limit down and a sell limit up to the tick: never worse than asked', async () => {
    const g = gateway();
    await g.createOrder({
      symbol: 'BTC/USDT',
      side: 'buy',
      type: 'limit',
      clientOrderId: contractClientId('rb'),
      amount: '0.001',
      price: '50000.019',
    });
    fake.ledger.setBalance('BTC', '1');
    await g.createOrder({
      symbol: 'BTC/USDT',
      side: 'sell',
      type: 'limit',
      clientOrderId: contractClientId('rs'),
      amount: '0.001',
      price: '70000.011',
    });
    expect(sentPrices()).toEqual(['50000.01', '70000.02']);
  });

  it('returns an order placed earlier even when the market has since fallen below a minimum', async () => {
    const g = gateway();
    const request = {
      symbol: 'BTC/USDT',
      side: 'buy',
      type: 'market',
      clientOrderId: contractClientId('lf'),
      amount: '0.0001',
    } as const;
    const first = await g.createOrder(request);
    // 0.0001 BTC is 6 USDT at 60000, 4 USDT at 40000: below the 5 USDT minimum notional.
    fake.setPrice('BTC/USDT', '40000');
    const again = await g.createOrder(request);
    expect(again.orderId).toBe(first.orderId);
    expect(fake.server.requestsTo('POST', '/api/v3/order')).toHaveLength(1);
  });

  it("attaches the fills to a filled order read back by its client id (Binance's order query has none)", async () => {
    const order = await gateway().createOrder({
      symbol: 'BTC/USDT',
      side: 'buy',
      type: 'market',
      clientOrderId: contractClientId('tr'),
      amount: '0.002',
    });
    expect(order.status).toBe('filled');
    expect(order.trades.map((t) => [t.price, t.amount])).toEqual([['60000', '0.002']]);
  });

  it('sells a position down to the step and refuses the dust left over, without sending it', async () => {
    const g = gateway();
    // Bought 0.00123 BTC; a base-asset fee left 0.0012285 of it.
    fake.ledger.setBalance('BTC', '0.0012285');
    const sold = await g.createOrder({
      symbol: 'BTC/USDT',
      side: 'sell',
      type: 'market',
      clientOrderId: contractClientId('sx'),
      amount: '0.0012285',
    });
    expect(sold.amount).toBe('0.00122');
    const before = fake.server.requestsTo('POST', '/api/v3/order').length;
    const dust = await g
      .createOrder({
        symbol: 'BTC/USDT',
        side: 'sell',
        type: 'market',
        clientOrderId: contractClientId('sd'),
        amount: '0.0000085',
      })
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(dust).toMatchObject({ kind: 'min-notional' });
    expect(fake.server.requestsTo('POST', '/api/v3/order')).toHaveLength(before);
  });

  it('gives up inside its time budget instead of retrying past it', async () => {
    let now = 0;
    const g = gateway({
      now: () => now,
      sleep: async (ms) => {
        now += ms;
      },
      callBudgetMs: 1_000,
      retry: { baseDelayMs: 800, maxAttempts: 10 },
    });
    await g.loadMarkets();
    fake.server.inject({
      fault: { kind: 'server-error', status: 503 },
      path: '/api/v3/ticker/price',
      times: 10,
    });
    fake.server.inject({
      fault: { kind: 'server-error', status: 503 },
      path: '/api/v3/ticker/24hr',
      times: 10,
    });
    const error = await failureOf(g.fetchTicker('BTC/USDT'));
    expect(error.message).toMatch(/out of time/);
    expect(now).toBeLessThanOrEqual(1_000);
  });
});

describe('order status mapping', () => {
  const market = { symbol: 'BTC/USDT', quote: 'USDT' } as never;
  const order = (status: string | undefined, amount: number, filled: number) =>
    ({ id: '1', status, amount, filled, trades: [] }) as unknown as CcxtOrder;

  it('reports an order closed with only part filled as cancelled, keeping what filled', () => {
    const mapped = toExchangeOrder(order('closed', 1, 0.4), market, 'c', 0);
    expect(mapped).toMatchObject({ status: 'cancelled', filled: '0.4', amount: '1' });
    expect(toExchangeOrder(order('closed', 1, 1), market, 'c', 0).status).toBe('filled');
  });

  it('refuses a status it does not know rather than guess', () => {
    expect(() => toExchangeOrder(order('pending_new', 1, 0), market, 'c', 0)).toThrow(/unknown order status/);
  });
});
