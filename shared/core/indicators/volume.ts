// Volume-weighted indicators: rolling VWAP, OBV, Chaikin money flow and the money flow index;
// streaming classes plus batch functions that drive them.
import { assertSameLength, nanArray, RollingWindow } from './rolling.js';

/**
 * Rolling VWAP of the typical price (H + L + C)/3 over the last `period` bars. A window with no
 * volume at all has no volume-weighted price: NaN.
 */
export class Vwap {
  private readonly priceVolume: RollingWindow;
  private readonly volume: RollingWindow;

  constructor(readonly period: number) {
    this.priceVolume = new RollingWindow(period);
    this.volume = new RollingWindow(period);
  }

  update(high: number, low: number, close: number, volume: number): number {
    this.priceVolume.push(((high + low + close) / 3) * volume);
    this.volume.push(volume);
    if (!this.volume.full || this.volume.sum === 0) return Number.NaN;
    return this.priceVolume.sum / this.volume.sum;
  }
}

/** On-balance volume: starts at 0 on the first bar, then ± each bar's volume by the close's direction. */
export class Obv {
  private previous = Number.NaN;
  private total = 0;

  update(close: number, volume: number): number {
    if (!Number.isNaN(this.previous)) {
      if (close > this.previous) this.total += volume;
      else if (close < this.previous) this.total -= volume;
    }
    this.previous = close;
    return this.total;
  }
}

/**
 * Chaikin money flow: Σ(multiplier·volume)/Σvolume over `period` bars, multiplier
 * ((C − L) − (H − C))/(H − L). A bar with H = L moves no money (multiplier 0); a window with no
 * volume reads 0 (no flow either way).
 */
export class Cmf {
  private readonly flow: RollingWindow;
  private readonly volume: RollingWindow;

  constructor(readonly period = 20) {
    this.flow = new RollingWindow(period);
    this.volume = new RollingWindow(period);
  }

  update(high: number, low: number, close: number, volume: number): number {
    const range = high - low;
    const multiplier = range === 0 ? 0 : (close - low - (high - close)) / range;
    this.flow.push(multiplier * volume);
    this.volume.push(volume);
    if (!this.volume.full) return Number.NaN;
    return this.volume.sum === 0 ? 0 : this.flow.sum / this.volume.sum;
  }
}

/**
 * Money flow index: typical price × volume counted as positive or negative by whether the typical
 * price rose or fell from the bar before (unchanged counts as neither, as TA-Lib), summed over
 * `period` flows, so the first value is at index `period`. No flow at all reads 50; only positive 100.
 */
export class Mfi {
  private readonly positive: RollingWindow;
  private readonly negative: RollingWindow;
  private previousTypical = Number.NaN;

  constructor(readonly period = 14) {
    this.positive = new RollingWindow(period);
    this.negative = new RollingWindow(period);
  }

  update(high: number, low: number, close: number, volume: number): number {
    const typical = (high + low + close) / 3;
    const previous = this.previousTypical;
    this.previousTypical = typical;
    if (Number.isNaN(previous)) return Number.NaN;
    const flow = typical * volume;
    this.positive.push(typical > previous ? flow : 0);
    this.negative.push(typical < previous ? flow : 0);
    if (!this.positive.full) return Number.NaN;
    const up = this.positive.sum;
    const down = this.negative.sum;
    if (down === 0) return up === 0 ? 50 : 100;
    return 100 - 100 / (1 + up / down);
  }
}

type FourInput = { update(high: number, low: number, close: number, volume: number): number };

function runHlcv(
  high: Float64Array,
  low: Float64Array,
  close: Float64Array,
  volume: Float64Array,
  indicator: FourInput,
): Float64Array {
  const n = assertSameLength(high, low, close, volume);
  const out = nanArray(n);
  for (let i = 0; i < n; i++) {
    out[i] = indicator.update(
      high[i] ?? Number.NaN,
      low[i] ?? Number.NaN,
      close[i] ?? Number.NaN,
      volume[i] ?? Number.NaN,
    );
  }
  return out;
}

export function vwap(
  high: Float64Array,
  low: Float64Array,
  close: Float64Array,
  volume: Float64Array,
  period: number,
): Float64Array {
  return runHlcv(high, low, close, volume, new Vwap(period));
}

export function obv(close: Float64Array, volume: Float64Array): Float64Array {
  const n = assertSameLength(close, volume);
  const indicator = new Obv();
  const out = nanArray(n);
  for (let i = 0; i < n; i++) out[i] = indicator.update(close[i] ?? Number.NaN, volume[i] ?? Number.NaN);
  return out;
}

export function cmf(
  high: Float64Array,
  low: Float64Array,
  close: Float64Array,
  volume: Float64Array,
  period = 20,
): Float64Array {
  return runHlcv(high, low, close, volume, new Cmf(period));
}

export function mfi(
  high: Float64Array,
  low: Float64Array,
  close: Float64Array,
  volume: Float64Array,
  period = 14,
): Float64Array {
  return runHlcv(high, low, close, volume, new Mfi(period));
}
