// Price structure from closed bars: swing highs and lows (k bars each side) and QFL bases (a swing
// low that price bounced away from). Only points the closed bars already confirm are reported.
import { at } from './rule-helpers.js';

/**
 * Swing high at j: high[j] is above each of the k highs before it and not below any of the k highs
 * after it (strict on the left, so a flat top counts once, at its first bar). A swing at j is known
 * only once bar j + k has closed, so with bars 0..last only j ≤ last − k are reported. Oldest first.
 */
export function swingHighs(high: Float64Array, k: number, last = high.length - 1): number[] {
  return swings(high, k, last, 1);
}

/** Swing low at j: the mirror of {@link swingHighs} on the lows. */
export function swingLows(low: Float64Array, k: number, last = low.length - 1): number[] {
  return swings(low, k, last, -1);
}

function swings(v: Float64Array, k: number, last: number, sign: 1 | -1): number[] {
  const found: number[] = [];
  for (let j = k; j + k <= last; j++) {
    const x = sign * at(v, j);
    let isSwing = !Number.isNaN(x);
    for (let m = 1; m <= k && isSwing; m++) {
      isSwing = x > sign * at(v, j - m) && x >= sign * at(v, j + m);
    }
    if (isSwing) found.push(j);
  }
  return found;
}

/** The last two confirmed swings of each kind, when there are two. */
export interface Structure {
  readonly highs: readonly [number, number];
  readonly lows: readonly [number, number];
}

/** Indices of the last two confirmed swing highs and lows (older first), or null when either has fewer than two. */
export function lastTwoSwings(high: Float64Array, low: Float64Array, k: number): Structure | null {
  const hs = swingHighs(high, k);
  const ls = swingLows(low, k);
  const h1 = hs[hs.length - 2];
  const h2 = hs[hs.length - 1];
  const l1 = ls[ls.length - 2];
  const l2 = ls[ls.length - 1];
  if (h1 === undefined || h2 === undefined || l1 === undefined || l2 === undefined) return null;
  return { highs: [h1, h2], lows: [l1, l2] };
}

export interface QflBase {
  /** Bar of the swing low. */
  readonly index: number;
  /** The base level: that bar's low. */
  readonly price: number;
  /** The bar whose close first made the base known: the later of the swing's confirmation and the bounce. */
  readonly establishedAt: number;
  /** Highest high in the bounce window (up to the last bar, or a low under the base), as a fraction above the base. */
  readonly bounce: number;
  /** The first bar after establishment whose close is `crack` or more below the base, or -1 when none. */
  readonly crackedAt: number;
}

export interface BaseRule {
  /** Bars each side of the swing low. */
  readonly swingBars: number;
  /** Minimum rise of the high above the base, as a fraction (0.02 = 2 %), for the low to count as a base. */
  readonly minBounce: number;
  /** The rise must happen within this many bars after the swing low. */
  readonly bounceWithin: number;
  /** A close this fraction below the base cracks (and consumes) it. */
  readonly crack: number;
}

/**
 * Every base in the bars 0..last, oldest first. A base is established on the later of bar j + k
 * (the swing is confirmed) and the first bar whose high is ≥ base × (1 + minBounce) (the bounce is
 * seen; a low under the base before that disqualifies it); it is cracked, once, by the first later close ≤ base × (1 − crack). Nothing past `last` is read.
 */
export function qflBases(
  high: Float64Array,
  low: Float64Array,
  close: Float64Array,
  rule: BaseRule,
  last = close.length - 1,
): QflBase[] {
  const bases: QflBase[] = [];
  for (const j of swingLows(low, rule.swingBars, last)) {
    const price = at(low, j);
    const target = price * (1 + rule.minBounce);
    let bounceBar = -1;
    let peak = price;
    for (let t = j + 1; t <= Math.min(last, j + rule.bounceWithin); t++) {
      // A low under the base ends the look: before the bounce it means the low did not hold (no base).
      if (at(low, t) < price) break;
      peak = Math.max(peak, at(high, t));
      if (bounceBar < 0 && peak >= target) bounceBar = t;
    }
    if (bounceBar < 0) continue;
    const establishedAt = Math.max(j + rule.swingBars, bounceBar);
    const crackLevel = price * (1 - rule.crack);
    let crackedAt = -1;
    for (let c = establishedAt + 1; c <= last; c++) {
      if (at(close, c) <= crackLevel) {
        crackedAt = c;
        break;
      }
    }
    bases.push({ index: j, price, establishedAt, bounce: peak / price - 1, crackedAt });
  }
  return bases;
}
