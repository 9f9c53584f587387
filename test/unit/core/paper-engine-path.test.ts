import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  comparePrices,
  intraCandlePath,
  pathDistance,
} from '../../../shared/core/paper/intra-candle-path.js';

const bull = { open: '100', high: '110', low: '95', close: '108' };
const bear = { open: '100', high: '110', low: '95', close: '97' };

describe('intra-candle path', () => {
  it('visits the low first for a long and the high first for a short, whatever the colour', () => {
    expect(intraCandlePath(bear, 'long')).toEqual(['100', '95', '110', '97']);
    expect(intraCandlePath(bull, 'short')).toEqual(['100', '110', '95', '108']);
  });

  it('follows the bar colour when nobody is exposed: up bars dip first, down bars rally first', () => {
    expect(intraCandlePath(bull, 'neutral')).toEqual(['100', '95', '110', '108']);
    expect(intraCandlePath(bear, 'neutral')).toEqual(['100', '110', '95', '97']);
  });

  it('measures how far the price travels before it reaches a level, 0 on a gap, ∞ when never', () => {
    const path = [100, 95, 110, 108];
    expect(pathDistance(path, 96, true)).toBe(4);
    expect(pathDistance(path, 105, false)).toBe(5 + 10);
    expect(pathDistance(path, 101, true)).toBe(0);
    expect(pathDistance(path, 90, true)).toBe(Number.POSITIVE_INFINITY);
  });

  it('compares decimal prices exactly, also where their floats are equal', () => {
    expect(comparePrices('0.1', '0.10000000000000000001')).toBe(-1);
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: 10n ** 30n }),
        fc.bigInt({ min: 0n, max: 10n ** 30n }),
        (a, b) => {
          const text = (n: bigint) => `${n / 10n ** 12n}.${(n % 10n ** 12n).toString().padStart(12, '0')}`;
          expect(comparePrices(text(a), text(b))).toBe(a < b ? -1 : a > b ? 1 : 0);
        },
      ),
    );
  });
});
