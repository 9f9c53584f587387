// A candle array with its prices parsed to floats once, for replays: the engine's per-bar touch
// test reads the float high and low (exact by monotonic rounding, see engine.ts) and a
// backtester's indicators can read the same arrays instead of parsing each string again.
import type { Candle } from './engine-types.js';

export interface CandleSeries {
  readonly candles: readonly Candle[];
  /** Float shadows, index for index with `candles`; read-only by contract. */
  readonly open: Float64Array;
  readonly high: Float64Array;
  readonly low: Float64Array;
  readonly close: Float64Array;
  readonly volume: Float64Array;
}

export function candleSeries(candles: readonly Candle[]): CandleSeries {
  const n = candles.length;
  const series = {
    candles,
    open: new Float64Array(n),
    high: new Float64Array(n),
    low: new Float64Array(n),
    close: new Float64Array(n),
    volume: new Float64Array(n),
  };
  for (let i = 0; i < n; i++) {
    const c = candles[i];
    if (c === undefined) continue;
    series.open[i] = +c.open;
    series.high[i] = +c.high;
    series.low[i] = +c.low;
    series.close[i] = +c.close;
    series.volume[i] = +c.volume;
  }
  return series;
}
