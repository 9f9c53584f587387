// Volatility indicators: true range, ATR (Wilder), Bollinger bands (population σ), Keltner channels
// and Donchian channels; streaming classes plus batch functions that drive them.
import { Ema } from './moving-averages.js';
import { assertPeriod, assertSameLength, nanArray, RollingExtreme, RollingWindow } from './rolling.js';

/**
 * True range from the second bar on (it needs the previous close), as TA-Lib: the first bar has no
 * true range, so ATR(n)'s first value is at index n, the mean of the first n true ranges.
 */
export class TrueRange {
  private previousClose = Number.NaN;

  update(high: number, low: number, close: number): number {
    const previous = this.previousClose;
    this.previousClose = close;
    if (Number.isNaN(previous)) return Number.NaN;
    return Math.max(high - low, Math.abs(high - previous), Math.abs(low - previous));
  }
}

/** Wilder's smoothing: the mean of the first `period` inputs, then (avg·(n−1) + x)/n. */
export class WilderAverage {
  private seen = 0;
  private current = 0;

  constructor(readonly period: number) {
    assertPeriod(period, 'period');
  }

  update(value: number): number {
    const p = this.period;
    if (this.seen < p) {
      this.current += value;
      this.seen++;
      if (this.seen < p) return Number.NaN;
      this.current /= p;
      return this.current;
    }
    this.current = (this.current * (p - 1) + value) / p;
    return this.current;
  }
}

export class Atr {
  private readonly trueRange = new TrueRange();
  private readonly average: WilderAverage;

  constructor(readonly period = 14) {
    this.average = new WilderAverage(period);
  }

  update(high: number, low: number, close: number): number {
    const tr = this.trueRange.update(high, low, close);
    return Number.isNaN(tr) ? Number.NaN : this.average.update(tr);
  }
}

export interface BandsValue {
  middle: number;
  upper: number;
  lower: number;
}

const NAN_BANDS: BandsValue = Object.freeze({ middle: Number.NaN, upper: Number.NaN, lower: Number.NaN });

/**
 * Bollinger bands: SMA ± multiplier·σ, σ the population standard deviation (divide by n, as
 * Bollinger and TA-Lib). σ is taken over the window exactly (O(period)), never from a running Σx².
 */
export class Bollinger {
  private readonly window: RollingWindow;

  constructor(
    readonly period = 20,
    readonly multiplier = 2,
  ) {
    this.window = new RollingWindow(period);
  }

  update(close: number): BandsValue {
    const window = this.window;
    window.push(close);
    if (!window.full) return NAN_BANDS;
    const mean = window.sum / this.period;
    let squares = 0;
    for (let back = 0; back < this.period; back++) {
      const d = window.ago(back) - mean;
      squares += d * d;
    }
    const width = this.multiplier * Math.sqrt(squares / this.period);
    return { middle: mean, upper: mean + width, lower: mean - width };
  }
}

/** Keltner channels: EMA(close) ± multiplier·ATR (Wilder), valid once both have warmed up. */
export class Keltner {
  private readonly ema: Ema;
  private readonly atr: Atr;

  constructor(
    emaPeriod = 20,
    atrPeriod = 10,
    readonly multiplier = 2,
  ) {
    this.ema = new Ema(emaPeriod);
    this.atr = new Atr(atrPeriod);
  }

  update(high: number, low: number, close: number): BandsValue {
    const middle = this.ema.update(close);
    const atr = this.atr.update(high, low, close);
    if (Number.isNaN(middle) || Number.isNaN(atr)) return NAN_BANDS;
    return { middle, upper: middle + this.multiplier * atr, lower: middle - this.multiplier * atr };
  }
}

/** Donchian channels: highest high and lowest low of the last `period` bars, and their midpoint. */
export class Donchian {
  private readonly highest: RollingExtreme;
  private readonly lowest: RollingExtreme;

  constructor(readonly period = 20) {
    this.highest = new RollingExtreme(period, 'max');
    this.lowest = new RollingExtreme(period, 'min');
  }

  update(high: number, low: number): BandsValue {
    const upper = this.highest.push(high);
    const lower = this.lowest.push(low);
    if (!this.highest.full) return NAN_BANDS;
    return { upper, middle: (upper + lower) / 2, lower };
  }
}

export function atr(high: Float64Array, low: Float64Array, close: Float64Array, period = 14): Float64Array {
  const n = assertSameLength(high, low, close);
  const indicator = new Atr(period);
  const out = nanArray(n);
  for (let i = 0; i < n; i++) {
    out[i] = indicator.update(high[i] ?? Number.NaN, low[i] ?? Number.NaN, close[i] ?? Number.NaN);
  }
  return out;
}

interface BandsSeries {
  middle: Float64Array;
  upper: Float64Array;
  lower: Float64Array;
}

function bandsArrays(n: number): BandsSeries {
  return { middle: nanArray(n), upper: nanArray(n), lower: nanArray(n) };
}

function store(out: BandsSeries, i: number, v: BandsValue): void {
  out.middle[i] = v.middle;
  out.upper[i] = v.upper;
  out.lower[i] = v.lower;
}

export function bollinger(close: Float64Array, period = 20, multiplier = 2): BandsSeries {
  const indicator = new Bollinger(period, multiplier);
  const out = bandsArrays(close.length);
  for (let i = 0; i < close.length; i++) store(out, i, indicator.update(close[i] ?? Number.NaN));
  return out;
}

export function keltner(
  high: Float64Array,
  low: Float64Array,
  close: Float64Array,
  emaPeriod = 20,
  atrPeriod = 10,
  multiplier = 2,
): BandsSeries {
  const n = assertSameLength(high, low, close);
  const indicator = new Keltner(emaPeriod, atrPeriod, multiplier);
  const out = bandsArrays(n);
  for (let i = 0; i < n; i++) {
    store(out, i, indicator.update(high[i] ?? Number.NaN, low[i] ?? Number.NaN, close[i] ?? Number.NaN));
  }
  return out;
}

export function donchian(
  high: Float64Array,
  low: Float64Array,
  period = 20,
): { upper: Float64Array; middle: Float64Array; lower: Float64Array } {
  const n = assertSameLength(high, low);
  const indicator = new Donchian(period);
  const out = bandsArrays(n);
  for (let i = 0; i < n; i++) store(out, i, indicator.update(high[i] ?? Number.NaN, low[i] ?? Number.NaN));
  return out;
}
