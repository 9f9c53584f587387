import { describe, expect, it } from 'vitest';
import { PaperEngine } from '../../../shared/core/paper/engine.js';
import type { PaperMarket } from '../../../shared/core/paper/engine-types.js';
import { at20000, balance, bar, fees, place } from './paper-engine-fixture.js';

describe('paper engine: market orders', () => {
  it('fills a market buy by quote at the slipped close, amount floored, taker fee on top', () => {
    // 20000 × 1.001 = 20020; 1000 / 20020 = 0.04995… → 0.049; cost 0.049 × 20020 = 980.98;
    // fee 980.98 × 0.001 = 0.98098; USDT 10000 − 980.98 − 0.98098 = 9018.03902
    const engine = at20000();
    const { order, trades } = place(engine, {
      side: 'buy',
      type: 'market',
      clientOrderId: 'm1',
      quoteAmount: '1000',
    });
    expect(order).toMatchObject({
      status: 'filled',
      amount: '0.049',
      filled: '0.049',
      averagePrice: '20020',
    });
    expect(trades).toEqual([
      expect.objectContaining({
        price: '20020',
        amount: '0.049',
        cost: '980.98',
        fee: '0.98098',
        feeCurrency: 'USDT',
      }),
    ]);
    expect(trades[0]).toMatchObject({
      liquidity: 'taker',
      tradeId: `${order.orderId}-1`,
      at: '2026-01-01T00:01:00.000Z',
    });
    expect(balance(engine, 'USDT')).toEqual({ free: '9018.03902', used: '0' });
    expect(balance(engine, 'BTC')).toEqual({ free: '1.049', used: '0' });
  });

  it('fills a market sell at the close slipped downwards, fee taken from the proceeds', () => {
    // 20000 × 0.999 = 19980; cost 0.5 × 19980 = 9990; fee 9.99; USDT 10000 + 9990 − 9.99 = 19980.01
    const engine = at20000();
    const { trades } = place(engine, { side: 'sell', type: 'market', clientOrderId: 'm2', amount: '0.5' });
    expect(trades[0]).toMatchObject({ price: '19980', amount: '0.5', cost: '9990', fee: '9.99' });
    expect(balance(engine, 'USDT')).toEqual({ free: '19980.01', used: '0' });
    expect(balance(engine, 'BTC')).toEqual({ free: '0.5', used: '0' });
  });

  it('fills a marketable limit at once as a taker, never beyond its limit price', () => {
    const engine = at20000();
    // Slipped reference 20020 is inside the 20100 limit: 20020. A 20010 limit caps it at 20010.
    const wide = place(engine, {
      side: 'buy',
      type: 'limit',
      clientOrderId: 'l1',
      price: '20100',
      amount: '0.1',
    });
    const tight = place(engine, {
      side: 'buy',
      type: 'limit',
      clientOrderId: 'l2',
      price: '20010',
      amount: '0.1',
    });
    expect(wide.trades[0]).toMatchObject({ price: '20020', liquidity: 'taker' });
    expect(tight.trades[0]).toMatchObject({ price: '20010', liquidity: 'taker' });
    expect(tight.order).toMatchObject({ status: 'filled', price: '20010', averagePrice: '20010' });
    expect(wide.order).toMatchObject({ price: '20100', averagePrice: '20020', remaining: '0' });
  });
});

