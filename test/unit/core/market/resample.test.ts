import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { barSeries, TIMEFRAME_MS } from '../../../../shared/core/bots/bot-types.js';
import { closedOnly, lastClosedOpenTime, resample } from '../../../../shared/core/market/resample.js';

const M5 = TIMEFRAME_MS['5m'];
const H1 = TIMEFRAME_MS['1h'];
const H4 = TIMEFRAME_MS['4h'];
/** A UTC day boundary. */
const DAY = Date.UTC(2026, 2, 1);

function fiveMinuteBars(from: number, count: number) {
  return barSeries(
    Array.from({ length: count }, (_, i) => ({
      openTime: from + i * M5,
      open: 100 + i,
      high: 110 + i,
      low: 90 + i,
      close: 101 + i,
      volume: 1,
    })),
  );
}

describe('resample', () => {
  it('builds 1h bars from twelve 5m bars: first open, highest high, lowest low, last close, summed volume', () => {
    const h1 = resample(fiveMinuteBars(DAY, 24), M5, H1);
    expect(h1.length).toBe(2);
    expect([...h1.openTime]).toEqual([DAY, DAY + H1]);
    expect([...h1.open]).toEqual([100, 112]);
    expect([...h1.high]).toEqual([121, 133]);
    expect([...h1.low]).toEqual([90, 102]);
    expect([...h1.close]).toEqual([112, 124]);
    expect([...h1.volume]).toEqual([12, 12]);
  });

  it('aligns 4h bars to UTC boundaries and leaves out the buckets cut by the start or the end of the data', () => {
    // Starts at 01:00 and ends at 09:55 + 5m: the 00:00 bucket lacks its first hour, 08:00 its last two.
    const series = fiveMinuteBars(DAY + H1, 12 * 9);
    const h4 = resample(series, M5, H4);
    expect([...h4.openTime]).toEqual([DAY + H4]);
  });

  it('leaves out a bucket with a gap in it', () => {
    const bars = fiveMinuteBars(DAY, 24);
    const withGap = barSeries(
      Array.from({ length: 24 }, (_, i) => ({
        openTime: bars.openTime[i] ?? 0,
        open: 1,
        high: 1,
        low: 1,
        close: 1,
        volume: 1,
      })).filter((_, i) => i !== 3),
    );
    expect([...resample(withGap, M5, H1).openTime]).toEqual([DAY + H1]);
  });

  it('emits only whole buckets, aligned, for any start and length (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 500 }), fc.integer({ min: 0, max: 400 }), (offset, count) => {
        const h1 = resample(fiveMinuteBars(DAY + offset * M5, count), M5, H1);
        for (let i = 0; i < h1.length; i++) {
          const t = h1.openTime[i] ?? 0;
          expect(t % H1).toBe(0);
          expect(t).toBeGreaterThanOrEqual(DAY + offset * M5);
          expect(t + H1).toBeLessThanOrEqual(DAY + (offset + count) * M5);
        }
        const wholeBuckets =
          Math.floor((DAY + (offset + count) * M5) / H1) - Math.ceil((DAY + offset * M5) / H1);
        expect(h1.length).toBe(Math.max(0, wholeBuckets));
      }),
    );
  });
});

describe('closed bars only', () => {
  it('drops the bar in progress: a bar is closed when its open time plus its timeframe is at or before now', () => {
    const series = fiveMinuteBars(DAY, 10);
    const lastOpen = DAY + 9 * M5;
    expect(closedOnly(series, M5, lastOpen + M5).length).toBe(10);
    expect(closedOnly(series, M5, lastOpen + M5 - 1).length).toBe(9);
    expect(closedOnly(series, M5, lastOpen + 1).length).toBe(9);
  });

  it('names the last closed bar of a timeframe at any instant', () => {
    expect(lastClosedOpenTime(H1, DAY + H1)).toBe(DAY);
    expect(lastClosedOpenTime(H1, DAY + H1 - 1)).toBe(DAY - H1);
    expect(lastClosedOpenTime(M5, DAY + 7 * M5 + 1234)).toBe(DAY + 6 * M5);
  });
});
