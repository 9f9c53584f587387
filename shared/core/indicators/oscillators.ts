// Momentum oscillators: RSI (Wilder), slow stochastic, stochastic RSI, Williams %R, CCI, ROC and
// momentum; streaming classes plus batch functions that drive them.
import { Sma } from './moving-averages.js';
import {
  assertPeriod,
  assertSameLength,
  nanArray,
  RollingExtreme,
  RollingWindow,
  runSeries,
} from './rolling.js';

/**
 * Wilder's RSI: the first averages are plain means of the first `period` changes (so the first value
 * is at index `period`), then smoothed by (avg·(n−1) + x)/n. Flat prices (no gain, no loss) give 50;
 * only gains give 100.
 */
export class Rsi {
  private previous = Number.NaN;
  private gain = 0;
  private loss = 0;
  private changes = 0;

  constructor(readonly period = 14) {
    assertPeriod(period, 'period');
  }

  update(close: number): number {
    const previous = this.previous;
    this.previous = close;
    if (Number.isNaN(previous)) return Number.NaN;
    const change = close - previous;
    const up = Math.max(change, 0);
    const down = Math.max(-change, 0);
    const p = this.period;
    this.changes++;
    if (this.changes <= p) {
      this.gain += up;
      this.loss += down;
      if (this.changes < p) return Number.NaN;
      this.gain /= p;
      this.loss /= p;
    } else {
      this.gain = (this.gain * (p - 1) + up) / p;
      this.loss = (this.loss * (p - 1) + down) / p;
    }
    if (this.loss === 0) return this.gain === 0 ? 50 : 100;
    return 100 - 100 / (1 + this.gain / this.loss);
  }
}

export interface StochasticValue {
  k: number;
  d: number;
}

/**
 * Where `value` sits in [low, high] as 0..100; a flat window (high = low) is taken as the middle, 50,
 * rather than TA-Lib's 0, so a dead market reads neutral instead of oversold.
 */
function stochasticPosition(value: number, high: number, low: number): number {
  const range = high - low;
  return range === 0 ? 50 : (100 * (value - low)) / range;
}

/** Slow stochastic: %K = SMA(raw %K, kSmoothing), %D = SMA(%K, dPeriod). */
export class Stochastic {
  private readonly highest: RollingExtreme;
  private readonly lowest: RollingExtreme;
  private readonly kSma: Sma;
  private readonly dSma: Sma;

  constructor(kPeriod = 14, kSmoothing = 3, dPeriod = 3) {
    this.highest = new RollingExtreme(kPeriod, 'max');
    this.lowest = new RollingExtreme(kPeriod, 'min');
    this.kSma = new Sma(kSmoothing);
    this.dSma = new Sma(dPeriod);
  }

  update(high: number, low: number, close: number): StochasticValue {
    const hh = this.highest.push(high);
    const ll = this.lowest.push(low);
    if (!this.highest.full) return { k: Number.NaN, d: Number.NaN };
    const k = this.kSma.update(stochasticPosition(close, hh, ll));
    const d = Number.isNaN(k) ? Number.NaN : this.dSma.update(k);
    return { k, d };
  }
}

/** Stochastic of the RSI series, on a 0..100 scale, smoothed as the slow stochastic. */
export class StochRsi {
  private readonly rsi: Rsi;
  private readonly highest: RollingExtreme;
  private readonly lowest: RollingExtreme;
  private readonly kSma: Sma;
  private readonly dSma: Sma;

  constructor(rsiPeriod = 14, stochPeriod = 14, kSmoothing = 3, dPeriod = 3) {
    this.rsi = new Rsi(rsiPeriod);
    this.highest = new RollingExtreme(stochPeriod, 'max');
    this.lowest = new RollingExtreme(stochPeriod, 'min');
    this.kSma = new Sma(kSmoothing);
    this.dSma = new Sma(dPeriod);
  }

  update(close: number): StochasticValue {
    const rsi = this.rsi.update(close);
    if (Number.isNaN(rsi)) return { k: Number.NaN, d: Number.NaN };
    const hh = this.highest.push(rsi);
    const ll = this.lowest.push(rsi);
    if (!this.highest.full) return { k: Number.NaN, d: Number.NaN };
    const k = this.kSma.update(stochasticPosition(rsi, hh, ll));
    const d = Number.isNaN(k) ? Number.NaN : this.dSma.update(k);
    return { k, d };
  }
}

/** Williams %R: −100·(highest − close)/(highest − lowest), −100..0; a flat window reads −50. */
export class WilliamsR {
  private readonly highest: RollingExtreme;
  private readonly lowest: RollingExtreme;

