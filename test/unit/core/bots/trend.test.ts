// The trend bot on crafted 15-minute swing waves: it fires when the EMAs are stacked, the MACD
// histogram has just turned positive and the swings make higher highs and higher lows with the
// 1-hour EMAs aligned, and stays silent with any part missing.
import { describe, expect, it } from 'vitest';
import { type BarSeries, barsUpTo } from '../../../../shared/core/bots/bot-types.js';
import { lastTwoSwings } from '../../../../shared/core/bots/price-structure.js';
import { lastBars } from '../../../../shared/core/bots/rule-helpers.js';
import { TREND_CONFIG, trendBot } from '../../../../shared/core/bots/trend.js';
import { ema, macd } from '../../../../shared/core/indicators/index.js';
import { H1, M15, resample, toSeries } from './crafted-series.js';
import { expectLong, lastClose } from './expect-idea.js';
import { higherTrend, trendSetup } from './scenarios.js';

const decide = (primary: BarSeries, higher: BarSeries = resample(primary, M15, H1)) =>
  trendBot.evaluate({ symbol: 'ETH/USDT', primary, higher });

const v = (a: Float64Array, t: number) => a[t] ?? Number.NaN;

/** The rule's parts on the last bar, read with the shared indicators and swing helper, on the strategy's window. */
function parts(full: BarSeries) {
  const s = lastBars(full, TREND_CONFIG.lookback);
  const i = s.length - 1;
  const c = s.close;
  const e20 = ema(c, 20);
  const e50 = ema(c, 50);
  const e100 = ema(c, 100);
  const h = macd(c, 12, 26, 9).histogram;
  const crossAge = [0, 1, 2].find((a) => v(h, i - a - 1) <= 0 && v(h, i - a) > 0) ?? -1;
  const hi = s.high.subarray(s.length - 100);
  const lo = s.low.subarray(s.length - 100);
  const sw = lastTwoSwings(hi, lo, 3);
  const h1 = resample(full, M15, H1);
  const h1Close = lastBars(h1, TREND_CONFIG.higherLookback).close;
  const m = h1Close.length - 1;
  return {
    aligned: v(c, i) > v(e20, i) && v(e20, i) > v(e50, i) && v(e50, i) > v(e100, i),
    macdTurnedRecently: v(h, i) > 0 && crossAge >= 0,
    higherHighs: sw !== null && v(hi, sw.highs[1]) > v(hi, sw.highs[0]),
    higherLows: sw !== null && v(lo, sw.lows[1]) > v(lo, sw.lows[0]),
    hourAligned: v(ema(h1Close, 20), m) > v(ema(h1Close, 50), m) && v(h1Close, m) > v(ema(h1Close, 50), m),
  };
}

const ALL = {
  aligned: true,
  macdTurnedRecently: true,
  higherHighs: true,
  higherLows: true,
  hourAligned: true,
};

