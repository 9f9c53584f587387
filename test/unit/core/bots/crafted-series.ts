// Candle series for the house-bot tests: small generators for crafted shapes (trends with a
// zig-zag, pullbacks to the EMA, swing waves, QFL bases and cracks), a resampler to a higher
// timeframe, "the higher bars closed by then", and the repository's real 5-minute fixtures.
import { readFileSync } from 'node:fs';
import { type BarSeries, barSeries, barsUpTo, TIMEFRAME_MS } from '../../../../shared/core/bots/bot-types.js';
import { ema } from '../../../../shared/core/indicators/index.js';

export interface Bar {
  openTime: number;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
}

/** A start on a 4-hour boundary, so resampled groups line up with real exchange bars. */
export const T0 = 1_700_006_400_000;
export const M5 = TIMEFRAME_MS['5m'];
export const M15 = TIMEFRAME_MS['15m'];
export const H1 = TIMEFRAME_MS['1h'];

/**
 * Bars whose closes are given: each opens at the previous close and has wicks of `wick` (a
 * fraction) beyond its body. Volume is constant unless changed afterwards.
 */
export function barsFromCloses(
  closes: readonly number[],
  tfMs: number,
  opts: {
    readonly wick?: number;
    readonly firstOpen?: number;
    readonly volume?: number;
    readonly start?: number;
  } = {},
): Bar[] {
  const wick = opts.wick ?? 0.0005;
  const start = opts.start ?? T0;
  let previous = opts.firstOpen ?? closes[0] ?? 100;
  return closes.map((close, i) => {
    const open = previous;
    previous = close;
    return {
      openTime: start + i * tfMs,
      open,
      high: Math.max(open, close) * (1 + wick),
      low: Math.min(open, close) * (1 - wick),
      close,
      volume: opts.volume ?? 100,
    };
  });
}

/** Appends bars with the given closes after `bars` (same timeframe, continuing times and prices). */
export function appendCloses(
  bars: readonly Bar[],
  closes: readonly number[],
  tfMs: number,
  wick = 0.0005,
): Bar[] {
  const last = bars[bars.length - 1];
  if (last === undefined) return barsFromCloses(closes, tfMs, { wick });
  return [
    ...bars,
    ...barsFromCloses(closes, tfMs, { wick, firstOpen: last.close, start: last.openTime + tfMs }),
  ];
}

/** n closes of a trend of `step` per bar (a fraction, negative for down) with an alternating ± `noise` zig-zag. */
export function zigzag(n: number, from: number, step: number, noise = 0.0006): number[] {
  const out: number[] = [];
  for (let t = 1; t <= n; t++) out.push(from * (1 + step) ** t * (1 + (t % 2 === 0 ? noise : -noise)));
  return out;
}

/**
 * Swing waves: legs of `legBars` bars alternately up by `up` and down by `down` (fractions of the
 * leg's start), so each turn is a swing point; with up > down the highs and the lows both rise.
 */
export function waves(legs: number, legBars: number, from: number, up: number, down: number): number[] {
  const out: number[] = [];
  let price = from;
  for (let leg = 0; leg < legs; leg++) {
    const move = leg % 2 === 0 ? up : -down;
    const step = (1 + move) ** (1 / legBars);
    for (let b = 0; b < legBars; b++) {
      price *= step;
      out.push(price);
    }
  }
  return out;
}

export function toSeries(bars: readonly Bar[]): BarSeries {
  return barSeries(bars);
}

export function closesOf(bars: readonly Bar[]): number[] {
  return bars.map((b) => b.close);
}

/** The EMA of the bars' closes at the last bar. */
export function lastEma(bars: readonly Bar[], period: number): number {
  const line = ema(Float64Array.from(closesOf(bars)), period);
  return line[line.length - 1] ?? Number.NaN;
}

// Higher timeframes are resampled exactly as the runtime resamples the replay.
export { resample } from '../../../../shared/core/market/resample.js';

/** The higher-timeframe bars that have closed by `timeMs` (a bar opened at t closes at t + tfMs). */
export function closedBy(higher: BarSeries, higherMs: number, timeMs: number): BarSeries {
  let n = 0;
  while (n < higher.length && (higher.openTime[n] ?? 0) + higherMs <= timeMs) n++;
  return barsUpTo(higher, n);
}

/** One of the repository's real 5-minute fixtures (BTC_USDT, ETH_USDT, SOL_USDT). */
export function fixture5m(pair: 'BTC_USDT' | 'ETH_USDT' | 'SOL_USDT'): BarSeries {
  const rows = readFileSync(`test/fixtures/market/${pair}-5m.csv`, 'utf8')
    .split('\n')
    .filter((line) => /^\d/.test(line))
    .map((line) => line.split(',').map(Number));
  return barSeries(
    rows.map(([openTime = 0, open = 0, high = 0, low = 0, close = 0, volume = 0]) => ({
      openTime,
      open,
      high,
      low,
      close,
      volume,
    })),
  );
}

/** A fresh copy of the first n bars: nothing after them exists anywhere the strategy could reach. */
export function copyPrefix(s: BarSeries, n: number): BarSeries {
  return {
    length: n,
    openTime: s.openTime.slice(0, n),
    open: s.open.slice(0, n),
    high: s.high.slice(0, n),
    low: s.low.slice(0, n),
    close: s.close.slice(0, n),
    volume: s.volume.slice(0, n),
  };
}