  constructor(readonly period = 14) {
    this.highest = new RollingExtreme(period, 'max');
    this.lowest = new RollingExtreme(period, 'min');
  }

  update(high: number, low: number, close: number): number {
    const hh = this.highest.push(high);
    const ll = this.lowest.push(low);
    if (!this.highest.full) return Number.NaN;
    return stochasticPosition(close, hh, ll) - 100;
  }
}

/**
 * CCI = (TP − SMA(TP)) / (0.015 · mean absolute deviation), TP = (H + L + C)/3; the deviation is
 * taken over the window exactly (O(period) per bar). A window with no deviation reads 0.
 */
export class Cci {
  private readonly window: RollingWindow;

  constructor(readonly period = 20) {
    this.window = new RollingWindow(period);
  }

  update(high: number, low: number, close: number): number {
    const tp = (high + low + close) / 3;
    const window = this.window;
    window.push(tp);
    if (!window.full) return Number.NaN;
    const mean = window.sum / this.period;
    let deviation = 0;
    for (let back = 0; back < this.period; back++) deviation += Math.abs(window.ago(back) - mean);
    deviation /= this.period;
    return deviation === 0 ? 0 : (tp - mean) / (0.015 * deviation);
  }
}

/** value − value `period` bars ago. */
export class Momentum {
  private readonly window: RollingWindow;

  constructor(readonly period = 10) {
    assertPeriod(period, 'period');
    this.window = new RollingWindow(period + 1);
  }

  update(value: number): number {
    this.window.push(value);
    return this.window.full ? value - this.window.ago(this.period) : Number.NaN;
  }
}

/** Rate of change in percent: 100·(value − past)/past; NaN when the past value is 0. */
export class Roc {
  private readonly window: RollingWindow;

  constructor(readonly period = 12) {
    assertPeriod(period, 'period');
    this.window = new RollingWindow(period + 1);
  }

  update(value: number): number {
    this.window.push(value);
    if (!this.window.full) return Number.NaN;
    const past = this.window.ago(this.period);
    return past === 0 ? Number.NaN : (100 * (value - past)) / past;
  }
}

export function rsi(close: Float64Array, period = 14): Float64Array {
  return runSeries(close, new Rsi(period));
}

export function stochastic(
  high: Float64Array,
  low: Float64Array,
  close: Float64Array,
  kPeriod = 14,
  kSmoothing = 3,
  dPeriod = 3,
): { k: Float64Array; d: Float64Array } {
  const n = assertSameLength(high, low, close);
  const indicator = new Stochastic(kPeriod, kSmoothing, dPeriod);
  const k = nanArray(n);
  const d = nanArray(n);
  for (let i = 0; i < n; i++) {
    const v = indicator.update(high[i] ?? Number.NaN, low[i] ?? Number.NaN, close[i] ?? Number.NaN);
    k[i] = v.k;
    d[i] = v.d;
  }
  return { k, d };
}

export function stochRsi(
  close: Float64Array,
  rsiPeriod = 14,
  stochPeriod = 14,
  kSmoothing = 3,
  dPeriod = 3,
): { k: Float64Array; d: Float64Array } {
  const indicator = new StochRsi(rsiPeriod, stochPeriod, kSmoothing, dPeriod);
  const k = nanArray(close.length);
  const d = nanArray(close.length);
  for (let i = 0; i < close.length; i++) {
    const v = indicator.update(close[i] ?? Number.NaN);
    k[i] = v.k;
    d[i] = v.d;
  }
  return { k, d };
}

export function williamsR(
  high: Float64Array,
  low: Float64Array,
  close: Float64Array,
  period = 14,
): Float64Array {
  const n = assertSameLength(high, low, close);
  const indicator = new WilliamsR(period);
  const out = nanArray(n);
  for (let i = 0; i < n; i++) {
    out[i] = indicator.update(high[i] ?? Number.NaN, low[i] ?? Number.NaN, close[i] ?? Number.NaN);
  }
  return out;
}

export function cci(high: Float64Array, low: Float64Array, close: Float64Array, period = 20): Float64Array {
  const n = assertSameLength(high, low, close);
  const indicator = new Cci(period);
  const out = nanArray(n);
  for (let i = 0; i < n; i++) {
    out[i] = indicator.update(high[i] ?? Number.NaN, low[i] ?? Number.NaN, close[i] ?? Number.NaN);
  }
  return out;
}

export function roc(values: Float64Array, period = 12): Float64Array {
  return runSeries(values, new Roc(period));
}

export function momentum(values: Float64Array, period = 10): Float64Array {
  return runSeries(values, new Momentum(period));
}
