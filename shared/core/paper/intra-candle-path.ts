// The one assumption about the order of prices inside a bar, shared by the paper engine and the
// backtester so a bar that touches a take-profit and a stop-loss resolves the same way in both.
//
// A bar only tells us open, high, low and close; the path between them is assumed to be
// open → first extreme → second extreme → close, straight lines between. Which extreme comes first
// is chosen to hurt whoever holds the position (adverse first, the conservative choice):
//   long    → open → low → high → close  (a long's stop-loss below fills before its take-profit above)
//   short   → open → high → low → close
//   neutral → by the bar's colour: close ≥ open → open → low → high → close, else open → high → low
//             → close (the usual heuristic when nobody holds a position that could be hurt).
import { dec } from '../money/decimal.js';

export type PathBias = 'long' | 'short' | 'neutral';

export interface OhlcPrices {
  readonly open: string;
  readonly high: string;
  readonly low: string;
  readonly close: string;
}

/**
 * Compares two decimal strings through their float shadows, exact by construction: parsing
 * rounds monotonically, so different floats order the decimals correctly and only equal floats
 * (decimals closer than double precision) need big.js.
 */
export function comparePrices(a: string, b: string, fa = +a, fb = +b): -1 | 0 | 1 {
  if (fa < fb) return -1;
  if (fa > fb) return 1;
  return dec(a).cmp(dec(b)) as -1 | 0 | 1;
}

/** True when the path visits the low before the high. */
export function lowComesFirst(candle: OhlcPrices, bias: PathBias): boolean {
  if (bias === 'long') return true;
  if (bias === 'short') return false;
  return comparePrices(candle.close, candle.open) >= 0;
}

/** The assumed price path through a bar: [open, first extreme, second extreme, close]. */
export function intraCandlePath(
  candle: OhlcPrices,
  bias: PathBias,
): readonly [open: string, first: string, second: string, close: string] {
  return lowComesFirst(candle, bias)
    ? [candle.open, candle.low, candle.high, candle.close]
    : [candle.open, candle.high, candle.low, candle.close];
}

/**
 * How far the price travels along `path` (float shadows of intraCandlePath) before it first
 * reaches `trigger`, moving down (`down`: price ≤ trigger) or up; 0 when the open is already
 * through it (a gap), Infinity when the bar never gets there. Used only to order orders the bar
 * touched, so float precision is enough; ties keep placement order.
 */
export function pathDistance(path: readonly number[], trigger: number, down: boolean): number {
  let travelled = 0;
  let from = path[0] ?? Number.NaN;
  if (down ? from <= trigger : from >= trigger) return 0;
  for (let i = 1; i < path.length; i++) {
    const to = path[i] ?? from;
    if (down ? to < from && to <= trigger : to > from && to >= trigger) {
      return travelled + Math.abs(from - trigger);
    }
    travelled += Math.abs(to - from);
    from = to;
  }
  return Number.POSITIVE_INFINITY;
}