describe('trend bot', () => {
  it('declares 15m with a 1h confirmation and lookbacks that fit in 7 days of 5-minute bars', () => {
    expect(trendBot.name).toBe('trend');
    expect(trendBot.timeframe).toBe('15m');
    expect(trendBot.higherTimeframe).toBe('1h');
    expect(trendBot.lookback).toBeLessThanOrEqual(2016 / 3);
    expect(trendBot.higherLookback ?? 0).toBeLessThanOrEqual(2016 / 12);
  });

  it('goes long when the MACD turns in a stacked, rising structure: TP +3 %, SL −1.5 %, reason with the numbers', () => {
    const s = toSeries(trendSetup());
    expect(parts(s)).toEqual(ALL);
    const entry = lastClose(s);
    const idea = expectLong(decide(s), s, { target: entry * 1.03, stopLoss: entry * 0.985 });
    expect(idea.reason).toMatch(/^close [\d.]+ > EMA20 [\d.]+ > EMA50 [\d.]+ > EMA100 [\d.]+/);
    expect(idea.reason).toContain('MACD histogram crossed above 0 on this bar');
    expect(idea.reason).toMatch(/higher highs [\d.]+ → [\d.]+ and higher lows [\d.]+ → [\d.]+/);
    expect(idea.reason).toMatch(/1h EMA20 [\d.]+ > EMA50 [\d.]+/);
  });

  it('still fires one and two bars after the MACD turn, and not three', () => {
    for (const extraBars of [1, 2]) expect(decide(toSeries(trendSetup({ extraBars })))).not.toBeNull();
    const late = toSeries(trendSetup({ extraBars: 3 }));
    expect(parts(late)).toEqual({ ...ALL, macdTurnedRecently: false });
    expect(decide(late)).toBeNull();
  });

  it('is silent when the EMAs are not stacked (a recovery from a downtrend: EMA50 still under EMA100)', () => {
    const s = toSeries(trendSetup({ downStart: 250, legs: 9 }));
    const { hourAligned: _ignored, ...primary } = parts(s);
    expect(primary).toEqual({
      aligned: false,
      macdTurnedRecently: true,
      higherHighs: true,
      higherLows: true,
    });
    expect(decide(s, toSeries(higherTrend(120, 0.002, H1)))).toBeNull();
  });

  it('is silent on a lower low (the last pullback fell under the previous swing low)', () => {
    const s = toSeries(trendSetup({ lastDown: 0.035 }));
    expect(parts(s)).toEqual({ ...ALL, higherLows: false });
    expect(decide(s)).toBeNull();
  });

  it('is silent on a lower high (the last rally stopped under the previous swing high)', () => {
    const s = toSeries(trendSetup({ lastUp: 0.012, lastDown: 0.005 }));
    expect(parts(s)).toEqual({ ...ALL, higherHighs: false });
    expect(decide(s)).toBeNull();
  });

  it('is vetoed when the 1-hour EMAs are not aligned: a 1h downtrend, or an hourly history still down', () => {
    const s = toSeries(trendSetup());
    expect(decide(s, toSeries(higherTrend(120, -0.003, H1)))).toBeNull();
    const recovering = toSeries(trendSetup({ downStart: 300, legs: 13 }));
    expect(parts(recovering)).toEqual({ ...ALL, hourAligned: false });
    expect(decide(recovering)).toBeNull();
    expect(decide(recovering, toSeries(higherTrend(120, 0.002, H1)))).not.toBeNull();
  });

  it('decides nothing without the 1-hour bars or with fewer bars than its lookbacks', () => {
    const s = toSeries(trendSetup());
    expect(trendBot.evaluate({ symbol: 'ETH/USDT', primary: s })).toBeNull();
    expect(decide(s, barsUpTo(resample(s, M15, H1), TREND_CONFIG.higherLookback - 1))).toBeNull();
    expect(decide(lastBars(s, TREND_CONFIG.lookback - 1), resample(s, M15, H1))).toBeNull();
  });

  it('scores by the documented formula: 0.4 + 0.6 × mean(EMA spread / 2 %, swing step / 1 %, MACD freshness)', () => {
    const full = toSeries(trendSetup({ up: 0.012, down: 0.008, extraBars: 1 }));
    const s = lastBars(full, TREND_CONFIG.lookback);
    const i = s.length - 1;
    const hi = s.high.subarray(s.length - 100);
    const lo = s.low.subarray(s.length - 100);
    const sw = lastTwoSwings(hi, lo, 3);
    if (sw === null) throw new Error('no swings');
    const step =
      (v(hi, sw.highs[1]) / v(hi, sw.highs[0]) - 1 + (v(lo, sw.lows[1]) / v(lo, sw.lows[0]) - 1)) / 2;
    const spread = v(ema(s.close, 20), i) / v(ema(s.close, 100), i) - 1;
    const clamp = (x: number) => Math.min(1, Math.max(0, x));
    const expected = 0.4 + (0.6 * (clamp(spread / 0.02) + clamp(step / 0.01) + (1 - 1 / 3))) / 3;
    const idea = decide(full);
    expect(idea?.confidence).toBeCloseTo(expected, 12);
    expect(idea?.confidence).toBeLessThan(1);
  });
});
