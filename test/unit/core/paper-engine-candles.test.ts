// What the paper engine keeps for a gateway (its last candles, fills by time, its order count) and
// the bar shaping shared by both paper venues (timeframes, aggregation, since/limit).
import { describe, expect, it } from 'vitest';
import { barsInTimeframe, selectBars, timeframeMs } from '../../../shared/core/paper/engine-candles.js';
import type { Candle } from '../../../shared/core/paper/engine-types.js';
import { BTC, engineWith, fees, place } from './paper-engine-fixture.js';

const T0 = Date.UTC(2026, 0, 1);
const candle = (minute: number, close: string, volume = '10'): Candle => ({
  openTime: T0 + minute * 60_000,
  open: close,
  high: close,
  low: close,
  close,
  volume,
});

describe('paper engine: what a gateway reads', () => {
  it('keeps no candles unless asked, and only the last keepCandles when asked', () => {
    const none = engineWith();
    none.onCandle('BTC/USDT', candle(1, '20000'));
    expect(none.candles('BTC/USDT')).toEqual([]);
    const some = engineWith({ keepCandles: 3 });
    for (let i = 1; i <= 10; i++) some.onCandle('BTC/USDT', candle(i, String(20000 + i)));
    expect(some.candles('BTC/USDT').map((c) => c.close)).toEqual(['20008', '20009', '20010']);
    expect(() => some.candles('ETH/USDT')).toThrow(/no market ETH\/USDT/);
  });

  it('counts placed orders (not refused ones) and reports fills from a feed time on, oldest first', () => {
    const engine = engineWith();
    engine.onCandle('BTC/USDT', candle(1, '20000'));
    place(engine, { side: 'buy', type: 'limit', clientOrderId: 'rest', amount: '0.01', price: '19900' });
    place(engine, { side: 'buy', type: 'market', clientOrderId: 'now', amount: '0.01' });
    expect(
      engine.place({ symbol: 'BTC/USDT', side: 'buy', type: 'market', clientOrderId: 'x', amount: '100' }).ok,
    ).toBe(false);
    expect(engine.orderCount()).toBe(2);
    engine.onCandle('BTC/USDT', { ...candle(2, '19950'), low: '19890' });
    const fills = engine.fillsSince('BTC/USDT', 0);
    expect(fills.map((f) => [f.clientOrderId, f.time])).toEqual([
      ['now', T0 + 60_000],
      ['rest', T0 + 120_000],
    ]);
    expect(engine.fillsSince('BTC/USDT', T0 + 60_001).map((f) => f.clientOrderId)).toEqual(['rest']);
  });

  it('lists its markets and fee model', () => {
    const engine = engineWith();
    expect(engine.markets()).toEqual([BTC]);
    expect(engine.fees).toEqual(fees);
  });
});

describe('paper bars', () => {
  it('parses ccxt timeframes and nothing else', () => {
    expect(['1m', '5m', '1h', '4h', '1d', '1w'].map(timeframeMs)).toEqual([
      60_000, 300_000, 3_600_000, 14_400_000, 86_400_000, 604_800_000,
    ]);
    expect(['', '0m', '5', '1M', '1y', '1.5h'].map(timeframeMs)).toEqual([
      null,
      null,
      null,
      null,
      null,
      null,
    ]);
  });

  it('merges native bars into epoch-aligned coarser bars: first open, extremes, last close, summed volume', () => {
    const bars: Candle[] = [
      { openTime: T0, open: '10', high: '12', low: '9', close: '11', volume: '1.5' },
      { openTime: T0 + 60_000, open: '11', high: '15', low: '10', close: '14', volume: '2' },
      { openTime: T0 + 120_000, open: '14', high: '14', low: '8', close: '9', volume: '0.5' },
    ];
    const result = barsInTimeframe(bars, 60_000, '2m');
    expect(result).toEqual({
      ok: true,
      value: [
        { openTime: T0, open: '10', high: '15', low: '9', close: '14', volume: '3.5' },
        { openTime: T0 + 120_000, open: '14', high: '14', low: '8', close: '9', volume: '0.5' },
      ],
    });
    expect(barsInTimeframe(bars, 60_000, '1m')).toEqual({ ok: true, value: bars });
    expect(barsInTimeframe(bars, 120_000, '1m')).toMatchObject({
      ok: false,
      error: { code: 'invalid-order' },
    });
    expect(barsInTimeframe(bars, 120_000, '3m')).toMatchObject({
      ok: false,
      error: { code: 'invalid-order' },
    });
  });

  it('selects the first `limit` bars from `since`, or the last `limit` without it', () => {
    const bars = [1, 2, 3, 4].map((m) => candle(m, String(m)));
    expect(selectBars(bars, undefined, 2).map((b) => b.close)).toEqual(['3', '4']);
    expect(selectBars(bars, T0 + 2 * 60_000, 2).map((b) => b.close)).toEqual(['2', '3']);
    expect(selectBars(bars, T0 + 2 * 60_000).map((b) => b.close)).toEqual(['2', '3', '4']);
    expect(selectBars(bars).map((b) => b.close)).toEqual(['1', '2', '3', '4']);
  });
});
