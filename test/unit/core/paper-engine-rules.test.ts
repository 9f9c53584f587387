import { describe, expect, it } from 'vitest';
import { PaperEngineUsageError } from '../../../shared/core/paper/engine-types.js';
import { at20000, balance, bar, engineWith, place } from './paper-engine-fixture.js';

describe('paper engine: order inside a bar', () => {
  const wideBar = () => bar('20000', '21500', '18500', '20000');

  it('fills the stop-loss, not the take-profit, of a long when one bar touches both', () => {
    const engine = at20000();
    place(engine, {
      side: 'sell',
      type: 'limit',
      clientOrderId: 'tp',
      price: '21000',
      amount: '1',
      ocoGroup: 'exit',
    });
    place(engine, {
      side: 'sell',
      type: 'stop-market',
      clientOrderId: 'sl',
      triggerPrice: '19000',
      amount: '1',
      ocoGroup: 'exit',
    });
    expect(balance(engine, 'BTC')).toEqual({ free: '0', used: '1' }); // one hold for both legs
    const trades = engine.onCandle('BTC/USDT', wideBar());
    expect(trades.map((t) => [t.clientOrderId, t.price])).toEqual([['sl', '18981']]);
    expect(engine.orderByClientId('tp')).toMatchObject({ status: 'cancelled', closeReason: 'oco' });
    expect(balance(engine, 'BTC')).toEqual({ free: '0', used: '0' });
  });

  it('fills the stop-loss of a short first: the high comes before the low', () => {
    const engine = at20000();
    engine.setPathBias('BTC/USDT', 'short');
    place(engine, {
      side: 'buy',
      type: 'limit',
      clientOrderId: 'tp',
      price: '19000',
      amount: '0.4',
      ocoGroup: 'exit',
    });
    place(engine, {
      side: 'buy',
      type: 'stop-market',
      clientOrderId: 'sl',
      triggerPrice: '21000',
      amount: '0.4',
      ocoGroup: 'exit',
    });
    const trades = engine.onCandle('BTC/USDT', wideBar());
    expect(trades.map((t) => [t.clientOrderId, t.price])).toEqual([['sl', '21021']]);
    expect(engine.orderByClientId('tp')?.status).toBe('cancelled');
    expect(balance(engine, 'USDT').used).toBe('0');
  });

  it('fills both sides of a long in path order when they are independent orders', () => {
    const engine = at20000();
    place(engine, { side: 'sell', type: 'limit', clientOrderId: 'tp', price: '21000', amount: '0.5' });
    place(engine, { side: 'buy', type: 'limit', clientOrderId: 'so', price: '19000', amount: '0.5' });
    expect(engine.onCandle('BTC/USDT', wideBar()).map((t) => t.clientOrderId)).toEqual(['so', 'tp']);
  });
});

