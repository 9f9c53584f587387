import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  STRATEGY_NAMES,
  type StrategyName,
  signalSource,
} from '../../../shared/core/backtest/signal-sources.js';
import { Rsi, Sma } from '../../../shared/core/indicators/index.js';

/** Feeds every close and returns the indices where the source fired. */
function firing(name: StrategyName, closes: readonly number[]): number[] {
  const source = signalSource(name);
  return closes.flatMap((c, i) => (source.update(c) ? [i] : []));
}

/** Reference RSI with Wilder smoothing, recomputed from scratch up to bar `end` (inclusive). */
function referenceRsi(closes: readonly number[], end: number, period = 14): number {
  if (end < period) return Number.NaN;
  let gain = 0;
  let loss = 0;
  for (let k = 1; k <= period; k++) {
    const d = (closes[k] ?? 0) - (closes[k - 1] ?? 0);
    gain += Math.max(d, 0);
    loss += Math.max(-d, 0);
  }
  gain /= period;
  loss /= period;
  for (let k = period + 1; k <= end; k++) {
    const d = (closes[k] ?? 0) - (closes[k - 1] ?? 0);
    gain = (gain * (period - 1) + Math.max(d, 0)) / period;
    loss = (loss * (period - 1) + Math.max(-d, 0)) / period;
  }
  if (loss === 0) return gain === 0 ? 50 : 100;
  return 100 - 100 / (1 + gain / loss);
}

const sma = (closes: readonly number[], end: number, period: number) =>
  end + 1 < period ? Number.NaN : closes.slice(end + 1 - period, end + 1).reduce((s, c) => s + c, 0) / period;

describe('signal sources', () => {
  it('always fires on every bar (the loop gates it with the open deal and the cooldown)', () => {
    expect(firing('always', [1, 2, 3])).toEqual([0, 1, 2]);
  });

  it('sma-cross fires on the bar where SMA(20) rises above SMA(50), not before, not after', () => {
    // 50 flat bars: both averages are 100 at bar 49 (fast ≤ slow). Bar 50 closes at 110:
    // fast = (19·100 + 110)/20 = 100.5 > slow = (49·100 + 110)/50 = 100.2 → the cross is bar 50.
    const closes = [...Array(50).fill(100), ...Array(10).fill(110)];
    expect(firing('sma-cross', closes)).toEqual([50]);
  });

  it('sma-cross matches a from-scratch reference on a long wavy series, including later crosses', () => {
    const closes = Array.from({ length: 600 }, (_, i) => 100 + 10 * Math.sin(i / 25) + 3 * Math.sin(i / 3));
    const expected: number[] = [];
    for (let i = 1; i < closes.length; i++) {
      const before = sma(closes, i - 1, 20) <= sma(closes, i - 1, 50);
      if (before && sma(closes, i, 20) > sma(closes, i, 50)) expected.push(i);
    }
    expect(expected.length).toBeGreaterThan(2);
    expect(firing('sma-cross', closes)).toEqual(expected);
  });

  it('rsi-dip fires on the bar whose RSI(14) is back at or above 30 after being below', () => {
    // 15 falling bars drive RSI to 0; then rises lift it. The first bar with RSI ≥ 30 is the signal.
    const closes = [
      ...Array.from({ length: 16 }, (_, i) => 200 - 2 * i),
      ...Array.from({ length: 10 }, (_, i) => 172 + 3 * (i + 1)),
    ];
    const rsi = closes.map((_, i) => referenceRsi(closes, i));
    const cross = rsi.findIndex((r, i) => i > 0 && (rsi[i - 1] ?? Number.NaN) < 30 && r >= 30);
    expect(rsi[15]).toBe(0);
    expect(cross).toBeGreaterThan(15);
    expect(firing('rsi-dip', closes)).toEqual([cross]);
  });

  it('streams the indicator library Wilder RSI and SMA (what rsi-dip and sma-cross use) equal to the from-scratch reference', () => {
    const closes = Array.from({ length: 300 }, (_, i) => 50 + 5 * Math.sin(i / 7) + (i % 5));
    const rsi = new Rsi(14);
    const fast = new Sma(20);
    closes.forEach((c, i) => {
      const r = rsi.update(c);
      const s = fast.update(c);
      if (i < 14) expect(r).toBeNaN();
      else expect(r).toBeCloseTo(referenceRsi(closes, i), 9);
      if (i < 19) expect(s).toBeNaN();
      else expect(s).toBeCloseTo(sma(closes, i, 20), 9);
    });
  });

  it('decides bar i the same whether the series ends at i or goes on (no look-ahead)', () => {
    const series = fc.array(fc.integer({ min: 1, max: 1000 }), { minLength: 60, maxLength: 200 });
    fc.assert(
      fc.property(series, fc.constantFrom(...STRATEGY_NAMES), fc.nat(), (raw, name, cut) => {
        const closes = raw.map((x) => 100 + x / 10);
        const i = cut % closes.length;
        const full = firing(name, closes).includes(i);
        const truncated = firing(name, closes.slice(0, i + 1)).includes(i);
        expect(truncated).toBe(full);
      }),
      { numRuns: 300 },
    );
  });
});
