// Price overlays that follow the trend: SuperTrend, Wilder's parabolic SAR and Ichimoku (without
// look-ahead); streaming classes plus batch functions that drive them.
import { assertPeriod, assertSameLength, Delay, nanArray, RollingExtreme } from './rolling.js';
import { Atr } from './volatility.js';

export interface SuperTrendValue {
  value: number;
  /** +1 up trend (value is the lower band, a trailing stop below price), −1 down trend. */
  direction: number;
}

/**
 * SuperTrend on hl2 ± multiplier·ATR (Wilder): a final band only moves towards price unless price
 * closed beyond it on the bar before. The first bar with an ATR starts in the down trend unless the
 * close is already above the upper band, and the trend flips on a close beyond the opposite band
 * (a close exactly on the lower band keeps an up trend), as trading-signals' SuperTrend.
 */
export class SuperTrend {
  private readonly atr: Atr;
  private started = false;
  private up = false;
  private finalUpper = Number.NaN;
  private finalLower = Number.NaN;
  private previousClose = Number.NaN;

  constructor(
    period = 10,
    readonly multiplier = 3,
  ) {
    this.atr = new Atr(period);
  }

  update(high: number, low: number, close: number): SuperTrendValue {
    const atr = this.atr.update(high, low, close);
    if (Number.isNaN(atr)) return { value: Number.NaN, direction: Number.NaN };
    const mid = (high + low) / 2;
    const basicUpper = mid + this.multiplier * atr;
    const basicLower = mid - this.multiplier * atr;
    if (!this.started) {
      this.started = true;
      this.finalUpper = basicUpper;
      this.finalLower = basicLower;
      this.up = close > basicUpper;
    } else {
      const prevClose = this.previousClose;
      if (basicUpper < this.finalUpper || prevClose > this.finalUpper) this.finalUpper = basicUpper;
      if (basicLower > this.finalLower || prevClose < this.finalLower) this.finalLower = basicLower;
      this.up = this.up ? close >= this.finalLower : close > this.finalUpper;
    }
    this.previousClose = close;
    return this.up ? { value: this.finalLower, direction: 1 } : { value: this.finalUpper, direction: -1 };
  }
}

/**
 * Wilder's parabolic SAR, the SAR that applies at each bar. There is no trend before the first bar,
 * so it assumes an up trend from bar 0 (SAR = its low, extreme = its high), as technicalindicators'
 * PSAR; the first wrong guess reverses within a few bars. Bar 0 itself reads NaN (no SAR yet).
 */
export class ParabolicSar {
  private bars = 0;
  private up = true;
  private sar = Number.NaN;
  private extreme = Number.NaN;
  private acceleration: number;
  private prevHigh = Number.NaN;
  private prevLow = Number.NaN;
  private prev2High = Number.NaN;
  private prev2Low = Number.NaN;

  constructor(
    readonly step = 0.02,
    readonly maxStep = 0.2,
  ) {
    if (!(step > 0) || !(maxStep >= step)) throw new RangeError('need 0 < step ≤ maxStep');
    this.acceleration = step;
  }

  update(high: number, low: number): number {
    this.bars++;
    if (this.bars === 1) {
      this.sar = low;
      this.extreme = high;
      this.prevHigh = this.prev2High = high;
      this.prevLow = this.prev2Low = low;
      return Number.NaN;
    }
    let sar = this.sar + this.acceleration * (this.extreme - this.sar);
    // The SAR may never enter the last two bars' range: Wilder's rule.
    if (this.up) {
      sar = Math.min(sar, this.prevLow, this.prev2Low);
      if (high > this.extreme) {
        this.extreme = high;
        this.acceleration = Math.min(this.acceleration + this.step, this.maxStep);
      }
    } else {
      sar = Math.max(sar, this.prevHigh, this.prev2High);
      if (low < this.extreme) {
        this.extreme = low;
        this.acceleration = Math.min(this.acceleration + this.step, this.maxStep);
      }
    }
    if ((this.up && low < sar) || (!this.up && high > sar)) {
      this.up = !this.up;
      sar = this.extreme;
      this.extreme = this.up ? high : low;
      this.acceleration = this.step;
    }
    this.sar = sar;
    this.prev2High = this.prevHigh;
    this.prev2Low = this.prevLow;
    this.prevHigh = high;
    this.prevLow = low;
    return sar;
  }
}