describe('paper engine: refusals and idempotency', () => {
  it('refuses a market order before the symbol has a price', () => {
    const result = engineWith().place({
      symbol: 'BTC/USDT',
      side: 'buy',
      type: 'market',
      clientOrderId: 'x',
      amount: '0.1',
    });
    expect(result).toMatchObject({ ok: false, error: { code: 'invalid-order' } });
  });

  it('returns the first order for a repeated client order id and moves funds once', () => {
    const engine = at20000();
    const first = place(engine, { side: 'buy', type: 'market', clientOrderId: 'same', quoteAmount: '1000' });
    const again = place(engine, { side: 'buy', type: 'market', clientOrderId: 'same', quoteAmount: '1000' });
    expect(again.duplicate).toBe(true);
    expect(again.trades).toEqual([]);
    expect(again.order).toEqual(first.order);
    expect(balance(engine, 'USDT').free).toBe('9018.03902');
  });

  it.each([
    [
      'a limit buy beyond the free quote',
      { side: 'buy', type: 'limit', price: '19500', amount: '1' },
      'insufficient-funds',
    ],
    [
      'a market sell beyond the free base',
      { side: 'sell', type: 'market', amount: '2' },
      'insufficient-funds',
    ],
    [
      'an order below the minimum notional',
      { side: 'buy', type: 'market', quoteAmount: '4' },
      'min-notional',
    ],
    [
      'an amount that floors to zero',
      { side: 'sell', type: 'limit', price: '21000', amount: '0.0004' },
      'min-notional',
    ],
    [
      'a price off the tick',
      { side: 'buy', type: 'limit', price: '19500.001', amount: '0.1' },
      'invalid-order',
    ],
    ['a limit without a price', { side: 'buy', type: 'limit', amount: '0.1' }, 'invalid-order'],
    ['a negative amount', { side: 'buy', type: 'limit', price: '19500', amount: '-1' }, 'invalid-order'],
    ['an unknown symbol', { symbol: 'DOGE/USDT', side: 'buy', type: 'market', amount: '1' }, 'invalid-order'],
  ] as const)('refuses %s', (_name, request, code) => {
    const engine = at20000();
    const result = engine.place({ symbol: 'BTC/USDT', clientOrderId: 'r', ...request });
    expect(result).toMatchObject({ ok: false, error: { code } });
    expect(engine.orderByClientId('r')).toBeNull(); // a refused id can be used again
    expect(balance(engine, 'USDT')).toEqual({ free: '10000', used: '0' });
    expect(balance(engine, 'BTC')).toEqual({ free: '1', used: '0' });
  });

  it('floors the amount to the step, never above what was asked', () => {
    const { order } = place(at20000(), {
      side: 'sell',
      type: 'market',
      clientOrderId: 'f',
      amount: '0.1239',
    });
    expect(order.amount).toBe('0.123');
  });

  it('numbers order ids from a counter, skipping none for refused orders', () => {
    const engine = at20000();
    engine.place({ symbol: 'BTC/USDT', side: 'sell', type: 'market', clientOrderId: 'x', amount: '5' });
    expect(
      place(engine, { side: 'sell', type: 'market', clientOrderId: 'y', amount: '0.1' }).order.orderId,
    ).toBe('paper-1');
  });

  it('throws a usage error for an unknown feed symbol or a bar older than the last', () => {
    const engine = at20000();
    expect(() => engine.onCandle('ETH/USDT', bar('1', '1', '1', '1'))).toThrow(PaperEngineUsageError);
    const late = bar('1', '1', '1', '1');
    engine.onCandle('BTC/USDT', bar('1', '1', '1', '1'));
    expect(() => engine.onCandle('BTC/USDT', late)).toThrow(/backwards|</);
  });
});

describe('paper engine: a buy stop that gaps beyond its reservation', () => {
  it('fills what the funds cover and closes the rest as insufficient funds', () => {
    // Reserve 0.1 × 21000 × 1.001 × 1.001 = 2104.2021 of the 2200 USDT; the bar opens at 30000:
    // 30030 per BTC + 0.1 % fee = 30060.03; 2200 / 30060.03 = 0.0731… → 0.073 filled.
    const engine = at20000({ balances: { USDT: '2200' } });
    place(engine, {
      side: 'buy',
      type: 'stop-market',
      clientOrderId: 'bs',
      triggerPrice: '21000',
      amount: '0.1',
    });
    const [trade] = engine.onCandle('BTC/USDT', bar('30000', '30100', '29900', '30050'));
    expect(trade).toMatchObject({ price: '30030', amount: '0.073', orderStatus: 'cancelled' });
    expect(engine.orderByClientId('bs')).toMatchObject({
      filled: '0.073',
      closeReason: 'insufficient-funds',
    });
    // 2200 − 0.073 × 30030 × 1.001 = 2200 − 2194.38219 = 5.61781
    expect(balance(engine, 'USDT')).toEqual({ free: '5.61781', used: '0' });
  });

  it('is rejected when the funds cover not even one step, releasing its reservation', () => {
    const engine = at20000({ balances: { USDT: '30' } });
    place(engine, {
      side: 'buy',
      type: 'stop-market',
      clientOrderId: 'bs',
      triggerPrice: '21000',
      amount: '0.001',
    });
    expect(engine.onCandle('BTC/USDT', bar('50000', '50100', '49900', '50050'))).toEqual([]);
    expect(engine.orderByClientId('bs')).toMatchObject({
      status: 'rejected',
      closeReason: 'insufficient-funds',
    });
    expect(balance(engine, 'USDT')).toEqual({ free: '30', used: '0' });
  });
});
