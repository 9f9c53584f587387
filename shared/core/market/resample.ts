// Bars of a longer timeframe built from shorter ones (the local run replays 5-minute data and the bots
// read 15m/1h/4h), and the cut that keeps a series to closed bars. Buckets are aligned to UTC
// boundaries of the epoch (a 4h bar opens at 00:00, 04:00, ... UTC), as exchanges align them.
import type { BarSeries } from '../bots/bot-types.js';

interface SeriesBuilder {
  openTime: number[];
  open: number[];
  high: number[];
  low: number[];
  close: number[];
  volume: number[];
}

function emptyBuilder(): SeriesBuilder {
  return { openTime: [], open: [], high: [], low: [], close: [], volume: [] };
}

function build(b: SeriesBuilder): BarSeries {
  return {
    length: b.openTime.length,
    openTime: Float64Array.from(b.openTime),
    open: Float64Array.from(b.open),
    high: Float64Array.from(b.high),
    low: Float64Array.from(b.low),
    close: Float64Array.from(b.close),
    volume: Float64Array.from(b.volume),
  };
}

/** The bars `[from, to)` of a series (views, no copy). */
export function sliceSeries(series: BarSeries, from: number, to: number = series.length): BarSeries {
  const a = Math.max(0, Math.min(from, series.length));
  const b = Math.max(a, Math.min(to, series.length));
  return {
    length: b - a,
    openTime: series.openTime.subarray(a, b),
    open: series.open.subarray(a, b),
    high: series.high.subarray(a, b),
    low: series.low.subarray(a, b),
    close: series.close.subarray(a, b),
    volume: series.volume.subarray(a, b),
  };
}

/** The open time of the last bar of `timeframeMs` that has closed at `now` (UTC-aligned bars). */
export function lastClosedOpenTime(timeframeMs: number, now: number): number {
  return Math.floor(now / timeframeMs) * timeframeMs - timeframeMs;
}

/**
 * The series without any bar still in progress at `now`: a bar is closed when
 * openTime + timeframe ≤ now. Bars are oldest first, so only a tail can be open.
 */
export function closedOnly(series: BarSeries, timeframeMs: number, now: number): BarSeries {
  let end = series.length;
  while (end > 0 && (series.openTime[end - 1] ?? 0) + timeframeMs > now) end--;
  return end === series.length ? series : sliceSeries(series, 0, end);
}

/** The last `count` bars of a series (views). */
export function lastBars(series: BarSeries, count: number): BarSeries {
  return sliceSeries(series, Math.max(0, series.length - count));
}

/**
 * Resamples closed bars of `fromMs` into bars of `toMs` (a whole multiple of it). A longer bar is
 * emitted only when every one of its shorter bars is present: a bucket cut by the start of the data,
 * by a gap, or still filling at the end is left out, so the result holds closed, complete bars only.
 */
export function resample(series: BarSeries, fromMs: number, toMs: number): BarSeries {
  if (toMs % fromMs !== 0 || toMs < fromMs) {
    throw new RangeError(`cannot resample ${fromMs} ms bars into ${toMs} ms bars`);
  }
  if (toMs === fromMs) return series;
  const perBucket = toMs / fromMs;
  const out = emptyBuilder();
  let i = 0;
  while (i < series.length) {
    const bucket = Math.floor((series.openTime[i] ?? 0) / toMs) * toMs;
    let j = i;
    let high = Number.NEGATIVE_INFINITY;
    let low = Number.POSITIVE_INFINITY;
    let volume = 0;
    let expected = bucket;
    let complete = true;
    while (j < series.length && (series.openTime[j] ?? 0) < bucket + toMs) {
      if ((series.openTime[j] ?? 0) !== expected) complete = false;
      expected = (series.openTime[j] ?? 0) + fromMs;
      high = Math.max(high, series.high[j] ?? high);
      low = Math.min(low, series.low[j] ?? low);
      volume += series.volume[j] ?? 0;
      j++;
    }
    if (complete && j - i === perBucket) {
      out.openTime.push(bucket);
      out.open.push(series.open[i] ?? 0);
      out.high.push(high);
      out.low.push(low);
      out.close.push(series.close[j - 1] ?? 0);
      out.volume.push(volume);
    }
    i = j;
  }
  return build(out);
}

/** A BarSeries from parallel plain arrays (adapters decoding stored or fetched bars). */
export function seriesFromArrays(arrays: {
  readonly openTime: readonly number[];
  readonly open: readonly number[];
  readonly high: readonly number[];
  readonly low: readonly number[];
  readonly close: readonly number[];
  readonly volume: readonly number[];
}): BarSeries {
  return build({
    openTime: [...arrays.openTime],
    open: [...arrays.open],
    high: [...arrays.high],
    low: [...arrays.low],
    close: [...arrays.close],
    volume: [...arrays.volume],
  });
}