describe('paper engine: resting limit orders', () => {
  it('reserves quote with the maker fee, fills only when a later bar trades through, at the limit price', () => {
    const engine = at20000();
    // Reserve 0.1 × 19500 × 1.0005 = 1950.975
    place(engine, { side: 'buy', type: 'limit', clientOrderId: 'b1', price: '19500', amount: '0.1' });
    expect(balance(engine, 'USDT')).toEqual({ free: '8049.025', used: '1950.975' });
    expect(engine.onCandle('BTC/USDT', bar('19900', '20000', '19500.01', '19800'))).toEqual([]);
    const trades = engine.onCandle('BTC/USDT', bar('19800', '19900', '19500', '19600'));
    // cost 1950, maker fee 0.975: exactly the reservation
    expect(trades).toEqual([
      expect.objectContaining({ price: '19500', amount: '0.1', cost: '1950', fee: '0.975' }),
    ]);
    expect(trades[0]).toMatchObject({ liquidity: 'maker', orderStatus: 'filled' });
    expect(balance(engine, 'USDT')).toEqual({ free: '8049.025', used: '0' });
    expect(balance(engine, 'BTC')).toEqual({ free: '1.1', used: '0' });
  });

  it('gives no price improvement when the bar gaps through the limit', () => {
    const engine = at20000();
    place(engine, { side: 'buy', type: 'limit', clientOrderId: 'b1', price: '19500', amount: '0.1' });
    const trades = engine.onCandle('BTC/USDT', bar('19000', '19100', '18900', '19050'));
    expect(trades[0]?.price).toBe('19500');
  });

  it('fills a limit partially on thin bars (10 % of volume each) until the amounts sum to the order', () => {
    const engine = at20000();
    place(engine, { side: 'sell', type: 'limit', clientOrderId: 's1', price: '20500', amount: '1' });
    const fills = [
      engine.onCandle('BTC/USDT', bar('20000', '20600', '19900', '20400', '3')), // 0.3
      engine.onCandle('BTC/USDT', bar('20400', '20500', '20300', '20450', '4')), // 0.4
      engine.onCandle('BTC/USDT', bar('20450', '20700', '20400', '20600', '5')), // 0.5 cap, 0.3 left
    ].flat();
    expect(fills.map((t) => [t.amount, t.orderStatus])).toEqual([
      ['0.3', 'open'],
      ['0.4', 'open'],
      ['0.3', 'filled'],
    ]);
    // Σ cost 20500, Σ maker fee 10.25 → USDT 10000 + 20489.75
    expect(balance(engine, 'USDT')).toEqual({ free: '30489.75', used: '0' });
    expect(balance(engine, 'BTC')).toEqual({ free: '0', used: '0' });
    expect(engine.orderByClientId('s1')).toMatchObject({ status: 'filled', filled: '1', cost: '20500' });
  });

  it('fills in full when the participation cap is switched off', () => {
    const engine = at20000({ participationRate: null });
    place(engine, { side: 'sell', type: 'limit', clientOrderId: 's1', price: '20500', amount: '1' });
    expect(engine.onCandle('BTC/USDT', bar('20000', '20600', '19900', '20400', '0'))[0]?.amount).toBe('1');
  });

  it('releases the reservation on cancel, and a second cancel returns the closed order', () => {
    const engine = at20000();
    place(engine, { side: 'buy', type: 'limit', clientOrderId: 'b1', price: '19500', amount: '0.1' });
    place(engine, { side: 'sell', type: 'limit', clientOrderId: 's1', price: '21000', amount: '0.4' });
    expect(balance(engine, 'BTC')).toEqual({ free: '0.6', used: '0.4' });
    expect(engine.cancel('b1')).toMatchObject({
      ok: true,
      value: { status: 'cancelled', closeReason: 'cancelled' },
    });
    expect(engine.cancel('s1').ok).toBe(true);
    expect(balance(engine, 'USDT')).toEqual({ free: '10000', used: '0' });
    expect(balance(engine, 'BTC')).toEqual({ free: '1', used: '0' });
    expect(engine.cancel('b1')).toMatchObject({ ok: true, value: { status: 'cancelled' } });
    expect(engine.cancel('nope')).toMatchObject({ ok: false, error: { code: 'order-not-found' } });
    expect(engine.onCandle('BTC/USDT', bar('20000', '22000', '18000', '20000'))).toEqual([]);
  });

  it('decides a touch exactly when the decimal prices differ beyond float precision', () => {
    const tiny: PaperMarket = {
      symbol: 'T/USDT',
      base: 'T',
      quote: 'USDT',
      rules: { amountStep: '1', minAmount: '1', minNotional: '0.01' },
    };
    const engine = new PaperEngine({
      markets: [tiny],
      fees,
      balances: { USDT: '100' },
      participationRate: null,
    });
    engine.onTick('T/USDT', { at: 0, price: '0.2' });
    const ok = (r: ReturnType<PaperEngine['place']>) => expect(r.ok).toBe(true);
    ok(
      engine.place({
        symbol: 'T/USDT',
        side: 'buy',
        type: 'limit',
        clientOrderId: 'a',
        price: '0.1',
        amount: '10',
      }),
    );
    ok(
      engine.place({
        symbol: 'T/USDT',
        side: 'buy',
        type: 'limit',
        clientOrderId: 'b',
        price: '0.10000000000000000001',
        amount: '10',
      }),
    );
    // Both prices parse to the same float; only 'b' is at or above this low.
    const trades = engine.onTick('T/USDT', { at: 1, price: '0.10000000000000000001' });
    expect(trades.map((t) => t.clientOrderId)).toEqual(['b']);
  });
});

