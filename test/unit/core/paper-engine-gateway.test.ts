import { describe, expect, it } from 'vitest';
import { PaperEngine } from '../../../shared/core/paper/engine.js';
import { PaperGateway } from '../../../shared/core/paper/paper-gateway.js';
import { ExchangeError } from '../../../shared/ports/exchange-gateway.js';

const rules = { amountStep: '0.001', minAmount: '0.001', minNotional: '5' };

function gateway(withPrice = true) {
  const engine = new PaperEngine({
    markets: [{ symbol: 'BTC/USDT', base: 'BTC', quote: 'USDT', rules }],
    fees: { takerFeeRate: '0.001', makerFeeRate: '0.001', slippageBps: 0 },
    balances: { USDT: '1000' },
  });
  if (withPrice) engine.onTick('BTC/USDT', { at: Date.UTC(2026, 0, 1), price: '20000' });
  return { engine, gateway: new PaperGateway(engine, (kind, message) => new ExchangeError(kind, message)) };
}

describe('paper gateway', () => {
  it('places a market order as a filled ExchangeOrder with its trade', async () => {
    const { gateway: g } = gateway();
    const order = await g.createOrder({
      symbol: 'BTC/USDT',
      side: 'buy',
      type: 'market',
      clientOrderId: 'p1-base',
      quoteAmount: '100',
    });
    // 100 / 20000 = 0.005; cost 100; fee 0.1
    expect(order).toMatchObject({
      type: 'market',
      status: 'filled',
      price: '20000',
      amount: '0.005',
      filled: '0.005',
    });
    expect(order.trades).toEqual([expect.objectContaining({ cost: '100', fee: '0.1', feeCurrency: 'USDT' })]);
    expect(await g.fetchBalances()).toEqual([
      { currency: 'BTC', free: '0.005', used: '0' },
      { currency: 'USDT', free: '899.9', used: '0' },
    ]);
  });

  it('returns the first order for a retried client order id and finds it by that id', async () => {
    const { gateway: g } = gateway();
    const request = {
      symbol: 'BTC/USDT',
      side: 'buy',
      type: 'limit',
      clientOrderId: 'p1-so1',
      price: '19000',
      amount: '0.01',
    } as const;
    const first = await g.createOrder(request);
    expect(await g.createOrder(request)).toEqual(first);
    expect(await g.fetchOrderByClientId('BTC/USDT', 'p1-so1')).toEqual(first);
    expect(await g.fetchOrderByClientId('ETH/USDT', 'p1-so1')).toBeNull();
    expect(await g.fetchOrderByClientId('BTC/USDT', 'unknown')).toBeNull();
  });

  it.each([
    [{ side: 'buy', type: 'market', amount: '1' }, 'insufficient-funds'],
    [{ side: 'buy', type: 'market', quoteAmount: '1' }, 'min-notional'],
    [{ side: 'buy', type: 'limit', amount: '0.01' }, 'invalid-order'],
  ] as const)('rejects with the ExchangeError kind the engine coded (%j)', async (request, kind) => {
    const { gateway: g } = gateway();
    const error = await g
      .createOrder({ symbol: 'BTC/USDT', clientOrderId: 'x', ...request })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ExchangeError);
    expect(error).toMatchObject({ kind, retryable: false });
  });

  it('reports a market with no price yet as unavailable (retryable), and knows its rules', async () => {
    const { gateway: g } = gateway(false);
    await expect(g.fetchTicker('BTC/USDT')).rejects.toMatchObject({
      kind: 'exchange-unavailable',
      retryable: true,
    });
    expect(await g.marketRules('BTC/USDT')).toEqual(rules);
    await expect(g.marketRules('ETH/USDT')).rejects.toMatchObject({ kind: 'invalid-order' });
  });

  it('gives the ticker from the last price with the feed time', async () => {
    expect(await gateway().gateway.fetchTicker('BTC/USDT')).toEqual({
      symbol: 'BTC/USDT',
      last: '20000',
      at: '2026-01-01T00:00:00.000Z',
    });
  });

  it('cancels by client id, releasing the reservation', async () => {
    const { gateway: g } = gateway();
    await g.createOrder({
      symbol: 'BTC/USDT',
      side: 'buy',
      type: 'limit',
      clientOrderId: 'c',
      price: '19000',
      amount: '0.01',
    });
    expect(await g.cancelOrder('BTC/USDT', { clientOrderId: 'c' })).toMatchObject({ status: 'cancelled' });
    expect(await g.cancelOrder('BTC/USDT', { clientOrderId: 'missing' })).toBeNull();
    expect(await g.fetchBalances()).toEqual([{ currency: 'USDT', free: '1000', used: '0' }]);
  });
});
