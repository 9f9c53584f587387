// Trend strength: MACD (SMA-seeded EMAs) and Wilder's ADX with +DI/−DI; streaming classes plus batch
// functions that drive them.
import { Ema } from './moving-averages.js';
import { assertPeriod, assertSameLength, nanArray } from './rolling.js';
import { TrueRange } from './volatility.js';

export interface MacdValue {
  macd: number;
  signal: number;
  histogram: number;
}

/**
 * MACD = EMA(fast) − EMA(slow), both fed from the first bar, so the line starts at index slow−1;
 * the signal is an EMA of the line seeded with the SMA of its first `signal` values (index
 * slow+signal−2). TA-Lib instead starts the fast EMA late so both share a seed bar: the two agree once
 * the seed has washed out.
 */
export class Macd {
  private readonly fast: Ema;
  private readonly slow: Ema;
  private readonly signal: Ema;

  constructor(fast = 12, slow = 26, signal = 9) {
    this.fast = new Ema(fast);
    this.slow = new Ema(slow);
    this.signal = new Ema(signal);
  }

  update(close: number): MacdValue {
    const fast = this.fast.update(close);
    const slow = this.slow.update(close);
    if (Number.isNaN(fast) || Number.isNaN(slow)) {
      return { macd: Number.NaN, signal: Number.NaN, histogram: Number.NaN };
    }
    const macd = fast - slow;
    const signal = this.signal.update(macd);
    return { macd, signal, histogram: macd - signal };
  }
}

export interface AdxValue {
  adx: number;
  plusDi: number;
  minusDi: number;
}

/**
 * Wilder's ADX as TA-Lib: +DM/−DM/TR from the second bar; their Wilder sums start as plain sums of
 * the first `period` values (so ±DI from index period), smoothed by S − S/n + x; ADX is the mean of
 * the first `period` DX values (index 2·period−1), then Wilder-smoothed. No movement reads DX 0.
 */
export class Adx {
  private readonly trueRange = new TrueRange();
  private previousHigh = Number.NaN;
  private previousLow = Number.NaN;
  private bars = 0;
  private sumTr = 0;
  private sumPlus = 0;
  private sumMinus = 0;
  private dxCount = 0;
  private current = 0;

  constructor(readonly period = 14) {
    assertPeriod(period, 'period');
  }

  update(high: number, low: number, close: number): AdxValue {
    const tr = this.trueRange.update(high, low, close);
    const up = high - this.previousHigh;
    const down = this.previousLow - low;
    this.previousHigh = high;
    this.previousLow = low;
    if (Number.isNaN(tr)) return { adx: Number.NaN, plusDi: Number.NaN, minusDi: Number.NaN };
    const plusDm = up > down && up > 0 ? up : 0;
    const minusDm = down > up && down > 0 ? down : 0;
    const p = this.period;
    this.bars++;
    if (this.bars <= p) {
      this.sumTr += tr;
      this.sumPlus += plusDm;
      this.sumMinus += minusDm;
      if (this.bars < p) return { adx: Number.NaN, plusDi: Number.NaN, minusDi: Number.NaN };
    } else {
      this.sumTr += tr - this.sumTr / p;
      this.sumPlus += plusDm - this.sumPlus / p;
      this.sumMinus += minusDm - this.sumMinus / p;
    }
    const plusDi = this.sumTr === 0 ? 0 : (100 * this.sumPlus) / this.sumTr;
    const minusDi = this.sumTr === 0 ? 0 : (100 * this.sumMinus) / this.sumTr;
    const diSum = plusDi + minusDi;
    const dx = diSum === 0 ? 0 : (100 * Math.abs(plusDi - minusDi)) / diSum;
    let adx = Number.NaN;
    if (this.dxCount < p) {
      this.current += dx;
      this.dxCount++;
      if (this.dxCount === p) {
        this.current /= p;
        adx = this.current;
      }
    } else {
      this.current = (this.current * (p - 1) + dx) / p;
      adx = this.current;
    }
    return { adx, plusDi, minusDi };
  }
}

export function macd(
  close: Float64Array,
  fast = 12,
  slow = 26,
  signal = 9,
): { macd: Float64Array; signal: Float64Array; histogram: Float64Array } {
  const indicator = new Macd(fast, slow, signal);
  const out = {
    macd: nanArray(close.length),
    signal: nanArray(close.length),
    histogram: nanArray(close.length),
  };
  for (let i = 0; i < close.length; i++) {
    const v = indicator.update(close[i] ?? Number.NaN);
    out.macd[i] = v.macd;
    out.signal[i] = v.signal;
    out.histogram[i] = v.histogram;
  }
  return out;
}

export function adx(
  high: Float64Array,
  low: Float64Array,
  close: Float64Array,
  period = 14,
): { adx: Float64Array; plusDi: Float64Array; minusDi: Float64Array } {
  const n = assertSameLength(high, low, close);
  const indicator = new Adx(period);
  const out = { adx: nanArray(n), plusDi: nanArray(n), minusDi: nanArray(n) };
  for (let i = 0; i < n; i++) {
    const v = indicator.update(high[i] ?? Number.NaN, low[i] ?? Number.NaN, close[i] ?? Number.NaN);
    out.adx[i] = v.adx;
    out.plusDi[i] = v.plusDi;
    out.minusDi[i] = v.minusDi;
  }
  return out;
}