describe('paper engine: stop orders', () => {
  it('triggers a sell stop when the low reaches it and fills at the stop moved by slippage', () => {
    const engine = at20000();
    place(engine, {
      side: 'sell',
      type: 'stop-market',
      clientOrderId: 'sl',
      triggerPrice: '19000',
      amount: '0.5',
    });
    expect(balance(engine, 'BTC')).toEqual({ free: '0.5', used: '0.5' });
    expect(engine.onCandle('BTC/USDT', bar('20000', '20100', '19000.01', '19500'))).toEqual([]);
    // 19000 × 0.999 = 18981; cost 9490.5; taker fee 9.4905
    const trades = engine.onCandle('BTC/USDT', bar('19500', '19600', '18900', '19100'));
    expect(trades).toEqual([
      expect.objectContaining({ price: '18981', cost: '9490.5', fee: '9.4905', liquidity: 'taker' }),
    ]);
    expect(balance(engine, 'BTC')).toEqual({ free: '0.5', used: '0' });
  });

  it('fills a stop at the open when the bar gapped through it (conservative)', () => {
    const engine = at20000();
    place(engine, {
      side: 'sell',
      type: 'stop-market',
      clientOrderId: 'sl',
      triggerPrice: '19000',
      amount: '0.5',
    });
    place(engine, {
      side: 'buy',
      type: 'stop-market',
      clientOrderId: 'bs',
      triggerPrice: '21000',
      amount: '0.1',
    });
    // Sell: gap down to 18500 → 18500 × 0.999 = 18481.5
    expect(engine.onCandle('BTC/USDT', bar('18500', '18600', '18400', '18550'))[0]?.price).toBe('18481.5');
    // Buy: gap up to 22000 → 22000 × 1.001 = 22022
    expect(engine.onCandle('BTC/USDT', bar('22000', '22100', '21900', '22050'))[0]?.price).toBe('22022');
  });

  it('refuses a stop that would trigger at once', () => {
    const result = at20000().place({
      symbol: 'BTC/USDT',
      side: 'sell',
      type: 'stop-market',
      clientOrderId: 'sl',
      triggerPrice: '20000',
      amount: '0.5',
    });
    expect(result).toMatchObject({ ok: false, error: { code: 'invalid-order' } });
  });

  it('fills a take-profit-market at its trigger moved by slippage, also on a favourable gap', () => {
    const engine = at20000();
    place(engine, {
      side: 'sell',
      type: 'take-profit-market',
      clientOrderId: 'tp',
      triggerPrice: '21000',
      amount: '0.5',
    });
    // 21000 × 0.999 = 20979, though the bar opened at 21500
    expect(engine.onCandle('BTC/USDT', bar('21500', '21600', '21400', '21550'))[0]?.price).toBe('20979');
  });
});
