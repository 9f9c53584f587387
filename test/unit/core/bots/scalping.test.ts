// The scalping bot on crafted 5-minute shapes: it fires on an oversold bounce off the EMA50 with a
// stochastic cross and a 15-minute trend that is not down, and stays silent with any part missing.
import { describe, expect, it } from 'vitest';
import { type BarSeries, barsUpTo } from '../../../../shared/core/bots/bot-types.js';
import { lastBars } from '../../../../shared/core/bots/rule-helpers.js';
import { SCALPING_CONFIG, scalpingBot } from '../../../../shared/core/bots/scalping.js';
import { ema, rsi, stochastic } from '../../../../shared/core/indicators/index.js';
import { appendCloses, type Bar, M5, M15, resample, toSeries } from './crafted-series.js';
import { expectLong, lastClose } from './expect-idea.js';
import { higherTrend, type ScalpingShape, scalpingSetup } from './scenarios.js';

const decide = (primary: BarSeries, higher: BarSeries = resample(primary, M5, M15)) =>
  scalpingBot.evaluate({ symbol: 'BTC/USDT', primary, higher });

/** The rule's parts on the last bar, read with the shared indicators, to show which one is missing. */
function parts(s: BarSeries) {
  const i = s.length - 1;
  const r = rsi(s.close, 14);
  const st = stochastic(s.high, s.low, s.close, 14, 3, 3);
  const line = ema(s.close, 50);
  const v = (a: Float64Array, t: number) => a[t] ?? Number.NaN;
  return {
    rsiOversold: Math.min(...[0, 1, 2, 3, 4, 5].map((a) => v(r, i - a))) <= SCALPING_CONFIG.rsiOversold,
    rsiTurningUp: v(r, i) > v(r, i - 1),
    stochCross: v(st.k, i - 1) <= v(st.d, i - 1) && v(st.k, i) > v(st.d, i),
    stochFromOversold: Math.min(v(st.k, i - 1), v(st.d, i - 1)) <= SCALPING_CONFIG.stochOversold,
    touched: [i - 1, i].some((t) => v(s.low, t) <= v(line, t) * 1.001),
    closedAbove: v(s.close, i) > v(line, i),
  };
}

const ALL = {
  rsiOversold: true,
  rsiTurningUp: true,
  stochCross: true,
  stochFromOversold: true,
  touched: true,
  closedAbove: true,
};

