// Moving averages: SMA, EMA (SMA-seeded as TA-Lib), WMA, DEMA, TEMA and Hull; each a streaming class
// whose update returns the current value (NaN during warm-up) plus a batch function driving it.
import { assertPeriod, RollingWindow, runSeries } from './rolling.js';

export class Sma {
  private readonly window: RollingWindow;

  constructor(readonly period: number) {
    this.window = new RollingWindow(period);
  }

  update(value: number): number {
    this.window.push(value);
    return this.window.full ? this.window.sum / this.period : Number.NaN;
  }
}

/** EMA with α = 2 / (period + 1), seeded with the SMA of the first `period` values (TA-Lib's seed). */
export class Ema {
  private readonly alpha: number;
  private seedSum = 0;
  private seen = 0;
  private current = Number.NaN;

  constructor(readonly period: number) {
    assertPeriod(period, 'period');
    this.alpha = 2 / (period + 1);
  }

  update(value: number): number {
    if (this.seen < this.period) {
      this.seedSum += value;
      this.seen++;
      if (this.seen === this.period) this.current = this.seedSum / this.period;
      return this.current;
    }
    this.current += this.alpha * (value - this.current);
    return this.current;
  }
}

/** Linearly weighted: the newest value weighs `period`, the oldest 1. */
export class Wma {
  private readonly window: RollingWindow;
  private readonly divisor: number;
  private weighted = 0;

  constructor(readonly period: number) {
    this.window = new RollingWindow(period);
    this.divisor = (period * (period + 1)) / 2;
  }

  update(value: number): number {
    const p = this.period;
    const window = this.window;
    const previousSum = window.sum;
    const wasFull = window.full;
    window.push(value);
    if (!window.full) return Number.NaN;
    // Sliding one bar lowers every old weight by one (−sum) and adds the new value at weight p;
    // re-summed exactly each lap (and on the first full bar) so the running total cannot drift.
    if (!wasFull || window.count % p === 0) {
      let exact = 0;
      for (let back = 0; back < p; back++) exact += (p - back) * window.ago(back);
      this.weighted = exact;
    } else {
      this.weighted += p * value - previousSum;
    }
    return this.weighted / this.divisor;
  }
}

/** DEMA = 2·EMA − EMA(EMA); the inner EMA only starts once the outer one has a value (as TA-Lib). */
export class Dema {
  private readonly first: Ema;
  private readonly second: Ema;

  constructor(readonly period: number) {
    this.first = new Ema(period);
    this.second = new Ema(period);
  }

  update(value: number): number {
    const e1 = this.first.update(value);
    if (Number.isNaN(e1)) return Number.NaN;
    const e2 = this.second.update(e1);
    return Number.isNaN(e2) ? Number.NaN : 2 * e1 - e2;
  }
}

/** TEMA = 3·EMA − 3·EMA² + EMA³, each stage seeded from the previous stage's first values. */
export class Tema {
  private readonly first: Ema;
  private readonly second: Ema;
  private readonly third: Ema;

  constructor(readonly period: number) {
    this.first = new Ema(period);
    this.second = new Ema(period);
    this.third = new Ema(period);
  }

  update(value: number): number {
    const e1 = this.first.update(value);
    if (Number.isNaN(e1)) return Number.NaN;
    const e2 = this.second.update(e1);
    if (Number.isNaN(e2)) return Number.NaN;
    const e3 = this.third.update(e2);
    return Number.isNaN(e3) ? Number.NaN : 3 * e1 - 3 * e2 + e3;
  }
}

/** Hull: WMA(2·WMA(⌊n/2⌋) − WMA(n), ⌊√n⌋). */
export class Hma {
  private readonly half: Wma;
  private readonly full: Wma;
  private readonly smooth: Wma;

  constructor(readonly period: number) {
    assertPeriod(period, 'period', 2);
    this.half = new Wma(Math.floor(period / 2));
    this.full = new Wma(period);
    this.smooth = new Wma(Math.max(1, Math.floor(Math.sqrt(period))));
  }

  update(value: number): number {
    const half = this.half.update(value);
    const full = this.full.update(value);
    if (Number.isNaN(full)) return Number.NaN;
    return this.smooth.update(2 * half - full);
  }
}

export function sma(values: Float64Array, period: number): Float64Array {
  return runSeries(values, new Sma(period));
}

export function ema(values: Float64Array, period: number): Float64Array {
  return runSeries(values, new Ema(period));
}

export function wma(values: Float64Array, period: number): Float64Array {
  return runSeries(values, new Wma(period));
}

export function dema(values: Float64Array, period: number): Float64Array {
  return runSeries(values, new Dema(period));
}

export function tema(values: Float64Array, period: number): Float64Array {
  return runSeries(values, new Tema(period));
}

export function hma(values: Float64Array, period: number): Float64Array {
  return runSeries(values, new Hma(period));
}