export interface IchimokuValue {
  conversion: number;
  base: number;
  spanA: number;
  spanB: number;
}

/** The midpoint of the highest high and lowest low over a window. */
class Midpoint {
  private readonly highest: RollingExtreme;
  private readonly lowest: RollingExtreme;

  constructor(period: number) {
    this.highest = new RollingExtreme(period, 'max');
    this.lowest = new RollingExtreme(period, 'min');
  }

  update(high: number, low: number): number {
    const hh = this.highest.push(high);
    const ll = this.lowest.push(low);
    return this.highest.full ? (hh + ll) / 2 : Number.NaN;
  }
}

/**
 * Ichimoku: tenkan (conversion) and kijun (base) midpoints; the senkou spans reported at bar i are
 * the ones computed `displacement` bars earlier, i.e. the cloud as it stands over bar i, so nothing
 * reads the future. There is no chikou span: it is the close plotted back in time, which would
 * look ahead.
 */
export class Ichimoku {
  private readonly conversion: Midpoint;
  private readonly base: Midpoint;
  private readonly spanB: Midpoint;
  private readonly delayA: Delay;
  private readonly delayB: Delay;

  constructor(conversion = 9, base = 26, spanB = 52, displacement = 26) {
    assertPeriod(displacement, 'displacement', 0);
    this.conversion = new Midpoint(conversion);
    this.base = new Midpoint(base);
    this.spanB = new Midpoint(spanB);
    this.delayA = new Delay(displacement);
    this.delayB = new Delay(displacement);
  }

  update(high: number, low: number): IchimokuValue {
    const conversion = this.conversion.update(high, low);
    const base = this.base.update(high, low);
    const spanA = this.delayA.push((conversion + base) / 2);
    const spanB = this.delayB.push(this.spanB.update(high, low));
    return { conversion, base, spanA, spanB };
  }
}

export function superTrend(
  high: Float64Array,
  low: Float64Array,
  close: Float64Array,
  period = 10,
  multiplier = 3,
): { value: Float64Array; direction: Float64Array } {
  const n = assertSameLength(high, low, close);
  const indicator = new SuperTrend(period, multiplier);
  const out = { value: nanArray(n), direction: nanArray(n) };
  for (let i = 0; i < n; i++) {
    const v = indicator.update(high[i] ?? Number.NaN, low[i] ?? Number.NaN, close[i] ?? Number.NaN);
    out.value[i] = v.value;
    out.direction[i] = v.direction;
  }
  return out;
}

export function parabolicSar(
  high: Float64Array,
  low: Float64Array,
  step = 0.02,
  maxStep = 0.2,
): Float64Array {
  const n = assertSameLength(high, low);
  const indicator = new ParabolicSar(step, maxStep);
  const out = nanArray(n);
  for (let i = 0; i < n; i++) out[i] = indicator.update(high[i] ?? Number.NaN, low[i] ?? Number.NaN);
  return out;
}

/** `close` is accepted for the agreed signature but unused: every line is built from highs and lows. */
export function ichimoku(
  high: Float64Array,
  low: Float64Array,
  close: Float64Array,
  conversion = 9,
  base = 26,
  spanB = 52,
  displacement = 26,
): { conversion: Float64Array; base: Float64Array; spanA: Float64Array; spanB: Float64Array } {
  const n = assertSameLength(high, low, close);
  const indicator = new Ichimoku(conversion, base, spanB, displacement);
  const out = { conversion: nanArray(n), base: nanArray(n), spanA: nanArray(n), spanB: nanArray(n) };
  for (let i = 0; i < n; i++) {
    const v = indicator.update(high[i] ?? Number.NaN, low[i] ?? Number.NaN);
    out.conversion[i] = v.conversion;
    out.base[i] = v.base;
    out.spanA[i] = v.spanA;
    out.spanB[i] = v.spanB;
  }
  return out;
}
