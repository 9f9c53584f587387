import { describe, expect, it } from 'vitest';
import { signalConsistencyErrors, signalSchema } from '../../../shared/core/signals/signal.js';

const valid = {
  signalId: 'sig-1',
  source: 'house',
  bot: 'trend',
  symbol: 'BTC/USDT',
  side: 'long',
  entry: { type: 'limit', price: '50000' },
  targets: [{ price: '51000' }, { price: '52000', weight: 2 }],
  stopLoss: '49000',
  createdAt: '2026-11-25T10:00:00Z',
};

describe('signal schema', () => {
  it('accepts a complete signal and defaults leverage to 1', () => {
    const parsed = signalSchema.parse(valid);
    expect(parsed.leverage).toBe(1);
  });

  it.each([
    ['a symbol without a quote', { symbol: 'BTCUSDT' }, 'symbol'],
    ['a price written as a number', { stopLoss: 49000 }, 'stopLoss'],
    ['a zero price', { targets: [{ price: '0' }] }, 'targets.0.price'],
    ['no targets', { targets: [] }, 'targets'],
    ['an unknown field', { foo: 1 }, ''],
    ['an id with spaces', { signalId: 'a b' }, 'signalId'],
    ['a date without a zone', { createdAt: '2026-11-25 10:00' }, 'createdAt'],
  ])('refuses %s', (_name, change, path) => {
    const result = signalSchema.safeParse({ ...valid, ...change });
    expect(result.success).toBe(false);
    if (!result.success && path) expect(result.error.issues.map((i) => i.path.join('.'))).toContain(path);
  });

  it('finds targets and stops on the wrong side of a limit entry', () => {
    const long = signalSchema.parse({ ...valid, targets: [{ price: '49500' }], stopLoss: '50500' });
    expect(signalConsistencyErrors(long, undefined)).toEqual([
      'targets[0].price must be above the entry for a long',
      'stopLoss must be below the entry for a long',
    ]);
    const short = signalSchema.parse({
      ...valid,
      side: 'short',
      targets: [{ price: '49000' }],
      stopLoss: '51000',
    });
    expect(signalConsistencyErrors(short, undefined)).toEqual([]);
  });

  it('checks a market entry only when a reference price is known', () => {
    const market = signalSchema.parse({ ...valid, entry: { type: 'market' }, targets: [{ price: '100' }] });
    expect(signalConsistencyErrors(market, undefined)).toEqual([]);
    expect(signalConsistencyErrors(market, '200')).toHaveLength(2);
  });
});
