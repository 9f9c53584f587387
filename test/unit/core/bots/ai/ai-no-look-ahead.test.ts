// No look-ahead for the AI bot, as the rule bots have (../no-look-ahead.test.ts): its decision at a
// closed bar depends on the bars up to it only. A wild bar still in progress, cut off the way the
// runtime cuts it (barsUpTo the closed count), changes nothing, and a fresh copy of the prefix (no
// shared buffer to read past `length` through) decides exactly as a view into the longer series.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { aiStrategy } from '../../../../../shared/core/bots/ai/ai-strategy.js';
import { FEATURE_WINDOW } from '../../../../../shared/core/bots/ai/features.js';
import { type BarSeries, barSeries, barsUpTo } from '../../../../../shared/core/bots/bot-types.js';
import { copyPrefix } from '../crafted-series.js';
import { btcSeries } from './ai-fixture.js';

/** The series with one more bar after index n − 1: a move of `move` on ten times the volume. */
function withBarAfter(s: BarSeries, n: number, move: number): BarSeries {
  const bars = Array.from({ length: n }, (_, i) => ({
    openTime: s.openTime[i] ?? 0,
    open: s.open[i] ?? 0,
    high: s.high[i] ?? 0,
    low: s.low[i] ?? 0,
    close: s.close[i] ?? 0,
    volume: s.volume[i] ?? 0,
  }));
  const last = bars[n - 1];
  if (!last) throw new Error('empty prefix');
  const close = last.close * (1 + move);
  bars.push({
    openTime: last.openTime + 300_000,
    open: last.close,
    high: Math.max(last.close, close),
    low: Math.min(last.close, close),
    close,
    volume: last.volume * 10,
  });
  return barSeries(bars);
}

const decide = (primary: BarSeries) => aiStrategy.evaluate({ symbol: 'BTC/USDT', primary });

describe('AI bot: no look-ahead', () => {
  const real = btcSeries();

  it('some in-progress bar would change a decision, and cut to the closed bars none does', () => {
    // Find a cut where an extra bar flips the decision (so the test can fail), then cut it off.
    let checked = 0;
    for (let n = FEATURE_WINDOW + 1; n <= real.length && checked < 3; n += 7) {
      const decision = decide(barsUpTo(real, n));
      for (const move of [-0.06, 0.06]) {
        const wild = withBarAfter(real, n, move);
        if (JSON.stringify(decide(wild)) === JSON.stringify(decision)) continue;
        expect(decide(barsUpTo(wild, n))).toEqual(decision);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(0);
  });

  it('property: at any cut, a fresh copy of the prefix decides as a view into the whole series', () => {
    fc.assert(
      fc.property(fc.integer({ min: FEATURE_WINDOW, max: real.length }), (n) => {
        expect(decide(copyPrefix(real, n))).toEqual(decide(barsUpTo(real, n)));
      }),
      { numRuns: 80 },
    );
  });
});
