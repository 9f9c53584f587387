// The AI bot's inputs: scale-free numbers about the closed bars up to bar i (log returns, bounded
// oscillators, distances in ATRs, candle shape), so one model serves every symbol and price level.
import {
  adx,
  atr,
  bollinger,
  cci,
  cmf,
  ema,
  macd,
  mfi,
  roc,
  rsi,
  stochastic,
  williamsR,
} from '../../indicators/index.js';
import type { BarSeries } from '../bot-types.js';

/** The model's columns, in order. Changing this list (or a definition) means retraining the model. */
export const FEATURE_NAMES = [
  'ret1', // log(close / close 1 bar back)
  'ret3',
  'ret6',
  'ret12',
  'ret24',
  'roc96', // ROC over 96 bars (8 h of 5m) / 100
  'rsi14', // RSI(14) / 100
  'stochK', // Stochastic(14, 3, 3) %K / 100
  'stochKMinusD', // (%K − %D) / 100
  'macdHistPct', // MACD(12, 26, 9) histogram / close
  'bbPercentB', // Bollinger(20, 2) %b
  'bbWidth', // (upper − lower) / middle
  'atrPct', // ATR(14) / close
  'adx14', // ADX(14) / 100
  'diSpread', // (+DI − −DI) / 100
  'cci20', // CCI(20) / 100
  'williamsR14', // Williams %R(14) / 100, in −1..0
  'mfi14', // MFI(14) / 100
  'cmf20', // Chaikin money flow(20)
  'volumeZ20', // z-score of log(1 + volume) over 20 bars
  'emaDist20', // (close − EMA20) / ATR
  'emaDist50', // (close − EMA50) / ATR
  'body', // (close − open) / (high − low)
  'upperWick', // (high − max(open, close)) / (high − low)
  'lowerWick', // (min(open, close) − low) / (high − low)
] as const;

export type FeatureName = (typeof FEATURE_NAMES)[number];
export const FEATURE_COUNT = FEATURE_NAMES.length;

/**
 * Bars the live path computes over. Every feature is either a finite window (≤ 96 bars) or a
 * recursive average (EMA ≤ 50, Wilder 14) whose seed has decayed below 1e-9 after this many bars,
 * so the live value equals the batch value over the whole history (the test checks it).
 */
export const FEATURE_WINDOW = 600;

/** Row-major matrix: row i holds the features at bar i (NaN during warm-up). */
export interface FeatureMatrix {
  readonly names: readonly FeatureName[];
  readonly rows: number;
  readonly width: number;
  readonly values: Float64Array;
  /** ATR(14) at each bar, in price units: the label's barriers and the strategy's TP/SL use it. */
  readonly atr: Float64Array;
}

const ratio = (num: number, den: number): number => (den > 0 ? num / den : 0);

function logReturn(close: Float64Array, i: number, back: number): number {
  const now = close[i] ?? Number.NaN;
  const then = i >= back ? (close[i - back] ?? Number.NaN) : Number.NaN;
  return Math.log(now / then);
}