describe('scalping bot', () => {
  it('declares 5m with a 15m confirmation and lookbacks that fit in 7 days of 5-minute bars', () => {
    expect(scalpingBot.name).toBe('scalping');
    expect(scalpingBot.timeframe).toBe('5m');
    expect(scalpingBot.higherTimeframe).toBe('15m');
    expect(scalpingBot.lookback).toBeLessThanOrEqual(2016);
    expect(scalpingBot.higherLookback ?? 0).toBeLessThanOrEqual(2016 / 3);
  });

  it('goes long on the bounce bar: entry the last close, TP +0.8 %, SL −0.5 %, reason with the numbers', () => {
    const s = toSeries(scalpingSetup());
    expect(parts(s)).toEqual(ALL);
    const entry = lastClose(s);
    const idea = expectLong(decide(s), s, { target: entry * 1.008, stopLoss: entry * 0.995 });
    expect(idea.confidence).toBeGreaterThan(0.4);
    expect(idea.reason).toMatch(/RSI \d+\.\d turning up from \d+\.\d ≤ 40/);
    expect(idea.reason).toMatch(/%K \d+\.\d crossed %D \d+\.\d up from \d+\.\d ≤ 25/);
    expect(idea.reason).toContain('touched EMA50');
    expect(idea.reason).toContain(`close ${entry.toFixed(2)} above`);
    expect(idea.reason).toMatch(/15m close [\d.]+ vs EMA50 [\d.]+, slope/);
  });

  it('is silent when RSI never got oversold (a shallow pullback in a choppy trend), all else present', () => {
    const s = toSeries(scalpingSetup({ trendStep: 0.0004, noise: 0.002, pullStep: 0.001 }));
    expect(parts(s)).toEqual({ ...ALL, rsiOversold: false });
    expect(decide(s)).toBeNull();
  });

  it('is silent on the bar after the cross (no fresh stochastic cross), though RSI, touch and close still hold', () => {
    const fired = scalpingSetup();
    const last = fired[fired.length - 1] as Bar;
    const s = toSeries(appendCloses(fired, [last.close * 1.002], M5));
    expect(parts(s)).toEqual({ ...ALL, stochCross: false });
    expect(decide(s)).toBeNull();
  });

  it('is silent when the pullback stopped above the EMA50 (no touch), and fires on the same shape when it touches', () => {
    const shape: ScalpingShape = { stopAbove: 0.005, trendStep: 0.002, pullStep: 0.003, bounce: 0.006 };
    const above = toSeries(scalpingSetup({ ...shape, pierce: null }));
    expect(parts(above)).toEqual({ ...ALL, touched: false });
    expect(decide(above)).toBeNull();
    const touching = toSeries(scalpingSetup({ ...shape, pierce: 0.008 }));
    expect(parts(touching)).toEqual(ALL);
    expect(decide(touching)).not.toBeNull();
  });

  it('is silent when the bounce bar closes back under the EMA50', () => {
    const fired = scalpingSetup();
    const last = fired[fired.length - 1] as Bar;
    const line = ema(Float64Array.from(fired.map((b) => b.close)), 50);
    const under = (line[line.length - 1] ?? 0) * 0.9995;
    const s = toSeries([...fired.slice(0, -1), { ...last, close: under, high: Math.max(last.open, under) }]);
    expect(parts(s).closedAbove).toBe(false);
    expect(decide(s)).toBeNull();
  });

  it('is vetoed by a 15-minute downtrend (close under a falling EMA50), and passes a flat 15-minute range', () => {
    const s = toSeries(scalpingSetup());
    expect(decide(s, toSeries(higherTrend(120, -0.002)))).toBeNull();
    expect(decide(s, toSeries(higherTrend(120, 0)))).not.toBeNull();
  });

  it('decides nothing without the 15-minute bars or with fewer bars than its lookbacks', () => {
    const s = toSeries(scalpingSetup());
    expect(scalpingBot.evaluate({ symbol: 'BTC/USDT', primary: s })).toBeNull();
    expect(decide(s, barsUpTo(resample(s, M5, M15), SCALPING_CONFIG.higherLookback - 1))).toBeNull();
    const short = toSeries(scalpingSetup().slice(-(SCALPING_CONFIG.lookback - 1)));
    expect(decide(short, resample(s, M5, M15))).toBeNull();
  });

  it('scores by the documented formula: 0.4 + 0.6 × mean(RSI depth, stochastic depth, close in the bounce range)', () => {
    // The strategy reads exactly its lookback window, so the indicators are read on the same bars.
    const full = toSeries(scalpingSetup());
    const s = lastBars(full, SCALPING_CONFIG.lookback);
    const i = s.length - 1;
    const r = rsi(s.close, 14);
    const st = stochastic(s.high, s.low, s.close, 14, 3, 3);
    const rsiMin = Math.min(...[0, 1, 2, 3, 4, 5].map((a) => r[i - a] ?? 0));
    const from = Math.min(st.k[i - 1] ?? 0, st.d[i - 1] ?? 0);
    const dipLow = Math.min(s.low[i - 1] ?? 0, s.low[i] ?? 0);
    const close = s.close[i] ?? 0;
    const clamp = (x: number) => Math.min(1, Math.max(0, x));
    const expected =
      0.4 +
      (0.6 *
        (clamp((40 - rsiMin) / 15) +
          clamp((25 - from) / 25) +
          clamp((close - dipLow) / ((s.high[i] ?? 0) - dipLow)))) /
        3;
    expect(decide(full)?.confidence).toBeCloseTo(expected, 12);
  });
});
