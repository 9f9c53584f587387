// The crafted market shapes each house-bot test starts from, with knobs to remove one condition at
// a time. The builders steer by the shared indicators (never by the strategy under test).
import { ema, macd } from '../../../../shared/core/indicators/index.js';
import {
  appendCloses,
  type Bar,
  barsFromCloses,
  closesOf,
  lastEma,
  M5,
  M15,
  T0,
  waves,
  zigzag,
} from './crafted-series.js';

function lastBar(bars: readonly Bar[]): Bar {
  const bar = bars[bars.length - 1];
  if (bar === undefined) throw new Error('no bars');
  return bar;
}

export interface ScalpingShape {
  /** Trend per 5-minute bar before the pullback. */
  readonly trendStep?: number;
  /** Zig-zag around the trend. */
  readonly noise?: number;
  /** Drop per bar in the pullback. */
  readonly pullStep?: number;
  /** The pullback stops once the next close would be within this fraction above the EMA50. */
  readonly stopAbove?: number;
  /** The bounce bar closes this fraction above the higher of the EMA50 and the previous close. */
  readonly bounce?: number;
  /** The bounce bar's low pierces the EMA50 by this fraction; null: its low stays at the previous close. */
  readonly pierce?: number | null;
}

/**
 * A 5-minute uptrend (340 bars), a pullback towards the EMA50, then one bounce bar whose low pierces
 * the EMA50 and whose close is back above it: RSI oversold and turning up, %K crossing %D from near 0.
 */
export function scalpingSetup(shape: ScalpingShape = {}): Bar[] {
  const { trendStep = 0.0008, noise = 0.0006, pullStep = 0.002, stopAbove = 0.001, bounce = 0.003 } = shape;
  const pierce = shape.pierce === undefined ? 0.001 : shape.pierce;
  let bars = barsFromCloses(zigzag(340, 100, trendStep, noise), M5);
  for (let n = 0; n < 60; n++) {
    const next = lastBar(bars).close * (1 - pullStep);
    if (next <= lastEma(bars, 50) * (1 + stopAbove)) break;
    bars = appendCloses(bars, [next], M5);
  }
  const line = lastEma(bars, 50);
  const previous = lastBar(bars);
  const close = Math.max(line, previous.close) * (1 + bounce);
  const low = pierce === null ? previous.close * 0.9995 : Math.min(previous.close, line * (1 - pierce));
  return [
    ...bars,
    { openTime: previous.openTime + M5, open: previous.close, high: close * 1.0005, low, close, volume: 100 },
  ];
}

/** A 15-minute series of `n` bars trending by `step` per bar (negative: down), for the confirmation. */
export function higherTrend(n: number, step: number, tfMs = M15): Bar[] {
  return barsFromCloses(zigzag(n, 100, step, 0.0008), tfMs, { start: T0 - n * tfMs });
}

export interface TrendShape {
  /** Rise of each up leg and fall of each down leg (fractions), 8 bars a leg. */
  readonly up?: number;
  readonly down?: number;
  /** The last down leg's fall instead (deeper than `up` makes a lower low). */
  readonly lastDown?: number;
  /** The last up leg's rise instead (under `down` makes a lower high). */
  readonly lastUp?: number;
  /** Legs before the last down leg. */
  readonly legs?: number;
  /** Bars of the final up leg to take after the one where the MACD histogram turned positive. */
  readonly extraBars?: number;
  /** A flat start of this many bars at the first price (to keep the EMAs tangled). */
  readonly flatStart?: number;
  /** A downtrend start of this many bars (EMA100 stays above EMA50 for a while). */
  readonly downStart?: number;
}

/**
 * 15-minute swing waves (8-bar legs, up 3 %, down 1.5 %: higher highs and higher lows, EMAs stacked
 * up), ending in a down leg and then the final up leg cut at the bar whose MACD histogram first
 * turned positive with the close above EMA20 (plus `extraBars`).
 */
export function trendSetup(shape: TrendShape = {}): Bar[] {
  const { up = 0.03, down = 0.015, legs = 55, extraBars = 0, flatStart = 0, downStart = 0 } = shape;
  const lastDown = shape.lastDown ?? down;
  const start: number[] = [];
  for (let i = 0; i < flatStart; i++) start.push(100 * (1 + (i % 2 === 0 ? 0.001 : -0.001)));
  if (downStart > 0) start.push(...zigzag(downStart, 100, -0.002, 0.001));
  const from = start[start.length - 1] ?? 100;
  // An odd leg count ends on an up leg; the last down leg is added with its own depth.
  const body = waves(legs % 2 === 0 ? legs : legs - 1, 8, from, up, down);
  body.push(...waves(1, 8, body[body.length - 1] ?? from, shape.lastUp ?? up, 0));
  const afterUp = body[body.length - 1] ?? from;
  const dip = waves(1, 8, afterUp, -lastDown, 0);
  let bars = barsFromCloses([...start, ...body, ...dip], M15, { start: T0, wick: 0.001 });
  const rise = (1 + up) ** (1 / 8);
  let afterTurn = -1;
  for (let n = 0; n < 8; n++) {
    bars = appendCloses(bars, [lastBar(bars).close * rise], M15, 0.001);
    const closes = Float64Array.from(closesOf(bars));
    const hist = macd(closes, 12, 26, 9).histogram;
    const e20 = ema(closes, 20);
    const i = closes.length - 1;
    if (afterTurn < 0 && (hist[i] ?? 0) > 0 && (closes[i] ?? 0) > (e20[i] ?? Number.NaN)) afterTurn = 0;
    else if (afterTurn >= 0) afterTurn++;
    if (afterTurn === extraBars) return bars;
  }
  throw new Error('the final up leg never turned the MACD histogram positive');
}

export interface QflShape {
  /** The base lows, in order (each after a rise to 4 % above it); the crack is measured from the last. */
  readonly bases?: readonly number[];
  /** How far the high rises off each base after it (fraction). */
  readonly bounce?: number;
  /** The crack bar's close, as a fraction below the last base. */
  readonly crack?: number;
  /** The crack bar's volume (the others have 100). */
  readonly crackVolume?: number;
}

/**
 * 15-minute bars: 300 flat bars around 100 (±0.05 %, no base), then for each base a rise to 4 %
 * above it, a drop to a swing low whose low is exactly the base, a bounce of `bounce` and 30 bars
 * drifting back to 0.5 % above it; then one crack bar closing `crack` under the last base.
 */
export function qflSetup(shape: QflShape = {}): Bar[] {
  const { bases = [97], bounce = 0.03, crack = 0.04, crackVolume = 300 } = shape;
  const closes = zigzag(300, 100, 0, 0.0005);
  const swingBars: number[] = [];
  const path = (to: number, steps: number) => {
    const from = closes[closes.length - 1] ?? 100;
    for (let k = 1; k <= steps; k++) closes.push(from + ((to - from) * k) / steps);
  };
  for (const base of bases) {
    path(base * 1.04, 6);
    path(base * 1.002, 4);
    swingBars.push(closes.length - 1);
    path((base * (1 + bounce)) / 1.001, 6);
    path(base * 1.005, 30);
  }
  const last = bases[bases.length - 1] ?? 97;
  closes.push(last * (1 - crack));
  const bars = barsFromCloses(closes, M15, { wick: 0.001 });
  swingBars.forEach((at, b) => {
    const bar = bars[at];
    if (bar !== undefined) bar.low = bases[b] ?? bar.low;
  });
  lastBar(bars).volume = crackVolume;
  return bars;
}
