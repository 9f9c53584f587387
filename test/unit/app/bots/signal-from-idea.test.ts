import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ideaProblem,
  roundSignificant,
  signalFromIdea,
} from '../../../../shared/app/bots/signal-from-idea.js';
import { dec } from '../../../../shared/core/money/decimal.js';

describe('rounding bot prices', () => {
  it('writes 6 significant digits, in the direction asked', () => {
    expect(roundSignificant(64250.123456, 'up')).toBe('64250.2');
    expect(roundSignificant(64250.123456, 'down')).toBe('64250.1');
    expect(roundSignificant(0.000123456789, 'up')).toBe('0.000123457');
    expect(roundSignificant(0.000123456789, 'down')).toBe('0.000123456');
    expect(roundSignificant(2.5, 'down')).toBe('2.50000');
  });

  it('never rounds a long target to or below the entry, nor its stop to or above it (property)', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 1e-6, max: 1e6, noNaN: true }),
        fc.double({ min: 1e-9, max: 0.5, noNaN: true }),
        (entry, distance) => {
          const target = entry * (1 + distance);
          const stop = entry * (1 - distance);
          fc.pre(target > entry && stop < entry && stop > 0);
          const signal = signalFromIdea({
            bot: 'trend',
            symbol: 'ETH/USDT',
            timeframe: '1h',
            barOpenTime: 0,
            closedAt: new Date(Date.UTC(2026, 0, 1)),
            idea: {
              side: 'long',
              entryPrice: entry,
              targets: [{ price: target }],
              stopLoss: stop,
              confidence: 1,
              reason: 'p',
            },
          });
          expect(dec(signal.targets[0]?.price ?? '0').gte(dec(target))).toBe(true);
          expect(dec(signal.stopLoss ?? '0').lte(dec(stop))).toBe(true);
        },
      ),
    );
  });
});

describe('ideas the runtime refuses', () => {
  const base = {
    side: 'long' as const,
    entryPrice: 100,
    targets: [{ price: 101 }],
    stopLoss: 99,
    confidence: 0.5,
    reason: 'x',
  };
  it('accepts a well-formed long and refuses targets or stops on the wrong side', () => {
    expect(ideaProblem(base)).toBeNull();
    expect(ideaProblem({ ...base, targets: [{ price: 99.5 }] })).toMatch(/target/);
    expect(ideaProblem({ ...base, stopLoss: 100.5 })).toMatch(/stop/);
    expect(ideaProblem({ ...base, targets: [] })).toMatch(/no targets/);
    expect(ideaProblem({ ...base, side: 'short', targets: [{ price: 98 }], stopLoss: 102 })).toBeNull();
  });
});
