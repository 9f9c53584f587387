// Swing points and QFL bases on hand-written arrays: what counts, and that a point is reported
// only once the bars that confirm it have closed.
import { describe, expect, it } from 'vitest';
import {
  lastTwoSwings,
  qflBases,
  swingHighs,
  swingLows,
} from '../../../../shared/core/bots/price-structure.js';

const f = (xs: readonly number[]) => Float64Array.from(xs);
const RULE = { swingBars: 2, minBounce: 0.02, bounceWithin: 10, crack: 0.03 };

describe('swing points', () => {
  const highs = f([1, 2, 3, 2, 1, 2, 4, 3, 2, 1]);

  it('finds a high above the k bars before it and not below the k after it', () => {
    expect(swingHighs(highs, 2)).toEqual([2, 6]);
    expect(swingLows(f([5, 4, 3, 4, 5, 4, 2, 3, 4]), 2)).toEqual([2, 6]);
  });

  it('reports a swing at j only once bar j + k has closed', () => {
    expect(swingHighs(highs, 2, 7)).toEqual([2]);
    expect(swingHighs(highs, 2, 8)).toEqual([2, 6]);
    expect(swingHighs(highs.subarray(0, 8), 2)).toEqual([2]);
  });

  it('counts a flat top once, at its first bar', () => {
    expect(swingHighs(f([1, 2, 5, 5, 5, 2, 1, 0]), 2)).toEqual([2]);
  });

  it('needs k bars on the left: nothing in the first k bars', () => {
    expect(swingLows(f([1, 2, 3, 4, 5]), 2)).toEqual([]);
  });

  it('gives the last two swing highs and lows, or null with fewer than two of either', () => {
    const h = f([1, 3, 1, 1, 4, 1, 1, 5, 1, 1]);
    const l = f([2, 1, 2, 2, 1.5, 2, 2, 1.8, 2, 2]);
    expect(lastTwoSwings(h, l, 1)).toEqual({ highs: [4, 7], lows: [4, 7] });
    expect(lastTwoSwings(h.subarray(0, 5), l.subarray(0, 5), 1)).toBeNull();
  });
});

describe('QFL bases', () => {
  // A swing low at 100 (bar 3), a bounce to 103 by bar 6, then a slide and a close at 96.9 (bar 10).
  const low = f([104, 103, 102, 100, 101, 101.5, 102.5, 101, 100.5, 100.2, 96.5]);
  const high = f([105, 104, 103, 101, 101.5, 101.9, 103, 102, 101.5, 101, 100]);
  const close = f([104.5, 103.5, 102.5, 100.5, 101.5, 102, 102.8, 101.5, 101, 100.5, 96.9]);

  it('establishes a base on the later of the swing confirmation and the bounce, and cracks it on a close 3 % under', () => {
    const [base, ...others] = qflBases(high, low, close, RULE);
    expect(others).toEqual([]);
    expect(base).toMatchObject({ index: 3, price: 100, establishedAt: 6, crackedAt: 10 });
    expect(base?.bounce).toBeCloseTo(0.03, 12);
    // A bounce early enough: established at the swing's confirmation (bar 3 + 2), not before.
    const early = Float64Array.from(high);
    early[4] = 102.5;
    expect(qflBases(early, low, close, RULE)[0]?.establishedAt).toBe(5);
  });

  it('knows nothing of the crack before its bar, nor of the base before its bounce', () => {
    expect(qflBases(high, low, close, RULE, 9)[0]?.crackedAt).toBe(-1);
    expect(qflBases(high, low, close, RULE, 5)).toEqual([]);
  });

  it('does not take a low that price undercut before bouncing, nor one that never bounced 2 %', () => {
    const undercut = Float64Array.from(low);
    undercut[5] = 99.9;
    expect(qflBases(high, undercut, close, RULE).map((b) => b.index)).not.toContain(3);
    const flatHigh = f([105, 104, 103, 101, 101.5, 101.9, 101.9, 101.5, 101.2, 101, 100]);
    expect(qflBases(flatHigh, low, close, RULE)).toEqual([]);
  });

  it('needs the bounce within the window after the low', () => {
    expect(qflBases(high, low, close, { ...RULE, bounceWithin: 2 })).toEqual([]);
  });
});
