// Properties of every indicator on random OHLCV series: the streaming class and the batch function
// agree bar for bar, outputs keep the input's length, and truncating the input never changes an
// earlier output (nothing looks ahead).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Bars } from './fixture.js';
import { type Bar, INDICATORS } from './registry.js';

/** Random walk bars with sane OHLC (low ≤ close ≤ high), sometimes flat, sometimes zero volume. */
const barsArbitrary = fc
  .array(
    fc.record({
      step: fc.oneof(fc.constant(0), fc.double({ min: -0.05, max: 0.05, noNaN: true })),
      up: fc.double({ min: 0, max: 0.02, noNaN: true }),
      down: fc.double({ min: 0, max: 0.02, noNaN: true }),
      volume: fc.oneof(fc.constant(0), fc.double({ min: 0, max: 1000, noNaN: true })),
    }),
    { minLength: 0, maxLength: 250 },
  )
  .map((steps): Bars => {
    let price = 100;
    const rows = steps.map((s) => {
      price *= 1 + s.step;
      return { high: price * (1 + s.up), low: price * (1 - s.down), close: price, volume: s.volume };
    });
    const column = (pick: (r: Bar) => number) => Float64Array.from(rows, pick);
    return {
      open: column((r) => r.close),
      high: column((r) => r.high),
      low: column((r) => r.low),
      close: column((r) => r.close),
      volume: column((r) => r.volume),
      length: rows.length,
    };
  });

function prefix(bars: Bars, length: number): Bars {
  return {
    open: bars.open.slice(0, length),
    high: bars.high.slice(0, length),
    low: bars.low.slice(0, length),
    close: bars.close.slice(0, length),
    volume: bars.volume.slice(0, length),
    length,
  };
}

const period = fc.integer({ min: 2, max: 20 });

describe.each(INDICATORS)('$name', (indicator) => {
  it('streaming equals batch on every bar and every output, at the input length', () => {
    fc.assert(
      fc.property(barsArbitrary, period, (bars, p) => {
        const batch = indicator.batch(bars, p);
        const step = indicator.stream(p);
        for (const series of batch) expect(series.length).toBe(bars.length);
        for (let i = 0; i < bars.length; i++) {
          const values = step({
            high: bars.high[i] ?? 0,
            low: bars.low[i] ?? 0,
            close: bars.close[i] ?? 0,
            volume: bars.volume[i] ?? 0,
          });
          values.forEach((v, k) => {
            expect(Object.is(v, batch[k]?.[i]), `bar ${i}, output ${k}: ${v} vs ${batch[k]?.[i]}`).toBe(true);
          });
        }
      }),
      { numRuns: 60 },
    );
  });

  it('truncating the input never changes an earlier output (no look-ahead)', () => {
    fc.assert(
      fc.property(barsArbitrary, period, fc.nat(), (bars, p, cut) => {
        const length = bars.length === 0 ? 0 : cut % (bars.length + 1);
        const full = indicator.batch(bars, p);
        const truncated = indicator.batch(prefix(bars, length), p);
        truncated.forEach((series, k) => {
          for (let i = 0; i < length; i++) {
            expect(Object.is(series[i], full[k]?.[i]), `bar ${i}, output ${k}`).toBe(true);
          }
        });
      }),
      { numRuns: 60 },
    );
  });
});

it('covers all 26 indicators', () => {
  expect(INDICATORS.length).toBeGreaterThanOrEqual(26);
  expect(new Set(INDICATORS.map((c) => c.name)).size).toBe(INDICATORS.length);
});
