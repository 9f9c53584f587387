import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { candleSeries } from '../../../shared/core/paper/candle-series.js';
import { PaperEngine } from '../../../shared/core/paper/engine.js';
import type { Candle, PaperTrade } from '../../../shared/core/paper/engine-types.js';
import { isoFromEpochMs } from '../../../shared/core/paper/iso-time.js';

const cents = (c: number) => `${Math.floor(c / 100)}.${String(c % 100).padStart(2, '0')}`;

const candles = fc
  .array(
    fc.record({
      move: fc.integer({ min: -5_000, max: 5_000 }),
      up: fc.nat({ max: 3_000 }),
      down: fc.nat({ max: 3_000 }),
    }),
    { minLength: 1, maxLength: 60 },
  )
  .map((steps) => {
    let close = 100_000;
    return steps.map((s, i): Candle => {
      const open = close;
      close = Math.max(100, open + s.move);
      return {
        openTime: i * 60_000,
        open: cents(open),
        high: cents(Math.max(open, close) + s.up),
        low: cents(Math.max(1, Math.min(open, close) - s.down)),
        close: cents(close),
        volume: '50',
      };
    });
  });

function grid(feed: (engine: PaperEngine, i: number) => readonly PaperTrade[], count: number) {
  const engine = new PaperEngine({
    markets: [
      {
        symbol: 'X/USD',
        base: 'X',
        quote: 'USD',
        rules: { amountStep: '0.01', minAmount: '0.01', minNotional: '1' },
      },
    ],
    fees: { takerFeeRate: '0.001', makerFeeRate: '0.0005', slippageBps: 3 },
    balances: { USD: '100000', X: '50' },
  });
  engine.onTick('X/USD', { at: 0, price: '1000' });
  for (let k = 1; k <= 5; k++) {
    engine.place({
      symbol: 'X/USD',
      side: 'buy',
      type: 'limit',
      clientOrderId: `b${k}`,
      price: `${1000 - 5 * k}`,
      amount: '3',
    });
    engine.place({
      symbol: 'X/USD',
      side: 'sell',
      type: 'limit',
      clientOrderId: `s${k}`,
      price: `${1000 + 5 * k}`,
      amount: '3',
    });
    engine.place({
      symbol: 'X/USD',
      side: 'sell',
      type: 'stop-market',
      clientOrderId: `l${k}`,
      triggerPrice: `${990 - 7 * k}`,
      amount: '1',
    });
  }
  const trades: PaperTrade[] = [];
  for (let i = 0; i < count; i++) trades.push(...feed(engine, i));
  return { trades, balances: engine.balances() };
}

describe('paper engine feeds', () => {
  it('fills the same from a pre-parsed candle series as from the candles themselves', () => {
    fc.assert(
      fc.property(candles, (bars) => {
        const shifted = bars.map((c) => ({ ...c, openTime: c.openTime + 60_000 }));
        const series = candleSeries(shifted);
        const fromCandles = grid((engine, i) => engine.onCandle('X/USD', shifted[i] as Candle), bars.length);
        const fromSeries = grid((engine, i) => engine.onSeriesCandle('X/USD', series, i), bars.length);
        expect(fromSeries).toEqual(fromCandles);
      }),
      { numRuns: 100 },
    );
  });

  it('stamps times exactly as Date#toISOString does', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 253_402_300_799_999 }), (ms) => {
        expect(isoFromEpochMs(ms)).toBe(new Date(ms).toISOString());
      }),
      { numRuns: 2_000 },
    );
  });
});