/** The features of every bar of the series; each row reads only bars at or before it. */
export function featureMatrix(s: BarSeries): FeatureMatrix {
  const { high, low, close, open, volume } = s;
  const n = s.length;
  const atr14 = atr(high, low, close, 14);
  const rsi14 = rsi(close, 14);
  const stoch = stochastic(high, low, close, 14, 3, 3);
  const macdOut = macd(close, 12, 26, 9);
  const bb = bollinger(close, 20, 2);
  const adxOut = adx(high, low, close, 14);
  const cci20 = cci(high, low, close, 20);
  const wr14 = williamsR(high, low, close, 14);
  const mfi14 = mfi(high, low, close, volume, 14);
  const cmf20 = cmf(high, low, close, volume, 20);
  const roc96 = roc(close, 96);
  const ema20 = ema(close, 20);
  const ema50 = ema(close, 50);
  const logVolume = volume.map((v) => Math.log1p(v));
  // Bollinger over log volume gives its rolling mean and (upper − middle) / 2 its rolling std.
  const volBands = bollinger(logVolume, 20, 2);

  const width = FEATURE_COUNT;
  const values = new Float64Array(n * width);
  for (let i = 0; i < n; i++) {
    const c = close[i] ?? Number.NaN;
    const o = open[i] ?? Number.NaN;
    const h = high[i] ?? Number.NaN;
    const l = low[i] ?? Number.NaN;
    const a = atr14[i] ?? Number.NaN;
    const range = h - l;
    const upper = bb.upper[i] ?? Number.NaN;
    const lower = bb.lower[i] ?? Number.NaN;
    const mid = bb.middle[i] ?? Number.NaN;
    const volMean = volBands.middle[i] ?? Number.NaN;
    const volStd = ((volBands.upper[i] ?? Number.NaN) - volMean) / 2;
    const k = stoch.k[i] ?? Number.NaN;
    const row = [
      logReturn(close, i, 1),
      logReturn(close, i, 3),
      logReturn(close, i, 6),
      logReturn(close, i, 12),
      logReturn(close, i, 24),
      (roc96[i] ?? Number.NaN) / 100,
      (rsi14[i] ?? Number.NaN) / 100,
      k / 100,
      (k - (stoch.d[i] ?? Number.NaN)) / 100,
      (macdOut.histogram[i] ?? Number.NaN) / c,
      // Flat closes have no band: the close sits in the middle (rounding in the rolling mean can
      // leave a width of 1e-16, which would turn %b into noise).
      upper - lower > 1e-12 * mid ? (c - lower) / (upper - lower) : Number.isNaN(mid) ? Number.NaN : 0.5,
      (upper - lower) / mid,
      a / c,
      (adxOut.adx[i] ?? Number.NaN) / 100,
      ((adxOut.plusDi[i] ?? Number.NaN) - (adxOut.minusDi[i] ?? Number.NaN)) / 100,
      (cci20[i] ?? Number.NaN) / 100,
      (wr14[i] ?? Number.NaN) / 100,
      (mfi14[i] ?? Number.NaN) / 100,
      cmf20[i] ?? Number.NaN,
      // A flat volume window has no spread (up to rounding): the bar is exactly average (0).
      Number.isNaN(volStd)
        ? Number.NaN
        : volStd > 1e-9
          ? ((logVolume[i] ?? Number.NaN) - volMean) / volStd
          : 0,
      Number.isNaN(a) ? Number.NaN : ratio(c - (ema20[i] ?? Number.NaN), a),
      Number.isNaN(a) ? Number.NaN : ratio(c - (ema50[i] ?? Number.NaN), a),
      ratio(c - o, range),
      ratio(h - Math.max(o, c), range),
      ratio(Math.min(o, c) - l, range),
    ];
    values.set(row, i * width);
  }
  return { names: FEATURE_NAMES, rows: n, width, values, atr: atr14 };
}

/** Whether every feature of row `i` is a finite number (past the warm-up, no division by zero). */
export function rowIsComplete(m: FeatureMatrix, i: number): boolean {
  const start = i * m.width;
  for (let j = start; j < start + m.width; j++) {
    if (!Number.isFinite(m.values[j] ?? Number.NaN)) return false;
  }
  return true;
}

export interface LiveFeatures {
  readonly values: Float64Array;
  readonly atr: number;
  readonly close: number;
}

/**
 * The features at the last closed bar, computed over the last FEATURE_WINDOW bars only (the batch
 * path over a long history gives the same numbers); null while any feature is still warming up.
 */
export function liveFeatures(s: BarSeries): LiveFeatures | null {
  const n = s.length;
  if (n === 0) return null;
  const from = Math.max(0, n - FEATURE_WINDOW);
  const window: BarSeries = {
    length: n - from,
    openTime: s.openTime.subarray(from, n),
    open: s.open.subarray(from, n),
    high: s.high.subarray(from, n),
    low: s.low.subarray(from, n),
    close: s.close.subarray(from, n),
    volume: s.volume.subarray(from, n),
  };
  const m = featureMatrix(window);
  const last = m.rows - 1;
  if (!rowIsComplete(m, last)) return null;
  return {
    values: m.values.slice(last * m.width, (last + 1) * m.width),
    atr: m.atr[last] ?? Number.NaN,
    close: s.close[n - 1] ?? Number.NaN,
  };
}
