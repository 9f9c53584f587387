// Series the AI bot's tests share: the repository's real BTC/USDT 5m fixture as a BarSeries, crafted
// ramps, and a seeded PRNG (mulberry32) so "random" data is the same on every run.
import { readFileSync } from 'node:fs';
import { barSeriesOfCandles } from '../../../../../shared/core/backtest/bot-signal-source.js';
import { parseCandleCsv } from '../../../../../shared/core/backtest/candle-csv.js';
import { type BarSeries, barSeries } from '../../../../../shared/core/bots/bot-types.js';

export function btcSeries(): BarSeries {
  const parsed = parseCandleCsv(readFileSync('test/fixtures/market/BTC_USDT-5m.csv', 'utf8'));
  if (!parsed.ok) throw new Error(parsed.problem.message);
  return barSeriesOfCandles(parsed.series);
}

export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A standard normal draw from two uniforms (Box–Muller). */
export function gaussian(random: () => number): number {
  const u = Math.max(random(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
}

/**
 * Bars whose closes follow `closes`: each opens at the previous close, high and low wrap the two
 * with `wick` (a fraction of price) on each side, constant volume.
 */
export function barsFromCloses(closes: readonly number[], wick = 0, volume = 10): BarSeries {
  return barSeries(
    closes.map((close, i) => {
      const open = i === 0 ? close : (closes[i - 1] ?? close);
      return {
        openTime: 1_700_000_000_000 + i * 300_000,
        open,
        high: Math.max(open, close) * (1 + wick),
        low: Math.min(open, close) * (1 - wick),
        close,
        volume,
      };
    }),
  );
}
