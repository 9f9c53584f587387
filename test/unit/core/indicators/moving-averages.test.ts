// Moving averages against reference libraries on 1,000 real BTC/USDT 5m bars: SMA, EMA, WMA, DEMA,
// TEMA, HMA and the rolling VWAP, each with its warm-up length and a stated tolerance.
import * as ti from 'technicalindicators';
import * as ts from 'trading-signals';
import { describe, expect, it } from 'vitest';
import { dema, ema, hma, sma, tema, vwap, wma } from '../../../../shared/core/indicators/index.js';
import { alignEnd, btc, candles, drive, expectClose, expectWarmUp } from './fixture.js';

const close = btc.close;
const n = btc.length;
const closes = Array.from(close);
const PERIODS = [2, 5, 14, 20, 50];

/** technicalindicators' EMA: SMA-seeded like ours, so the definitions match exactly. */
function tiEma(values: number[], period: number): number[] {
  return ti.EMA.calculate({ period, values });
}

describe.each(PERIODS)('moving averages, period %i', (period) => {
  // Ours keeps a running sum (re-added each lap); the references re-add the window: rounding only.
  it('SMA matches technicalindicators and trading-signals to 1e-12 relative', () => {
    const ours = sma(close, period);
    expectWarmUp(ours, period - 1);
    expectClose(ours, alignEnd(ti.SMA.calculate({ period, values: closes }), n), {
      from: period - 1,
      rel: 1e-12,
    });
    expectClose(ours, drive(new ts.SMA(period), closes, Number), { from: period - 1, rel: 1e-12 });
  });

  it('EMA (SMA seed) matches technicalindicators to 1e-12 from the first value', () => {
    const ours = ema(close, period);
    expectWarmUp(ours, period - 1);
    expectClose(ours, alignEnd(tiEma(closes, period), n), { from: period - 1, rel: 1e-12 });
  });

  // trading-signals seeds its EMA with the first price instead of the SMA; the seed's weight decays
  // as (1 − α)^k, below 1e-12 of the price by bar 400 for period 50.
  it('EMA matches trading-signals (first-price seed) to 1e-9 once the seed has washed out', () => {
    expectClose(ema(close, period), drive(new ts.EMA(period), closes, Number), { from: 400, rel: 1e-9 });
  });

  it('WMA matches technicalindicators and trading-signals to 1e-12 relative', () => {
    const ours = wma(close, period);
    expectWarmUp(ours, period - 1);
    expectClose(ours, alignEnd(ti.WMA.calculate({ period, values: closes }), n), {
      from: period - 1,
      rel: 1e-12,
    });
    expectClose(ours, drive(new ts.WMA(period), closes, Number), { from: period - 1, rel: 1e-12 });
  });

  // TA-Lib's DEMA/TEMA: each EMA stage starts from the SMA of the previous stage's first values,
  // which is what chaining technicalindicators' EMA over the previous stage's output does.
  it('DEMA equals 2·EMA − EMA(EMA) built from technicalindicators EMAs, to 1e-12', () => {
    const ours = dema(close, period);
    expectWarmUp(ours, 2 * (period - 1));
    const e1 = tiEma(closes, period);
    const e2 = tiEma(e1, period);
    const expected = alignEnd(
      e2.map((v, j) => 2 * (e1[j + period - 1] ?? Number.NaN) - v),
      n,
    );
    expectClose(ours, expected, { from: 2 * (period - 1), rel: 1e-12 });
    expectClose(ours, drive(new ts.DEMA(period), closes, Number), { from: 600, rel: 1e-9 });
  });

  it('TEMA equals 3·EMA − 3·EMA² + EMA³ from technicalindicators EMAs, to 1e-12', () => {
    const ours = tema(close, period);
    expectWarmUp(ours, 3 * (period - 1));
    const e1 = tiEma(closes, period);
    const e2 = tiEma(e1, period);
    const e3 = tiEma(e2, period);
    const expected = alignEnd(
      e3.map(
        (v, j) => 3 * (e1[j + 2 * (period - 1)] ?? Number.NaN) - 3 * (e2[j + period - 1] ?? Number.NaN) + v,
      ),
      n,
    );
    expectClose(ours, expected, { from: 3 * (period - 1), rel: 1e-12 });
    // trading-signals' TEMA stages are seeded with first values: compared once that has decayed.
    expectClose(ours, drive(new ts.TEMA(period), closes, Number), { from: 800, rel: 1e-9 });
  });

  it('HMA matches trading-signals to 1e-12 relative', () => {
    const ours = hma(close, period);
    const warmUp = period - 1 + Math.floor(Math.sqrt(period)) - 1;
    expectWarmUp(ours, warmUp);
    expectClose(ours, drive(new ts.HMA(period), closes, Number), { from: warmUp, rel: 1e-12 });
  });

  // A rolling VWAP of the typical price is trading-signals' VWMA fed the typical price as its close.
  it('rolling VWAP matches trading-signals VWMA of the typical price to 1e-12', () => {
    const ours = vwap(btc.high, btc.low, close, btc.volume, period);
    expectWarmUp(ours, period - 1);
    const typical = candles(btc).map((c) => ({ close: (c.high + c.low + c.close) / 3, volume: c.volume }));
    expectClose(ours, drive(new ts.VWMA(period), typical, Number), { from: period - 1, rel: 1e-12 });
  });
});

describe('moving averages on hand-made series', () => {
  it('SMA of 1..5 with period 3 is NaN, NaN, 2, 3, 4', () => {
    expect(Array.from(sma(Float64Array.of(1, 2, 3, 4, 5), 3))).toEqual([Number.NaN, Number.NaN, 2, 3, 4]);
  });

  it('WMA of 1, 2, 3 with period 3 is (1 + 4 + 9)/6', () => {
    expect(wma(Float64Array.of(1, 2, 3), 3)[2]).toBeCloseTo(14 / 6, 14);
  });

  it('a flat series gives the same flat value from every moving average', () => {
    const flat = new Float64Array(200).fill(42.5);
    for (const out of [
      sma(flat, 9),
      ema(flat, 9),
      wma(flat, 9),
      dema(flat, 9),
      tema(flat, 9),
      hma(flat, 9),
    ]) {
      for (const v of out) if (!Number.isNaN(v)) expect(v).toBeCloseTo(42.5, 10);
    }
  });

  it('VWAP is NaN over a window with no volume and ignores zero-volume bars otherwise', () => {
    const high = Float64Array.of(11, 12, 13, 14);
    const low = Float64Array.of(9, 10, 11, 12);
    const price = Float64Array.of(10, 11, 12, 13);
    const out = vwap(high, low, price, Float64Array.of(0, 0, 2, 0), 2);
    expect(Number.isNaN(out[1] ?? 0)).toBe(true);
    expect(out[2]).toBeCloseTo(12, 12);
    expect(out[3]).toBeCloseTo(12, 12);
  });

  it('rejects a period that is not a whole number ≥ 1', () => {
    expect(() => sma(close, 0)).toThrow(RangeError);
    expect(() => ema(close, 2.5)).toThrow(RangeError);
    expect(() => hma(close, 1)).toThrow(RangeError);
  });

  // A running sum over a million bars would drift; the per-lap re-sum keeps it at the exact mean.
  it('SMA stays exact over a long series with a large offset', () => {
    const long = Float64Array.from({ length: 200_000 }, (_, i) => 1e9 + (i % 7) * 0.1);
    const out = sma(long, 7);
    expect(out[long.length - 1]).toBeCloseTo(1e9 + 0.3, 6);
  });
});
